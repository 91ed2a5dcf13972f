"""Audit statistics against hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from crassess.reports import audit_stats as st

# 4 respondents x 3 items. Item variances (ddof 1): 5/3, 4.75/3, 2.75/3 (sum 12.5/3); totals 6, 8, 10, 14,
# variance 35/3. alpha = 3/2 * (1 - 12.5/35) = 27/28.
X = np.array([[1, 2, 3], [2, 3, 3], [3, 3, 4], [4, 5, 5]], dtype=float)


def test_cronbach_alpha_by_hand() -> None:
    assert st.cronbach_alpha(X) == pytest.approx(27 / 28)


def test_alpha_if_deleted_by_hand() -> None:
    # without item 1: variances 4.75/3 and 2.75/3, totals 5, 6, 7, 10 (variance 14/3): 2 * (1 - 7.5/14) = 13/14
    assert st.alpha_if_deleted(X)[0] == pytest.approx(13 / 14)


def test_item_rest_by_hand() -> None:
    # item 1 against items 2+3 = 5, 6, 7, 10: deviations (-1.5, -.5, .5, 1.5) and (-2, -1, 0, 3): r = 8 / sqrt(5 * 14)
    assert st.item_rest(X)[0] == pytest.approx(8 / math.sqrt(70))


def test_undefined_cases() -> None:
    assert st.cronbach_alpha(X[:, :1]) is None  # one item
    assert st.cronbach_alpha(X[:1]) is None  # one respondent
    assert st.cronbach_alpha(np.ones((4, 3))) is None  # no variance
    assert st.pearson(np.array([1.0, 1, 1]), np.array([1.0, 2, 3])) is None


def test_spearman_with_ties() -> None:
    assert st.average_ranks(np.array([10.0, 20, 20, 5])).tolist() == [2, 3.5, 3.5, 1]
    assert st.spearman(np.array([1.0, 2, 3, 4]), np.array([10.0, 20, 30, 40])) == pytest.approx(1)
    assert st.spearman(np.array([1.0, 2, 3, 4]), np.array([4.0, 3, 2, 1])) == pytest.approx(-1)


def test_perturbed_weights_keep_their_total_and_range() -> None:
    w = st.perturbed(np.array([1.0, 2.0, 1.0]), 500, 0.5, np.random.default_rng(1))
    assert w.shape == (500, 3)
    assert np.allclose(w.sum(axis=1), 4.0)
    ratio = w[:, 1] / w[:, 0]  # 2 * (1+u2)/(1+u1) with u in [-0.5, 0.5]
    assert ratio.min() >= 2 * 0.5 / 1.5 - 1e-9 and ratio.max() <= 2 * 1.5 / 0.5 + 1e-9


def _two_dimensions() -> st.Structure:
    return st.Structure(item_dimension=np.array([0, 0, 1]), item_weights=np.array([1.0, 1.0, 1.0]),
                        dimension_weights=np.array([1.0, 1.0]), level_edges=np.array([0.0, 25, 50, 75]))


def test_overall_scores_without_noise_is_the_weighted_mean() -> None:
    s = _two_dimensions()
    scores = np.array([[100.0, 50.0, 0.0], [20.0, np.nan, 80.0]])  # second respondent: one item missing
    out = st.overall_scores(scores, s, np.ones((1, 3)), np.ones((1, 2)), np.array([[True, True], [True, True]]))
    assert out[:, 0].tolist() == pytest.approx([(75 + 0) / 2, (20 + 80) / 2])
    # a dimension without a score at baseline stays out
    out = st.overall_scores(scores, s, np.ones((1, 3)), np.ones((1, 2)), np.array([[True, False], [True, True]]))
    assert out[0, 0] == pytest.approx(75)


def test_weight_perturbation_with_a_known_outcome() -> None:
    """Respondent A: dimensions 100 and 0, so overall = 100 w1/(w1+w2), within [25, 75] for +-50% weights.
    Respondent B: 60 everywhere, so every weighting gives 60 and the level never changes."""
    s = _two_dimensions()
    scores = np.array([[100.0, 100.0, 0.0], [60.0, 60.0, 60.0]])
    both = np.ones((2, 2), dtype=bool)
    sens = st.sensitivity(scores, s, both, np.array([50.0, 60.0]), None, np.array([80.0, 80.0]), draws=2000,
                          spread=0.5, rng=np.random.default_rng(3))
    assert 25 <= sens.overall[0].min() and sens.overall[0].max() <= 75
    assert sens.p05[0] < 40 and sens.p95[0] > 60  # wide: the level of A (50, "moderately advanced") is fragile
    assert 0.3 < sens.level_change[0] < 0.7  # below 50 in about half of the draws
    assert sens.p05[1] == pytest.approx(60) and sens.p95[1] == pytest.approx(60) and sens.level_change[1] == 0


def test_deterministic_for_a_seed() -> None:
    s = _two_dimensions()
    scores = np.array([[100.0, 30.0, 0.0], [60.0, 10.0, 90.0], [5.0, 50.0, 40.0]])
    run = lambda seed: st.sensitivity(scores, s, np.ones((3, 2), dtype=bool), np.array([32.5, 67.5, 33.75]), [0, 1],  # noqa: E731
                                      np.array([80.0, 80.0]), draws=300, spread=0.5, rng=np.random.default_rng(seed))
    a, b = run(7), run(7)
    assert np.array_equal(a.overall, b.overall) and a.spearman_median == b.spearman_median
    assert not np.array_equal(a.overall, run(8).overall)


def test_order_kept() -> None:
    assert st.order_kept([70.0, 50.0], np.array([[71.0, 40.0], [45.0, 52.0], [60.0, 59.0], [10.0, 20.0]])) == 0.5


def test_spearman_of_the_draws_matches_the_plain_formula() -> None:
    rng = np.random.default_rng(11)
    s = _two_dimensions()
    scores = rng.uniform(0, 100, size=(40, 3))
    baseline = st.overall_scores(scores, s, np.ones((1, 3)), np.ones((1, 2)), np.ones((40, 2), dtype=bool))[:, 0]
    sens = st.sensitivity(scores, s, np.ones((40, 2), dtype=bool), baseline, None, np.array([80.0, 80.0]), draws=50,
                          spread=0.5, rng=np.random.default_rng(2))
    plain = [st.spearman(baseline, sens.overall[:, k]) for k in range(50)]
    assert sens.spearman_median == pytest.approx(float(np.median(plain)))
