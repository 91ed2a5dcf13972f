"""Fillable workbooks (openpyxl): instructions, profile, questions with drop-downs, hidden lists and metadata.

:func:`build_template` returns an openpyxl ``Workbook``; the caller saves it (atomically).
The layout is the public contract of :mod:`crassess.spreadsheets.layout`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from crassess.i18n import pick, register, t
from crassess.questionnaire.models import Questionnaire, Respondent
from crassess.sheets import print_setup
from crassess.spreadsheets.layout import (
    FORMAT,
    PROFILE_COLUMNS,
    PROFILE_FIELDS,
    QUESTION_COLUMNS,
    SHEETS,
    Row,
    checksum,
    choice_labels,
    expected,
    profile_label,
    question_rows,
    special_labels,
)
from crassess.territory.comuni import load_territory
from crassess.territory.validate import outside_label

register({
    "tpl.instructions": {
        "it": (
            "Come compilare\n"
            "1. Nel foglio «{profile}» scrivere il nome dell'organizzazione, il comune e gli altri dati nella colonna «Valore» (celle gialle).\n"
            "2. Nel foglio «{questions}» rispondere nella colonna «Risposta» (celle gialle), scegliendo dall'elenco a discesa quando c'è.\n"
            "3. Per le domande a scelta multipla indicare Sì o No su ogni voce.\n"
            "4. «Non so» e «Non applicabile» si possono usare solo dove compaiono nell'elenco.\n"
            "5. La colonna «Note» è libera. Le domande senza risposta restano vuote.\n"
            "6. Non aggiungere, togliere o rinominare righe o fogli; non unire celle; non scrivere formule.\n"
            "7. Salvare il file (formato .xlsx o .ods) e rispedirlo a chi lo ha inviato."
        ),
        "en": (
            "How to fill in\n"
            "1. On the «{profile}» sheet write the organisation's name, the comune and the other data in the «Value» column (yellow cells).\n"
            "2. On the «{questions}» sheet answer in the «Answer» column (yellow cells), choosing from the drop-down list where there is one.\n"
            "3. For multiple-choice questions answer Yes or No on each item.\n"
            "4. «Don't know» and «Not applicable» can be used only where they appear in the list.\n"
            "5. The «Notes» column is free. Leave unanswered questions empty.\n"
            "6. Do not add, remove or rename rows or sheets; do not merge cells; do not write formulas.\n"
            "7. Save the file (as .xlsx or .ods) and send it back to whoever sent it."
        ),
    },
    "tpl.version": {"it": "Questionario {id}, versione {version}", "en": "Questionnaire {id}, version {version}"},
    "tpl.response_id": {"it": "Codice della risposta: {id}", "en": "Response code: {id}"},
    "tpl.respondent_id": {"it": "Codice del rispondente: {id}", "en": "Respondent code: {id}"},
    "tpl.answer_here": {"it": "Risposta", "en": "Answer"},
    "tpl.choose": {"it": "Scegliere dall'elenco", "en": "Choose from the list"},
})

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)
_QUESTION_WIDTHS = {"id": 24, "dimension": 18, "question": 60, "answer": 24, "note": 28, "help": 48}
_PROFILE_WIDTHS = {"id": 12, "field": 36, "answer": 36, "help": 40}
_PROMPT_LIMIT = 255  # Excel "repairs" a workbook whose input message is longer
_ERROR_LIMIT = 225  # ... or whose error message is longer


def put(ws: Worksheet, ref: str, value: Any) -> Any:
    """Write ``value`` as data: text is always text (never a formula), illegal control characters dropped."""
    cell = ws[ref]
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class _Lists:
    """Drop-down lists on the hidden lists sheet, one column each, referenced by a defined name."""

    def __init__(self, wb: Workbook, ws: Worksheet):
        self.wb, self.ws = wb, ws
        self.names: dict[tuple[str, ...], str] = {}

    def name_of(self, labels: Sequence[str]) -> str:
        key = tuple(labels)
        if key not in self.names:
            col = len(self.names) + 1
            letter = get_column_letter(col)
            for i, label in enumerate(key, start=1):
                put(self.ws, f"{letter}{i}", label)
            name = f"crassess_list_{col}"
            ref = f"{quote_sheetname(self.ws.title)}!${letter}$1:${letter}${len(key)}"
            self.wb.defined_names[name] = DefinedName(name, attr_text=ref)
            self.names[key] = name
        return self.names[key]


def _validation(ws: Worksheet, ref: str, list_name: str | None, strict: bool, title: str, prompt: str) -> None:
    dv = DataValidation(
        type="list" if list_name else None,
        formula1=list_name,
        allow_blank=True,
        showErrorMessage=strict,
        showInputMessage=True,
        promptTitle=title[:32],
        prompt=prompt[:_PROMPT_LIMIT],
    )
    if strict:
        dv.errorTitle = title[:32]
        dv.error = prompt[:_ERROR_LIMIT]
    ws.add_data_validation(dv)
    dv.add(ref)


def _header(ws: Worksheet, columns: dict[str, dict[str, str]], widths: dict[str, int], lang: str) -> None:
    for col, (key, heads) in enumerate(columns.items(), start=1):
        letter = get_column_letter(col)
        cell = put(ws, f"{letter}1", heads[lang])
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        ws.column_dimensions[letter].width = widths[key]
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"


def _print_setup(ws: Worksheet, landscape: bool) -> None:
    print_setup(ws, landscape=landscape, title_rows=None)  # the header rows are set with the header


def _protect(ws: Worksheet) -> None:
    """Protection without password, against accidents only: columns and rows can still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _answer_cell(ws: Worksheet, ref: str) -> None:
    cell = ws[ref]
    cell.fill, cell.protection, cell.alignment = _ANSWER_FILL, _UNLOCKED, _WRAP


