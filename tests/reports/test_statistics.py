"""Statistics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from crassess.reports.statistics import (
    Summary,
    mean,
    median,
    regularized_beta,
    sd,
    share,
    summarise,
    suppress_counts,
    t_cdf,
    t_interval,
    t_quantile,
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


def test_summarise_suppresses_below_min_n() -> None:
    assert summarise([10.0, 20.0, 30.0, 40.0], min_n=5) == Summary(n=4, suppressed=True)
    s = summarise([10.0, 20.0, 30.0, 40.0, 50.0], min_n=5, population=113)
    assert (s.n, s.mean, s.median, s.min, s.max, s.fpc) == (5, 30.0, 30.0, 10.0, 50.0, True)
    assert s.sd == pytest.approx(15.811388)
    assert summarise([], min_n=5) == Summary(n=0)


def test_suppress_counts_primary_and_secondary() -> None:
    assert suppress_counts({"a": 10, "b": 0, "c": 7}) == {"a": 10, "b": 0, "c": 7}
    # one small cell alone could be recovered from the total: the next smallest goes too
    assert suppress_counts({"a": 10, "b": 2, "c": 7}) == {"a": 10, "b": None, "c": None}
    assert suppress_counts({"a": 10, "b": 2, "c": 3}) == {"a": 10, "b": None, "c": None}
    assert suppress_counts({"a": 10, "b": 2}, partition=False) == {"a": 10, "b": None}
    assert suppress_counts({"a": 1, "b": 1}, min_n=3) == {"a": None, "b": None}


def test_share() -> None:
    assert share(5, 20) == 25.0
    assert share(0, 20) == 0.0
    assert share(3, 20) is None  # describes 3 respondents
    assert share(4, 4) is None  # the whole group is below min-n
