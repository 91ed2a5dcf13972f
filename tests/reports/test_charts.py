"""Charts: valid PNG/SVG, byte-identical on every run."""

from __future__ import annotations

from crassess.reports import charts


def test_png_and_svg_are_reproducible() -> None:
    args = (["Connettività", "Strumenti", "Competenze"], {"Punteggio": [80.0, None, 41.7], "Media": [70.0, 60.0, 50.0]}, "Profilo")
    png = charts.radar(*args, fmt="png")
    assert png.startswith(b"\x89PNG") and png == charts.radar(*args, fmt="png")
    svg = charts.radar(*args, fmt="svg")
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg and svg == charts.radar(*args, fmt="svg")
    assert b"<dc:date>" not in svg
    charts.close_all()
    bars = charts.bar_chart(["a", "b"], [10.0, None], "t", "svg")
    assert bars == charts.bar_chart(["a", "b"], [10.0, None], "t", "svg")
    grouped = charts.grouped_bars(["a", "b"], {"x": [1.0, 2.0], "y": [None, 3.0]}, "t", "png")
    assert grouped.startswith(b"\x89PNG")


def test_decimal_comma_in_italian_and_point_in_english() -> None:
    it = charts.bar_chart(["a", "b"], [43.75, 2.5], "t", "svg", limit=None, lang="it").decode()
    en = charts.bar_chart(["a", "b"], [43.75, 2.5], "t", "svg", limit=None, lang="en").decode()
    assert ">43,8<" in it and ">2,5<" in it and ">43.8<" in en and ">2.5<" in en
    assert [charts.tick_text(v, "it") for v in (0, 2.5, 20, 100)] == ["0", "2,5", "20", "100"]
    assert charts.tick_text(12.5, "en") == "12.5"
    ticks = charts.bar_chart(["a"], [0.5], "t", "svg", limit=1.5, lang="it").decode()
    assert ">0,5<" in ticks and ">1,0<" not in ticks  # the axis too: 0,0 0,5 ... written as 0, 0,5, 1, 1,5


def test_target_marker_and_ring() -> None:
    plain = charts.bar_chart(["a", "b"], [40.0, 60.0], "t", "svg", lang="it")
    marked = charts.bar_chart(["a", "b"], [40.0, 60.0], "t", "svg", lang="it", targets=[75.0, None], target_label="Obiettivo")
    assert b"Obiettivo" in marked and b"Obiettivo" not in plain and marked.count(b"<use ") == plain.count(b"<use ") + 2
    args = (["A", "B", "C"], {"Punteggio": [80.0, 50.0, 40.0]}, "Profilo")
    ring = charts.radar(*args, fmt="svg", target=[75.0, 75.0, 60.0], target_label="Obiettivo").decode()
    assert "Obiettivo" in ring and "stroke-dasharray" in ring
    charts.close_all()


def test_withheld_figures_say_so_instead_of_an_empty_bar() -> None:
    svg = charts.bar_chart(["a", "b"], [40.0, None], "t", "svg", missing="dati non pubblicabili").decode()
    assert svg.count("dati non pubblicabili") == 1
    grouped = charts.grouped_bars(["x", "y"], {"Comuni": [40.0, "dati non pubblicabili"], "Imprese": [None, 50.0]}, "t", "svg").decode()
    assert grouped.count("dati non pubblicabili") == 1  # None (not surveyed) leaves the slot empty, silently
    assert grouped.count('clip-path="url(#') == 2  # two bars drawn, none for the withheld or missing values