def _question_text(qn: Questionnaire, row: Row, lang: str) -> str:
    if row.kind == "choice":
        choice = next(c for c in qn.choices_of(row.question) if c.value == row.choice)
        return "    – " + pick(choice.label, lang)
    return pick(row.question.label, lang)


def _questions_sheet(ws: Worksheet, qn: Questionnaire, lang: str, lists: _Lists) -> list[str]:
    _header(ws, QUESTION_COLUMNS, _QUESTION_WIDTHS, lang)
    letters = {key: get_column_letter(i) for i, key in enumerate(QUESTION_COLUMNS, start=1)}
    yes_no = [t("yes", lang), t("no", lang)]
    ids = []
    for r, row in enumerate(question_rows(qn), start=2):
        q = row.question
        ids.append(row.id)
        dim = qn.dimensions_by_id.get(q.dimension or "")
        hint = pick(q.hint, lang) if q.hint and row.kind != "choice" else ""
        want = expected(qn, row, lang)
        values = {
            "id": row.id,
            "dimension": pick(dim.label, lang) if dim else "",
            "question": _question_text(qn, row, lang),
            "help": "\n".join(x for x in (hint, want[:1].upper() + want[1:]) if x),
        }
        for key, value in values.items():
            put(ws, f"{letters[key]}{r}", value).alignment = _WRAP
        answer = f"{letters['answer']}{r}"
        specials = special_labels(q, lang)
        if row.kind == "multi" and not specials:
            for key in QUESTION_COLUMNS:
                ws[f"{letters[key]}{r}"].fill = _HEAD_FILL
            ws[f"{letters['question']}{r}"].font = Font(bold=True)
            _answer_cell(ws, f"{letters['note']}{r}")
            continue
        if row.kind == "multi":
            ws[f"{letters['question']}{r}"].font = Font(bold=True)
        _answer_cell(ws, answer)
        _answer_cell(ws, f"{letters['note']}{r}")
        title = row.id
        prompt = "\n".join(x for x in (want, hint) if x)
        if row.kind == "choice":
            _validation(ws, answer, lists.name_of(yes_no), True, title, prompt)
        elif q.type == "select_one":
            _validation(ws, answer, lists.name_of(choice_labels(qn, q, lang) + specials), True, title, prompt)
        elif specials:
            _validation(ws, answer, lists.name_of(specials), row.kind == "multi", title, prompt)
        else:
            _validation(ws, answer, None, False, title, prompt)
    _print_setup(ws, landscape=True)
    _protect(ws)
    return ids


def _profile_value(respondent: Respondent | None, field: str, comune_names: dict[str, str]) -> Any:
    if respondent is None:
        return None
    value = getattr(respondent, field, None)
    if field == "comune" and value:
        return comune_names.get(str(value), value)
    return value


