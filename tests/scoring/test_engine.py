"""Scoring rules by hand-computed values on examples/esempio.yaml."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from crassess.questionnaire.load import validate_questionnaire
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
    # dimensions with a score weigh 2 + 1 of 4: 0.75 reaches the example's overall_min_coverage 0.75
    assert result.coverage == 0.75
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
    assert (con.score, con.coverage, con.gap, con.level) == (0, 1, 80, "base")
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
    # strumenti: (2*50 + 1*50) / 3 = 50 -> exactly the lower edge of "moderatamente_avanzato"
    result = score(esempio, {"strumenti": ["cloud"], "fatturazione": "parziale"})
    assert result.dimensions["strumenti"].score == 50
    assert result.dimensions["strumenti"].level == "moderatamente_avanzato"


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
    assert (result.overall, result.level, result.complete) == (0, "base", True)


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
    # only strumenti (weight 1 of 4) has a score: 0.25 < 0.75, no overall
    assert (data["overall"], data["level"], data["coverage"], data["complete"]) == (None, None, 0.25, False)
    data = result_to_dict(score(esempio, {"strumenti": ["cloud", "erp"], "fatturazione": "si", "velocita": 30, "wifi": "si"}))
    # connettivita (40 + 100) / 2 = 70, weight 2; overall (2 x 70 + 83.33) / 3
    assert (data["overall"], data["coverage"]) == (74.44, 0.75)


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


# ------------------------------------------------------------ rules: dont_know, coverage, overall_min_coverage

RULES = """\
id: regole
version: "1"
sector: impresa
title: {it: Regole}
levels:
  - {id: base, from: 0, label: {it: Base}}
  - {id: medio, from: 25, label: {it: Medio}}
  - {id: moderatamente_avanzato, from: 50, label: {it: Moderatamente avanzato}}
  - {id: avanzato, from: 75, label: {it: Avanzato}}
dimensions:
  - {id: a, label: {it: A}}
  - {id: b, label: {it: B}}
  - {id: c, label: {it: C}}
  - {id: d, label: {it: D}}
choices:
  spn:
    - {value: si, label: {it: Sì}, score: 100}
    - {value: parziale, label: {it: In parte}, score: 50}
    - {value: "no", label: {it: "No"}, score: 0}
  sn:
    - {value: si, label: {it: Sì}}
    - {value: "no", label: {it: "No"}}
questions:
  - {id: a1, dimension: a, type: select_one, choices: spn, allow_dk: true, label: {it: A1}}
  - {id: a2, dimension: a, type: select_one, choices: spn, allow_dk: true, label: {it: A2}}
  - {id: a3, dimension: a, type: select_one, choices: spn, allow_dk: true, label: {it: A3}}
  - {id: b1, dimension: b, type: select_one, choices: spn, allow_dk: true, allow_na: true, label: {it: B1}}
  - {id: c1, dimension: c, type: select_one, choices: spn, allow_dk: true, label: {it: C1}}
  - {id: d1, dimension: d, type: select_one, choices: spn, allow_dk: true, allow_na: true, label: {it: D1}}
