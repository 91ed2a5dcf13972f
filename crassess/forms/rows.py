"""One submission row -> a validated response (JSON-ready), or every problem with its column and question id.

The columns are matched to the form's fields (:mod:`crassess.forms.layout`) by name, by group path joined
with ``/`` (KoboToolbox) or ``-`` (ODK Central), or by the name at the end of another group path (groups
renamed on the platform); per-choice columns of a select_multiple are ``<question column>/<choice>``.
The answers are checked exactly as any response (:func:`crassess.questionnaire.responses.check_answers`),
the profile as in the interview (:func:`crassess.interview.profile.check_profile`).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Literal

from crassess.errors import Problem
from crassess.forms.exports import ODK_COLUMNS, Export
from crassess.forms.layout import PROFILE_KEYS, SPECIALS, VALUE, Field, FormLayout
from crassess.i18n import register, t
from crassess.interview.profile import check_profile
from crassess.numbers import NumberError, parse_number
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.responses import check_answers
from crassess.spreadsheets.extract import cell_text
from crassess.territory.comuni import Territory

register({
    "forms.place": {"it": "colonna '{column}'", "en": "column '{column}'"},
    "forms.row": {"it": "{file} (riga {row})", "en": "{file} (row {row})"},
    "forms.no_id": {"it": "identificativo dell'invio mancante (colonne _uuid o KEY)", "en": "submission id missing (columns _uuid or KEY)"},
    "forms.no_questionnaire": {"it": "l'invio non indica il suo questionario (colonne crassess_questionnaire e crassess_version): il modulo non viene da 'crassess questionnaires xlsform'", "en": "the submission does not name its questionnaire (columns crassess_questionnaire and crassess_version): the form was not made by 'crassess questionnaires xlsform'"},
    "forms.other_questionnaire": {"it": "l'invio è per il questionario {found}, ma questa importazione accetta: {accepted}", "en": "the submission is for questionnaire {found}, but this import accepts: {accepted}"},
    "forms.unknown_questionnaire": {"it": "l'invio è per il questionario '{found}', che non è disponibile; indicarlo con -q", "en": "the submission is for questionnaire '{found}', which is not available; give it with -q"},
    "forms.version": {"it": "l'invio è per il questionario {id} versione {found}, ma è caricata la versione {loaded}", "en": "the submission is for questionnaire {id} version {found}, but version {loaded} is loaded"},
    "forms.content": {"it": "il modulo è stato fatto da un contenuto diverso del questionario {id} {version} (stessa versione): esportare di nuovo il modulo", "en": "the form was made from other content of questionnaire {id} {version} (same version): export the form again"},
    "forms.labels": {"it": "intestazioni non riconosciute (manca {column}): esportare con «XML values and headers» (valori e intestazioni XML), non con le etichette", "en": "headers not recognised ({column} missing): export with \"XML values and headers\", not with labels"},
    "forms.unknown_column": {"it": "la colonna non è nel questionario {id} {version}: valore '{value}' ignorato", "en": "the column is not in questionnaire {id} {version}: value '{value}' ignored"},
    "forms.encrypted": {"it": "invio cifrato non decifrato su ODK Central ({status})", "en": "encrypted submission not decrypted on ODK Central ({status})"},
    "forms.status_and_value": {"it": "valore '{value}' ignorato: la risposta è '{status}'", "en": "value '{value}' ignored: the answer is '{status}'"},
    "forms.formula": {"it": "formula senza valore calcolato nella cella {cell}", "en": "formula without a computed value in cell {cell}"},
})

Role = Literal["field", "choice", "meta", "unknown"]
META_NAMES = frozenset({"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username",
                        "email", "audit", "instanceID", "instanceName", "deprecatedID", "rootUuid", "__version__"})
KOBO_REJECTED = ("validation_status_not_approved", "Not approved")
_ID_NAMESPACE = uuid.UUID("5b1f3c2e-7d4a-4f0e-9c61-2a8e0d9b7c35")


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    role: Role
    field: Field | None = None
    choice: str | None = None


@dataclass(frozen=True)
class RowProblem:
    """One problem of a submission row; ``row`` 0 is the file as a whole."""

    reason: str
    row: int
    column: str
    question: str
    message: str
    expected: str = ""
    submission: str = ""

    def place(self) -> str:
        place = t("forms.place", column=self.column) if self.column else ""
        if self.question:
            place = f"{place} ({self.question})" if place else self.question
        return place

    def problem(self, file: str) -> Problem:
        label = t("forms.row", file=file, row=self.row) if self.row else file
        return Problem(label, self.place(), self.message + (f" — {self.expected}" if self.expected else ""))


class Refused(Exception):
    """A row (or file) refused before its answers are read; carries the problems."""

    def __init__(self, problems: Sequence[RowProblem]):
        super().__init__(problems[0].message if problems else "")
        self.problems = tuple(problems)


def _is_meta(header: str) -> bool:
    return (header.startswith(("_", "meta/", "meta-")) or header in ODK_COLUMNS or header in META_NAMES
            or header.rsplit("/", 1)[-1] in META_NAMES)


def _ends_with(header: str, name: str) -> bool:
    return header == name or header.endswith(("/" + name, "-" + name))


@lru_cache(maxsize=64)
def map_columns(header: tuple[str, ...], layout: FormLayout) -> tuple[Column, ...]:
    """What each column of ``header`` holds for ``layout``'s form."""
    exact: dict[str, Field] = {}
    by_name: dict[str, Field] = {}
    for f in layout.fields:
        by_name[f.name] = f
        for candidate in (f.name, f.header("/"), f.header("-")):
            exact.setdefault(candidate, f)
    names = sorted(by_name, key=len, reverse=True)

    def field_of(text: str) -> Field | None:
        return exact.get(text) or next((by_name[n] for n in names if _ends_with(text, n)), None)

    columns = []
    for i, head in enumerate(header):
        found = exact.get(head)
        if found is not None:
            columns.append(Column(i, head, "field", found))
            continue
        base, _, choice = head.rpartition("/")
        owner = field_of(base) if base else None
        if owner is not None and owner.xls_type.startswith("select_multiple") and choice in layout.choice_values(owner):
            columns.append(Column(i, head, "choice", owner, choice))
            continue
        if _is_meta(head) or not head:
            columns.append(Column(i, head, "meta"))
            continue
        found = field_of(head)
        columns.append(Column(i, head, "field", found) if found else Column(i, head, "unknown"))
    return tuple(columns)


