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
    terminal_json,
    terminal_text,
)


@pytest.mark.parametrize("text, expected", [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("ok = 1", "ok = 1"), ("", ""),
])
def test_neutralise_formula(text, expected):
    assert neutralise_formula(text) == expected


def test_md_cell_escapes_and_one_line():
    assert md_cell("a|b\n<script>*x*_y_ [l](u) #h") == "a\\|b &lt;script&gt;\\*x\\*\\_y\\_ \\[l\\](u) #h"
    assert md_cell("# titolo") == "\\# titolo"
    assert md_cell("- voce") == "\\- voce"


def test_strip_control_keeps_tab_and_newlines():
    assert strip_control("a\x00b\x1bc\td\ne") == "abc\td\ne"
    assert strip_control("x\x9b2Jy\u202ez\u2066w\x7f") == "x2Jyzw"  # C1 (one-byte CSI), bidi overrides, DEL


@pytest.mark.parametrize(("text", "shown"), [
    ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),                                 # clear the screen
    ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),               # OSC 52: write the clipboard
    ("ok\rFALSO", "ok\\x0dFALSO"), ("\x9b31m", "\\x9b31m"), ("abc\u202edcba", "abc\\u202edcba"),
    ("[/] [bold]x", "[/] [bold]x"), ("Caffè\tL'Arte\nsrl", "Caffè\tL'Arte\nsrl"), (12, "12"),
])
def test_terminal_text_shows_control_characters_as_escapes(text, shown):
    assert terminal_text(text) == shown


def test_terminal_json_is_the_same_data():
    import json

    data = {"name": "a\x1bb\x9bc\u202ed\x7fè"}
    text = terminal_json(json.dumps(data, ensure_ascii=False))
    assert text == '{"name": "a\\u001bb\\u009bc\\u202ed\\u007fè"}'
    assert json.loads(text) == data


@given(st.text(max_size=60))
def test_terminal_text_never_lets_a_control_character_through(text):
    shown = terminal_text(text)
    assert not any(ord(ch) < 32 and ch not in "\t\n" or 0x7f <= ord(ch) <= 0x9f for ch in shown)


@pytest.mark.parametrize("text, expected", [
    ("Caffè dell'Arte S.r.l.", "caffe-dell-arte-s-r-l"), ("../../etc/passwd", "etc-passwd"), ("???", "file"), ("CON", "con-1"),
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


def test_terminal_text_on_one_line():
    assert terminal_text(" a\n\tb  c\x1b ", one_line=True) == "a b c\\x1b"
