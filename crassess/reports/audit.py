"""``crassess audit``: is the questionnaire measuring well? Item quality, reliability, weight sensitivity.

Pure: from a campaign's scored complete responses to frozen results; rendering is in
:mod:`crassess.reports.audit_render`. Every published figure describes at least ``min_n`` respondents;
per-respondent results of the weight perturbation are reduced to their distribution, never listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from crassess.campaign.scored import Campaign
from crassess.questionnaire.models import Question, Questionnaire
from crassess.reports import audit_stats as st
from crassess.scoring.engine import ItemScore
from crassess.scoring.files import ScoredResponse

MIN_ALPHA_N = 10  # alpha and correlations on fewer complete respondents are too unstable to publish
SPREAD = 0.5  # weights perturbed uniformly within +-50%
VARIANCE_SHARE, REST_R, DK_SHARE, CEILING_SHARE = 0.9, 0.2, 0.2, 0.8  # flag thresholds
ALPHA_OK = 0.7
LEVEL_CHANGE_DRAWS = 0.05  # a respondent's level "depends on the weights" when it changes in 5% of draws
STATUSES = ("scored", "dk", "na", "missing", "not_relevant")


@dataclass(frozen=True)
class ItemAudit:
    question: str
    dimension: str
    n: int  # real answers with a score
    counts: Mapping[str, int]  # per status, over the complete responses
    mean: float | None
    sd: float | None
    floor: int  # answers at the lowest possible score
    ceiling: int  # answers at the highest possible score
    modal: float | None  # share of the most frequent answer
    rest_r: float | None  # item-rest correlation, on the dimension's complete respondents
    flags: tuple[str, ...]


@dataclass(frozen=True)
class DimensionAudit:
    id: str
    items: tuple[str, ...]
    n_complete: int
    alpha: float | None
    alpha_if_deleted: Mapping[str, float | None]
    withheld: str | None  # why alpha is not published ("n", "one_item", "no_variance"), else None


@dataclass(frozen=True)
class Correlation:
    a: str
    b: str
    n: int
    r: float | None  # None: withheld (n below MIN_ALPHA_N) or undefined


@dataclass(frozen=True)
class WeightAudit:
    n: int  # respondents with an overall score
    draws: int
    width_median: float | None  # of the 5th-95th percentile interval of a respondent's overall
    width_p90: float | None
    level_sensitive: int | None  # respondents whose level changes in >= 5% of draws
    level_change_mean: float | None  # mean share of draws with a changed level
    spearman_median: float | None
    dimension_order_kept: float | None
    equal_weight_diff_mean: float | None  # weighted minus equal-weight (DMA-style) overall
    equal_weight_diff_p10: float | None
    equal_weight_diff_p90: float | None
    equal_weight_level_differs: int | None  # respondents with another level under equal weights
    withheld: bool


@dataclass(frozen=True)
class QuestionnaireAudit:
    questionnaire: Questionnaire
    n: int
    drafts: int
    items: tuple[ItemAudit, ...]
    dimensions: tuple[DimensionAudit, ...]
    correlations: tuple[Correlation, ...]
    weights: WeightAudit
    sector_means: np.ndarray | None  # draws: the questionnaire's mean overall (for the sector ranking)
    baseline_mean: float | None


@dataclass(frozen=True)
class CampaignAudit:
    name: str
    min_n: int
    draws: int
    seed: int
    synthetic: bool
    questionnaires: tuple[QuestionnaireAudit, ...]
    sector_order: tuple[str, ...]  # sectors ranked by mean overall, highest first (those with >= min_n)
    sector_order_kept: float | None


def alpha_n(min_n: int) -> int:
    """Complete respondents needed for alpha and correlations: at least 10, and never below min_n."""
    return max(MIN_ALPHA_N, min_n)


def _score_range(qn: Questionnaire, q: Question) -> tuple[float, float]:
    if q.type == "select_one":
        scores = [c.score for c in qn.choices_of(q) if c.score is not None]
        return (min(scores), max(scores)) if scores else (0.0, 100.0)
    if q.scoring is not None and q.scoring.bands:
        band_scores = [b for _, b in q.scoring.bands] + [0.0]
        return min(band_scores), max(band_scores)
    return 0.0, 100.0


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _item_audit(qn: Questionnaire, q: Question, responses: Sequence[ScoredResponse], items: Sequence[Mapping[str, ItemScore]],
                rest_r: float | None, min_n: int) -> ItemAudit:
    statuses = [i[q.id] for i in items]
    tally = Counter(i.status for i in statuses)
    counts = {s: tally[s] for s in STATUSES}
    values = np.array([i.score for i in statuses if i.status == "scored" and i.score is not None])
    raw = [r.response.answers.get(q.id) for r, i in zip(responses, statuses) if i.status == "scored"]
    n = len(values)
    lo, hi = _score_range(qn, q)
    mean = float(values.mean()) if n else None
    sd = float(values.std(ddof=1)) if n > 1 else None
    floor = int(np.isclose(values, lo).sum())
    ceiling = int(np.isclose(values, hi).sum())
    keys = [repr(sorted(v)) if isinstance(v, list) else repr(v) for v in raw]
    modal = _share(max(Counter(keys).values(), default=0), n)
    applicable = counts["scored"] + counts["dk"] + counts["missing"]
    flags = []
    if modal is not None and modal > VARIANCE_SHARE:
        flags.append("variance")
    if rest_r is not None and rest_r < REST_R:
        flags.append("rest")
    if applicable and counts["dk"] / applicable > DK_SHARE:
        flags.append("dk")
    if n and ceiling / n > CEILING_SHARE:
        flags.append("ceiling")
    return ItemAudit(q.id, q.dimension or "", n, counts, mean, sd, floor, ceiling, modal, rest_r, tuple(flags))


def _complete_matrix(per_response: Sequence[Mapping[str, ItemScore]], qids: Sequence[str]) -> np.ndarray:
    rows = []
    for items in per_response:
        if all(items[q].status == "scored" and items[q].score is not None for q in qids):
            rows.append([items[q].score for q in qids])
    return np.array(rows, dtype=float).reshape(len(rows), len(qids))


def _dimension_audit(dim: str, qids: Sequence[str], matrix: np.ndarray, min_n: int) -> DimensionAudit:
    n = matrix.shape[0]
    if len(qids) < 2:
        return DimensionAudit(dim, tuple(qids), n, None, {}, "one_item")
    if n < alpha_n(min_n):
        return DimensionAudit(dim, tuple(qids), n, None, {}, "n")
    alpha = st.cronbach_alpha(matrix)
    if alpha is None:
        return DimensionAudit(dim, tuple(qids), n, None, {}, "no_variance")
    return DimensionAudit(dim, tuple(qids), n, alpha, dict(zip(qids, st.alpha_if_deleted(matrix))), None)


def _correlations(qn: Questionnaire, responses: Sequence[ScoredResponse], min_n: int) -> tuple[Correlation, ...]:
    dims = [d.id for d in qn.dimensions]
    scores = np.array([[s if (s := r.result.dimensions[d].score) is not None else np.nan for d in dims]
                       for r in responses], dtype=float).reshape(len(responses), len(dims))
    out = []
    for i, a in enumerate(dims):
        for j in range(i + 1, len(dims)):
            both = scores[~np.isnan(scores[:, i]) & ~np.isnan(scores[:, j])][:, [i, j]]
            r_ab = st.pearson(both[:, 0], both[:, 1]) if len(both) >= alpha_n(min_n) else None
            out.append(Correlation(a, dims[j], len(both), r_ab))
    return tuple(out)


def _structure(qn: Questionnaire) -> tuple[st.Structure, list[Question]]:
    dims = [d.id for d in qn.dimensions]
    items = qn.scored_questions
    return st.Structure(
        item_dimension=np.array([dims.index(q.dimension or "") for q in items], dtype=int),
        item_weights=np.array([q.weight for q in items], dtype=float),
        dimension_weights=np.array([d.weight for d in qn.dimensions], dtype=float),
        level_edges=np.array([lv.from_ for lv in qn.levels], dtype=float),
    ), items


def _weights(qn: Questionnaire, responses: Sequence[ScoredResponse], per_response: Sequence[Mapping[str, ItemScore]],
             draws: int, rng: np.random.Generator, min_n: int) -> tuple[WeightAudit, np.ndarray | None, float | None]:
    structure, items = _structure(qn)
    rated_items = [i for r, i in zip(responses, per_response) if r.result.overall is not None]
    rated = [r for r in responses if r.result.overall is not None]
    n = len(rated)
    empty = WeightAudit(n, draws, *([None] * 10), withheld=True)  # type: ignore[arg-type]
    if n < min_n:
        return empty, None, None
    scores = np.array([[s if (s := i[q.id].score) is not None else np.nan for q in items] for i in rated_items],
                      dtype=float).reshape(n, len(items))
    dims = [d.id for d in qn.dimensions]
    scored = np.array([[r.result.dimensions[d].score is not None for d in dims] for r in rated])
    baseline = np.array([r.result.overall for r in rated], dtype=float)
    targets = np.array([qn.target_of(d) for d in qn.dimensions], dtype=float)
    means = [np.mean([s for r in rated if (s := r.result.dimensions[d].score) is not None] or [np.nan]) for d in dims]
    gaps = np.maximum(0.0, targets - np.array(means))
    order = [i for i in np.argsort(-gaps, kind="stable") if not np.isnan(gaps[i])]
    sens = st.sensitivity(scores, structure, scored, baseline, order, targets, draws=draws, spread=SPREAD, rng=rng)
    width = sens.p95 - sens.p05
    dim_scores = np.array([[r.result.dimensions[d].score if r.result.dimensions[d].score is not None else np.nan
                            for d in dims] for r in rated], dtype=float)
    equal = np.nanmean(dim_scores, axis=1)
    diff = baseline - equal
    differs = st.levels_of(baseline, structure.level_edges) != st.levels_of(equal, structure.level_edges)
    audit = WeightAudit(
        n=n, draws=draws,
        width_median=float(np.median(width)), width_p90=float(np.percentile(width, 90)),
        level_sensitive=int(np.sum(sens.level_change >= LEVEL_CHANGE_DRAWS)),
        level_change_mean=float(np.mean(sens.level_change)),
        spearman_median=sens.spearman_median, dimension_order_kept=sens.dimension_order_kept,
        equal_weight_diff_mean=float(diff.mean()), equal_weight_diff_p10=float(np.percentile(diff, 10)),
        equal_weight_diff_p90=float(np.percentile(diff, 90)), equal_weight_level_differs=int(differs.sum()),
        withheld=False,
    )
    return audit, sens.overall.mean(axis=0), float(baseline.mean())


def audit_questionnaire(qn: Questionnaire, responses: Sequence[ScoredResponse], drafts: int, *, min_n: int,
                        draws: int, rng: np.random.Generator) -> QuestionnaireAudit:
    """Items, dimensions, correlations and weights of one questionnaire's complete responses."""
    per_response = [r.result.items for r in responses]  # a property that builds a dict: once per response
    items: list[ItemAudit] = []
    dimensions: list[DimensionAudit] = []
    for dim in qn.dimensions:
        qids = [q.id for q in qn.scored_questions if q.dimension == dim.id]
        matrix = _complete_matrix(per_response, qids)
        rest = st.item_rest(matrix) if len(qids) > 1 and matrix.shape[0] >= alpha_n(min_n) else [None] * len(qids)
        dimensions.append(_dimension_audit(dim.id, qids, matrix, min_n))
        items += [_item_audit(qn, qn.question(qid), responses, per_response, r, min_n) for qid, r in zip(qids, rest)]
    weights, sector_means, baseline_mean = _weights(qn, responses, per_response, draws, rng, min_n)
    return QuestionnaireAudit(qn, len(responses), drafts, tuple(items), tuple(dimensions),
                              _correlations(qn, responses, min_n), weights, sector_means, baseline_mean)


