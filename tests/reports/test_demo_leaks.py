"""The six leaks found in the committed demo (issue 12) cannot come back: checked on the rendered reports
(``reports/demo``, kept current by ``tests/test_demo.py``), independently of how they were produced."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from crassess.reports.fibre import RANKED
from tests.conftest import ROOT
from tests.reports.audit import pinned_in_line

DEMO = ROOT / "reports" / "demo"
SECTOR_FILES = ("settore-comuni.md", "settore-associazioni.md", "settore-imprese.md")
MARKS = ("n<5", "riservato")


def _text(name: str) -> str:
    return (DEMO / name).read_text(encoding="utf-8")


def _tables(text: str) -> list[tuple[str, list[str], list[list[str]], str]]:
    """Every pipe table: (the heading above it, header, rows, the paragraph below it)."""
    out, lines = [], text.splitlines()
    heading, i = "", 0
    while i < len(lines):
        if lines[i].startswith("#"):
            heading = lines[i].lstrip("# ")
        if lines[i].startswith("|") and i + 1 < len(lines) and set(lines[i + 1]) <= set("|:- "):
            header = [c.strip() for c in lines[i].strip("|").split("|")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append([c.strip() for c in re.split(r"(?<!\\)\|", lines[i].strip().strip("|"))])
                i += 1
            note = lines[i + 1] if i + 1 < len(lines) else ""
            out.append((heading, header, rows, note))
        i += 1
    return out


def _value(cell: str, total: int) -> int | str:
    """A printed count, mark, or share (converted to its count, as a reader would)."""
    if cell in MARKS:
        return cell
    if cell.endswith("%"):
        return round(float(cell[:-1].replace(",", ".")) * total / 100)
    return 0 if cell == "–" else int(cell)


def _sector_n(text: str) -> int:
    return int(re.search(r"- Rispondenti: \*\*(\d+)\*\*", text).group(1))  # type: ignore[union-attr]


def _partitions(name: str) -> list[tuple[str, list[int | str], int]]:
    """The one-way tables of a sector report whose rows add up to the sector's respondents."""
    text = _text(name)
    n = _sector_n(text)
    found = []
    for heading, header, rows, note in _tables(text):
        whole = heading.startswith(("Per classe", "Per sottosettore", "Per comune", "Livelli"))
        single = "una sola risposta ciascuno" in note
        if (whole or single) and header[1:] == ["Rispondenti", "Quota"]:
            found.append((heading, [_value(r[1] if r[1] in MARKS or not r[1].isdigit() else r[1], n) for r in rows], n))
        if heading == "Connettività" and header[0] == "Settore":
            (row,) = rows
            found.append((heading, [_value(c, n) for c in row[2:]], n))
    return found


@pytest.mark.parametrize("name", SECTOR_FILES)
def test_no_withheld_cell_of_a_table_follows_from_the_rest(name: str) -> None:
    # leaks 1 and 2: one withheld cell beside the total; two withheld cells of a known sum of 2 (or 8)
    tables = _partitions(name)
    assert len(tables) >= 3
    for heading, values, n in tables:
        assert pinned_in_line(values, n, 5) == [], (name, heading, values)
        assert pinned_in_line(values, n, 5, "marks") == [], (name, heading, values)


def test_a_single_choice_table_says_so() -> None:
    # leak 1: the FTTH coverage table of the comuni is single choice, captioned as such
    text = _text("settore-comuni.md")
    (ftth,) = [t for t in _tables(text) if "FTTH" in t[0]]
    assert "una sola risposta ciascuno" in ftth[3] and "più risposte possibili" not in ftth[3]
    assert ftth[2][-1][0].startswith("*Nessuna risposta")
    barriers = [t for t in _tables(text) if t[0] == "Ostacoli"][0]
    assert "più risposte possibili" in barriers[3]


