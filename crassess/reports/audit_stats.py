"""Statistics of the questionnaire audit: reliability, item quality, weight sensitivity (pure numpy).

Conventions (OECD/JRC Handbook on composite indicators; JRC-COIN ten-step guide):

- Cronbach's alpha = k/(k-1) * (1 - sum of item variances / variance of the total), sample variances
  (ddof=1), on respondents who answered every item (listwise). Undefined (None) with fewer than two items,
  two respondents, or a total without variance.
- Item-rest correlation: Pearson's r between an item and the sum of the other items of its dimension
  (the "corrected item-total correlation"), on the same respondents.
- Weight perturbation: each draw multiplies every weight by ``1 + U(-spread, +spread)``; weights are then
  renormalised to their original total (the weighted means do not depend on the total, so this only keeps
  the printed weights readable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def cronbach_alpha(x: np.ndarray) -> float | None:
    """Alpha of a complete respondents x items matrix."""
    n, k = x.shape
    if k < 2 or n < 2:
        return None
    total = x.sum(axis=1).var(ddof=1)
    if total <= 0:
        return None
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def alpha_if_deleted(x: np.ndarray) -> list[float | None]:
    """Alpha of the matrix without each item in turn."""
    return [cronbach_alpha(np.delete(x, j, axis=1)) for j in range(x.shape[1])]


def pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    """Pearson's r; None when either side has no variance or fewer than three pairs."""
    if len(a) < 3:
        return None
    da, db = a - a.mean(), b - b.mean()
    den = float(np.sqrt((da * da).sum() * (db * db).sum()))
    return float((da * db).sum() / den) if den > 0 else None