"""


def inline(text, questions=None, **changes):
    """The questionnaire written in ``text`` with top-level ``changes`` and per-question ``{id: {key: value}}``."""
    data = {**yaml.safe_load(text), **changes}
    for q in data["questions"]:
        q.update((questions or {}).get(q["id"], {}))
    return validate_questionnaire(data, "inline.yaml")


def rules(questions=None, **changes):
    return inline(RULES, questions, **changes)


def test_dont_know_missing_leaves_the_item_out():
    # default dont_know: missing. a = (100 + 50) / 2 = 75 on coverage 2/3 < 0.67: no score
    result = score(rules(), {"a1": "si", "a2": "dk", "a3": "parziale"})
    a = result.dimensions["a"]
    assert (a.score, a.coverage, a.dont_know) == (None, pytest.approx(2 / 3), 1)
    assert result.items["a2"].status == "dk" and result.items["a2"].score is None and not result.items["a2"].answered


def test_dont_know_zero_scores_0_and_counts_as_answered():
    result = score(rules(dont_know="zero"), {"a1": "si", "a2": "dk", "a3": "parziale"})
    a = result.dimensions["a"]
    # (100 + 0 + 50) / 3 = 50, coverage 3/3
    assert (a.score, a.coverage, a.dont_know, a.level) == (50, 1, 1, "moderatamente_avanzato")
    assert (result.items["a2"].status, result.items["a2"].score) == ("dk", 0)


def test_dont_know_per_question_overrides_the_questionnaire():
    qn = rules({"a2": {"dont_know": "missing"}}, dont_know="zero", min_coverage="2/3")
    answers = {"a1": "si", "a2": "dk", "a3": "dk"}
    a = score(qn, answers).dimensions["a"]
    # a2 left out, a3 scores 0: (100 + 0) / 2 = 50, coverage 2/3 reaches "2/3"
    assert (a.score, a.coverage, a.dont_know) == (50, pytest.approx(2 / 3), 2)


def test_two_of_three_reach_a_fraction_but_not_0_67():
    answers = {"a1": "si", "a3": "parziale"}  # a2 unanswered: coverage 2/3 = 0.6667
    assert score(rules(min_coverage=0.67), answers).dimensions["a"].score is None
    assert score(rules(min_coverage="2/3"), answers).dimensions["a"].score == 75
    assert score(rules(min_coverage=0.6666), answers).dimensions["a"].score == 75


def test_coverage_compared_with_a_tolerance():
    qn = rules({"a1": {"weight": 0.1}, "a2": {"weight": 0.7}, "a3": {"weight": 0.2}}, min_coverage=0.8)
    a = score(qn, {"a1": "si", "a2": "no"}).dimensions["a"]
    assert a.coverage < 0.8  # 0.1 + 0.7 over 1.0 is 0.7999999999999999 in floating point
    assert a.score == pytest.approx(100 / 8)  # (0.1 x 100 + 0.7 x 0) / 0.8


FULL = {"a1": "si", "a2": "parziale", "a3": "no", "b1": "si", "c1": "parziale", "d1": "no"}


def test_overall_needs_every_dimension_by_default():
    # four dimensions of weight 1: a = 50, b = 100, c = 50, d missing -> share 3/4 < 1: no overall
    answers = {k: v for k, v in FULL.items() if k != "d1"}
    result = score(rules(), answers)
    assert result.dimensions["d"].score is None
    assert (result.overall, result.level, result.coverage, result.complete) == (None, None, 0.75, False)
    full = score(rules(), FULL)
    assert (full.overall, full.coverage, full.complete) == (50, 1, True)  # (50 + 100 + 50 + 0) / 4


def test_overall_min_coverage_below_one():
    answers = {k: v for k, v in FULL.items() if k != "d1"}
    result = score(rules(overall_min_coverage=0.75), answers)
    assert (result.overall, result.level, result.complete) == (pytest.approx(200 / 3), "moderatamente_avanzato", False)
    assert score(rules(overall_min_coverage=0.76), answers).overall is None


def test_a_weak_dimension_answered_dont_know_no_longer_lifts_the_overall():
    # the case: "Non so" to the whole weak dimension d used to drop it from the overall
    answers = {**FULL, "d1": "dk"}
    assert score(rules(), answers).overall is None  # missing: d has no score
    assert score(rules(dont_know="zero"), answers).overall == 50  # zero: d scores 0, as "no" does


def test_a_dimension_where_nothing_applies_is_left_out_of_the_share():
    result = score(rules(), {**FULL, "d1": "na"})
    assert result.dimensions["d"].coverage is None
    # (50 + 100 + 50) / 3 over the three applicable dimensions: share 3/3
    assert (result.overall, result.coverage, result.complete) == (pytest.approx(200 / 3), 1, True)


# ------------------------------------------------------------ a "Non so" gate

GATED = RULES + """\
  - {id: g, type: select_one, choices: sn, allow_dk: true, label: {it: G}}
  - {id: h, type: select_one, choices: sn, label: {it: H}}
  - {id: c2, dimension: c, type: select_one, choices: spn, relevant: "${g} = 'si'", label: {it: C2}}
  - {id: c3, dimension: c, type: select_one, choices: spn, relevant: "${g} = 'si' and ${h} = 'si'", label: {it: C3}}
  - {id: c4, dimension: c, type: select_one, choices: spn, relevant: "${c2} = 'si' or ${h} = 'si'", label: {it: C4}}