def _profile_sheet(ws: Worksheet, qn: Questionnaire, lang: str, respondent: Respondent | None,
                   comuni: Sequence[tuple[str, str]], lists: _Lists) -> list[str]:
    _header(ws, PROFILE_COLUMNS, _PROFILE_WIDTHS, lang)
    names = dict(comuni)
    help_keys = {"name": "wb.expect.name", "comune": "wb.expect.comune", "size": "wb.expect.size", "date": "wb.expect.date"}
    for r, field in enumerate(PROFILE_FIELDS, start=2):
        put(ws, f"A{r}", field)
        put(ws, f"B{r}", profile_label(field, qn.sector, lang)).alignment = _WRAP
        help_text = t(help_keys[field], lang) if field in help_keys else ""
        put(ws, f"D{r}", help_text[:1].upper() + help_text[1:]).alignment = _WRAP
        value = _profile_value(respondent, field, names)
        if value is not None:
            put(ws, f"C{r}", value)
        _answer_cell(ws, f"C{r}")
        if field == "comune" and comuni:
            names_offered = [n for _, n in comuni] + [outside_label(lang)]  # a seat outside the territory, last
            _validation(ws, f"C{r}", lists.name_of(names_offered), False, profile_label(field, qn.sector, lang), help_text)
        elif field == "date":
            ws[f"C{r}"].number_format = "DD/MM/YYYY"
    _print_setup(ws, landscape=False)
    _protect(ws)
    return list(PROFILE_FIELDS)


def _instructions_sheet(ws: Worksheet, qn: Questionnaire, lang: str, response_id: str, respondent_id: str | None) -> None:
    ws.column_dimensions["A"].width = 110
    lines = [
        pick(qn.title, lang),
        t("tpl.version", lang, id=qn.id, version=qn.version),
        "",
        *t("tpl.instructions", lang, profile=SHEETS["profile"][lang], questions=SHEETS["questions"][lang]).split("\n"),
        "",
        t("tpl.response_id", lang, id=response_id),
        *([t("tpl.respondent_id", lang, id=respondent_id)] if respondent_id else []),
    ]
    for r, line in enumerate(lines, start=1):
        put(ws, f"A{r}", line).alignment = _WRAP
    ws["A1"].font = Font(bold=True, size=14)
    ws["A4"].font = Font(bold=True)
    _print_setup(ws, landscape=False)
    _protect(ws)


def build_template(
    questionnaire: Questionnaire,
    lang: str,
    response_id: str,
    respondent: Respondent | None = None,
    comuni: Sequence[tuple[str, str]] | None = None,
) -> Workbook:
    """A fillable workbook for ``questionnaire`` in ``lang``, optionally pre-filled with ``respondent``.

    ``comuni`` is a sequence of (ISTAT code, name) offered as the drop-down of the comune cell
    (default: the shipped territory). Call ``save`` on the result (through an atomic write) to persist it.
    """
    if comuni is None:
        comuni = [(c.istat, c.nome) for c in load_territory().comuni]
    wb = Workbook()
    instructions = wb.active
    instructions.title = SHEETS["instructions"][lang]
    profile = wb.create_sheet(SHEETS["profile"][lang])
    questions = wb.create_sheet(SHEETS["questions"][lang])
    lists_ws = wb.create_sheet(SHEETS["lists"][lang])
    meta_ws = wb.create_sheet(SHEETS["meta"][lang])
    lists = _Lists(wb, lists_ws)

    respondent_id = respondent.id if respondent else None
    _instructions_sheet(instructions, questionnaire, lang, response_id, respondent_id)
    profile_ids = _profile_sheet(profile, questionnaire, lang, respondent, comuni, lists)
    question_ids = _questions_sheet(questions, questionnaire, lang, lists)

    meta = {
        "format": FORMAT,
        "questionnaire": questionnaire.id,
        "version": questionnaire.version,
        "content_hash": questionnaire.content_hash,
        "response_id": response_id,
        "lang": lang,
        **({"respondent_id": respondent_id} if respondent_id else {}),
    }
    meta["checksum"] = checksum(meta, question_ids, profile_ids)
    for r, (key, value) in enumerate(meta.items(), start=1):
        put(meta_ws, f"A{r}", key)
        put(meta_ws, f"B{r}", value)
    lists_ws.sheet_state = "hidden"
    meta_ws.sheet_state = "veryHidden"
    _protect(lists_ws)
    _protect(meta_ws)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1 if respondent is None else 2
    wb.properties.creator = "crassess"
    return wb


def fill_answers(wb: Workbook, cells: dict[str, Any], lang: str) -> Workbook:
    """Write ``cells`` (row ID -> value, see :func:`crassess.spreadsheets.layout.answer_cells`) into the answer
    column of a template, as a respondent would; used by the demo to send workbooks through the import."""
    ws = wb[SHEETS["questions"][lang]]
    column = list(QUESTION_COLUMNS).index("answer") + 1
    for r in range(2, ws.max_row + 1):
        row_id = ws.cell(r, 1).value
        if row_id in cells:
            ws.cell(r, column).value = cells[row_id]
    return wb
