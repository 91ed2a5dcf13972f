"""Markdown helpers shared by the reports: respondent text neutralised, pipe tables."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crassess.reports.markdown import (
    md_text,
    table,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("a | b", r"a \| b"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("R&D", "R&amp;D"),
    ("# titolo", r"\# titolo"),
    ("- voce", r"\- voce"),
    ("1. primo", r"1\. primo".replace(r"1\.", "\\1.")),
    ("**forte** _x_ `code` [link](http://x)", r"\*\*forte\*\* \_x\_ \`code\` \[link\](http://x)"),
    ("riga\nnuova\r\n  fine  ", "riga nuova fine"),
    ("versione 1.0.0", "versione 1.0.0"),
    ("a\x00b\x07c", "abc"),
])
def test_md_text_neutralises(raw: str, expected: str) -> None:
    assert md_text(raw) == expected


@given(st.text())
def test_md_text_is_always_inert(raw: str) -> None:
    out = md_text(raw)
    assert "<" not in out and ">" not in out and "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)[|*_`\[\]]", out) is None  # every special character escaped
    row = table(["a", "b"], [[out, "x"]]).splitlines()[2]
    assert len(re.findall(r"(?<!\\)\|", row)) == 3  # the cell never adds a column


