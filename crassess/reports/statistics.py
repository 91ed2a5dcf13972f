"""Descriptive statistics for sectors and the territory: pure functions, standard library only.

The t quantile is computed exactly (inverse of the Student t distribution through the
regularised incomplete beta function), so SciPy is not needed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def sd(values: Sequence[float]) -> float | None:
    """Sample standard deviation (divisor n - 1); ``None`` below two values."""
    if len(values) < 2:
        return None
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1))


# ------------------------------------------------------------------ Student t


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                          -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def regularized_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * regularized_beta(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t (e.g. ``t_quantile(0.975, 9) = 2.2622``), by bisection."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("p must be in (0, 1) and df > 0")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2


def t_interval(
    values: Sequence[float], confidence: float = 0.95, population: int | None = None
) -> tuple[float, float] | None:
    """The t confidence interval of the mean, x̄ ± t·s/√n, with the finite-population correction
    √((N - n)/(N - 1)) when the population size N is known. ``None`` below two values."""
    n = len(values)
    if n < 2:
        return None
    m, s = sum(values) / n, sd(values)
    assert s is not None
    se = s / math.sqrt(n)
    se *= _fpc(n, population)
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * se
    return m - half, m + half


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p`` quantile (0-1) by linear interpolation between order statistics (Hyndman-Fan type 7, as
    numpy and spreadsheets' PERCENTILE): position (n - 1)p."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * p
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _fpc(n: int, population: int | None) -> float:
    """The finite-population correction of a standard error, sqrt((N - n)/(N - 1)); 1 when N is unknown."""
    if population is None or population <= 1:
        return 1.0
    return math.sqrt(max(0, population - n) / (population - 1))


def paired_interval(differences: Sequence[float], confidence: float = 0.95) -> tuple[float, float] | None:
    """The interval of a mean change among the same respondents: the t interval of their individual
    differences (paired t). ``None`` below two pairs."""
    return t_interval(differences, confidence)


def welch_interval(a: Sequence[float], b: Sequence[float], confidence: float = 0.95, population_a: int | None = None,
                   population_b: int | None = None) -> tuple[float, float, float] | None:
    """The difference of means mean(a) - mean(b) with Welch's interval (unequal variances,
    Welch-Satterthwaite degrees of freedom), each standard error with its finite-population correction
    when its N is known: ``(difference, low, high)``; ``None`` below two values in a group."""
    if len(a) < 2 or len(b) < 2:
        return None
    va = (sd(a) or 0.0) ** 2 / len(a) * _fpc(len(a), population_a) ** 2
    vb = (sd(b) or 0.0) ** 2 / len(b) * _fpc(len(b), population_b) ** 2
    diff = sum(a) / len(a) - sum(b) / len(b)
    if va + vb == 0:
        return diff, diff, diff
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = t_quantile(1 - (1 - confidence) / 2, df) * math.sqrt(va + vb)
    return diff, diff - half, diff + half


# ------------------------------------------------------------------ descriptive summary

SPREAD_MIN_N = 10  # P10 and P90 only from 10 values: below, they are (nearly) single respondents' scores


@dataclass(frozen=True)
class Stats:
    """n, mean, median, sd, 95% CI (with the FPC when ``fpc``), P10 and P90 of a set of scores (raw: what
    is published is decided by :mod:`crassess.reports.disclosure`)."""

    n: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    ci: tuple[float, float] | None = None
    p10: float | None = None
    p90: float | None = None
    fpc: bool = False


def summarise(values: Sequence[float], population: int | None = None) -> Stats:
    """Describe ``values``; the interval has the finite-population correction when ``population`` is known."""
    n = len(values)
    if n == 0:
        return Stats(0)
    spread = n >= SPREAD_MIN_N
    return Stats(
        n=n,
        mean=mean(values),
        median=median(values),
        sd=sd(values),
        ci=t_interval(values, population=population),
        p10=percentile(values, 0.1) if spread else None,
        p90=percentile(values, 0.9) if spread else None,
        fpc=population is not None,
    )
