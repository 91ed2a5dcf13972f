"""The fillable workbook: sheets, layout contract, drop-downs, protection, metadata, print set-up."""

from __future__ import annotations

import io

import openpyxl
import pytest

from crassess.questionnaire.models import Respondent
from crassess.spreadsheets.layout import checksum, norm, question_rows, safe_stem
from crassess.spreadsheets.template import build_template
from tests.spreadsheet_fixtures import RID, template_bytes


@pytest.fixture(scope="module")
def wb(esempio):
    return openpyxl.load_workbook(io.BytesIO(template_bytes(esempio)))


def _list_values(wb, formula: str) -> list[str]:
    ref = wb.defined_names[formula].attr_text
    sheet, cells = ref.split("!")
    ws = wb[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]


def test_sheets_and_states(wb):
    assert wb.sheetnames == ["Istruzioni", "Profilo", "Domande", "_liste", "_meta"]
    assert [wb[n].sheet_state for n in wb.sheetnames] == ["visible", "visible", "visible", "hidden", "veryHidden"]
    assert wb.security.lockStructure


def test_questions_layout(wb, esempio):
    ws = wb["Domande"]
    assert [c.value for c in ws[1]] == ["ID", "Dimensione", "Domanda", "Risposta", "Note", "Aiuto"]
    ids = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert ids == [
        "fibra_disponibile", "fibra_sede", "velocita", "wifi", "strumenti", "strumenti.cloud", "strumenti.erp",
        "strumenti.crm", "strumenti.nessuno", "fatturazione", "addetti_formati", "ore_perse", "formazione",
        "ostacoli", "ostacoli.costi", "ostacoli.competenze", "ostacoli.altro", "note_finali",
    ]
    assert ids == [row.id for row in question_rows(esempio)]
    assert ws["C7"].value == "    – Servizi cloud"
    assert ws["B3"].value == "Connettività"
    assert ws["F4"].value == "Si legge nel contratto o con uno speed test.\nUn numero intero (Un valore tra 0 e 10000 Mbit/s), oppure Non so"
    assert ws.freeze_panes == "A2"


def test_drop_downs_reference_hidden_lists(wb):
    ws = wb["Domande"]
    by_cell = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert _list_values(wb, by_cell["D3"].formula1) == ["Sì", "In parte", "No"]
    assert _list_values(wb, by_cell["D2"].formula1) == ["Sì", "No", "Non so"]
    assert _list_values(wb, by_cell["D5"].formula1) == ["Sì", "In parte", "No", "Non applicabile"]
    assert _list_values(wb, by_cell["D7"].formula1) == ["Sì", "No"]
    assert _list_values(wb, by_cell["D4"].formula1) == ["Non so"]
    assert by_cell["D3"].showErrorMessage and not by_cell["D4"].showErrorMessage
    assert by_cell["D4"].prompt == "un numero intero (Un valore tra 0 e 10000 Mbit/s), oppure Non so\nSi legge nel contratto o con uno speed test."
    assert by_cell["D19"].type is None and by_cell["D19"].prompt == "un testo"
    assert "D6" not in by_cell  # head row of a select_multiple without Non so/Non applicabile: no answer
    profile = {str(dv.sqref): dv for dv in wb["Profilo"].data_validations.dataValidation}
    comuni = _list_values(wb, profile["C3"].formula1)
    assert len(comuni) == 114 and "Cremona" in comuni and comuni[-1] == "Fuori territorio"  # 113 comuni, then outside
    assert not profile["C3"].showErrorMessage and "«Fuori territorio»" in profile["C3"].prompt


def test_long_lists_are_never_inline(esempio):
    wb = build_template(esempio, "it", RID)
    for dv in wb["Domande"].data_validations.dataValidation:
        assert dv.formula1 is None or dv.formula1.startswith("crassess_list_")


