"""From scored responses to respondent, sector and territory results (pure, frozen, no formatting).

Privacy lives here: every figure describing fewer than ``min_n`` respondents is already ``None``
(suppressed) in the results, so no renderer can leak it.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from crassess.questionnaire.models import Questionnaire
from crassess.reports.fibre_rules import FIBRE_RULES
from crassess.reports.peers import OVERALL, Comparison, compare, sector_figures
from crassess.reports.statistics import (
    DEFAULT_MIN_N,
    Summary,
    mean,
    share,
    summarise,
    suppress_counts,
)
from crassess.safe_text import safe_filename
from crassess.scoring.engine import Action, actions, proposed
from crassess.scoring.files import ScoredResponse
from crassess.territory.comuni import Territory

SECTORS = ("comune", "associazione", "impresa")
LOW_ITEM_SCORE = 50.0
BARRIERS, NEEDS = "ostacoli", "esigenze_top3"
UNKNOWN = "_"
INSUFFICIENT = "_insufficient"
HORIZONS = ("short", "medium", "long")

# lower bounds of the size classes (employees; inhabitants for comuni)
SIZE_BANDS: dict[str, tuple[int, ...]] = {
    "comune": (0, 1000, 5000, 15000),  # inhabitants
    "associazione": (0, 50, 250, 1000),  # members
    "impresa": (0, 10, 50, 250),  # employees: micro, small, medium, large
}
# unscored context questions reported as frequency tables in the sector reports
CONTEXT_QUESTIONS = ("copertura_territorio", "motivo_no_fibra", "copertura_mobile", "ostacoli_associati", "motivi_resistenza",
                     "esigenze_associati", "supporto_digitale", "modalita_servizi", "cofinanziamento",
                     "gemello_disponibilita", "gemello_condizioni")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RespondentAnalysis:
    key: str
    code: str
    scored: ScoredResponse
    sector: str
    comune: str | None
    actions: tuple[Action, ...]
    strengths: tuple[str, ...]
    full_items: tuple[str, ...]
    comparison: Comparison  # its peer group, else its sector, else none


@dataclass(frozen=True)
class QuestionStat:
    question_id: str
    dimension: str
    n: int
    summary: Summary
    dk_share: float | None
    na_share: float | None


@dataclass(frozen=True)
class FrequencyRow:
    value: str
    count: int | None
    share: float | None


@dataclass(frozen=True)
class Frequency:
    question_id: str
    answered: int
    rows: tuple[FrequencyRow, ...]


@dataclass(frozen=True)
class SectorAction:
    sector: str
    question_id: str
    dimension: str
    reach: int
    reach_share: float
    mean_item_score: float
    mean_gap: float
    priority: float
    horizon: str


@dataclass(frozen=True)
class FibreCounts:
    """Respondents that answered the fibre questions: no fibre available, available but not adopted,
    not adopted where availability is not asked, adopted. ``None``: suppressed; ``asked``: which
    of the four categories the questionnaires can tell."""

    n: int
    none: int | None
    not_adopted: int | None
    not_adopted_unknown: int | None
    adopted: int | None
    asked: tuple[bool, bool, bool, bool] = (True, True, True, True)

    def shares(self) -> tuple[float | None, ...]:
        counts = (self.none, self.not_adopted, self.not_adopted_unknown, self.adopted)
        return tuple(None if c is None or self.n == 0 else 100.0 * c / self.n for c in counts)


@dataclass(frozen=True)
class SectorAnalysis:
    sector: str
    questionnaire: Questionnaire | None
    n: int
    drafts: int
    population: int | None
    min_n: int
    size_classes: Mapping[str, int | None]
    subsectors: Mapping[str, int | None]
    comuni: Mapping[str, int | None]
    levels: Mapping[str, int | None]
    overall: Summary
    dimensions: Mapping[str, Summary]
    mean_gaps: Mapping[str, float | None]
    questions: tuple[QuestionStat, ...]
    weakest: tuple[QuestionStat, ...]
    barriers: Frequency | None
    needs: Frequency | None
    actions: tuple[SectorAction, ...]
    fibre: FibreCounts | None
    context: tuple[Frequency, ...] = ()

    @property
    def reportable(self) -> bool:
        return self.n >= self.min_n


@dataclass(frozen=True)
class TerritoryAnalysis:
    name: str
    synthetic: bool
    min_n: int
    date: str | None
    sectors: Mapping[str, SectorAnalysis]
    dimensions: tuple[tuple[str, Mapping[str, str]], ...]
    coverage: Mapping[str, Mapping[str, int | None]]
    coverage_totals: Mapping[str, int | None]
    comuni_names: Mapping[str, str]
    comuni_without: tuple[str, ...]
    comuni_total: int
    fibre_by_comune: Mapping[str, FibreCounts]
    actions: tuple[SectorAction, ...]
    respondents: tuple[RespondentAnalysis, ...]
    excluded: int
    drafts: int


# ---------------------------------------------------------------- helpers


def slug(text: str, fallback: str = "rispondente", limit: int = 60) -> str:
    """A safe file name stem: ascii letters, digits and '-' only, never empty, never a path."""
    return safe_filename(text, fallback, limit)


def _unique_keys(responses: Sequence[ScoredResponse]) -> list[str]:
    """One file name stem per respondent: the name's slug, with -2, -3... when already taken."""
    keys: list[str] = []
    taken: set[str] = set()
    for r in responses:
        base = slug(r.response.respondent.name or r.response.id or "", fallback="rispondente")
        key, i = base, 1
        while key in taken:
            i += 1
            key = f"{base}-{i}"
        taken.add(key)
        keys.append(key)
    return keys


