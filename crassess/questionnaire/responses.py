"""Response files: loading, checking answers against a questionnaire, relevance, saving."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from crassess.errors import InvalidInput, Problem
from crassess.i18n import pick, t
from crassess.numbers import read_number
from crassess.questionnaire.load import flatten
from crassess.questionnaire.models import Question, Questionnaire, Response
from crassess.sources import LineMap, atomic_write_text, dump_json, load_data


def new_response_id() -> str:
    return str(uuid.uuid4())


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def applicability(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool | None]:
    """Whether each question applies: ``True``, ``False``, or ``None`` when that hinges on a "Non so".

    A question is asked when its ``relevant`` is true with "Non so" read as ``''`` (XLSForm). One that is
    not asked is ``None`` (undetermined) when some other answer in place of a "Non so" it depends on,
    directly or through another undetermined question, could have made it apply: the scoring counts it
    as "Non so" too, so that not knowing a gate never drops the items behind it.
    """
    effective: dict[str, Any] = {}
    unknown: set[str] = set()
    result: dict[str, bool | None] = {}
    for q in questionnaire.questions:
        expr = q.relevant_expr
        applies: bool | None = True
        if expr is not None and not expr.evaluate(effective):
            applies = False if unknown.isdisjoint(expr.refs) or expr.decide(effective, unknown) is False else None
        result[q.id] = applies
        if applies is None:
            unknown.add(q.id)
        elif applies and q.id in answers:
            effective[q.id] = answers[q.id]
            if answers[q.id] == "dk":
                unknown.add(q.id)
    return result


def relevance(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, bool]:
    """Whether each question is asked, in order: answers of questions not asked count as missing."""
    return {qid: applies is True for qid, applies in applicability(questionnaire, answers).items()}


def unanswered_required(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    """The ids of the required questions that apply and have no answer (``dk``/``na`` count as answers)."""
    applies = relevance(questionnaire, answers)
    return [q.id for q in questionnaire.questions if q.required and applies[q.id] and is_missing(answers.get(q.id))]


# ------------------------------------------------------------ single answers


def _check_select_one(qn: Questionnaire, q: Question, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (list, tuple)):
        return None, t("r.list_for_select_one")
    text = _plain_text(value)
    values = [c.value for c in qn.choices_of(q)]
    if text not in values:
        return None, t("r.not_in_choices", value=text, allowed=", ".join(values))
    return text, None


def _check_select_multiple(qn: Questionnaire, q: Question, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, (list, tuple)):
        return None, t("r.expected_list")
    choices = {c.value: c for c in qn.choices_of(q)}
    items = [_plain_text(v) for v in value]
    errors = []
    for item in items:
        if item not in choices:
            errors.append(t("r.not_in_choices", value=item, allowed=", ".join(choices)))
    for item in sorted({i for i in items if items.count(i) > 1}):
        errors.append(t("r.duplicate_in_list", value=item))
    if len(set(items)) > 1:
        for item in items:
            if item in choices and choices[item].exclusive:
                errors.append(t("r.exclusive_combined", value=item))
    if errors:
        return None, "; ".join(errors)
    return items, None


def _check_integer(qn: Questionnaire, q: Question, value: Any) -> tuple[Any, str | None]:
    return read_number(value, integer=True, percent=q.percent)


def _check_decimal(qn: Questionnaire, q: Question, value: Any) -> tuple[Any, str | None]:
    return read_number(value, percent=q.percent)


def _check_text(qn: Questionnaire, q: Question, value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (dict, list, bool)):
        return None, t("r.expected_text", value=value)
    return _plain_text(value), None


_CHECKS: dict[str, Callable[[Questionnaire, Question, Any], tuple[Any, str | None]]] = {
    "select_one": _check_select_one,
    "select_multiple": _check_select_multiple,
    "integer": _check_integer,
    "decimal": _check_decimal,
    "text": _check_text,
}


def _plain_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def check_answer(questionnaire: Questionnaire, question: Question, value: Any) -> tuple[Any, str | None]:
    """Normalise one raw answer: ``(value, None)`` or ``(None, message)``; missing gives ``(None, None)``."""
    if is_missing(value):
        return None, None
    if isinstance(value, str) and value.strip().lower() in ("na", "dk"):
        special = value.strip().lower()
        allowed = question.allow_na if special == "na" else question.allow_dk
        return (special, None) if allowed else (None, t(f"r.{special}_not_allowed"))
    return _CHECKS[question.type](questionnaire, question, value)


def check_constraint(question: Question, value: Any, answers: Mapping[str, Any]) -> str | None:
    """The constraint message when ``value`` breaks the question's constraint, else ``None``."""
    expr = question.constraint_expr
    if expr is None or value is None or value in ("na", "dk"):
        return None
    if expr.evaluate(answers, value):
        return None
    message = pick(question.constraint_message) or t("r.constraint_default", expr=question.constraint)
    return t("r.constraint", message=message)


