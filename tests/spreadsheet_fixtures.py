"""Helpers for the spreadsheet tests: real templates written by crassess, filled with openpyxl."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl

from crassess.i18n import pick, t
from crassess.questionnaire.models import Questionnaire, Respondent
from crassess.spreadsheets.template import build_template

RID = "11111111-2222-4333-8444-555555555555"
ROSSI = Respondent(name="Rossi Meccanica srl", comune="019036", size=12)


_TEMPLATES: dict[tuple[Any, ...], tuple[Questionnaire, bytes]] = {}


def template_bytes(qn: Questionnaire, lang: str = "it", rid: str = RID, respondent: Respondent | None = ROSSI) -> bytes:
    """A real template written by crassess (built once per questionnaire, language, id and respondent)."""
    key = (id(qn), lang, rid, respondent.model_dump_json() if respondent else None)
    if key not in _TEMPLATES or _TEMPLATES[key][0] is not qn:
        buffer = io.BytesIO()
        build_template(qn, lang, rid, respondent).save(buffer)
        _TEMPLATES[key] = (qn, buffer.getvalue())
    return _TEMPLATES[key][1]


def json_to_cells(qn: Questionnaire, answers: dict[str, Any], lang: str = "it") -> dict[str, Any]:
    """Response-format answers as the cells a respondent would fill (labels, Sì/No rows)."""
    cells: dict[str, Any] = {}
    for qid, value in answers.items():
        q = qn.question(qid)
        if value in ("na", "dk"):
            cells[qid] = t(f"special.{value}", lang)
        elif q.type == "select_one":
            cells[qid] = next(pick(c.label, lang) for c in qn.choices_of(q) if c.value == value)
        elif q.type == "select_multiple":
            for c in qn.choices_of(q):
                cells[f"{qid}.{c.value}"] = t("yes" if c.value in value else "no", lang)
        else:
            cells[qid] = value
    return cells


def fill(
    path: Path,
    qn: Questionnaire,
    cells: dict[str, Any],
    profile: dict[str, Any] | None = None,
    lang: str = "it",
    rid: str = RID,
    respondent: Respondent | None = ROSSI,
    notes: dict[str, str] | None = None,
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """Write a crassess template to ``path`` filled with ``cells`` (row ID -> answer), as a respondent would."""
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes(qn, lang, rid, respondent)))
    questions = wb["Domande" if lang == "it" else "Questions"]
    for r in range(2, questions.max_row + 1):
        rid_cell = questions.cell(r, 1).value
        if rid_cell in cells:
            questions.cell(r, 4).value = cells[rid_cell]
        if notes and rid_cell in notes:
            questions.cell(r, 5).value = notes[rid_cell]
    sheet = wb["Profilo" if lang == "it" else "Profile"]
    for r in range(2, sheet.max_row + 1):
        if profile and sheet.cell(r, 1).value in profile:
            sheet.cell(r, 3).value = profile[sheet.cell(r, 1).value]
    if edit:
        edit(wb)
    wb.save(path)
    return path


def answer_cell(wb: Any, row_id: str, sheet: str = "Domande") -> str:
    ws = wb[sheet]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == row_id:
            return f"D{r}"
    raise KeyError(row_id)


def ods_from_xlsx(path: Path, out: Path, formulas: dict[tuple[str, int, int], str] | None = None,
                  spans: dict[tuple[str, int, int], tuple[int, int]] | None = None) -> Path:
    """An OpenDocument spreadsheet with the cells of the workbook at ``path`` (written by hand, no LibreOffice).

    ``formulas`` maps (sheet, row, col) (0-based) to a formula written without a cached value;
    ``spans`` maps (sheet, row, col) to (rows, columns) spanned, as LibreOffice writes merged cells.
    """
    import zipfile
    from xml.sax.saxutils import escape, quoteattr

    from python_calamine import CalamineWorkbook

    formulas, spans = formulas or {}, spans or {}
    book = CalamineWorkbook.from_path(str(path))
    tables = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        xml_rows = []
        for r, row in enumerate(rows):
            cells = []
            for c, value in enumerate(row):
                attrs = ""
                if (name, r, c) in spans:
                    nr, nc = spans[(name, r, c)]
                    attrs += f' table:number-rows-spanned="{nr}" table:number-columns-spanned="{nc}"'
                if (name, r, c) in formulas:
                    cells.append(f"<table:table-cell table:formula={quoteattr(formulas[(name, r, c)])}{attrs}/>")
                elif isinstance(value, float):
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{value!r}"{attrs}><text:p>{value}</text:p></table:table-cell>')
                elif value == "":
                    cells.append(f"<table:table-cell{attrs}/>")
                else:
                    cells.append(f'<table:table-cell office:value-type="string"{attrs}><text:p>{escape(str(value))}</text:p></table:table-cell>')
            xml_rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        tables.append(f"<table:table table:name={quoteattr(name)}>" + "".join(xml_rows) + "</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return out
