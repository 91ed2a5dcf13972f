"""Reading the cells of a returned file as answers and profile values, with every problem located."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.numbers import (
    Mark,
    NumberError,
    decimal_mark,
    parse_number,
    percent_cell,
    read_number,
)
from crassess.questionnaire.models import Questionnaire
from crassess.spreadsheets.extract import CellProblem, Entry, cell_text
from crassess.spreadsheets.layout import (
    NO_WORDS,
    PROFILE_FIELDS,
    REQUIRED_PROFILE_FIELDS,
    YES_WORDS,
    Row,
    expected,
    norm,
    question_rows,
    unaccent,
)
from crassess.territory.comuni import load_territory
from crassess.territory.validate import OUTSIDE_TERRITORY, is_outside

register({
    "imp.unknown_row": {"it": "'{id}' non è una domanda del questionario {qid} {version}", "en": "'{id}' is not a question of questionnaire {qid} {version}"},
    "imp.duplicate_row": {"it": "la riga '{id}' compare più volte (prima in {first})", "en": "row '{id}' appears more than once (first at {first})"},
    "imp.not_a_choice": {"it": "'{value}' non è una risposta ammessa", "en": "'{value}' is not an allowed answer"},
    "imp.not_yes_no": {"it": "'{value}' non è Sì o No", "en": "'{value}' is not Yes or No"},
    "imp.multi_head": {"it": "qui si può scrivere solo {labels}; le voci si indicano nelle righe sotto", "en": "only {labels} can be written here; the items are answered in the rows below"},
    "imp.multi_head_none": {"it": "questa riga non prende risposta: indicare Sì o No nelle righe sotto", "en": "this row takes no answer: answer Yes or No in the rows below"},
    "imp.special_and_choices": {"it": "'{special}' insieme a voci indicate con Sì: scegliere l'una o le altre", "en": "'{special}' together with items marked Yes: choose one or the other"},
    "imp.required": {"it": "dato obbligatorio mancante", "en": "required data missing"},
    "imp.size": {"it": "atteso un numero intero non negativo, trovato '{value}'", "en": "expected a whole number, not negative, found '{value}'"},
    "imp.date": {"it": "data non valida '{value}'", "en": "invalid date '{value}'"},
    "imp.unknown_profile": {"it": "campo del profilo '{id}' sconosciuto; ammessi: {known}", "en": "unknown profile field '{id}'; allowed: {known}"},
})


_SPECIAL_WORDS = {
    "dk": {"dk", "non so", "don't know", "dont know", "do not know", "n.s.", "ns"},
    "na": {"na", "n/a", "n.a.", "non applicabile", "not applicable", "non pertinente"},
}


_SPECIAL_KEYS = {word: special for special, words in _SPECIAL_WORDS.items() for word in words}


_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y")


def cached(qn: Questionnaire, key: str, build: Callable[[], Any]) -> Any:
    """Per-questionnaire derived data, built once per process (many files share one questionnaire)."""
    slot = (id(qn), key)
    if slot not in _CACHE or _CACHE[slot][0] is not qn:
        _CACHE[slot] = (qn, build())
    return _CACHE[slot][1]


def rows_by_id(qn: Questionnaire) -> dict[str, Row]:
    return cached(qn, "rows", lambda: {row.id: row for row in question_rows(qn)})


def _choice_keys(qn: Questionnaire, row: Row) -> dict[str, str]:
    return cached(qn, "keys:" + row.id, lambda: _build_choice_keys(qn, row))


def _build_choice_keys(qn: Questionnaire, row: Row) -> dict[str, str]:
    """Tolerant key -> choice value (or 'na'/'dk'): values, labels in every language, accents optional."""
    keys: dict[str, str] = dict(_SPECIAL_KEYS)
    for lang in ("it", "en"):
        keys[norm(t("special.dk", lang))] = "dk"
        keys[norm(t("special.na", lang))] = "na"
    if row.question.type == "select_one":
        plain: dict[str, set[str]] = {}
        for c in qn.choices_of(row.question):
            names = {norm(c.value), *(norm(label) for label in c.label.values())}
            for name in names:
                keys[name] = c.value
                plain.setdefault(unaccent(name), set()).add(c.value)
        for name, values in plain.items():
            if len(values) == 1:
                keys.setdefault(name, next(iter(values)))
    return keys


def _special(value: Any) -> str | None:
    key = norm(cell_text(value))
    for lang in ("it", "en"):
        if key == norm(t("special.dk", lang)):
            return "dk"
        if key == norm(t("special.na", lang)):
            return "na"
    return _SPECIAL_KEYS.get(key)


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = norm(cell_text(value))
    if key in YES_WORDS or unaccent(key) in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    return None


class AnswerReader:
    """Turns the question rows of a file into raw answers, collecting every problem with its cell."""

    def __init__(self, qn: Questionnaire, lang: str):
        self.qn, self.lang = qn, lang
        self.rows = rows_by_id(qn)
        self.problems: list[CellProblem] = []
        self.answers: dict[str, Any] = {}
        self.notes: dict[str, list[str]] = {}
        self.cells: dict[str, Entry] = {}
        self.multi: dict[str, dict[str, bool]] = {}
        self.multi_special: dict[str, str] = {}
        self.decimal: Mark | None = None

    def problem(self, entry: Entry, row: Row | None, message: str, reason: str = "invalid") -> None:
        want = expected(self.qn, row, self.lang) if row else ""
        self.problems.append(CellProblem(reason, entry.sheet, entry.cell, entry.id, message, want))

    def read(self, entries: list[Entry]) -> None:
        numeric = [e.value for e in entries if type(e.value) is str and e.id in self.rows
                   and self.rows[e.id].question.type in ("integer", "decimal")]
        self.decimal = decimal_mark(numeric)  # "2.500" is 2500 in a file that writes "12,5"
        seen: dict[str, Entry] = {}
        for entry in entries:
            row = self.rows.get(entry.id)
            if row is None:
                self.problem(entry, None, t("imp.unknown_row", id=entry.id, qid=self.qn.id, version=self.qn.version))
                continue
            if entry.id in seen:
                self.problem(entry, row, t("imp.duplicate_row", id=entry.id, first=seen[entry.id].cell), "layout")
                continue
            seen[entry.id] = entry
            if entry.note:
                label = f"{row.choice}: " if row.choice else ""
                self.notes.setdefault(row.question.id, []).append(label + entry.note)
            if row.kind != "choice":
                self.cells[row.question.id] = entry
            getattr(self, f"_{row.kind}")(entry, row)
        self._close_multi()

    def _question(self, entry: Entry, row: Row) -> None:
        if not cell_text(entry.value):
            return
        _BY_TYPE[row.question.type](self, entry, row)

    def _select_one(self, entry: Entry, row: Row) -> None:
        keys = _choice_keys(self.qn, row)
        key = norm(cell_text(entry.value))
        found = keys.get(key) or keys.get(unaccent(key)) or keys.get(unaccent(key).rstrip("'"))  # "si'" typed for "sì"
        if found is None:
            self.problem(entry, row, t("imp.not_a_choice", value=cell_text(entry.value)))
        else:
            self.answers[row.question.id] = found

    def _number(self, entry: Entry, row: Row) -> None:
        value, q = entry.value, row.question
        special = _special(value)
        if special:
            self.answers[q.id] = special  # check_answers says whether this question allows it
            return
        try:
            if entry.percent and isinstance(value, (int, float)):  # a cell formatted as a percentage holds 0.5 for 50%
                self.answers[q.id] = percent_cell(value, integer=q.type == "integer", percent=q.percent)
            else:
                self.answers[q.id] = parse_number(value, integer=q.type == "integer", percent=q.percent, decimal=self.decimal)
        except NumberError as exc:
            self.problem(entry, row, exc.message)

    def _text(self, entry: Entry, row: Row) -> None:
        q, special = row.question, _special(entry.value)
        allowed = {"dk": q.allow_dk, "na": q.allow_na}
        self.answers[q.id] = special if special and allowed[special] else cell_text(entry.value)

    def _multi(self, entry: Entry, row: Row) -> None:
        self.multi.setdefault(row.question.id, {})
        text = cell_text(entry.value)
        if not text:
            return
        special = _special(entry.value)
        allowed = [s for s, ok in (("dk", row.question.allow_dk), ("na", row.question.allow_na)) if ok]
        if special in allowed:
            self.multi_special[row.question.id] = special
        elif special:
            self.answers[row.question.id] = special  # check_answers names the special that is not allowed
        elif allowed:
            labels = " / ".join(t(f"special.{s}", self.lang) for s in allowed)
            self.problem(entry, row, t("imp.multi_head", labels=labels))
        else:
            self.problem(entry, row, t("imp.multi_head_none"))

    def _choice(self, entry: Entry, row: Row) -> None:
        selected = self.multi.setdefault(row.question.id, {})
        if not cell_text(entry.value):
            return
        answer = _yes_no(entry.value)
        if answer is None:
            self.problem(entry, row, t("imp.not_yes_no", value=cell_text(entry.value)))
            return
        assert row.choice is not None
        selected[row.choice] = answer

    def _close_multi(self) -> None:
        for qid, selected in self.multi.items():
            if qid in self.answers:
                continue
            chosen = [c.value for c in self.qn.choices_of(self.qn.question(qid)) if selected.get(c.value)]
            special = self.multi_special.get(qid)
            if special and chosen:
                entry = self.cells[qid]
                self.problem(entry, self.rows[qid], t("imp.special_and_choices", special=t(f"special.{special}", self.lang)))
            elif special:
                self.answers[qid] = special
            elif selected:
                self.answers[qid] = chosen


def read_profile(entries: list[Entry], file: str, territory: Path | None) -> tuple[dict[str, Any], list[CellProblem]]:
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []
    where: dict[str, Entry] = {}
    for entry in entries:
        key = entry.id.strip().lower()
        if key not in PROFILE_FIELDS:
            problems.append(CellProblem("invalid", entry.sheet, entry.cell, entry.id,
                                        t("imp.unknown_profile", id=entry.id, known=", ".join(PROFILE_FIELDS))))
            continue
        where[key] = entry
        value = entry.value
        if not cell_text(value):
            continue
        parse = _PROFILE_PARSERS.get(key, _parse_text)
        try:
            values[key] = parse(value, entry, file, territory)
        except InvalidInput as exc:
            message = "; ".join(p.message for p in exc.problems)
            problems.append(CellProblem("invalid", entry.sheet, entry.cell, key, message, _profile_expected(key)))
    for key in REQUIRED_PROFILE_FIELDS:
        if key not in values and not any(p.question == key for p in problems):
            entry = where.get(key)
            problems.append(CellProblem("invalid", entry.sheet if entry else "", entry.cell if entry else "", key,
                                        t("imp.required"), _profile_expected(key)))
    return values, problems


def _profile_expected(key: str) -> str:
    return t(f"wb.expect.{key}") if key in ("name", "comune", "size", "date") else ""


def _parse_text(value: Any, entry: Entry, file: str, territory: Path | None) -> str:
    return cell_text(value)


@lru_cache(maxsize=1024)
def _comune_code(text: str, territory: Path | None) -> str | None:
    found = load_territory(territory).find(text)
    return found.istat if found else None


def _parse_comune(value: Any, entry: Entry, file: str, territory: Path | None) -> str:
    text = cell_text(value)
    if is_outside(text):
        return OUTSIDE_TERRITORY
    return _comune_code(text, territory) or load_territory(territory).resolve(text, file, entry.cell).istat


def _parse_size(value: Any, entry: Entry, file: str, territory: Path | None) -> int:
    number, error = read_number(value, integer=True)
    if error or number is None or number < 0:
        raise InvalidInput(problems=[Problem(file, entry.cell, t("imp.size", value=cell_text(value)))])
    return int(number)


def _parse_date(value: Any, entry: Entry, file: str, territory: Path | None) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = cell_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InvalidInput(problems=[Problem(file, entry.cell, t("imp.date", value=text))])


_CACHE: dict[tuple[int, str], tuple[Questionnaire, Any]] = {}


_BY_TYPE: dict[str, Callable[[AnswerReader, Entry, Row], None]] = {
    "select_one": AnswerReader._select_one,
    "integer": AnswerReader._number,
    "decimal": AnswerReader._number,
    "text": AnswerReader._text,
}


_PROFILE_PARSERS: dict[str, Callable[[Any, Entry, str, Path | None], Any]] = {
    "comune": _parse_comune,
    "size": _parse_size,
    "date": _parse_date,
}
