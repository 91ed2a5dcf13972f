"""Neutralising respondent text for spreadsheets, Markdown and file names."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crassess.safe_text import (
    md_cell,
    neutralise_formula,
    pseudonym,
    safe_filename,
    strip_control,
)


@pytest.mark.parametrize("text, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("ok = 1", "ok = 1"), ("", ""),
])
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_md_cell_escapes_and_one_line():
    assert md_cell("a|b\n<script>*x*_y_ [l](u) #h") == "a\\|b \\<script\\>\\*x\\*\\_y\\_ \\[l\\](u) \\#h"


def test_strip_control_keeps_tab_and_newlines():
    assert strip_control("a\x00b\x1bc\td\ne") == "abc\td\ne"


@pytest.mark.parametrize("text, expected", [
    ("Caffè dell'Arte S.r.l.", "caffe-dell-arte-s-r-l"), ("../../etc/passwd", "etc-passwd"), ("???", "file"), ("CON", "con"),
])
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_pseudonym_stable_and_prefixed():
    assert pseudonym("abc") == "R-ba7816bf8f"
    assert pseudonym("abc", "", 6) == "ba7816"


@given(st.text(max_size=40))
def test_md_cell_is_one_line_without_bare_pipes(text):
    cell = md_cell(text)
    assert len(cell.splitlines()) <= 1
    assert "|" not in cell.replace("\\|", "")
