"""In the shipped questionnaires "Non so" never raises a score (issue 11).

For valid full answer sets of each sector, replacing any real answer to a scored question that offers
"Non so" by "Non so" never raises any dimension's score nor the overall. It holds because the shipped
questionnaires score "Non so" as 0 (``dont_know: zero``), require every dimension for an overall
(``overall_min_coverage: 1``), and count an item behind a "Non so" gate as "Non so" (the engine's
three-valued relevance), so no weak item or dimension can drop out of a mean.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.responses import check_answers
from crassess.scoring.engine import ScoreResult, score
from tests.conftest import ROOT
from tests.strategies import full_answers

SECTORS = ("comune", "associazione", "impresa")
QUESTIONNAIRES = {s: load_questionnaire(ROOT / "questionnaires" / f"{s}.yaml") for s in SECTORS}


def _scored(qn: Questionnaire, answers: dict[str, Any]) -> ScoreResult:
    checked = check_answers(qn, answers)  # drops the answers of questions that no longer apply
    assert not checked.problems, [str(p) for p in checked.problems]
    return score(qn, checked.answers)


def _not_higher(after: float | None, before: float | None) -> bool:
    """``after`` is no score ("dati insufficienti"), or a score no higher than ``before``."""
    return after is None or (before is not None and after <= before + 1e-9)


def raised_by_dont_know(qn: Questionnaire, answers: dict[str, Any]) -> list[str]:
    """Where replacing a real answer by "Non so" raises a score: ``question -> dimension or overall``."""
    before = _scored(qn, answers)
    found = []
    for q in qn.scored_questions:
        if not q.allow_dk or answers.get(q.id) in (None, "dk", "na"):
            continue
        after = _scored(qn, {**answers, q.id: "dk"})
        if not _not_higher(after.overall, before.overall):
            found.append(f"{q.id} -> overall")
        found += [f"{q.id} -> {dim}" for dim, d in after.dimensions.items() if not _not_higher(d.score, before.dimensions[dim].score)]
    return found


@pytest.mark.parametrize("sector", SECTORS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_dont_know_never_raises_a_score(sector: str, data: st.DataObject) -> None:
    qn = QUESTIONNAIRES[sector]
    assert raised_by_dont_know(qn, data.draw(full_answers(qn))) == []


def test_the_property_fails_when_dont_know_is_left_out():
    """The check can fail: with ``dont_know: missing`` dropping a weak item raises its dimension."""
    qn = load_questionnaire(ROOT / "questionnaires" / "impresa.yaml")
    missing = qn.model_validate({**qn.model_dump(by_alias=True), "dont_know": "missing"})
    example = find(full_answers(missing), lambda answers: bool(raised_by_dont_know(missing, answers)),
                   settings=settings(max_examples=500, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    assert raised_by_dont_know(missing, example)


def test_shipped_questionnaires_score_dont_know_as_zero():
    for qn in QUESTIONNAIRES.values():
        assert (qn.dont_know, qn.overall_min_coverage) == ("zero", 1)
        assert any(q.allow_dk for q in qn.scored_questions), qn.id  # the property above is not vacuous
