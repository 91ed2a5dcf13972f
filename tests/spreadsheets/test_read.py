"""Low-level reading: A1 references, CSV records and lines, encodings, formulas in worksheet XML."""

from __future__ import annotations

import pytest

from crassess.spreadsheets.read import (
    Rejected,
    _xlsx_uncached_formulas,
    a1,
    decode_text,
    parse_ref,
    read_csv,
)


@pytest.mark.parametrize(("row", "col", "ref"), [(0, 0, "A1"), (9, 3, "D10"), (0, 25, "Z1"), (1, 26, "AA2"), (2, 701, "ZZ3"), (0, 702, "AAA1")])
def test_a1_and_back(row, col, ref):
    assert a1(row, col) == ref
    assert parse_ref(ref) == (row, col)


def test_csv_rows_follow_lines_with_multiline_fields():
    table = read_csv(b'ID;Risposta;Note\r\nwifi;S\xc3\xac;"due\r\nrighe"\r\n\r\nvelocita;3\r\n', "r.csv")
    assert table.rows[0] == ["ID", "Risposta", "Note"]
    assert table.rows[1] == ["wifi", "Sì", "due\r\nrighe"]
    assert table.rows[4] == ["velocita", "3"]
    assert table.cell(4, 1) == "3" and table.cell(4, 5) == "" and table.cell(40, 0) == ""


@pytest.mark.parametrize(("data", "text"), [
    ("Sì".encode("utf-8"), "Sì"), ("\ufeffSì".encode("utf-8"), "Sì"), ("Sì – “x”".encode("cp1252"), "Sì – “x”"),
])
def test_decode_text(data, text):
    assert decode_text(data, "f") == text


def test_comma_separated_with_semicolons_inside_quotes():
    table = read_csv(b'ID,Risposta\nnote_finali,"a;b;c"\n', "r.csv")
    assert table.rows == [["ID", "Risposta"], ["note_finali", "a;b;c"]]


def test_empty_csv_rejected():
    with pytest.raises(Rejected) as exc:
        read_csv(b"\r\n \r\n", "r.csv")
    assert exc.value.reason == "empty"


def test_uncached_formulas_with_and_without_prefix():
    xml = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
           b'<x:row r="2"><x:c r="D2"><x:f>1+1</x:f></x:c><x:c r="E2"><x:f>1+1</x:f><x:v>2</x:v></x:c>'
           b'<x:c r="F2"><x:f>A1</x:f><x:v></x:v></x:c></x:row></x:sheetData></x:worksheet>')
    assert _xlsx_uncached_formulas(xml) == ["D2", "F2"]
