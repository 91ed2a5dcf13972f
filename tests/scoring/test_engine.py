"""Scoring rules by hand-computed values on examples/esempio.yaml."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crassess.scoring.engine import actions, result_to_dict, score


def test_rossi_hand_computed(esempio):
    answers = {
        "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
        "strumenti": ["cloud", "erp"], "fatturazione": "si",
        "addetti_formati": 25, "ore_perse": 5, "formazione": "dk",
    }
    result = score(esempio, answers)
    # connettivita: (2*100 + 1*70 + 1*50) / 4 = 80
    assert result.dimensions["connettivita"].score == pytest.approx(80)
    # strumenti: (2*75 + 1*100) / 3
    assert result.dimensions["strumenti"].score == pytest.approx(250 / 3)
    # competenze: 2 of 3 answered, coverage 0.667 < 0.67 -> insufficient
    assert result.dimensions["competenze"].score is None
    assert result.dimensions["competenze"].coverage == pytest.approx(2 / 3)
    assert result.overall == pytest.approx((2 * 80 + 250 / 3) / 3)
    assert result.level == "avanzato"
    assert result.complete is False


def test_bianchi_hand_computed_with_skip_na_and_dk(esempio):
    answers = {
        "fibra_disponibile": "no", "velocita": 20, "wifi": "na",
        "strumenti": ["nessuno"], "fatturazione": "parziale",
        "addetti_formati": 0, "ore_perse": "dk", "formazione": "no",
    }
    result = score(esempio, answers)
    con = result.dimensions["connettivita"]
    # fibra_sede not relevant, wifi na: only velocita (20 Mbit/s -> band [0, 0]) applies
    assert (con.score, con.coverage, con.gap, con.level) == (0, 1, 80, "iniziale")
    assert result.items["fibra_sede"].status == "not_relevant"
    assert result.items["wifi"].status == "na"
    assert result.dimensions["strumenti"].score == pytest.approx(50 / 3)  # (2*0 + 50) / 3
    comp = result.dimensions["competenze"]
    assert comp.score is None and comp.dont_know == 1 and comp.gap is None
    assert result.overall == pytest.approx((2 * 0 + 50 / 3) / 3)
    assert result.unanswered_required == ()


@pytest.mark.parametrize(
    ("speed", "expected"),
    [(0, 0), (29, 0), (30, 40), (99.9, 40), (100, 70), (999, 70), (1000, 100), (5000, 100)],
)
def test_band_scoring_edges(esempio, speed, expected):
    result = score(esempio, {"velocita": speed})
    assert result.items["velocita"].score == expected


@pytest.mark.parametrize(("share", "expected"), [(0, 0), (10, 20), (25, 50), (50, 100), (80, 100)])
def test_linear_scoring_higher_is_better(esempio, share, expected):
    assert score(esempio, {"addetti_formati": share}).items["addetti_formati"].score == pytest.approx(expected)


@pytest.mark.parametrize(("hours", "expected"), [(0, 100), (5, 75), (10, 50), (20, 0), (40, 0)])
def test_linear_scoring_lower_is_better(esempio, hours, expected):
    assert score(esempio, {"ore_perse": hours}).items["ore_perse"].score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("selected", "expected"),
    [(["cloud"], 50), (["erp", "crm"], 50), (["cloud", "erp", "crm"], 100), (["nessuno"], 0), ([], 0)],
)
def test_select_multiple_points(esempio, selected, expected):
    assert score(esempio, {"strumenti": selected}).items["strumenti"].score == pytest.approx(expected)


def test_coverage_threshold_exactly(esempio):
    # competenze: 3 questions of weight 1; 2 answered -> 0.667 < 0.67 -> no score; 3 -> score
    two = score(esempio, {"addetti_formati": 50, "ore_perse": 0, "formazione": "dk"})
    assert two.dimensions["competenze"].score is None
    three = score(esempio, {"addetti_formati": 50, "ore_perse": 0, "formazione": "parziale"})
    assert three.dimensions["competenze"].score == pytest.approx(250 / 3)
    # na removes the item from the denominator: connettivita with wifi na, fibra not relevant
    only = score(esempio, {"fibra_disponibile": "no", "velocita": 1000, "wifi": "na"})
    assert only.dimensions["connettivita"].coverage == 1 and only.dimensions["connettivita"].score == 100


def test_score_exactly_on_level_edge(esempio):
    # strumenti: (2*50 + 1*50) / 3 = 50 -> exactly the lower edge of "intermedio"
    result = score(esempio, {"strumenti": ["cloud"], "fatturazione": "parziale"})
    assert result.dimensions["strumenti"].score == 50
    assert result.dimensions["strumenti"].level == "intermedio"


def test_complete_requires_every_dimension_and_required_answers(esempio):
    best = {
        "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 1000, "wifi": "si",
        "strumenti": ["cloud", "erp", "crm"], "fatturazione": "si",
        "addetti_formati": 50, "ore_perse": 0, "formazione": "si",
    }
    result = score(esempio, best)
    assert (result.overall, result.level, result.complete) == (100, "avanzato", True)
    assert all(d.gap == 0 for d in result.dimensions.values())
    # dk counts as an answer, but here it leaves competenze without a score
    assert score(esempio, {**best, "formazione": "dk"}).complete is False
    # a required applicable question left unanswered
    missing = {k: v for k, v in best.items() if k != "fibra_sede"}
    result = score(esempio, missing)
    assert result.unanswered_required == ("fibra_sede",)
    assert result.complete is False
    # not required when not relevant
    assert score(esempio, {**missing, "fibra_disponibile": "no"}).unanswered_required == ()


def test_worst_answers_score_zero(esempio):
    worst = {
        "fibra_disponibile": "si", "fibra_sede": "no", "velocita": 0, "wifi": "no",
        "strumenti": ["nessuno"], "fatturazione": "no",
        "addetti_formati": 0, "ore_perse": 50, "formazione": "no",
    }
    result = score(esempio, worst)
    assert (result.overall, result.level, result.complete) == (0, "iniziale", True)


def test_no_answers(esempio):
    result = score(esempio, {})
    assert result.overall is None and result.level is None and result.complete is False
    assert all(d.coverage == 0 for d in result.dimensions.values())


def test_actions_ranked_by_priority(esempio):
    answers = {
        "fibra_disponibile": "si", "fibra_sede": "parziale", "velocita": 30, "wifi": "si",
        "strumenti": ["cloud", "erp", "crm"], "fatturazione": "no",
        "addetti_formati": 25, "ore_perse": 10, "formazione": "si",
    }
    result = score(esempio, answers)
    # connettivita: (2*50 + 40 + 100) / 4 = 60, gap 20, weight 2
    # strumenti: (2*100 + 0) / 3 = 66.67, gap 8.33; competenze: (50 + 50 + 100) / 3 = 66.67, gap 8.33
    got = [(a.question_id, round(a.priority, 2)) for a in actions(esempio, result)]
    # priority = dimension weight x gap x item weight x (100 - item score)
    assert got == [
        ("fibra_sede", 4000.0),        # 2 x 20 x 2 x 50
        ("velocita", 2400.0),          # 2 x 20 x 1 x 60
        ("fatturazione", 833.33),      # 1 x 8.33 x 1 x 100
        ("addetti_formati", 416.67),   # 1 x 8.33 x 1 x 50 (tie: questionnaire order)
        ("ore_perse", 416.67),
    ]
    assert [a.question_id for a in actions(esempio, result, top=2)] == ["fibra_sede", "velocita"]


def test_result_to_dict_rounds_to_two_decimals(esempio):
    result = score(esempio, {"strumenti": ["cloud", "erp"], "fatturazione": "si"})
    data = result_to_dict(result)
    assert data["dimensions"]["strumenti"] == {
        "score": 83.33, "level": "avanzato", "target": 75.0, "gap": 0.0, "coverage": 1.0, "dont_know": 0
    }
    assert data["overall"] == 83.33 and data["complete"] is False


# ------------------------------------------------------------ properties

ANSWER_POOL = {
    "fibra_disponibile": st.sampled_from(["si", "no", "dk", None]),
    "fibra_sede": st.sampled_from(["si", "parziale", "no", None]),
    "velocita": st.one_of(st.none(), st.just("dk"), st.integers(0, 10000)),
    "wifi": st.sampled_from(["si", "parziale", "no", "na", None]),
    "strumenti": st.one_of(st.none(), st.just(["nessuno"]), st.lists(st.sampled_from(["cloud", "erp", "crm"]), unique=True)),
    "fatturazione": st.sampled_from(["si", "parziale", "no", None]),
    "addetti_formati": st.one_of(st.none(), st.floats(0, 100)),
    "ore_perse": st.one_of(st.none(), st.just("dk"), st.integers(0, 1000)),
    "formazione": st.sampled_from(["si", "parziale", "no", "dk", None]),
}
answer_sets = st.fixed_dictionaries({}, optional=ANSWER_POOL).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _within(value):
    return value is None or 0 <= value <= 100


@settings(max_examples=300, deadline=None)
@given(answers=answer_sets)
def test_scores_stay_within_0_100(esempio, answers):
    result = score(esempio, answers)
    assert _within(result.overall)
    for dim in result.dimensions.values():
        assert _within(dim.score) and _within(dim.gap)
        assert all(_within(i.score) for i in dim.items)


@settings(max_examples=200, deadline=None)
@given(answers=answer_sets, other=st.sampled_from(["si", "parziale", "no", None]))
def test_answers_of_non_relevant_questions_never_change_scores(esempio, answers, other):
    answers = {**answers, "fibra_disponibile": "no"}
    changed = {k: v for k, v in answers.items() if k != "fibra_sede"}
    if other is not None:
        changed["fibra_sede"] = other
    assert score(esempio, answers) == score(esempio, changed)
