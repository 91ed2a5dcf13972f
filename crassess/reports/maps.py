"""Choropleth maps of the territory as SVG or PNG bytes (matplotlib, Agg backend; the same input gives the
same bytes).

The comuni are drawn from their WGS84 coordinates in a local equirectangular projection (kilometres from
the centre of the territory, longitudes scaled by the cosine of the central latitude): over a province the
distortion is well under 1%, so areas and the scale bar are true enough for a thematic map. In the SVG each
comune is a group ``<g id="comune-019036">`` with one path and a ``<title>`` (name, ISTAT code and value)
that browsers show on hovering.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from crassess.i18n import register, t
from crassess.reports.charts import pyplot, save_figure
from crassess.reports.map_layers import Area, MapLayer
from crassess.reports.markdown import grouped
from crassess.territory.geography import Boundaries, Shape, Zones

FORMATS = ("svg", "png")
EARTH_RADIUS_KM = 6371.0088
# ColorBrewer sequential schemes (colour-blind safe), without their lightest colour so that a class never
# looks like the white of "no data": YlGnBu for neutral or good quantities, YlOrRd where more is worse.
PALETTES: dict[str, dict[int, tuple[str, ...]]] = {
    "blue": {1: ("#2c7fb8",), 2: ("#7fcdbb", "#2c7fb8"), 3: ("#a1dab4", "#41b6c4", "#225ea8"),
             4: ("#a1dab4", "#41b6c4", "#2c7fb8", "#253494"), 5: ("#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")},
    "red": {1: ("#f03b20",), 2: ("#feb24c", "#f03b20"), 3: ("#fecc5c", "#fd8d3c", "#e31a1c"),
            4: ("#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"), 5: ("#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")},
}
WITHHELD_FILL, WITHHELD_HATCH, WITHHELD_EDGE = "#d9d9d9", "////", "#737373"
EMPTY_FILL = "#ffffff"
BORDER = "#8c8c8c"
ZONE_BORDER = "#252525"

register({
    "map.campaign": {"it": "Campagna: {name}", "en": "Campaign: {name}"},
    "map.synthetic": {"it": "dati sintetici", "en": "synthetic data"},
    "map.inhabitants": {"it": "{n} abitanti", "en": "{n} inhabitants"},
    "map.zone": {"it": "zona {zone}", "en": "zone {zone}"},
})


def palette(layer: MapLayer) -> tuple[str, ...]:
    colours = PALETTES[layer.palette]
    return colours[min(len(layer.lower), max(colours))]


def fill_of(layer: MapLayer, area: Area | None) -> str:
    """The fill colour of an area: a class colour only for a shown value."""
    if area is None or area.state == "empty":
        return EMPTY_FILL
    if area.state != "value" or area.value is None:
        return WITHHELD_FILL
    return palette(layer)[layer.class_of(area.value)]


# ---------------------------------------------------------------- geometry


def _projector(boundaries: Boundaries) -> Any:
    min_lon, min_lat, max_lon, max_lat = boundaries.bounds()
    lon0, lat0 = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    kx = EARTH_RADIUS_KM * math.radians(1) * math.cos(math.radians(lat0))
    ky = EARTH_RADIUS_KM * math.radians(1)
    return lambda lon, lat: ((lon - lon0) * kx, (lat - lat0) * ky)


@lru_cache(maxsize=4)
def _paths(boundaries: Boundaries) -> tuple[Any, ...]:
    """One matplotlib Path per comune (every part and hole of its polygons), in kilometres."""
    from matplotlib.path import Path

    project = _projector(boundaries)
    out = []
    for shape in boundaries.shapes:
        vertices: list[tuple[float, float]] = []
        codes: list[int] = []
        for polygon in shape.polygons:
            for ring in polygon:
                vertices += [project(x, y) for x, y in ring]
                codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
        out.append(Path(vertices, codes))
    return tuple(out)


def _area_and_centroid(shape: Shape, project: Any) -> tuple[float, float, float]:
    """Area and centroid of the exterior rings (shoelace), for placing zone labels."""
    total = cx = cy = 0.0
    for polygon in shape.polygons:
        points = [project(x, y) for x, y in polygon[0]]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            cross = x0 * y1 - x1 * y0
            total += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if total == 0:
        return 0.0, 0.0, 0.0
    return abs(total) / 2, cx / (3 * total), cy / (3 * total)


def _zone_geometry(boundaries: Boundaries, zones: Zones) -> tuple[tuple[Any, ...], dict[str, tuple[float, float]]]:
    return _zone_geometry_of(boundaries, tuple(zones.zone_of.items()), zones.names)


@lru_cache(maxsize=4)
def _zone_geometry_of(boundaries: Boundaries, assignment: tuple[tuple[str, str], ...],
                      names: tuple[str, ...]) -> tuple[tuple[Any, ...], dict[str, tuple[float, float]]]:
    """The borders between zones (edges not shared by two comuni of the same zone) and a label point per zone."""
    zone_of = dict(assignment)
    project = _projector(boundaries)
    owners: dict[frozenset[tuple[float, float]], list[str | None]] = {}
    for shape in boundaries.shapes:
        zone = zone_of.get(shape.istat)
        for polygon in shape.polygons:
            for ring in polygon:
                for a, b in zip(ring, ring[1:]):
                    owners.setdefault(frozenset((a, b)), []).append(zone)
    edges = [tuple(sorted(edge)) for edge, zs in owners.items() if len(edge) == 2 and (len(zs) == 1 or len(set(zs)) > 1)]
    lines = tuple(tuple(project(x, y) for x, y in line) for line in _chain(sorted(edges)))  # type: ignore[arg-type]
    labels: dict[str, tuple[float, float]] = {}
    for zone in names:
        parts = [_area_and_centroid(s, project) for s in boundaries.shapes if zone_of.get(s.istat) == zone]
        weight = sum(a for a, _, _ in parts)
        if weight:
            labels[zone] = (sum(a * x for a, x, _ in parts) / weight, sum(a * y for a, _, y in parts) / weight)
    return lines, labels


def _chain(edges: list[tuple[tuple[float, float], tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Join edges that meet end to end into polylines (deterministic: edges in sorted order)."""
    at: dict[tuple[float, float], list[int]] = {}
    for i, (a, b) in enumerate(edges):
        at.setdefault(a, []).append(i)
        at.setdefault(b, []).append(i)
    used = [False] * len(edges)
    lines = []
    for i, (a, b) in enumerate(edges):
        if used[i]:
            continue
        used[i] = True
        line = [a, b]
        while True:
            nxt = next((j for j in at[line[-1]] if not used[j]), None)
            if nxt is None:
                break
            used[nxt] = True
            p, q = edges[nxt]
            line.append(q if p == line[-1] else p)
        lines.append(line)
    return lines