def audit_campaign(campaign: Campaign, *, only: str | None = None, draws: int = 1000, seed: int = 1) -> CampaignAudit:
    """The audit of every questionnaire of ``campaign`` (or only ``only``), deterministic for a seed."""
    rng = np.random.default_rng(seed)
    by_qn: dict[str, list[ScoredResponse]] = {}
    qns: dict[str, Questionnaire] = {}
    for r in campaign.responses:
        by_qn.setdefault(r.questionnaire.id, []).append(r)
        qns[r.questionnaire.id] = r.questionnaire
    drafts = campaign.drafts_by_sector()
    audits = tuple(
        audit_questionnaire(qns[qid], by_qn[qid], drafts.get(qns[qid].sector, 0), min_n=campaign.min_n, draws=draws,
                            rng=rng)
        for qid in sorted(by_qn) if only in (None, qid)
    )
    ranked = [a for a in audits if a.sector_means is not None and a.baseline_mean is not None]
    order: tuple[str, ...] = ()
    kept = None
    if len(ranked) >= 2:
        means = [a.baseline_mean for a in ranked]
        idx = np.argsort(-np.array(means), kind="stable")
        order = tuple(ranked[i].questionnaire.sector for i in idx)
        kept = st.order_kept(means, np.stack([a.sector_means for a in ranked], axis=1))  # type: ignore[misc]
    return CampaignAudit(campaign.name, campaign.min_n, draws, seed, campaign.synthetic, audits, order, kept)
