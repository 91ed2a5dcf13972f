"""Cells read as answers: numbers the Italian and the English way, percentages, the file's decimal mark."""

from __future__ import annotations

import pytest

from crassess.spreadsheets.validate import Questionnaires, read_returned
from tests.spreadsheet_fixtures import RID, fill


def read(path, *qns):
    return read_returned(path, Questionnaires(list(qns)))


def located(result) -> list[tuple[str, str, str]]:
    return [(f"{p.sheet}!{p.cell}", p.question, p.message) for p in result.problems]


@pytest.mark.parametrize(("cells", "answers"), [
    ({"velocita": "1.000"}, {"velocita": 1000}),                           # was read as 1
    ({"velocita": "2.500"}, {"velocita": 2500}),                           # was refused
    ({"velocita": "1,200"}, {"velocita": 1200}),
    ({"addetti_formati": "50%"}, {"addetti_formati": 50}),                 # unit %: 50, not 0.5
    ({"addetti_formati": "12,5"}, {"addetti_formati": 12.5}),
    ({"addetti_formati": 12.5}, {"addetti_formati": 12.5}),
    ({"addetti_formati": "2.500", "ore_perse": "1,5"}, None),              # "1,5" is not a whole number: refused below
])
def test_numbers_in_a_workbook(tmp_path, esempio, cells, answers):
    result = read(fill(tmp_path / "r.xlsx", esempio, cells), esempio)
    if answers is None:
        assert result.response is None
    else:
        assert result.problems == ()
        assert result.response["answers"] == answers


def test_ambiguous_and_misplaced_numbers_name_the_cell_and_the_question(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"velocita": "100%", "addetti_formati": "2,500"}), esempio)
    assert located(result) == [
        ("Domande!D4", "velocita", "'100%' è una percentuale, ma qui si chiede un numero senza %"),
        ("Domande!D12", "addetti_formati",
         "'2,500' è ambiguo: può essere 2500 (separatore delle migliaia) o 2,5 (decimale); scrivere 2500 oppure 2,5"),
    ]


CSV_HEAD = f"ID;Risposta\n#questionnaire;esempio\n#version;1.0.0\n#response_id;{RID}\n#name;Caffè Verdi\n#comune;Crema\n"


@pytest.mark.parametrize(("rows", "answers"), [
    # "12,5" shows that this file writes decimals with a comma: "2.500" is then 2500 thousands-separated
    ("addetti_formati;12,5\nvelocita;2.500\n", {"velocita": 2500, "addetti_formati": 12.5}),
    ("addetti_formati;0,5\nvelocita;1.000\n", {"velocita": 1000, "addetti_formati": 0.5}),
    ("addetti_formati;34,5%\nvelocita;1.234\n", {"velocita": 1234, "addetti_formati": 34.5}),
])
def test_numbers_in_a_csv_use_the_files_decimal_mark(tmp_path, esempio, rows, answers):
    path = tmp_path / "r.csv"
    path.write_text(CSV_HEAD + rows, encoding="utf-8")
    result = read(path, esempio)
    assert result.problems == ()
    assert result.response["answers"] == answers


def test_a_file_with_both_marks_leaves_three_decimals_ambiguous(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_text(CSV_HEAD + "addetti_formati;2,500\nvelocita;12.5\nore_perse;3,5\n", encoding="utf-8")
    assert located(read(path, esempio)) == [
        ("CSV!B7", "addetti_formati",
         "'2,500' è ambiguo: può essere 2500 (separatore delle migliaia) o 2,5 (decimale); scrivere 2500 oppure 2,5"),
        ("CSV!B8", "velocita", "atteso un numero intero, trovato '12.5'"),
        ("CSV!B9", "ore_perse", "atteso un numero intero, trovato '3,5'"),
    ]


@pytest.mark.parametrize(("size", "expected"), [("1.200", 1200), ("12", 12), (12.0, 12), ("1 200", 1200)])
def test_profile_size(tmp_path, esempio, size, expected):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, profile={"size": size}), esempio)
    assert result.response["respondent"]["size"] == expected


@pytest.mark.parametrize("size", ["12,5", "-3", "dodici"])
def test_profile_size_refused(tmp_path, esempio, size):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, profile={"size": size}), esempio)
    assert [p.message for p in result.problems] == [f"atteso un numero intero non negativo, trovato '{size}'"]
