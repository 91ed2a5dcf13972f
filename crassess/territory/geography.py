"""The map of the territory: comuni boundaries (GeoJSON), resident population and zones (CSV ``istat,zona``).

The shipped boundaries and population of the Province of Cremona are ISTAT data as packaged by Openpolis
(CC BY 4.0; see ``crassess/data/SOURCE.md``). Another territory brings its own GeoJSON, with the ISTAT code
as a property of each feature; without one there are no maps (never an error).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.safe_text import strip_control
from crassess.sources import load_json, read_text
from crassess.territory.comuni import DEFAULT_TERRITORY, Territory, load_territory
from crassess.territory.indicators import istat_cell, sniff_delimiter

DATA = DEFAULT_TERRITORY.parent
SHIPPED_BOUNDARIES = DATA / "comuni_cremona.geojson"
SHIPPED_POPULATION = DATA / "popolazione_cremona.csv"
EXAMPLE_ZONES = DATA / "zone_esempio.csv"

# property names that carry the ISTAT code in common GeoJSON files (ours, ISTAT's shapefiles, Openpolis)
CODE_PROPERTIES = ("istat", "pro_com_t", "pro_com", "com_istat_code", "cod_istat", "codice_istat", "istat_code")
MAX_SHOWN_PROBLEMS = 30  # a file of thousands of bad features is summarised, not listed
MAX_ZONE_NAME = 40

register({
    "geo.credit": {"it": "Fonte: ISTAT, Openpolis (CC BY 4.0)", "en": "Source: ISTAT, Openpolis (CC BY 4.0)"},
    "geo.credit_file": {"it": "Confini: {file}", "en": "Boundaries: {file}"},
    "geo.not_collection": {"it": "atteso un GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" con \"features\")",
                           "en": "expected a GeoJSON FeatureCollection (\"type\": \"FeatureCollection\" with \"features\")"},
    "geo.not_feature": {"it": "atteso un oggetto Feature", "en": "expected a Feature object"},
    "geo.no_code": {"it": "nessuna proprietà con il codice ISTAT (attese: {keys})", "en": "no property with the ISTAT code (expected: {keys})"},
    "geo.bad_code": {"it": "'{value}' non è un codice ISTAT (6 cifre)", "en": "'{value}' is not an ISTAT code (6 digits)"},
    "geo.duplicate": {"it": "codice ISTAT {code} ripetuto (già in features[{first}])", "en": "ISTAT code {code} repeated (already in features[{first}])"},
    "geo.bad_type": {"it": "geometria '{kind}' non ammessa: attesi Polygon o MultiPolygon", "en": "geometry '{kind}' not allowed: Polygon or MultiPolygon expected"},
    "geo.bad_coordinates": {"it": "coordinate non valide: attese liste di anelli di punti [lon, lat]",
                            "en": "invalid coordinates: lists of rings of [lon, lat] points expected"},
    "geo.short_ring": {"it": "un anello ha {n} punti: ne servono almeno 4, il primo uguale all'ultimo",
                       "en": "a ring has {n} points: at least 4 are needed, the first equal to the last"},
    "geo.not_lonlat": {"it": "coordinata ({x}, {y}) fuori da longitudine/latitudine: il GeoJSON deve essere in WGS84 (EPSG:4326, RFC 7946); riproiettare, es. ogr2ogr -t_srs EPSG:4326",
                       "en": "coordinate ({x}, {y}) is not longitude/latitude: GeoJSON must be WGS84 (EPSG:4326, RFC 7946); reproject, e.g. ogr2ogr -t_srs EPSG:4326"},
    "geo.missing": {"it": "comuni del territorio senza confini ({n}): {names}", "en": "comuni of the territory without boundaries ({n}): {names}"},
    "geo.more": {"it": "... e altri {n} problemi", "en": "... and {n} more problems"},
    "zones.header": {"it": "attese le colonne 'istat' e 'zona' (codice ISTAT e nome della zona)",
                     "en": "expected columns 'istat' and 'zona' (ISTAT code and zone name)"},
    "zones.cells": {"it": "attese {expected} celle, trovate {found}", "en": "expected {expected} cells, found {found}"},
    "zones.empty_name": {"it": "zona vuota per il comune {code}", "en": "empty zone for comune {code}"},
    "zones.long_name": {"it": "nome di zona di oltre {n} caratteri", "en": "zone name longer than {n} characters"},
    "zones.duplicate": {"it": "comune {code} ripetuto (già a riga {first})", "en": "comune {code} repeated (already on line {first})"},
    "zones.none": {"it": "nessuna riga: atteso almeno un comune con la sua zona", "en": "no rows: at least one comune with its zone expected"},
})

Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]  # exterior ring, then holes


@dataclass(frozen=True)
class Shape:
    """One comune on the map: its polygons in longitude/latitude (WGS84)."""

    istat: str
    nome: str
    polygons: tuple[Polygon, ...]


@dataclass(frozen=True)
class Boundaries:
    """The comuni of a territory as shapes, in the territory's order; ``shipped``: the package's own
    (ISTAT/Openpolis data, whose licence requires the credit on every map)."""

    shapes: tuple[Shape, ...]
    source: str
    shipped: bool = False

    def credit(self, lang: str | None = None) -> str:
        """The credit to print on a map: the shipped data's source, or the boundaries file's name."""
        return t("geo.credit", lang) if self.shipped else t("geo.credit_file", lang, file=Path(self.source).name)

    def bounds(self) -> tuple[float, float, float, float]:
        """(min lon, min lat, max lon, max lat)."""
        xs = [x for s in self.shapes for poly in s.polygons for ring in poly for x, _ in ring]
        ys = [y for s in self.shapes for poly in s.polygons for ring in poly for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)


@dataclass(frozen=True)
class Zones:
    """Comuni grouped into zones: ``zone_of`` maps an ISTAT code to its zone; ``names`` in order of first appearance."""

    zone_of: Mapping[str, str]
    names: tuple[str, ...]
    source: str

    def members(self, zone: str) -> tuple[str, ...]:
        return tuple(code for code, z in self.zone_of.items() if z == zone)


def _more(problems: list[Problem], file: str) -> list[Problem]:
    if len(problems) <= MAX_SHOWN_PROBLEMS:
        return problems
    return problems[:MAX_SHOWN_PROBLEMS] + [Problem(file, "", t("geo.more", n=len(problems) - MAX_SHOWN_PROBLEMS))]


def _feature_code(properties: Any) -> str | None | tuple[str]:
    """The 6-digit code, ``None`` if no code property, or ``(raw,)`` when the value is not a code."""
    if not isinstance(properties, dict):
        return None
    lowered = {str(k).lower(): v for k, v in properties.items()}
    for key in CODE_PROPERTIES:
        if key in lowered and lowered[key] is not None:
            raw = lowered[key]
            text = str(int(raw)) if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer() else str(raw).strip()
            return text.zfill(6) if text.isdigit() and len(text) <= 6 else (text,)
    return None


def _ring(raw: Any) -> Ring | None:
    if not isinstance(raw, list):
        return None
    points = []
    for p in raw:
        if not (isinstance(p, list) and len(p) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p[:2])):
            return None
        points.append((float(p[0]), float(p[1])))
    return tuple(points)


def _polygons(geometry: Any) -> tuple[tuple[Polygon, ...] | None, str]:
    """(polygons, "") or (None, what is wrong)."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return None, t("geo.bad_type", kind=kind)
    raw = geometry.get("coordinates")
    parts = [raw] if kind == "Polygon" else raw
    if not isinstance(parts, list) or not parts:
        return None, t("geo.bad_coordinates")
    polygons: list[Polygon] = []
    for part in parts:
        if not isinstance(part, list) or not part:
            return None, t("geo.bad_coordinates")
        rings = []
        for raw_ring in part:
            ring = _ring(raw_ring)
            if ring is None:
                return None, t("geo.bad_coordinates")
            if len(ring) < 4:
                return None, t("geo.short_ring", n=len(ring))
            for x, y in ring:
                if not (math.isfinite(x) and math.isfinite(y) and -180 <= x <= 180 and -90 <= y <= 90):
                    return None, t("geo.not_lonlat", x=f"{x:.10g}", y=f"{y:.10g}")
            rings.append(ring)
        polygons.append(tuple(rings))
    return tuple(polygons), ""