@dataclass(frozen=True)
class CheckedAnswers:
    """Normalised answers of the known, relevant questions, and what was wrong or ignored."""

    answers: dict[str, Any]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check_answers(questionnaire: Questionnaire, answers: Mapping[str, Any], file: str = "") -> CheckedAnswers:
    """Check every answer at once; each problem names the question id."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    clean: dict[str, Any] = {}

    def place(qid: str) -> str:
        return t("place.question", id=qid)

    for qid, raw in answers.items():
        q = questionnaire.questions_by_id.get(qid)
        if q is None:
            problems.append(
                Problem(file, place(qid), t("r.unknown_question", id=qid, qid=questionnaire.id, version=questionnaire.version))
            )
            continue
        value, error = check_answer(questionnaire, q, raw)
        if error:
            problems.append(Problem(file, place(qid), error))
        elif value is not None:
            clean[qid] = value
    relevant = relevance(questionnaire, clean)
    for qid in list(clean):
        if not relevant[qid]:
            warnings.append(Problem(file, place(qid), t("r.not_relevant")))
            del clean[qid]
    for qid, value in clean.items():
        message = check_constraint(questionnaire.question(qid), value, clean)
        if message:
            problems.append(Problem(file, place(qid), message))
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    problems.sort(key=lambda p: order.get(p.place.split()[-1], -1))
    ordered = {q.id: clean[q.id] for q in questionnaire.questions if q.id in clean}
    return CheckedAnswers(ordered, tuple(problems), tuple(warnings))


# ------------------------------------------------------------ response files


def parse_response(data: Any, file: str, lines: LineMap | None = None) -> Response:
    if not isinstance(data, dict):
        raise InvalidInput(problems=[Problem(file, "", t("data.not_mapping"))])
    try:
        return Response.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems=flatten(exc, file, lines or LineMap({}), data)) from None


def load_response(path: Path) -> Response:
    """Read a response file (JSON, or YAML); structure errors are located and all reported."""
    data, lines = load_data(path)
    return parse_response(data, str(path), lines)


def validate_response(response: Response, questionnaire: Questionnaire, file: str = "") -> tuple[Response, tuple[Problem, ...]]:
    """The response with normalised answers, and its warnings; :class:`InvalidInput` lists every problem."""
    problems: list[Problem] = []
    ref = response.questionnaire
    if (ref.id, ref.version) != (questionnaire.id, questionnaire.version):
        problems.append(
            Problem(
                file,
                "questionnaire",
                t("r.questionnaire_mismatch", rid=ref.id, rversion=ref.version, qid=questionnaire.id, qversion=questionnaire.version),
            )
        )
    checked = check_answers(questionnaire, response.answers, file)
    problems += checked.problems
    if problems:
        raise InvalidInput(problems=problems)
    return response.model_copy(update={"answers": checked.answers}), checked.warnings


def response_to_json(response: Response) -> str:
    return dump_json(response.model_dump(mode="json", exclude_none=True))


def save_response(response: Response, path: Path) -> Path:
    """Write the response atomically (never a half-written file)."""
    atomic_write_text(path, response_to_json(response))
    return path
