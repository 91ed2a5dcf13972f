"""The respondent profile of an interview: fields by sector, their vocabularies and checks.

The same checks serve the interactive interview and ``--answers`` files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.interview.dialog import Option, Step
from crassess.numbers import read_number
from crassess.questionnaire.models import Questionnaire, valid_respondent_id
from crassess.questionnaire.responses import is_missing
from crassess.questionnaire.vocabulary import SUBSECTORS
from crassess.territory.comuni import Territory
from crassess.territory.validate import OUTSIDE_TERRITORY, comune_code, outside_label

register({
    "iv.profile": {"it": "Profilo del rispondente", "en": "Respondent profile"},
    "iv.f.name": {"it": "Nome dell'organizzazione", "en": "Name of the organisation"},
    "iv.f.comune": {"it": "Comune (nome o codice ISTAT, oppure «fuori territorio»)", "en": "Comune (name or ISTAT code, or «outside»)"},
    "iv.outside_meta": {"it": "sede fuori dal territorio", "en": "based outside the territory"},
    "iv.outside_hint": {"it": "Per una sede fuori dal territorio: «fuori territorio».", "en": "For a respondent based elsewhere: «outside»."},
    "iv.f.size.comune": {"it": "Abitanti", "en": "Inhabitants"},
    "iv.f.size.associazione": {"it": "Numero di soci", "en": "Number of members"},
    "iv.f.size.impresa": {"it": "Numero di addetti", "en": "Number of employees"},
    "iv.f.subsector.impresa": {"it": "Settore di attività (sezione ATECO)", "en": "Line of business (ATECO section)"},
    "iv.f.subsector.associazione": {"it": "Tipo di associazione", "en": "Type of association"},
    "iv.f.contact": {"it": "Contatto (e-mail o telefono; resta solo in questa risposta)", "en": "Contact (e-mail or phone; kept only in this response)"},
    "iv.f.interviewer": {"it": "Intervistatore", "en": "Interviewer"},
    "iv.f.date": {"it": "Data dell'intervista (AAAA-MM-GG)", "en": "Date of the interview (YYYY-MM-DD)"},
    "iv.required_profile": {"it": "dato obbligatorio", "en": "required"},
    "iv.bad_size": {"it": "atteso un numero intero non negativo, trovato '{value}'", "en": "expected a whole number, 0 or more, found '{value}'"},
    "iv.bad_date": {"it": "data non valida '{value}': attesa AAAA-MM-GG (o GG/MM/AAAA)", "en": "invalid date '{value}': expected YYYY-MM-DD (or DD/MM/YYYY)"},
    "iv.future_date_file": {"it": "data dell'intervista {value} nel futuro (oggi è {today})", "en": "interview date {value} is in the future (today is {today})"},
    "iv.bad_choice": {"it": "'{value}' non è tra i valori ammessi: {allowed}", "en": "'{value}' is not one of the allowed values: {allowed}"},
    "iv.place_respondent": {"it": "respondent.{field}", "en": "respondent.{field}"},
})

def _options(pairs: Sequence[tuple[str, str, str]], lang: str) -> tuple[Option, ...]:
    return tuple(Option(value, it if lang == "it" else en) for value, it, en in pairs)


def profile_steps(questionnaire: Questionnaire, lang: str) -> list[Step]:
    sector = questionnaire.sector
    steps = [
        Step("name", "text", t("iv.f.name", lang), "", True),
        Step("comune", "comune", t("iv.f.comune", lang), "", True),
        Step("size", "integer", t(f"iv.f.size.{sector}", lang), "", False),
    ]
    if SUBSECTORS[sector]:
        steps.append(Step("subsector", "select", t(f"iv.f.subsector.{sector}", lang), "", False, _options(SUBSECTORS[sector], lang)))
    steps += [
        Step("contact", "text", t("iv.f.contact", lang), "", False),
        Step("interviewer", "text", t("iv.f.interviewer", lang), "", False),
        Step("date", "date", t("iv.f.date", lang), "", True),
    ]
    return steps


def _check_size(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    number, error = read_number(raw, integer=True)  # "12.000" is 12000
    if error or number is None or number < 0:
        return None, t("iv.bad_size", value=raw)
    return number, None


def _check_comune(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    try:
        return comune_code(str(raw).strip(), territory), None
    except InvalidInput as exc:
        return None, exc.problems[0].message


def comune_display(code: str | None, territory: Territory, lang: str | None = None) -> str:
    """The comune as the facilitator typed it: its name, or "Fuori territorio"."""
    if not code:
        return ""
    if code == OUTSIDE_TERRITORY:
        return outside_label(lang)
    found = territory.find(code)
    return found.nome if found else str(code)


def _check_date(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    if isinstance(raw, date):
        return raw.isoformat(), None
    text = str(raw).strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        text = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    try:
        return date.fromisoformat(text).isoformat(), None
    except ValueError:
        return None, t("iv.bad_date", value=raw)


def _check_text(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    return " ".join(str(raw).split()), None


_PROFILE_CHECKS: dict[str, Callable[[Any, Territory, date], tuple[Any, str | None]]] = {
    "name": _check_text,
    "comune": _check_comune,
    "size": _check_size,
    "subsector": _check_text,
    "contact": _check_text,
    "interviewer": _check_text,
    "date": _check_date,
}


def check_profile_value(step: Step, raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    """A profile value normalised (ISTAT code for the comune, ISO date), or the message."""
    if raw is None or is_missing(raw):
        return None, (t("iv.required_profile") if step.required else None)
    value, error = _PROFILE_CHECKS[step.key](raw, territory, today)
    if error is None and step.options and value not in {o.value for o in step.options}:
        match = next((o.value for o in step.options if o.value.lower() == str(value).lower()), None)
        if match is None:
            return None, t("iv.bad_choice", value=value, allowed=", ".join(o.value for o in step.options))
        value = match
    return value, error


def check_profile(
    questionnaire: Questionnaire, respondent: Mapping[str, Any], territory: Territory, today: date, lang: str, file: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """Every profile field checked like the interactive flow (the date defaults to ``today``)."""
    values: dict[str, Any] = {k: v for k, v in respondent.items() if k not in _PROFILE_CHECKS}
    problems = []
    for step in profile_steps(questionnaire, lang):
        raw = respondent.get(step.key)
        if step.key == "date" and is_missing(raw):
            raw = today.isoformat()
        value, error = check_profile_value(step, raw, territory, today)
        if error is None and step.key == "date" and value is not None and value > today.isoformat():
            error = t("iv.future_date_file", value=value, today=today.isoformat())
        if error:
            problems.append(Problem(file, t("iv.place_respondent", field=step.key), error))
        elif value is not None:
            values[step.key] = value
    code = values.get("id")
    if code is not None and not (isinstance(code, (str, int)) and not isinstance(code, bool) and valid_respondent_id(str(code).strip())):
        problems.append(Problem(file, t("iv.place_respondent", field="id"), t("pyd.respondent_id")))  # the stable code
    return values, problems