def _code(r: ScoredResponse) -> str:
    """A pseudonymous, stable code (no name): from the response id, else from the file content."""
    source = r.response.id or Path(r.file).name
    return "R-" + hashlib.sha256(source.encode()).hexdigest()[:6]


def size_class(sector: str, size: float | None) -> str:
    if size is None:
        return UNKNOWN
    bands = SIZE_BANDS.get(sector, SIZE_BANDS["impresa"])
    label = UNKNOWN
    for i, lower in enumerate(bands):
        if size >= lower:
            label = f"{lower}-{bands[i + 1] - 1}" if i + 1 < len(bands) else f">={lower}"
    return label


def _comune_code(territory: Territory, value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    found = territory.find(value)
    return found.istat if found else None


def _main_questionnaire(responses: Sequence[ScoredResponse]) -> Questionnaire | None:
    if not responses:
        return None
    counts = Counter((r.questionnaire.id, r.questionnaire.version) for r in responses)
    (qid, version), _ = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return next(r.questionnaire for r in responses if (r.questionnaire.id, r.questionnaire.version) == (qid, version))


def _ordered_counts(counter: Counter[str], order: Sequence[str] = (), always: Sequence[str] = ()) -> dict[str, int]:
    """Counts in ``order`` (then sorted), keeping the ``always`` keys even at zero."""
    keys = [k for k in order if k in counter or k in always] + sorted(k for k in counter if k not in order)
    return {k: counter[k] for k in keys}


# ---------------------------------------------------------------- sector


def _question_stats(qn: Questionnaire, responses: Sequence[ScoredResponse], min_n: int) -> tuple[QuestionStat, ...]:
    maps = [r.result.items for r in responses if r.questionnaire.id == qn.id]
    stats = []
    for q in qn.scored_questions:
        items = [m[q.id] for m in maps if q.id in m]
        relevant = [i for i in items if i.status != "not_relevant"]
        scores = [i.score for i in relevant if i.status == "scored" and i.score is not None]
        n = len(relevant)
        dk = sum(1 for i in relevant if i.status == "dk")
        na = sum(1 for i in relevant if i.status == "na")
        stats.append(QuestionStat(q.id, q.dimension or "", n, summarise(scores, min_n),
                                  share(dk, n, min_n), share(na, n, min_n)))
    return tuple(stats)


def _frequency(qid: str, responses: Sequence[ScoredResponse], order: Sequence[str], min_n: int) -> Frequency | None:
    """Share of the respondents who answered ``qid`` naming each choice (every choice listed, even at 0).

    Shown counts come first (largest first), then the suppressed ones in questionnaire order, so the
    order does not rank the suppressed cells. A single choice counts as a list of one.
    """
    if not any(qid in r.questionnaire.questions_by_id for r in responses):
        return None
    raw = [r.response.answers.get(qid) for r in responses]
    lists = [a if isinstance(a, list) else [a] for a in raw if isinstance(a, list) or (isinstance(a, str) and a not in ("na", "dk"))]
    counter: Counter[str] = Counter(v for a in lists for v in a)
    answered = len(lists)
    rows = []
    for value, count in _ordered_counts(counter, order, order).items():
        shown = count if answered >= min_n and (count == 0 or count >= min_n) else None
        rows.append(FrequencyRow(value, shown, share(count, answered, min_n)))
    rows.sort(key=lambda row: (row.count is None, -(row.count or 0)))
    return Frequency(qid, answered, tuple(rows))


def fibre_cells(responses: Sequence[ScoredResponse]) -> tuple[dict[str, int], bool, bool]:
    """Raw counts (none, not_adopted, not_adopted_unknown, adopted); whether availability was asked; or not."""
    cells = {"none": 0, "not_adopted": 0, "not_adopted_unknown": 0, "adopted": 0}
    with_availability = without_availability = False
    for r in responses:
        rule = FIBRE_RULES.get(r.questionnaire.id)
        if rule is None:
            continue
        answers, taken = r.response.answers, r.response.answers.get(rule.adopted)
        if rule.available is None:
            without_availability = True
            if taken not in (None, "dk", "na"):
                cells["adopted" if taken in rule.adopted_yes else "not_adopted_unknown"] += 1
            continue
        with_availability, available = True, answers.get(rule.available)
        if available in rule.available_no:
            cells["none"] += 1
        elif available in rule.available_yes and taken not in (None, "dk", "na"):
            cells["adopted" if taken in rule.adopted_yes else "not_adopted"] += 1
    return cells, with_availability, without_availability


def _fibre(responses: Sequence[ScoredResponse], min_n: int) -> FibreCounts | None:
    cells, with_availability, without_availability = fibre_cells(responses)
    if not (with_availability or without_availability):
        return None
    n, asked = sum(cells.values()), (with_availability, with_availability, without_availability, True)
    if n < min_n:
        return FibreCounts(n, None, None, None, None, asked)
    shown = suppress_counts({k: v for k, v, a in zip(cells, cells.values(), asked) if a}, min_n)
    return FibreCounts(n, shown.get("none", 0), shown.get("not_adopted", 0), shown.get("not_adopted_unknown", 0),
                       shown["adopted"], asked)


def _sector_actions(sector: str, qn: Questionnaire, responses: Sequence[ScoredResponse],
                    mean_gaps: Mapping[str, float | None], dims: Mapping[str, Summary], min_n: int) -> tuple[SectorAction, ...]:
    """Actions ranked by reach x mean gap x weights; only those reaching at least ``min_n`` respondents.

    priority = reach x mean dimension gap x dimension weight x item weight x (100 - mean item score of the reached) / 100
    """
    same = [r for r in responses if r.questionnaire.id == qn.id]
    n = len(responses)
    found = []
    for q in qn.scored_questions:
        dim = qn.dimensions_by_id[q.dimension or ""]
        gap = mean_gaps.get(dim.id)
        if not q.action or not gap:
            continue
        # another version may lack the question; an organisation below its min_size is not reached
        items = [r.result.items.get(q.id) for r in same if proposed(q, r.response.respondent.size)]
        low = [i.score for i in items if i is not None and i.status == "scored" and (i.score or 0) < LOW_ITEM_SCORE]
        if len(low) < min_n:
            continue
        mean_item = sum(low) / len(low)  # type: ignore[arg-type]
        priority = len(low) * gap * dim.weight * q.weight * (100 - mean_item) / 100
        found.append(SectorAction(sector, q.id, dim.id, len(low), 100.0 * len(low) / n, mean_item, gap, priority,
                                  _horizon(qn, dims[dim.id], mean_item)))
    order = {q.id: i for i, q in enumerate(qn.questions)}
    found.sort(key=lambda a: (-a.priority, order[a.question_id]))
    return tuple(found)


def _horizon(qn: Questionnaire, summary: Summary, mean_item: float) -> str:
    """Foundations first: short term where the practice is missing altogether (the reached score under
    20 on average) or the sector is still in the lowest level of the dimension; long term where the
    sector is already past the middle level; medium otherwise."""
    level = qn.level_of(summary.mean)
    index = qn.levels.index(level) if level else 0
    if mean_item < 20 or index == 0:
        return "short"
    return "long" if index >= 2 else "medium"


def analyse_sector(sector: str, responses: Sequence[ScoredResponse], territory: Territory, min_n: int = DEFAULT_MIN_N,
                   population: int | None = None, drafts: int = 0) -> SectorAnalysis:
    """All the figures of one sector's report, suppressed below ``min_n``."""
    qn = _main_questionnaire(responses)
    n = len(responses)
    sizes = Counter(size_class(sector, r.response.respondent.size) for r in responses)
    size_order = [size_class(sector, b) for b in SIZE_BANDS.get(sector, SIZE_BANDS["impresa"])] + [UNKNOWN]
    subsectors = Counter((r.response.respondent.subsector or "").strip() or UNKNOWN for r in responses)
    comuni = Counter(_comune_code(territory, r.response.respondent.comune) or UNKNOWN for r in responses)
    levels = Counter(r.result.level or INSUFFICIENT for r in responses)
    level_order = [lv.id for lv in qn.levels] + [INSUFFICIENT] if qn else []
    dim_ids = [d.id for d in qn.dimensions] if qn else []
    dims = {}
    gaps = {}
    for d in dim_ids:
        scored = [r.result.dimensions[d] for r in responses if d in r.result.dimensions and r.result.dimensions[d].score is not None]
        dims[d] = summarise([s.score for s in scored], min_n, population)  # type: ignore[misc]
        gaps[d] = mean([s.gap for s in scored]) if len(scored) >= min_n else None  # type: ignore[misc]
    overall = summarise([r.result.overall for r in responses if r.result.overall is not None], min_n, population)
    questions = _question_stats(qn, responses, min_n) if qn else ()
    weakest = tuple(sorted((s for s in questions if s.summary.mean is not None),
                           key=lambda s: (s.summary.mean, questions.index(s)))[:5])

    def order(qid: str) -> list[str]:
        return [c.value for c in qn.choices_of(qn.question(qid))] if qn and qid in qn.questions_by_id else []

    return SectorAnalysis(
        sector=sector,
        questionnaire=qn,
        n=n,
        drafts=drafts,
        population=population,
        min_n=min_n,
        size_classes=suppress_counts(_ordered_counts(sizes, size_order, size_order[:-1]), min_n),
        subsectors=suppress_counts(_ordered_counts(subsectors), min_n),
        comuni=suppress_counts(_ordered_counts(comuni), min_n),
        levels=suppress_counts(_ordered_counts(levels, level_order, level_order[:-1]), min_n),
        overall=overall,
        dimensions=dims,
        mean_gaps=gaps,
        questions=questions,
        weakest=weakest,
        barriers=_frequency(BARRIERS, responses, order(BARRIERS), min_n) if n >= min_n else None,
        needs=_frequency(NEEDS, responses, order(NEEDS), min_n) if n >= min_n else None,
        actions=_sector_actions(sector, qn, responses, gaps, dims, min_n) if qn and n >= min_n else (),
        fibre=_fibre(responses, min_n),
        context=tuple(f for f in (_frequency(qid, responses, order(qid), min_n) for qid in CONTEXT_QUESTIONS)
                      if f is not None) if n >= min_n else (),
    )


# ---------------------------------------------------------------- respondent


def analyse_respondent(r: ScoredResponse, key: str, comparison: Comparison, territory: Territory) -> RespondentAnalysis:
    qn, result = r.questionnaire, r.result
    strengths = tuple(d.id for d in sorted(result.dimensions.values(), key=lambda d: -(d.score or 0))
                      if d.score is not None and d.score >= d.target)
    items = result.items
    full = tuple(q.id for q in qn.scored_questions if items[q.id].status == "scored" and items[q.id].score == 100)
    return RespondentAnalysis(
        key=key,
        code=_code(r),
        scored=r,
        sector=qn.sector,
        comune=_comune_code(territory, r.response.respondent.comune),
        actions=tuple(actions(qn, result, top=10, size=r.response.respondent.size)),
        strengths=strengths,
        full_items=full[:5],
        comparison=comparison,
    )


def _comparisons(sa: SectorAnalysis, responses: Sequence[ScoredResponse]) -> list[Comparison]:
    summaries = {**sa.dimensions, OVERALL: sa.overall}
    figures = sector_figures({d: s.mean for d, s in summaries.items()}, {d: s.suppressed for d, s in summaries.items()})
    return compare(sa.sector, responses, sector_means=figures, reportable=sa.reportable, min_n=sa.min_n,
                   size_class=size_class, unknown=UNKNOWN, sizes=sa.size_classes, subsectors=sa.subsectors)


# ---------------------------------------------------------------- territory


def _diverse(ranked: Sequence[SectorAction], top: int, per_group: int = 2) -> list[SectorAction]:
    """The first ``top`` actions, at most ``per_group`` per sector and dimension, then the rest in order."""
    chosen: list[SectorAction] = []
    seen: Counter[tuple[str, str]] = Counter()
    for a in ranked:
        if len(chosen) < top and seen[(a.sector, a.dimension)] < per_group:
            chosen.append(a)
            seen[(a.sector, a.dimension)] += 1
    rest = [a for a in ranked if a not in chosen]
    return (chosen + rest)[:top]


def analyse(responses: Sequence[ScoredResponse], territory: Territory, *, name: str, min_n: int = DEFAULT_MIN_N,
            synthetic: bool = False, drafts: Mapping[str, int] | None = None, excluded: int = 0,
            population: Mapping[str, int] | None = None, date: str | None = None, top: int = 10) -> TerritoryAnalysis:
    """Respondents, sectors and territory of a campaign. ``population``: known sizes per sector
    (default: the comuni of the territory), used for the finite-population correction."""
    population = dict(population or {"comune": len(territory.comuni)})
    drafts = drafts or {}
    by_sector = {s: [r for r in responses if r.questionnaire.sector == s] for s in SECTORS}
    sectors = {s: analyse_sector(s, by_sector[s], territory, min_n, population.get(s), drafts.get(s, 0)) for s in SECTORS}
    keys = _unique_keys(responses)
    compared = {id(r): c for s in SECTORS for r, c in zip(by_sector[s], _comparisons(sectors[s], by_sector[s]))}
    respondents = tuple(analyse_respondent(r, k, compared[id(r)], territory) for r, k in zip(responses, keys))

    dimensions: dict[str, Mapping[str, str]] = {}
    for s in SECTORS:
        qn = sectors[s].questionnaire
        for d in qn.dimensions if qn else []:
            dimensions.setdefault(d.id, d.label)

    names = {c.istat: c.nome for c in territory.comuni}
    raw: dict[str, Counter[str]] = {}
    for r in respondents:
        raw.setdefault(r.comune or UNKNOWN, Counter())[r.sector] += 1
    coverage = {}
    for code in sorted(raw, key=lambda c: (c == UNKNOWN, names.get(c, c))):
        coverage[code] = {s: (None if 0 < raw[code][s] < min_n else raw[code][s]) for s in SECTORS}
    totals = suppress_counts({code: sum(c.values()) for code, c in raw.items()}, min_n)
    for code, cells in coverage.items():
        # the reports show neither the comune itself nor withheld cells: what they add up to must not be 1..min_n-1
        shown = sum(v for s, v in cells.items() if s != "comune" and v is not None)
        hidden = sum(raw[code].values()) - shown
        if totals.get(code) is not None and 0 < hidden < min_n:
            totals[code] = None
    without = tuple(c.istat for c in territory.comuni if c.istat not in raw)

    fibre_by_comune = {}
    for code in coverage:
        group = [r.scored for r in respondents if (r.comune or UNKNOWN) == code]
        counts = _fibre(group, min_n)
        if code != UNKNOWN and counts is not None and counts.n >= min_n:
            fibre_by_comune[code] = counts

    pool = [a for s in SECTORS for a in sectors[s].actions]
    pool.sort(key=lambda a: (-a.priority, SECTORS.index(a.sector)))
    pool = _diverse(pool, top)
    return TerritoryAnalysis(
        name=name,
        synthetic=synthetic,
        min_n=min_n,
        date=date,
        sectors=sectors,
        dimensions=tuple(dimensions.items()),
        coverage=coverage,
        coverage_totals=totals,
        comuni_names=names,
        comuni_without=without,
        comuni_total=len(territory.comuni),
        fibre_by_comune=fibre_by_comune,
        actions=tuple(pool[:top]),
        respondents=respondents,
        excluded=excluded,
        drafts=sum(drafts.values()),
    )