def response_id(identity: str) -> str:
    """The response id of a submission: its instance UUID (without ``uuid:``), else one derived from it."""
    plain = identity.removeprefix("uuid:").strip()
    try:
        return str(uuid.UUID(plain))
    except ValueError:
        return str(uuid.uuid5(_ID_NAMESPACE, identity))


@dataclass(frozen=True)
class Submission:
    """What the platform says about a row: identity (stable across edits), this version, review, dates."""

    row: int
    identity: str
    instance: str
    edits: int | None
    edited: bool
    rejected: bool
    end: str
    day: str
    problems: tuple[RowProblem, ...] = ()


def _iso_day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return ""


def submission(export: Export, row: int, cells: Sequence[Any]) -> Submission:
    problems = []
    value = lambda *names: export.value(cells, *names)  # noqa: E731
    if export.source == "odk":
        identity = value("KEY", "instanceID")
        instance = value("instanceID", "KEY")
        edits_text = value("Edits")
        edits = int(edits_text) if edits_text.isdigit() else None
        edited = bool(edits) or bool(value("deprecatedID")) or (bool(instance) and instance != identity)
        rejected = value("ReviewState") == "rejected"
        if value("Status"):
            problems.append(RowProblem("corrupted", row, "Status", "", t("forms.encrypted", status=value("Status"))))
        received = value("SubmissionDate")
    else:
        instance = value("_uuid", "instanceID").removeprefix("uuid:")
        identity = value("rootUuid").removeprefix("uuid:") or instance
        edits, edited = None, bool(instance) and identity != instance
        rejected = value("_validation_status") in KOBO_REJECTED
        received = value("_submission_time")
    if not identity:
        problems.append(RowProblem("metadata", row, "", "", t("forms.no_id")))
    end = value("end")
    day = _iso_day(end) or _iso_day(value("today")) or _iso_day(received)
    return Submission(row, identity, instance or identity, edits, edited, rejected, end, day, tuple(problems))


@dataclass
class Raw:
    """The cells of one row sorted by what they hold, with the column of each."""

    profile: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # "q:<id>" / "p:<key>" -> column header
    unknown: list[tuple[str, str]] = field(default_factory=list)


def sort_cells(columns: Sequence[Column], cells: Sequence[Any]) -> Raw:
    raw = Raw()
    for col in columns:
        value = cells[col.index] if col.index < len(cells) else ""
        text = cell_text(value)
        f = col.field
        if col.role == "unknown":
            if text:
                raw.unknown.append((col.header, text))
        elif col.role == "choice" and f is not None and col.choice is not None:
            raw.choices.setdefault(f.key, {})[col.choice] = text
            raw.where.setdefault(f"q:{f.key}", col.header)
        elif col.role == "field" and f is not None:
            if f.kind == "profile":
                raw.where[f"p:{f.key}"] = col.header
                if text:
                    raw.profile[f.key] = text
            elif f.kind == "question":
                raw.where[f"q:{f.key}"] = col.header
                if text:
                    raw.answers[f.key] = value if isinstance(value, (int, float)) and not isinstance(value, bool) else text
            elif f.kind == "status":
                raw.where[f"s:{f.key}"] = col.header
                if text:
                    raw.status[f.key] = text
    return raw


