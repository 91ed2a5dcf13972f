"""Tables as workbooks: text stays text, titles are valid, bytes are deterministic."""

from __future__ import annotations

import io

import openpyxl

from crassess.sheets import (
    SheetTable,
    build_workbook,
    sheet_title,
    workbook_bytes,
)


def test_text_never_becomes_a_formula_and_numbers_stay_numbers():
    data = workbook_bytes(build_workbook([SheetTable("Dati", ["a", "b"], [["=1+1", 2.5], ["ok\x00", None]])]))
    ws = openpyxl.load_workbook(io.BytesIO(data))["Dati"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [["a", "b"], ["=1+1", 2.5], ["ok", None]]
    assert ws["A2"].data_type == "s"
    assert ws["B2"].data_type == "n"
    assert ws.freeze_panes == "A2"


def test_same_content_same_bytes():
    def make():
        return workbook_bytes(build_workbook([SheetTable("x", ["a"], [[1]])]))

    assert make() == make()


def test_sheet_titles_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("a/b:c", taken) == "a_b_c"
    assert sheet_title("A/B:C", taken) == "A_B_C (2)"
    assert len(sheet_title("x" * 40, taken)) == 31
