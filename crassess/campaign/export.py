"""Campaign data as tidy tables: long (respondent x question) or wide (respondent), CSV, JSON Lines, Excel."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from crassess.campaign.data import CampaignData, CampaignResponse
from crassess.csvfile import CsvStyle, csv_bytes
from crassess.i18n import pick, register, t
from crassess.questionnaire.models import Question, Questionnaire
from crassess.safe_text import terminal_json

ID_COLUMNS = ("response_id", "respondent_id", "respondent", "contact")
PROFILE_COLUMNS = (*ID_COLUMNS, "sector", "comune", "comune_name", "subsector", "size", "questionnaire", "version", "status")
LONG_PROFILE = (*ID_COLUMNS, "sector", "comune", "comune_name", "questionnaire", "version", "status")
QUESTION_COLUMNS = ("question_id", "label", "dimension", "raw_answer", "answer_label", "item_status", "item_score")
SCORE_COLUMNS = ("overall", "level", "complete")
DROP = object()  # View.answer: the question does not appear at all

register({
    "export.sheet": {"it": "dati", "en": "data"},
    "export.xlsx_needs_output": {"it": "per Excel indicare il file di uscita con -o FILE.xlsx", "en": "for Excel give the output file with -o FILE.xlsx"},
})


@dataclass(frozen=True)
class ExportTable:
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class View:
    """How an export shows each response: the plain one (everything), or an anonymised one
    (:mod:`crassess.reports.anonymized`) with other profile columns, answers masked or dropped, rows reordered."""

    long_profile: tuple[str, ...]
    wide_profile: tuple[str, ...]
    profile: Callable[[CampaignResponse], dict[str, Any]]
    answer: Callable[[CampaignResponse, Question, Any], Any]  # the value to show, or DROP
    order: Callable[[Sequence[CampaignResponse]], list[CampaignResponse]]
    masked: frozenset[object] = frozenset()  # values that are a mark, not an answer (shown as they are)


def plain_view(data: CampaignData) -> View:
    """Every column, every answer, in file order."""

    def profile(item: CampaignResponse) -> dict[str, Any]:
        r = item.response.respondent
        comune = data.territory.find(r.comune) if r.comune else None
        return {
            "response_id": item.response_id, "respondent_id": r.id, "respondent": r.name, "contact": r.contact,
            "sector": item.sector, "comune": r.comune, "comune_name": comune.nome if comune else None,
            "subsector": r.subsector, "size": r.size, "questionnaire": item.questionnaire.id,
            "version": item.questionnaire.version, "status": item.response.status or "complete",
        }

    return View(LONG_PROFILE, PROFILE_COLUMNS, profile, lambda item, q, value: value, list)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _raw(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def _answer_label(qn: Questionnaire, q: Question, value: Any, lang: str, masked: frozenset[object]) -> str | None:
    if isinstance(value, str) and value in masked:
        return value
    if value in ("na", "dk"):
        return t(f"special.{value}", lang)
    if value is None or q.type not in ("select_one", "select_multiple"):
        return None
    labels = {c.value: pick(c.label, lang) for c in qn.choices_of(q)}
    values = value if isinstance(value, list) else [value]
    return "; ".join(str(v) if str(v) in masked else labels.get(str(v), str(v)) for v in values)


def long_table(data: CampaignData, lang: str | None = None, view: View | None = None) -> ExportTable:
    """One row per respondent x question, in the view's order (file order) then questionnaire order."""
    view = view or plain_view(data)
    header = (*view.long_profile, *QUESTION_COLUMNS)
    rows = []
    for item in view.order(data.responses):
        profile = view.profile(item)
        qn, answers, items = item.questionnaire, item.response.answers, item.result.items
        for q in qn.questions:
            value = view.answer(item, q, answers.get(q.id))
            if value is DROP:
                continue
            scored = items.get(q.id)
            row = {
                **profile,
                "question_id": q.id,
                "label": pick(q.label, lang),
                "dimension": q.dimension,
                "raw_answer": _raw(value),
                "answer_label": _answer_label(qn, q, value, lang or "", view.masked),
                "item_status": scored.status if scored else None,
                "item_score": _round(scored.score) if scored else None,
            }
            rows.append(tuple(row.get(c) for c in header))
    return ExportTable(header, tuple(rows))


def wide_table(data: CampaignData, lang: str | None = None, view: View | None = None) -> ExportTable:
    """One row per respondent: profile, overall and dimension scores, then every answer the view shows."""
    view = view or plain_view(data)
    items = view.order(data.responses)
    dims: list[str] = []
    answers: list[tuple[str, str]] = []
    many = len({qn.id for qn in data.questionnaires}) > 1
    for item in items:
        for dimension in item.questionnaire.dimensions:
            if dimension.id not in dims:
                dims.append(dimension.id)
        for question in item.questionnaire.questions:
            key = (item.questionnaire.id if many else "", question.id)
            if key not in answers and view.answer(item, question, None) is not DROP:
                answers.append(key)
    answer_names = [f"{qid}.{q}" if qid else q for qid, q in answers]
    header = (*view.wide_profile, *SCORE_COLUMNS, *(f"dim.{d}" for d in dims), *answer_names)
    rows = []
    for item in items:
        row = view.profile(item)
        row.update(overall=_round(item.result.overall), level=item.result.level, complete=item.result.complete)
        for d in dims:
            dim = item.result.dimensions.get(d)
            row[f"dim.{d}"] = _round(dim.score) if dim else None
        own = item.questionnaire.id if many else ""
        for (qid, q), name in zip(answers, answer_names, strict=True):
            if qid == own:
                row[name] = _raw(view.answer(item, item.questionnaire.question(q), item.response.answers.get(q)))
        rows.append(tuple(row.get(c) for c in header))
    return ExportTable(header, tuple(rows))


def render_csv(table: ExportTable, style: CsvStyle) -> bytes:
    """CSV in ``style`` (separator, decimal mark, BOM); text that could run as a formula gets a leading ', control
    characters are removed (no escape sequence reaches a terminal or a spreadsheet)."""
    return csv_bytes(table.header, table.rows, style)


def render_jsonl(table: ExportTable, style: CsvStyle) -> bytes:
    """One JSON object per line (never a BOM: JSON Lines readers do not expect one)."""
    lines = [terminal_json(json.dumps(dict(zip(table.header, row, strict=True)), ensure_ascii=False)) for row in table.rows]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def render_xlsx(table: ExportTable, style: CsvStyle) -> bytes:
    from crassess.sheets import SheetTable, build_workbook, workbook_bytes

    return workbook_bytes(build_workbook([SheetTable(t("export.sheet"), table.header, table.rows)]))


RENDERERS: dict[str, Callable[[ExportTable, CsvStyle], bytes]] = {
    "csv": render_csv,
    "jsonl": render_jsonl,
    "xlsx": render_xlsx,
}
TABLES: dict[bool, Callable[..., ExportTable]] = {False: long_table, True: wide_table}


def export_campaign(data: CampaignData, fmt: str, wide: bool = False, lang: str | None = None,
                    style: CsvStyle | None = None, view: View | None = None) -> bytes:
    """The bytes of a campaign export in ``fmt`` (csv, jsonl, xlsx); every response file must be valid, and there
    must be at least one.

    ``style``: the CSV's separator, decimal mark and BOM (default: the language's separator, BOM, decimal point).
    ``view``: what each row shows (default everything; :func:`crassess.reports.anonymized.anonymized_view`).
    """
    data.require_valid().require_responses()
    return RENDERERS[fmt](TABLES[wide](data, lang, view), style or CsvStyle.for_language(lang))
