"""Hypothesis strategies: valid, full answer sets for any questionnaire.

Every question that applies given the earlier answers gets an answer: a choice (select_one), an exclusive
choice alone or a non-empty set of the others (select_multiple), a number (band edges, the linear scale's
ends, small and large values) or a text, or "Non so"/"Non applicabile" where allowed; constraints hold.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from crassess.questionnaire.models import Question, Questionnaire
from crassess.questionnaire.responses import check_constraint, relevance


def _numbers(q: Question) -> st.SearchStrategy[Any]:
    edges: list[float] = [0, 1, 10, 100, 1000]
    if q.scoring and q.scoring.bands:
        edges += [b[0] for b in q.scoring.bands] + [b[0] - 1 for b in q.scoring.bands]
    elif q.scoring:
        edges += [q.scoring.min or 0, q.scoring.max or 0]
    ints = st.one_of(st.sampled_from(sorted({int(e) for e in edges})), st.integers(0, 200_000))
    if q.type == "integer":
        return ints
    return st.one_of(ints, st.floats(0, 200_000, allow_nan=False).map(lambda x: round(x, 1)))


def _real(qn: Questionnaire, q: Question) -> st.SearchStrategy[Any]:
    choices = qn.choices_of(q)
    if q.type == "select_one":
        return st.sampled_from([c.value for c in choices])
    if q.type == "select_multiple":
        alone = [[c.value] for c in choices if c.exclusive]
        others = [c.value for c in choices if not c.exclusive]
        several = st.lists(st.sampled_from(others), min_size=1, max_size=len(others), unique=True) if others else st.nothing()
        return st.one_of(st.sampled_from(alone), several) if alone else several
    if q.type in ("integer", "decimal"):
        return _numbers(q)
    return st.sampled_from(["Nota", "Risposta di prova"])


def answer(qn: Questionnaire, q: Question, earlier: dict[str, Any]) -> st.SearchStrategy[Any]:
    """One valid answer to ``q`` given the ``earlier`` answers (constraints hold)."""
    specials = [s for s, allowed in (("dk", q.allow_dk), ("na", q.allow_na)) if allowed]
    real = _real(qn, q).filter(lambda v: check_constraint(q, v, earlier) is None)
    return st.one_of(real, st.sampled_from(specials)) if specials else real


@st.composite
def full_answers(draw: st.DrawFn, qn: Questionnaire) -> dict[str, Any]:
    """An answer to every question that applies, in questionnaire order (skip logic followed)."""
    answers: dict[str, Any] = {}
    for q in qn.questions:
        if relevance(qn, answers)[q.id]:
            answers[q.id] = draw(answer(qn, q, answers))
    return answers
