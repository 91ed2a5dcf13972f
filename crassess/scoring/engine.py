"""The scoring engine: items -> dimensions -> overall, levels, gaps and prioritised actions.

Pure functions returning frozen results; exact values are kept (round only for display).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from crassess.questionnaire.models import Question, Questionnaire
from crassess.questionnaire.responses import applicability, is_missing

ItemStatus = Literal["scored", "dk", "missing", "na", "not_relevant"]
TOLERANCE = 1e-9  # shares are compared with it, so that 2 of 3 equal weights reach a minimum of 2/3


@dataclass(frozen=True)
class ItemScore:
    question_id: str
    dimension: str
    weight: float
    status: ItemStatus
    score: float | None

    @property
    def applicable(self) -> bool:
        return self.status in ("scored", "dk", "missing")

    @property
    def answered(self) -> bool:
        """Counts in the dimension's mean and coverage: a real answer, or a "Non so" scored as zero."""
        return self.score is not None


@dataclass(frozen=True)
class DimensionScore:
    id: str
    weight: float
    target: float
    score: float | None
    level: str | None
    gap: float | None
    coverage: float | None
    dont_know: int
    items: tuple[ItemScore, ...]


@dataclass(frozen=True)
class Action:
    question_id: str
    dimension: str
    item_score: float
    priority: float


@dataclass(frozen=True)
class ScoreResult:
    questionnaire: str
    version: str
    overall: float | None
    level: str | None
    complete: bool
    coverage: float | None  # share of the applicable dimensions' weight that has a score
    dimensions: Mapping[str, DimensionScore]
    unanswered_required: tuple[str, ...]

    @property
    def items(self) -> dict[str, ItemScore]:
        return {i.question_id: i for d in self.dimensions.values() for i in d.items}


def item_score(questionnaire: Questionnaire, question: Question, value: Any) -> float | None:
    """The 0-100 score of a real answer to a scored question (``None`` if it cannot be scored)."""
    return _ITEM_SCORERS[question.type](questionnaire, question, value)


def _score_select_one(qn: Questionnaire, q: Question, value: Any) -> float | None:
    for c in qn.choices_of(q):
        if c.value == value:
            return c.score
    return None


def _score_select_multiple(qn: Questionnaire, q: Question, value: Any) -> float | None:
    choices = qn.choices_of(q)
    total = sum(c.score or 0 for c in choices)
    if total <= 0 or not isinstance(value, list):
        return None
    selected = sum(c.score or 0 for c in choices if c.value in value)
    return min(100.0, 100.0 * selected / total)


def _score_number(qn: Questionnaire, q: Question, value: Any) -> float | None:
    scoring = q.scoring
    if scoring is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if scoring.bands:
        result = None
        for threshold, band_score in scoring.bands:
            if value >= threshold:
                result = band_score
        return float(result) if result is not None else 0.0  # below the first threshold
    lo, hi = scoring.min, scoring.max
    assert lo is not None and hi is not None
    fraction = (value - lo) / (hi - lo)  # min > max: lower is better, the same formula
    return 100.0 * min(1.0, max(0.0, fraction))


_ITEM_SCORERS = {
    "select_one": _score_select_one,
    "select_multiple": _score_select_multiple,
    "integer": _score_number,
    "decimal": _score_number,
    "text": lambda qn, q, v: None,
}


def reaches(share: float, minimum: float) -> bool:
    """``share >= minimum`` up to :data:`TOLERANCE` (float sums of weights are not exact)."""
    return share >= minimum - TOLERANCE