def test_only_answer_and_profile_cells_unlocked(wb):
    ws = wb["Domande"]
    assert ws.protection.sheet and ws.protection.password is None
    unlocked = {c.coordinate for row in ws.iter_rows() for c in row if not c.protection.locked}
    expected = {f"D{r}" for r in range(2, 20) if r != 6 and r != 15} | {f"E{r}" for r in range(2, 20)}
    assert unlocked == expected
    profile = wb["Profilo"]
    assert {c.coordinate for row in profile.iter_rows() for c in row if not c.protection.locked} == {f"C{r}" for r in range(2, 8)}


def test_metadata_and_checksum(wb, esempio):
    meta = {row[0].value: row[1].value for row in wb["_meta"].iter_rows()}
    assert meta == {
        "format": "crassess-workbook/1", "questionnaire": "esempio", "version": "1.0.0",
        "content_hash": esempio.content_hash, "response_id": RID, "lang": "it", "checksum": meta["checksum"],
    }
    rows = [r.id for r in question_rows(esempio)]
    assert meta["checksum"] == checksum(meta, rows, ["name", "comune", "size", "subsector", "contact", "date"])
    assert meta["checksum"] != checksum({**meta, "response_id": "x"}, rows, ["name", "comune", "size", "subsector", "contact", "date"])


def test_prefilled_profile_and_formula_injection(esempio):
    person = Respondent(name="=HYPERLINK(\"http://x\")", comune="019036", size=12, contact="a@b.it\x07")
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(esempio, respondent=person)))
    ws = wb["Profilo"]
    assert [ws.cell(r, 3).value for r in range(2, 8)] == ['=HYPERLINK("http://x")', "Cremona", 12, None, "a@b.it", None]
    assert ws["C2"].data_type == "s"
    assert [ws.cell(r, 2).value for r in range(2, 8)] == [
        "Nome dell'organizzazione", "Comune (nome o codice ISTAT)", "Numero di addetti",
        "Settore di attività (sezione ATECO)", "Referente e contatto (facoltativo)", "Data di compilazione",
    ]


def test_print_setup(wb):
    ws = wb["Domande"]
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$1"
    assert ws.column_dimensions["C"].width == 60 and ws["C2"].alignment.wrap_text


def test_english_template(esempio):
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(esempio, lang="en")))
    assert wb.sheetnames == ["Instructions", "Profile", "Questions", "_lists", "_meta"]
    assert [c.value for c in wb["Questions"][1]] == ["ID", "Dimension", "Question", "Answer", "Notes", "Help"]
    assert wb["Questions"]["C2"].value == "Is fibre available at the premises' address?"
    assert wb["Instructions"]["A6"].value.startswith("2. On the «Questions» sheet answer in the «Answer» column")


def test_instructions(wb):
    ws = wb["Istruzioni"]
    assert ws["A1"].value == "Questionario di esempio"
    assert ws["A2"].value == "Questionario esempio, versione 1.0.0"
    assert ws["A13"].value == f"Codice della risposta: {RID}"


@pytest.mark.parametrize(("text", "stem"), [
    ("Rossi Meccanica S.r.l.", "rossi-meccanica-s-r-l"), ("Caffè «Verdi»", "caffe-verdi"),
    ("../../etc/passwd", "etc-passwd"), ("", "rispondente"), ("CON", "con-1"), ("日本", "rispondente"),
])
def test_safe_stem(text, stem):
    assert safe_stem(text) == stem


def test_norm():
    assert norm("  Non\u00a0c’è  ") == "non c'è"
    assert norm(3.0) == "3"


def test_excel_text_limits_on_real_questionnaires():
    from crassess.questionnaire.load import load_questionnaire, shipped_files

    for path in shipped_files():
        for lang in ("it", "en"):
            wb = build_template(load_questionnaire(path), lang, RID)
            for ws in wb.worksheets:
                assert len(ws.title) <= 31
                for dv in ws.data_validations.dataValidation:
                    assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 225
                    assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32