def build_answers(qn: Questionnaire, raw: Raw, row: int) -> tuple[dict[str, Any], list[RowProblem], list[RowProblem]]:
    """Raw answers in the response format (lists for select_multiple, dk/na from the status, numbers), the
    numbers that are not numbers, and warnings."""
    answers: dict[str, Any] = {}
    problems: list[RowProblem] = []
    warnings: list[RowProblem] = []
    for q in qn.questions:
        value = raw.answers.get(q.id)
        if q.type == "select_multiple":
            if value is None and raw.choices.get(q.id):
                value = [c for c, flag in raw.choices[q.id].items() if flag in ("1", "1.0", "True", "true")] or None
            elif isinstance(value, str):
                value = value.split()
            if value in (["dk"], ["na"]):
                value = value[0]
        status = raw.status.get(q.id)
        if q.type in ("integer", "decimal") and value is not None and status not in SPECIALS:
            try:  # the platforms write XML numbers: '.' is always the decimal point, never a thousands separator
                value = parse_number(value, integer=q.type == "integer", percent=q.percent, decimal=".")
            except NumberError as exc:
                problems.append(RowProblem("invalid", row, raw.where.get(f"q:{q.id}", q.id), q.id, exc.message))
                continue
        if status in SPECIALS:
            if value is not None:
                column = raw.where.get(f"q:{q.id}", q.id)
                warnings.append(RowProblem("", row, column, q.id, t("forms.status_and_value", value=cell_text(value), status=status)))
            value = status
        elif status is not None and status != VALUE:
            value = status  # check_answers names the value that is not allowed
        if value is not None:
            answers[q.id] = value
    return answers, problems, warnings


def _expected(qn: Questionnaire, layout: FormLayout, qid: str) -> str:
    q = qn.questions_by_id.get(qid)
    if q is None:
        return ""
    own = next((f for f in layout.fields if f.kind == "question" and f.key == qid), None)
    if q.type.startswith("select") and own is not None:
        return t("wb.expect.one_of", labels=", ".join(layout.choice_values(own)))
    return t(f"wb.expect.{q.type}")


def check_row(qn: Questionnaire, layout: FormLayout, raw: Raw, sub: Submission, territory: Territory,
              lang: str, file: str) -> tuple[dict[str, Any], dict[str, Any], list[RowProblem], list[RowProblem]]:
    """The normalised answers and profile of a row, its problems and warnings, located by column."""
    row = sub.row
    answers, unread, warnings = build_answers(qn, raw, row)
    checked = check_answers(qn, answers, file)
    by_place = {t("place.question", id=q.id): q.id for q in qn.questions}

    def column(qid: str) -> str:
        return raw.where.get(f"q:{qid}") or raw.where.get(f"s:{qid}") or qid

    problems = [RowProblem("invalid", row, column(qid), qid, p.message, _expected(qn, layout, qid), sub.instance)
                for p in checked.problems for qid in [by_place.get(p.place, p.place)]]
    problems += [replace(p, expected=_expected(qn, layout, p.question), submission=sub.instance) for p in unread]
    order = {q.id: i for i, q in enumerate(qn.questions)}
    problems.sort(key=lambda p: order.get(p.question, -1))
    warnings += [RowProblem("", row, column(qid), qid, p.message) for p in checked.warnings
                 for qid in [by_place.get(p.place, p.place)]]
    day = dt.date.fromisoformat(sub.day) if sub.day else dt.date.today()
    respondent, profile_problems = check_profile(qn, raw.profile, territory, day, lang, file)
    by_field = {t("iv.place_respondent", field=key): key for key in PROFILE_KEYS}
    profile = []
    for p in profile_problems:
        key = by_field.get(p.place, p.place)
        expected = t(f"wb.expect.{key}") if key in ("name", "comune", "size", "date") else ""
        profile.append(RowProblem("invalid", row, raw.where.get(f"p:{key}", f"respondent_{key}"), f"respondent_{key}",
                                  p.message, expected, sub.instance))
    problems = profile + problems
    if "id" in respondent:
        respondent["id"] = " ".join(str(respondent["id"]).split())
    for header, text in raw.unknown:
        warnings.append(RowProblem("", row, header, "", t("forms.unknown_column", id=qn.id, version=qn.version, value=text)))
    return checked.answers, respondent, problems, warnings