def score(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> ScoreResult:
    """Score checked answers (see :func:`crassess.questionnaire.responses.check_answers`)."""
    applies = applicability(questionnaire, answers)
    per_dim: dict[str, list[ItemScore]] = {d.id: [] for d in questionnaire.dimensions}
    for q in questionnaire.scored_questions:
        per_dim[q.dimension or ""].append(_item(questionnaire, q, answers.get(q.id), applies[q.id]))

    dimensions = {d.id: _dimension(questionnaire, d.id, per_dim[d.id]) for d in questionnaire.dimensions}
    # a dimension where nothing applies (all "Non applicabile" or skipped) is left out, like such an item
    applicable = [d for d in dimensions.values() if d.coverage is not None]
    scored = [d for d in applicable if d.score is not None]
    coverage, overall = _covered_mean(applicable, scored, questionnaire.overall_min_coverage)
    unanswered = tuple(
        q.id for q in questionnaire.questions if q.required and applies[q.id] and is_missing(answers.get(q.id))
    )
    level = questionnaire.level_of(overall)
    return ScoreResult(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        overall=overall,
        level=level.id if level else None,
        complete=overall is not None and len(scored) == len(applicable) and not unanswered,
        coverage=coverage,
        dimensions=dimensions,
        unanswered_required=unanswered,
    )


def _covered_mean(parts: Sequence[ItemScore | DimensionScore], counted: Sequence[ItemScore | DimensionScore],
                  minimum: float) -> tuple[float | None, float | None]:
    """(coverage, mean): the counted parts' share of the weight, and their weighted mean if it reaches ``minimum``."""
    total = sum(p.weight for p in parts)
    counted_weight = sum(p.weight for p in counted)
    coverage = counted_weight / total if total else None
    if not counted or coverage is None or not reaches(coverage, minimum):
        return coverage, None
    return coverage, sum(p.weight * p.score for p in counted) / counted_weight  # type: ignore[misc]


def _item(qn: Questionnaire, q: Question, value: Any, applies: bool | None) -> ItemScore:
    if applies is False:
        status, item = "not_relevant", None
    elif applies is None or value == "dk":  # not knowing whether it applies is not knowing the answer
        status, item = "dk", 0.0 if qn.dont_know_of(q) == "zero" else None
    elif value == "na":
        status, item = "na", None
    elif is_missing(value):
        status, item = "missing", None
    else:
        item = item_score(qn, q, value)
        status = "scored" if item is not None else "missing"
    return ItemScore(q.id, q.dimension or "", q.weight, status, item)  # type: ignore[arg-type]


def _dimension(qn: Questionnaire, dim_id: str, items: list[ItemScore]) -> DimensionScore:
    dim = qn.dimensions_by_id[dim_id]
    applicable = [i for i in items if i.applicable]
    coverage, value = _covered_mean(applicable, [i for i in applicable if i.answered], qn.min_coverage)
    target = qn.target_of(dim)
    level = qn.level_of(value)
    return DimensionScore(
        id=dim_id,
        weight=dim.weight,
        target=target,
        score=value,
        level=level.id if level else None,
        gap=max(0.0, target - value) if value is not None else None,
        coverage=coverage,
        dont_know=sum(1 for i in applicable if i.status == "dk"),
        items=tuple(items),
    )


def proposed(question: Question, size: float | None) -> bool:
    """Whether the question's action suits an organisation of ``size`` (its ``min_size``; unknown size: yes)."""
    return question.min_size is None or size is None or size >= question.min_size


def actions(questionnaire: Questionnaire, result: ScoreResult, top: int | None = 10, size: float | None = None) -> list[Action]:
    """Improvement actions ranked by dimension weight x dimension gap x item weight x (100 - item score).

    Only items counted in the score (a "Non so" scored as zero too) with an ``action``, below 100, in
    dimensions with a gap qualify; an item whose ``min_size`` is above the respondent's ``size`` does not.
    Ties keep questionnaire order, so the ranking is deterministic.
    """
    found: list[Action] = []
    for dim in result.dimensions.values():
        if not dim.gap:
            continue
        for item in dim.items:
            q = questionnaire.question(item.question_id)
            if item.score is None or item.score >= 100 or not q.action or not proposed(q, size):
                continue
            priority = dim.weight * dim.gap * item.weight * (100 - item.score)
            found.append(Action(item.question_id, dim.id, item.score, priority))
    order = {q.id: i for i, q in enumerate(questionnaire.questions)}
    found.sort(key=lambda a: (-a.priority, order[a.question_id]))
    return found if top is None else found[:top]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def result_to_dict(result: ScoreResult) -> dict[str, Any]:
    """The JSON shape of a score (two decimals)."""
    return {
        "questionnaire": result.questionnaire,
        "version": result.version,
        "overall": _round(result.overall),
        "level": result.level,
        "complete": result.complete,
        "coverage": _round(result.coverage),
        "dimensions": {
            d.id: {
                "score": _round(d.score),
                "level": d.level,
                "target": _round(d.target),
                "gap": _round(d.gap),
                "coverage": _round(d.coverage),
                "dont_know": d.dont_know,
            }
            for d in result.dimensions.values()
        },
    }