def load_boundaries(path: Path, territory: Territory | None = None) -> Boundaries:
    """Read a GeoJSON FeatureCollection of comuni (WGS84; the ISTAT code as a property, e.g. ``istat`` or
    ``PRO_COM_T``); every problem at once, each with its feature. Features of comuni outside the territory
    are ignored; a comune of the territory without a shape is an error."""
    path = Path(path)
    land = territory or load_territory()
    file = str(path)
    data = load_json(path)
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        raise InvalidInput(problems=[Problem(file, "", t("geo.not_collection"))])
    known = land.by_code()
    problems: list[Problem] = []
    found: dict[str, tuple[Polygon, ...]] = {}
    first: dict[str, int] = {}
    for i, feature in enumerate(features):
        place = f"features[{i}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(Problem(file, place, t("geo.not_feature")))
            continue
        code = _feature_code(feature.get("properties"))
        if code is None:
            problems.append(Problem(file, place, t("geo.no_code", keys=", ".join(CODE_PROPERTIES))))
            continue
        if isinstance(code, tuple):
            problems.append(Problem(file, place, t("geo.bad_code", value=code[0])))
            continue
        if code not in known:
            continue
        place = f"features[{i}] ({code} {known[code].nome})"
        if code in first:
            problems.append(Problem(file, place, t("geo.duplicate", code=code, first=first[code])))
            continue
        first[code] = i
        polygons, message = _polygons(feature.get("geometry"))
        if polygons is None:
            problems.append(Problem(file, place, message))
        else:
            found[code] = polygons
    problems = _more(problems, file)
    missing = [c for c in land.comuni if c.istat not in first]
    if missing:
        names = ", ".join(f"{c.nome} ({c.istat})" for c in missing[:20]) + (" ..." if len(missing) > 20 else "")
        problems.append(Problem(file, "", t("geo.missing", n=len(missing), names=names)))
    if problems:
        raise InvalidInput(problems=problems)
    shapes = tuple(Shape(c.istat, c.nome, found[c.istat]) for c in land.comuni)
    shipped = path.resolve() == SHIPPED_BOUNDARIES.resolve()
    return Boundaries(shapes, file, shipped)