def item_rest(x: np.ndarray) -> list[float | None]:
    """Each item's correlation with the sum of the other items (complete matrix)."""
    total = x.sum(axis=1)
    return [pearson(x[:, j], total - x[:, j]) if x.shape[1] > 1 else None for j in range(x.shape[1])]


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n with ties given their average rank (as Spearman's rho needs)."""
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    start = 0
    while start < len(values):
        end = start
        while end + 1 < len(values) and sorted_values[end + 1] == sorted_values[start]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    return pearson(average_ranks(a), average_ranks(b))


def perturbed(weights: np.ndarray, draws: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    """``draws`` x len(weights) weights, each multiplied by 1 + U(-spread, spread), same total as ``weights``."""
    noisy = weights[None, :] * (1 + rng.uniform(-spread, spread, size=(draws, len(weights))))
    return noisy * (weights.sum() / noisy.sum(axis=1, keepdims=True))


@dataclass(frozen=True)
class Structure:
    """What the weight perturbation needs of a questionnaire: items by dimension and the weights."""

    item_dimension: np.ndarray  # per item: index of its dimension
    item_weights: np.ndarray
    dimension_weights: np.ndarray
    level_edges: np.ndarray  # lower edges of the levels, ascending


def _groups(answered: np.ndarray, exists: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Respondents grouped by which items count and which dimensions have a score: (patterns, group of each row).

    Within a group every dimension has the same denominator in every draw, so a whole group's scores are one
    matrix product; real campaigns have few patterns (relevance, "Non so", "Non applicabile").
    """
    key = np.concatenate([answered, exists], axis=1)
    patterns, inverse = np.unique(key, axis=0, return_inverse=True)
    return patterns, inverse.reshape(-1)


def _item_factors(pattern: np.ndarray, structure: Structure, item_w: np.ndarray, dim_w: np.ndarray | None) -> np.ndarray:
    """Items x draws: the factor of each item's score in the overall (or, without ``dim_w``, in its dimension)."""
    n_items = structure.item_dimension.shape[0]
    answered, exists = pattern[:n_items], pattern[n_items:]
    counts = answered & exists[structure.item_dimension]
    w = item_w * counts[None, :]  # draws x items
    onehot = np.eye(structure.dimension_weights.shape[0])[structure.item_dimension]  # items x dimensions
    den = w @ onehot  # draws x dimensions: each dimension's answered weight
    den[den == 0] = 1.0
    scale = (dim_w if dim_w is not None else 1.0) / den
    return (w * scale[:, structure.item_dimension]).T


def overall_scores(scores: np.ndarray, structure: Structure, item_w: np.ndarray, dim_w: np.ndarray,
                   dims_scored: np.ndarray) -> np.ndarray:
    """Respondents x draws overall scores under perturbed weights.

    ``scores``: respondents x items, NaN where an item does not count (not answered, not applicable);
    ``item_w``: draws x items; ``dim_w``: draws x dimensions; ``dims_scored``: respondents x dimensions, the
    dimensions that have a score at baseline (the coverage rule decides that; weights do not change it).
    """
    answered = ~np.isnan(scores)
    values = np.nan_to_num(scores)
    patterns, group = _groups(answered, dims_scored)
    n_items = structure.item_dimension.shape[0]
    out = np.empty((scores.shape[0], item_w.shape[0]))
    for g, pattern in enumerate(patterns):
        rows = np.flatnonzero(group == g)
        den = dim_w @ pattern[n_items:].astype(float)  # draws: the weight of the dimensions with a score
        with np.errstate(invalid="ignore", divide="ignore"):
            out[rows] = (values[rows] @ _item_factors(pattern, structure, item_w, dim_w)) / den[None, :]
    return out


def dimension_means(scores: np.ndarray, structure: Structure, item_w: np.ndarray, dims_scored: np.ndarray) -> np.ndarray:
    """Draws x dimensions: the mean dimension score over the respondents who have that dimension."""
    answered = ~np.isnan(scores)
    values = np.nan_to_num(scores)
    patterns, group = _groups(answered, dims_scored)
    n_dims = structure.dimension_weights.shape[0]
    onehot = np.eye(n_dims)[structure.item_dimension]
    total = np.zeros((item_w.shape[0], n_dims))
    for g, pattern in enumerate(patterns):
        summed = values[group == g].sum(axis=0)  # the group's item totals: their mean is all we need
        total += (summed[:, None] * _item_factors(pattern, structure, item_w, None)).T @ onehot
    counts = dims_scored.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, total / counts, np.nan)


@dataclass(frozen=True)
class Sensitivity:
    """What a weight perturbation shows, respondents x draws reduced to what may be published."""

    draws: int
    overall: np.ndarray  # respondents x draws (kept for the caller's own reductions; never published)
    p05: np.ndarray  # per respondent
    p95: np.ndarray
    level_change: np.ndarray  # per respondent: share of draws whose level differs from the baseline level
    spearman_median: float | None
    dimension_order_kept: float | None  # share of draws keeping the baseline order of the dimensions


def levels_of(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.searchsorted(edges, values, side="right") - 1


def sensitivity(scores: np.ndarray, structure: Structure, dims_scored: np.ndarray, baseline: np.ndarray,
                dimension_order: Sequence[int] | None, targets: np.ndarray, *, draws: int, spread: float,
                rng: np.random.Generator) -> Sensitivity:
    """Monte Carlo over item and dimension weights (uniform +-spread); ``baseline`` is each respondent's overall."""
    item_w = perturbed(structure.item_weights, draws, spread, rng)
    dim_w = perturbed(structure.dimension_weights, draws, spread, rng)
    overall = overall_scores(scores, structure, item_w, dim_w, dims_scored)
    p05, p95 = np.percentile(overall, [5, 95], axis=1) if len(baseline) else (np.array([]), np.array([]))
    base_level = levels_of(baseline, structure.level_edges)
    changed = (levels_of(overall, structure.level_edges) != base_level[:, None]).mean(axis=1)
    rho = None
    if len(baseline) >= 3 and np.ptp(baseline) > 0:
        base_rank = average_ranks(baseline)
        n = len(baseline)
        by_draw = np.ascontiguousarray(overall.T)  # draws x respondents: each draw's sort reads contiguous memory
        order = np.argsort(by_draw, axis=1)
        ranks = np.empty_like(by_draw)
        ranks[np.arange(draws)[:, None], order] = np.arange(1, n + 1, dtype=float)[None, :]
        # ordinal ranks in a draw have the mean (n+1)/2 and the sum of squared deviations n(n^2-1)/12
        br = base_rank - base_rank.mean()
        covariance = ranks @ br
        rho = float(np.median(covariance / np.sqrt((br ** 2).sum() * n * (n * n - 1) / 12)))
    kept = None
    if dimension_order is not None and len(dimension_order) > 1:
        means = dimension_means(scores, structure, item_w, dims_scored)
        gaps = np.maximum(0.0, targets[None, :] - means)
        idx = list(dimension_order)
        sub = gaps[:, idx]
        kept = float(np.mean(np.all(np.diff(sub, axis=1) <= 0, axis=1)))  # baseline order: largest gap first
    return Sensitivity(draws, overall, p05, p95, changed, rho, kept)


def order_kept(baseline_means: Sequence[float], draw_means: np.ndarray) -> float:
    """Share of draws (rows of ``draw_means``) that rank the groups as the baseline does (highest first)."""
    base = np.argsort(-np.asarray(baseline_means), kind="stable")
    draws = np.argsort(-draw_means, axis=1, kind="stable")
    return float(np.mean(np.all(draws == base[None, :], axis=1)))