def _nice_length(width_km: float) -> float:
    """A round scale-bar length near a fifth of the map's width (1, 2 or 5 times a power of ten)."""
    target = max(width_km / 5, 0.001)
    power = 10 ** math.floor(math.log10(target))
    return max(m * power for m in (1, 2, 5) if m * power <= target)


# ---------------------------------------------------------------- drawing


def hover_text(layer: MapLayer, shape: Shape, area: Area | None, lang: str, population: Mapping[str, int] | None) -> str:
    parts = [f"{shape.nome} ({shape.istat})"]
    if population and shape.istat in population:
        parts.append(t("map.inhabitants", lang, n=grouped(population[shape.istat], lang)))
    if layer.zones is not None:
        zone = layer.zones.zone_of.get(shape.istat)
        parts.append(t("map.zone", lang, zone=zone) if zone else t("map.no_zone", lang))
    text = " · ".join(parts)
    return f"{text}: {area.text}" if area is not None else text


def render_map(layer: MapLayer, boundaries: Boundaries, fmt: str, lang: str, *, campaign: str = "",
               synthetic: bool = False, population: Mapping[str, int] | None = None) -> bytes:
    """The map as SVG or PNG bytes: classes and legend, withheld areas hatched grey, credits on the image."""
    from matplotlib.patches import Patch, PathPatch
    from matplotlib.path import Path as MplPath

    plt = pyplot()
    paths = _paths(boundaries)
    min_x = min(p.vertices[:, 0].min() for p in paths)
    max_x = max(p.vertices[:, 0].max() for p in paths)
    min_y = min(p.vertices[:, 1].min() for p in paths)
    max_y = max(p.vertices[:, 1].max() for p in paths)
    width, height = max_x - min_x, max_y - min_y
    map_width = 6.4
    fig, ax = plt.subplots(figsize=(map_width + 3.2, max(3.5, map_width * height / max(width, 1e-9) + 1.6)))
    ax.set_position((0.02, 0.12, map_width / (map_width + 3.2), 0.78))
    zones = layer.zones
    titles: dict[str, str] = {}
    states: set[str] = set()
    for shape, path in zip(boundaries.shapes, paths):
        key = shape.istat if zones is None else zones.zone_of.get(shape.istat)
        area = layer.areas.get(key) if key is not None else None
        if zones is not None and key is None:
            area = Area("nozone", None, t("map.no_zone", lang))
        states.add(area.state if area is not None else "empty")
        withheld = area is not None and area.state == "withheld"
        patch = PathPatch(path, facecolor=fill_of(layer, area if area is None or area.state != "nozone" else None),
                          edgecolor=WITHHELD_EDGE if withheld else BORDER, linewidth=0.3,
                          hatch=WITHHELD_HATCH if withheld else None)
        patch.set_gid(f"comune-{shape.istat}")
        ax.add_patch(patch)
        titles[shape.istat] = hover_text(layer, shape, area if area is None or area.state != "nozone" else None, lang, population)
    if zones is not None:
        lines, anchors = _zone_geometry(boundaries, zones)
        # one path for every zone border: a single SVG element
        vertices = [point for line in lines for point in line]
        codes = [code for line in lines for code in [MplPath.MOVETO] + [MplPath.LINETO] * (len(line) - 1)]
        ax.add_patch(PathPatch(MplPath(vertices, codes), fill=False, edgecolor=ZONE_BORDER, linewidth=1.1, capstyle="round"))
        for zone, (x, y) in anchors.items():
            area = layer.areas.get(zone)
            label = zone if area is None or area.state != "value" else f"{zone}\n{area.text}"
            # a white box, not a halo: path effects would turn the SVG text into outlines
            ax.text(x, y, label, ha="center", va="center", fontsize=8, fontweight="bold", color="#111111",
                    bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
    ax.set_xlim(min_x - width * 0.02, max_x + width * 0.02)
    ax.set_ylim(min_y - height * 0.02, max_y + height * 0.02)
    ax.set_aspect("equal")
    ax.axis("off")
    _scale_bar(ax, min_x, min_y, width)

    colours = palette(layer)
    handles = [Patch(facecolor=c, edgecolor=BORDER, linewidth=0.3, label=label) for c, label in zip(colours, layer.labels)]
    if "withheld" in states:
        handles.append(Patch(facecolor=WITHHELD_FILL, edgecolor=WITHHELD_EDGE, hatch=WITHHELD_HATCH, linewidth=0.3,
                             label=t("map.withheld", lang)))
    if "empty" in states:
        handles.append(Patch(facecolor=EMPTY_FILL, edgecolor=BORDER, linewidth=0.3, label=layer.empty_label))
    if "nozone" in states:
        handles.append(Patch(facecolor=EMPTY_FILL, edgecolor=BORDER, linewidth=0.3, label=t("map.no_zone", lang)))
    ax.legend(handles=handles, title=layer.legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              title_fontsize=8, frameon=False, alignment="left")
    fig.suptitle(layer.title, x=0.02, y=0.97, ha="left", fontsize=11, fontweight="bold")
    lines = [*layer.sources, boundaries.credit(lang)]
    if campaign:
        who = t("map.campaign", lang, name=campaign) + (f" ({t('map.synthetic', lang)})" if synthetic else "")
        lines.append(f"{who} · crassess")
    fig.text(0.02, 0.02, "\n".join(lines), fontsize=7, color="#404040", ha="left", va="bottom")
    data = save_figure(fig, fmt)
    return _svg_titles(data, titles) if fmt == "svg" else data


def _scale_bar(ax: Any, min_x: float, min_y: float, width: float) -> None:
    length = _nice_length(width)
    x0, y0 = min_x, min_y
    ax.plot([x0, x0 + length], [y0, y0], color="#252525", linewidth=2, solid_capstyle="butt")
    label = f"{length:g} km"
    ax.text(x0 + length / 2, y0 + width * 0.012, label, ha="center", va="bottom", fontsize=7, color="#252525")


def _compact_path(match: re.Match[bytes]) -> bytes:
    """A path's ``d`` with coordinates rounded to 0.1 pt and the ``L`` implied after ``M``/``L`` (valid SVG):
    about half the bytes, and no visible change."""
    out: list[bytes] = []
    previous = b""
    for token in match.group(1).split():
        if token.isalpha():
            if not (token == b"L" and previous in (b"M", b"L")):
                out.append(token)
            previous = token
        else:
            out.append(b"%.1f" % float(token) if b"." in token else token)
    return b' d="' + b" ".join(out) + b'"'


def _svg_titles(data: bytes, titles: Mapping[str, str]) -> bytes:
    """Each comune's group gets a ``<title>`` (shown on hovering); path data is made compact."""

    def title(match: re.Match[bytes]) -> bytes:
        code = match.group(1).decode()
        return match.group(0) + b"\n    <title>" + escape(titles.get(code, code)).encode() + b"</title>"

    data = re.sub(rb'<g id="comune-(\d{6})">', title, data)
    return re.sub(rb' d="([^"]*)"', _compact_path, data)