def boundaries_for(territory: Territory, path: Path | None = None) -> Boundaries | None:
    """The boundaries of a campaign: ``path`` when given, the shipped ones for the shipped territory, else
    ``None`` (another territory without a boundaries file has no maps)."""
    if path is not None:
        return load_boundaries(path, territory)
    if Path(territory.source).resolve() == DEFAULT_TERRITORY.resolve():
        return _shipped_boundaries()
    return None


_SHIPPED: list[Boundaries] = []


def _shipped_boundaries() -> Boundaries:
    if not _SHIPPED:
        _SHIPPED.append(load_boundaries(SHIPPED_BOUNDARIES, load_territory()))
    return _SHIPPED[0]


def load_population(path: Path = SHIPPED_POPULATION) -> Mapping[str, int]:
    """Resident population by ISTAT code (the shipped file: ISTAT, 1 January 2023)."""
    rows = csv.DictReader(io.StringIO(read_text(path), newline=""))
    return MappingProxyType({row["istat"]: int(row["popolazione"]) for row in rows})


def load_zones(path: Path, territory: Territory | None = None) -> Zones:
    """Read a zones CSV (``istat,zona``; ``,`` ``;`` or tab; ISTAT codes with or without leading zeros); every
    problem at once with its line. Comuni not listed belong to no zone."""
    path = Path(path)
    land = territory or load_territory()
    file = str(path)
    text = read_text(path)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first))
    problems: list[Problem] = []
    header: list[str] | None = None
    zone_of: dict[str, str] = {}
    first_line: dict[str, int] = {}
    columns = (0, 1)
    line = 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        place = t("place.line", line=start)
        if header is None:
            header = [c.strip().lower() for c in cells]
            names = {"istat"}, {"zona", "zone"}
            found = [next((i for i, h in enumerate(header) if h in group), None) for group in names]
            if None in found:
                raise InvalidInput(problems=[Problem(file, place, t("zones.header"))])
            columns = (found[0], found[1])  # type: ignore[assignment]
            continue
        if len(cells) != len(header):
            problems.append(Problem(file, place, t("zones.cells", expected=len(header), found=len(cells))))
            continue
        code = istat_cell(cells[columns[0]].strip(), land, file, place, problems)
        zone = " ".join(strip_control(cells[columns[1]]).split())
        if code is None:
            continue
        if not zone:
            problems.append(Problem(file, place, t("zones.empty_name", code=code)))
        elif len(zone) > MAX_ZONE_NAME:
            problems.append(Problem(file, place, t("zones.long_name", n=MAX_ZONE_NAME)))
        elif code in first_line:
            problems.append(Problem(file, place, t("zones.duplicate", code=code, first=first_line[code])))
        else:
            first_line[code] = start
            zone_of[code] = zone
    if header is None:
        problems.append(Problem(file, t("place.line", line=1), t("zones.header")))
    elif not zone_of and not problems:
        problems.append(Problem(file, t("place.line", line=2), t("zones.none")))
    if problems:
        raise InvalidInput(problems=_more(problems, file))
    ordered = {c.istat: zone_of[c.istat] for c in land.comuni if c.istat in zone_of}
    return Zones(MappingProxyType(ordered), tuple(dict.fromkeys(zone_of.values())), file)
