"""Statistics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from crassess.reports.statistics import (
    Stats,
    mean,
    median,
    percentile,
    regularized_beta,
    sd,
    summarise,
    t_cdf,
    t_interval,
    t_quantile,
    welch_interval,
)

VALUES = [60.0, 70.0, 80.0, 90.0]  # mean 75, sd sqrt(500/3) = 12.9099


def test_location_and_spread() -> None:
    assert mean(VALUES) == 75.0
    assert median(VALUES) == 75.0
    assert median([3.0, 1.0, 2.0]) == 2.0
    assert sd(VALUES) == pytest.approx(math.sqrt(500 / 3))
    assert sd([5.0]) is None
    assert mean([]) is None and median([]) is None


@pytest.mark.parametrize(("df", "expected"), [
    (1, 12.706205), (2, 4.302653), (3, 3.182446), (4, 2.776445), (9, 2.262157),
    (29, 2.045230), (30, 2.042272), (120, 1.979930),
])
def test_t_quantile_matches_tables(df: int, expected: float) -> None:
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-6)


def test_t_quantile_symmetry_and_cdf() -> None:
    assert t_quantile(0.025, 9) == pytest.approx(-2.262157, abs=1e-6)
    assert t_cdf(0.0, 5) == pytest.approx(0.5)
    assert t_cdf(2.570582, 5) == pytest.approx(0.975, abs=1e-7)
    assert regularized_beta(2, 3, 0.4) == pytest.approx(0.5248)  # 1 - sum_{k<2} C(4,k) .4^k .6^(4-k)
    with pytest.raises(ValueError):
        t_quantile(1.5, 3)


def test_t_interval_without_and_with_fpc() -> None:
    # se = 12.9099/2 = 6.45497; t(0.975, 3) = 3.182446; half = 20.5426
    low, high = t_interval(VALUES)  # type: ignore[misc]
    assert (low, high) == (pytest.approx(54.4574, abs=1e-4), pytest.approx(95.5426, abs=1e-4))
    # N = 10: se x sqrt((10 - 4)/(10 - 1)) = 0.816497 -> half = 16.7730
    low, high = t_interval(VALUES, population=10)  # type: ignore[misc]
    assert (low, high) == (pytest.approx(58.2270, abs=1e-4), pytest.approx(91.7730, abs=1e-4))
    # a census has no sampling error
    assert t_interval(VALUES, population=4) == (75.0, 75.0)
    assert t_interval([50.0]) is None


def test_summarise_with_p10_and_p90_from_ten_values() -> None:
    s = summarise([10.0, 20.0, 30.0, 40.0, 50.0], population=113)
    assert (s.n, s.mean, s.median, s.p10, s.p90, s.fpc) == (5, 30.0, 30.0, None, None, True)  # fewer than 10
    assert s.sd == pytest.approx(15.811388)
    ten = summarise([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0])
    # position (n - 1)p = 0.9: 10 + 0.9 x 10 = 19; 8.1: 90 + 0.1 x 10 = 91 (as numpy.percentile)
    assert (ten.p10, ten.p90, ten.fpc) == (pytest.approx(19.0), pytest.approx(91.0), False)
    assert summarise([]) == Stats(0)


def test_percentile_is_linear_between_order_statistics() -> None:
    assert percentile([float(x) for x in range(1, 12)], 0.1) == 2.0  # 11 values: exactly the 2nd
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0 and percentile([], 0.1) is None
    assert percentile([5.0], 0.9) == 5.0


def test_welch_interval_matches_scipy() -> None:
    # a: mean 75, s2/n = 41.667; b = [40, 50, 55, 65, 70]: mean 56, s2/n = 28.5; Welch df = 6.2977,
    # t = 2.419142: 19 -/+ 20.2641 (scipy.stats.ttest_ind(a, b, equal_var=False).confidence_interval())
    diff, low, high = welch_interval(VALUES, [40.0, 50.0, 55.0, 65.0, 70.0])  # type: ignore[misc]
    assert (diff, low, high) == (19.0, pytest.approx(-1.264071, abs=1e-5), pytest.approx(39.264071, abs=1e-5))
    # with the finite-population correction of each group (N = 10 and 20): df 6.5870, 19 -/+ 16.9823
    diff, low, high = welch_interval(VALUES, [40.0, 50.0, 55.0, 65.0, 70.0], population_a=10, population_b=20)  # type: ignore[misc]
    assert (low, high) == (pytest.approx(2.017718, abs=1e-5), pytest.approx(35.982282, abs=1e-5))
    assert welch_interval([1.0], VALUES) is None
    assert welch_interval([5.0, 5.0], [3.0, 3.0]) == (2.0, 2.0, 2.0)
