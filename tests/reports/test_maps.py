"""Drawing the maps: one SVG shape per comune with its code, withheld areas never coloured, stable bytes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import MappingProxyType

import pytest

from crassess.reports.map_layers import PERCENT_CLASSES, Area, MapLayer, class_labels
from crassess.reports.maps import PALETTES, WITHHELD_FILL, _nice_length, render_map
from crassess.territory.comuni import load_territory
from crassess.territory.geography import (
    EXAMPLE_ZONES,
    boundaries_for,
    load_population,
    load_zones,
)

SVG = "{http://www.w3.org/2000/svg}"
BOUNDARIES = boundaries_for(load_territory())
ZONES = load_zones(EXAMPLE_ZONES)


def comune_layer() -> MapLayer:
    """Every comune a value by its code (0 to 100), but Crema withheld and Cremona without data."""
    areas = {}
    for i, c in enumerate(load_territory().comuni):
        areas[c.istat] = Area("value", float(i % 101), f"{i % 101}%")
    areas["019035"] = Area("withheld", None, "dati non pubblicabili")
    areas["019036"] = Area("empty", None, "dato non disponibile")
    return MapLayer("fibra", "Copertura in fibra per comune", "Copertura in fibra (%)", PERCENT_CLASSES,
                    class_labels(PERCENT_CLASSES, "it", "%", top=100), "blue", MappingProxyType(areas), "dato non disponibile",
                    ("Copertura: prova.csv, colonna «ftth»",))


def zone_layer() -> MapLayer:
    areas = {"Cremonese": Area("value", 62.5, "62,5"), "Cremasco": Area("withheld", None, "dati non pubblicabili"),
             "Casalasco": Area("empty", None, "nessun rispondente")}
    return MapLayer("punteggio", "Punteggio medio per zona: Imprese", "Livello", (0.0, 25.0, 50.0, 75.0),
                    ("Iniziale (0–25)", "Di base (25–50)", "Intermedio (50–75)", "Avanzato (75–100)"), "blue",
                    MappingProxyType(areas), "nessun rispondente", ("Zone: zone_esempio.csv",), ZONES)


def groups(svg: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id", "")[len("comune-"):]: g for g in root.iter(f"{SVG}g") if g.get("id", "").startswith("comune-")}


def fills(group: ET.Element, svg: bytes) -> list[str]:
    """The fill colours of a group's paths; a hatch pattern is "hatched <its background colour>"."""
    out = []
    for path in group.iter(f"{SVG}path"):
        fill = re.search(r"fill: ?([^;]+)", path.get("style", "")).group(1)  # type: ignore[union-attr]
        if fill.startswith("url(#"):
            pattern = next(p for p in ET.fromstring(svg).iter(f"{SVG}pattern") if p.get("id") == fill[5:-1])
            fill = "hatched " + pattern.find(f"{SVG}rect").get("fill", "")  # type: ignore[union-attr,operator]
        out.append(fill)
    return out


def texts(svg: bytes) -> str:
    return " ".join("".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text"))


def test_one_shape_per_comune_with_its_code_and_name():
    svg = render_map(comune_layer(), BOUNDARIES, "svg", "it", campaign="Prova", population=load_population())
    found = groups(svg)
    assert sorted(found) == [c.istat for c in load_territory().comuni]
    for code, g in found.items():
        title = g.find(f"{SVG}title")
        assert title is not None and f"({code})" in (title.text or "")
        assert len(list(g.iter(f"{SVG}path"))) == 1
    assert found["019104"].find(f"{SVG}title").text == "Ticengo (019104) · 420 abitanti: 100%"  # type: ignore[union-attr]
    assert found["019036"].find(f"{SVG}title").text == "Cremona (019036) · 70.637 abitanti: dato non disponibile"  # type: ignore[union-attr]


def test_a_withheld_area_is_never_coloured():
    layer = comune_layer()
    svg = render_map(layer, BOUNDARIES, "svg", "it")
    found = groups(svg)
    palette = PALETTES["blue"][5]
    assert fills(found["019035"], svg) == [f"hatched {WITHHELD_FILL}"]
    assert fills(found["019036"], svg) == ["#ffffff"]
    for code, g in found.items():
        area = layer.areas[code]
        if area.state == "value":
            assert fills(g, svg) == [palette[layer.class_of(area.value)]]  # type: ignore[arg-type]
        else:
            assert not set(fills(g, svg)) & set(palette)
    assert "dati non pubblicabili" in texts(svg) and "dato non disponibile" in texts(svg)


def test_zone_map_withholds_the_whole_zone_and_says_so():
    layer = zone_layer()
    svg = render_map(layer, BOUNDARIES, "svg", "it", campaign="demo", synthetic=True)
    found = groups(svg)
    for code, zone in ZONES.zone_of.items():
        expected = {"Cremonese": [PALETTES["blue"][4][2]], "Cremasco": [f"hatched {WITHHELD_FILL}"], "Casalasco": ["#ffffff"]}[zone]
        assert fills(found[code], svg) == expected
    words = texts(svg)
    assert "Cremonese 62,5" in words and "Cremasco Casalasco" in words  # the value only where it is shown
    assert "Intermedio (50–75)" in words and "dati non pubblicabili" in words and "nessun rispondente" in words
    assert "Fonte: ISTAT, Openpolis (CC BY 4.0)" in words and "Campagna: demo (dati sintetici) · crassess" in words
    assert "Zone: zone_esempio.csv" in words and "10 km" in words
    assert found["019035"].find(f"{SVG}title").text == "Crema (019035) · zona Cremasco: dati non pubblicabili"  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_same_input_same_bytes(fmt):
    first = render_map(zone_layer(), BOUNDARIES, fmt, "it", campaign="demo")
    assert render_map(zone_layer(), BOUNDARIES, fmt, "it", campaign="demo") == first
    assert first.startswith(b"\x89PNG" if fmt == "png" else b"<?xml")


def test_english_texts():
    svg = render_map(comune_layer(), BOUNDARIES, "svg", "en", campaign="Test")
    assert "Campaign: Test · crassess" in texts(svg) and "data not publishable" in texts(svg)
    assert "Source: ISTAT, Openpolis (CC BY 4.0)" in texts(svg)


@pytest.mark.parametrize(("width", "length"), [(90.0, 10.0), (9.0, 1.0), (260.0, 50.0), (1200.0, 200.0)])
def test_scale_bar_length(width, length):
    assert _nice_length(width) == length