def test_a_count_is_withheld_in_every_table_that_shows_it() -> None:
    # leak 3: Crema's "fibre adopted" withheld in the connectivity table but shown in the indicators table
    text = _text("territorio.md")
    by_comune = {r[0]: r for h, head, rows, _ in _tables(text) if h.startswith("Per comune") and head[0] == "Comune" for r in rows}
    ranking = {r[1]: r for h, head, rows, _ in _tables(text) if h.startswith("Copertura in fibra per comune") for r in rows}
    sheet = load_workbook(DEMO / "dati.xlsx")["Indicatori"]
    header = [c.value for c in sheet[1]]
    workbook = {r[2]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {"Crema", "Cremona"} <= set(by_comune) and len(ranking) == RANKED
    for comune, row in by_comune.items():
        respondents, adopted = row[2], row[-2]  # Comune, Copertura, Rispondenti, ..., Fibra attiva, Nessuna risposta
        book = workbook[comune]
        flags = book["Cifre omesse"] or ""
        if respondents in MARKS:
            assert book["Rispondenti"] is None and f"Rispondenti: {respondents}" in flags
        else:
            assert book["Rispondenti"] == int(respondents)
        if adopted in MARKS:
            assert book["Fibra attiva (%)"] is None and f"Fibra attiva (%): {adopted}" in flags  # the same mark, never the share
        else:
            assert f"{book['Fibra attiva (%)']:.1f}".replace(".", ",") + "%" == adopted
    for comune, row in ranking.items():  # the ranking shows the same cells as the workbook
        book = workbook[comune]
        assert row[3] in MARKS or int(row[3]) == book["Rispondenti"]


def test_the_comuni_never_show_through_the_coverage_table() -> None:
    # leak 4: totals that included the comune itself gave away which comuni answered
    text = _text("territorio.md")
    assert "Copertura della rilevazione" not in text and "il totale comprende il Comune" not in text
    sheet = load_workbook(DEMO / "dati.xlsx")["Copertura"]
    assert [c.value for c in sheet[1]] == ["Codice ISTAT", "Comune", "Associazioni", "Imprese", "Totale", "Cifre omesse"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len([r for r in rows if r[0]]) == 113
    for row in rows:
        cells = row[2:5]
        if None not in cells:
            assert cells[0] + cells[1] == cells[2], row
    comuni = _text("settore-comuni.md")
    assert "Per classe dimensionale" not in comuni and "Per comune" not in comuni and "Per classe di abitanti" not in comuni


def test_both_marks_are_explained_in_every_report() -> None:
    # leak 5: cells withheld only to protect others were labelled "n<5"
    for name in (*SECTOR_FILES, "territorio.md"):
        text = _text(name)
        assert "`n<5`: cifra su meno di 5 rispondenti, omessa. `riservato`: cifra omessa solo perché" in text
    assert "riservato" in _text("territorio.md").split("## Metodo")[0]


def test_no_single_respondent_score_is_published() -> None:
    # leak 6: min and max are single respondents' scores; P10 and P90 only from 10 respondents
    for name in SECTOR_FILES:
        text = _text(name)
        (dims,) = [t for t in _tables(text) if t[0] == "Dimensioni"]
        assert dims[1] == ["Dimensione", "Rispondenti", "Media", "IC 95%", "Obiettivo", "Divario"]
        assert "| Min |" not in text and "| Max |" not in text
    sheet = load_workbook(DEMO / "dati.xlsx")["Dimensioni"]
    header = [c.value for c in sheet[1]]
    assert "Min" not in header and "P10" in header and header[-1] == "Cifre omesse"


def test_workbook_numbers_stay_numbers() -> None:
    wb = load_workbook(DEMO / "dati.xlsx")
    for sheet in ("Dimensioni", "Domande", "Ostacoli ed esigenze", "Copertura", "Azioni", "Indicatori"):
        values = [c.value for row in wb[sheet].iter_rows(min_row=2) for c in row]
        assert not any(v in MARKS for v in values), sheet  # a mark only in the flag column, as "column: mark"
    flags = [r[-1] for r in wb["Copertura"].iter_rows(min_row=2, values_only=True) if r[-1]]
    assert flags and all(re.fullmatch(r"(\w+: (n<5|riservato))(; \w+: (n<5|riservato))*", f) for f in flags)