"""


def gated(dont_know="zero"):
    return inline(GATED, dont_know=dont_know)


def test_items_behind_a_dont_know_gate_count_as_dont_know():
    qn = gated()
    base = {**FULL, "c1": "si"}
    # g = no: c2, c3 and c4 do not apply; c = 100
    no = score(qn, {**base, "g": "no", "h": "no"})
    assert [no.items[q].status for q in ("c2", "c3", "c4")] == ["not_relevant"] * 3
    assert no.dimensions["c"].score == 100
    # g = dk, h = no: c2 could apply (undecided) -> dk = 0; c3 cannot whatever g is (h = no);
    # c4 hinges on c2, itself undecided -> dk = 0.  c = (100 + 0 + 0) / 3
    dk = score(qn, {**base, "g": "dk", "h": "no"})
    assert [dk.items[q].status for q in ("c2", "c3", "c4")] == ["dk", "not_relevant", "dk"]
    assert dk.dimensions["c"].score == pytest.approx(100 / 3)
    # h = si decides c4 whatever c2 is: asked, and unanswered here
    asked = score(qn, {**base, "g": "dk", "h": "si"})
    assert [asked.items[q].status for q in ("c2", "c3", "c4")] == ["dk", "dk", "missing"]
    assert asked.unanswered_required == ("c4",)


def test_dont_know_gate_with_the_missing_rule_lowers_coverage():
    dk = score(gated("missing"), {**FULL, "c1": "si", "g": "dk", "h": "no"})
    c = dk.dimensions["c"]
    assert (c.score, c.coverage, c.dont_know) == (None, pytest.approx(1 / 3), 2)


# ------------------------------------------------------------ actions: min_size, "Non so"

ACTIONS = """\
id: azioni
version: "1"
sector: impresa
title: {it: Azioni}
dont_know: zero
levels:
  - {id: base, from: 0, label: {it: Base}}
dimensions:
  - {id: a, label: {it: A}}
choices:
  spn:
    - {value: si, label: {it: Sì}, score: 100}
    - {value: parziale, label: {it: In parte}, score: 50}
    - {value: "no", label: {it: "No"}, score: 0}
questions:
  - {id: q1, dimension: a, type: select_one, choices: spn, label: {it: Q1}, action: {it: F1}}
  - {id: q2, dimension: a, type: select_one, choices: spn, label: {it: Q2}, action: {it: F2}, min_size: 10}
  - {id: q3, dimension: a, type: select_one, choices: spn, allow_dk: true, label: {it: Q3}, action: {it: F3}, effort: low}
"""


@pytest.mark.parametrize(("size", "expected"), [(None, ["q2", "q3", "q1"]), (9, ["q3", "q1"]), (10, ["q2", "q3", "q1"]), (250, ["q2", "q3", "q1"])])
def test_actions_honour_min_size(size, expected):
    qn = inline(ACTIONS)
    result = score(qn, {"q1": "parziale", "q2": "no", "q3": "dk"})
    # a = (50 + 0 + 0) / 3, gap 75 - 16.67 = 58.33; priorities 58.33 x (100 - item): q2 and q3 5833, q1 2917
    assert [a.question_id for a in actions(qn, result, size=size)] == expected
    assert [round(a.priority) for a in actions(qn, result)] == [5833, 5833, 2917]
    assert actions(qn, result)[1].item_score == 0  # q3 "Non so" scored 0: its action is proposed
