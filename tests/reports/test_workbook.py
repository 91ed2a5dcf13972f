"""The campaign workbook, saved and read back with openpyxl."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, RadarChart

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import analyse
from crassess.reports.workbook import add_table_sheet, build_workbook, put
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response


def _roundtrip(wb: Workbook) -> Workbook:
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return load_workbook(buf)


def _workbook(tmp_path: Path, responses: dict, lang: str = "it") -> Workbook:
    campaign = load_campaign(make_campaign(tmp_path, responses, name="Prova"))
    ta = analyse(list(campaign.responses), load_territory(), name=campaign.name)
    return _roundtrip(build_workbook(ta, lang))


def test_sheets_charts_and_values(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, FIVE)
    assert wb.sheetnames == ["Sintesi", "Rispondenti", "Dimensioni", "Domande", "Azioni", "Ostacoli ed esigenze", "Copertura",
                             "Differenze",
                             "Programma"]
    summary = wb["Sintesi"]
    assert sorted(type(c).__name__ for c in summary._charts) == ["BarChart", "RadarChart"]
    assert summary["A1"].value == "Stato digitale del territorio: Prova"
    header = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Dimensione")
    assert [summary.cell(header, c).value for c in range(1, 5)] == ["Dimensione", "Comuni", "Associazioni", "Imprese"]
    rows = {summary.cell(r, 1).value: summary.cell(r, 4).value for r in range(header + 1, header + 4)}
    assert rows == {"Connettività": pytest.approx(73.0), "Strumenti digitali": pytest.approx(83.3333, abs=1e-4),
                    "Competenze": pytest.approx(51.6667, abs=1e-4)}

    chart_rows = [[summary.cell(r, c).value for c in range(30, 34)] for r in range(header, header + 4)]
    assert chart_rows[0] == ["Dimensione", "Comuni", "Associazioni", "Imprese"]
    assert chart_rows[3][0] == "Competenze" and chart_rows[3][1:3] == [None, None]
    assert summary.column_dimensions["AD"].hidden
    assert all(not c.visible_cells_only for c in summary._charts)

    dims = wb["Dimensioni"]
    assert dims.freeze_panes == "A2" and dims.auto_filter.ref.startswith("A1:L")  # K: target, L: withheld figures
    assert [dims.cell(1, c).value for c in (9, 10, 12)] == ["P10", "P90", "Cifre omesse"]
    assert dims["A1"].font.bold
    comp = next(r for r in dims.iter_rows(min_row=2, values_only=True) if r[1] == "Competenze")
    assert comp[:3] == ("Imprese", "Competenze", 5)
    assert comp[3] == pytest.approx(51.6667, abs=1e-4)
    assert dims.cell(next(i for i, r in enumerate(dims.iter_rows(values_only=True), 1) if r[1] == "Competenze"), 4).number_format == "0.0"

    resp = wb["Rispondenti"]
    values = [c.value for row in resp.iter_rows() for c in row]
    assert not any(isinstance(v, str) and ("srl" in v or "@example" in v) for v in values)  # no names, no contacts
    assert resp.max_row == 6


def test_withheld_cells_are_empty_with_their_mark_beside(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, {k: FIVE[k] for k in ("a.json", "b.json")})
    summary = wb["Sintesi"]
    header = next(r for r in range(1, 20) if summary.cell(r, 1).value == "Dimensione")
    assert summary.cell(header, 5).value == "Cifre omesse"
    cells = {summary.cell(r, 1).value: [summary.cell(r, c).value for c in (4, 5, 33)] for r in range(header + 1, header + 4)}
    assert cells["Competenze"] == [None, "Imprese: n<5", None]  # empty (sums and sorting work), the mark beside
    assert not any(r[0] == "Imprese" for r in wb["Dimensioni"].iter_rows(min_row=2, values_only=True))  # too few
    wb = _workbook(tmp_path / "five", FIVE)
    levels = {r[3]: r for r in wb["Ostacoli ed esigenze"].iter_rows(min_row=2, values_only=True)}
    assert levels["Costi"][4:] == (5, 100.0, None)
    coverage = {r[1]: r for r in wb["Copertura"].iter_rows(min_row=2, values_only=True)}
    assert coverage["Cremona"][2:] == (None, None, None, "Imprese: n<5; Totale: n<5")
    assert coverage["Pandino"][2:] == (0, 0, 0, None)


@pytest.mark.parametrize("text", ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "=1+1"])
def test_formula_like_text_stays_text(text: str, tmp_path: Path) -> None:
    wb = Workbook()
    cell = put(wb.active, 1, 1, text)
    assert cell.data_type == "s"
    back = _roundtrip(wb).active["A1"]
    assert (back.value, back.data_type) == (text, "s")
    assert back.quotePrefix


def test_respondent_text_in_the_workbook_is_not_a_formula(tmp_path: Path) -> None:
    responses = dict(FIVE, **{"f.json": response({}, name="F", comune="Cremona", subsector="=HYPERLINK(\"http://x\")")})
    wb = _workbook(tmp_path, responses)
    cells = [c for row in wb["Rispondenti"].iter_rows() for c in row if c.value == '=HYPERLINK("http://x")']
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_english_sheet_names(tmp_path: Path) -> None:
    wb = _workbook(tmp_path, FIVE, lang="en")
    assert wb.sheetnames == ["Summary", "Respondents", "Dimensions", "Questions", "Actions", "Barriers and needs", "Coverage",
                             "Differences",
                             "Programme"]
    assert isinstance(wb["Summary"]._charts[0], (BarChart, RadarChart))


def test_control_characters_are_dropped_not_fatal() -> None:
    wb = Workbook()
    put(wb.active, 1, 1, "bell\x07 and\x00 null")
    assert _roundtrip(wb).active["A1"].value == "bell and null"


def test_every_sheet_prints_on_a4_landscape_with_headers_and_page_numbers(tmp_path: Path) -> None:
    campaign = load_campaign(make_campaign(tmp_path, FIVE, name="Rilevazione A&B 2026"))
    ta = analyse(list(campaign.responses), load_territory(), name=campaign.name)
    wb = _roundtrip(build_workbook(ta, "en"))
    for ws in wb.worksheets:
        assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9), ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage) == (1, 0, True)
        assert ws.oddHeader.center.text == "Rilevazione A&&B 2026"  # a literal & is doubled in a header
        assert ws.oddFooter.center.text == "Page &P of &N"
        header = int(ws.print_title_rows.split(":")[0].strip("$"))
        assert ws.cell(header, 1).font.bold and ws.freeze_panes == f"A{header + 1}"  # the table's own header row
    assert wb["Summary"].print_title_rows != "$1:$1"  # below the title and notes
    assert wb.properties.title == "Rilevazione A&B 2026"


def test_long_text_wraps_in_a_taller_row(tmp_path: Path) -> None:
    wb = Workbook()
    wb.properties.title, wb.properties.language = "Prova", "it"
    add_table_sheet(wb, "Testi", ["Id", "Testo"], [["a", "parola " * 20], ["b", "breve"]])  # 140 characters
    ws = _roundtrip(wb)["Testi"]
    assert ws.column_dimensions["B"].width == 60
    assert ws["B2"].alignment.wrap_text and ws["B2"].alignment.vertical == "top"
    assert ws.row_dimensions[2].height == 45  # 140 characters in 58 a line: 3 lines of 15 points
    assert not ws["B3"].alignment.wrap_text and ws.row_dimensions[3].height is None
    assert (ws.print_title_rows, ws.oddHeader.center.text, ws.oddFooter.center.text) == ("$1:$1", "Prova", "Pagina &P di &N")
