"""Descriptive statistics for sectors and the territory: pure functions, standard library only.

The t quantile is computed exactly (inverse of the Student t distribution through the
regularised incomplete beta function), so SciPy is not needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crassess.campaign.config import DEFAULT_MIN_N


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
    if population is not None and population > 1:
        se *= math.sqrt(max(0, population - n) / (population - 1))
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * se
    return m - half, m + half


# ------------------------------------------------------------------ summaries and suppression


@dataclass(frozen=True)
class Summary:
    """n, mean, median, sd, 95% CI, min and max of a set of scores; ``suppressed`` below min-n."""

    n: int
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    ci: tuple[float, float] | None = None
    min: float | None = None
    max: float | None = None
    suppressed: bool = False
    fpc: bool = False


def summarise(values: Sequence[float], min_n: int = DEFAULT_MIN_N, population: int | None = None) -> Summary:
    """Describe ``values``; with fewer than ``min_n`` only n is kept (``suppressed``)."""
    n = len(values)
    if n == 0:
        return Summary(0)
    if n < min_n:
        return Summary(n, suppressed=True)
    return Summary(
        n=n,
        mean=mean(values),
        median=median(values),
        sd=sd(values),
        ci=t_interval(values, population=population),
        min=min(values),
        max=max(values),
        fpc=population is not None,
    )


def suppress_counts(counts: Mapping[str, int], min_n: int = DEFAULT_MIN_N, partition: bool = True) -> dict[str, int | None]:
    """Counts with the cells of 1..min_n-1 respondents replaced by ``None`` (shown as ``n<5``).

    For a ``partition`` (cells adding up to a published total), a single suppressed cell could be
    recovered by subtraction, so the smallest other non-zero cell is suppressed too (secondary
    suppression).
    """
    out: dict[str, int | None] = {k: (None if 0 < v < min_n else v) for k, v in counts.items()}
    hidden = [k for k, v in out.items() if v is None]
    if partition and len(hidden) == 1:
        others = sorted((v, k) for k, v in counts.items() if k not in hidden and v > 0)
        if others:
            out[others[0][1]] = None
    return out


def share(count: int, total: int, min_n: int = DEFAULT_MIN_N) -> float | None:
    """count/total as a percentage, ``None`` (suppressed) when it describes 1..min_n-1 respondents
    or the total is below min_n."""
    if total < min_n or 0 < count < min_n:
        return None
    return 100.0 * count / total
