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
