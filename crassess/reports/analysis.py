"""From scored responses to respondent, sector and territory results (pure, frozen, no formatting).

Privacy: the raw counts (:mod:`crassess.reports.tally`) are registered with disclosure control in
:mod:`crassess.reports.published`, solved once for the whole report set, and only the protected results
(:mod:`crassess.reports.results`) leave this module, so no renderer can leak a withheld figure.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from crassess.campaign.config import DEFAULT_MIN_N
from crassess.reports.peers import OVERALL, Comparison, compare
from crassess.reports.programme import (
    build_programme,
    catalogue_of,
    count_programme,
    register_programme,
)
from crassess.reports.published import (
    FIBRE_CELLS,
    NON_COMUNE,
    Registry,
    build_sector,
    fibre_counts,
)
from crassess.reports.results import (
    Counts,
    Difference,
    NamedComune,
    RespondentAnalysis,
    SectorAction,
    SectorAnalysis,
    TerritoryAnalysis,
)
from crassess.reports.statistics import welch_interval
from crassess.reports.tally import (
    FIBRE_CATEGORIES,
    SECTORS,
    SIZE_BANDS,
    UNKNOWN,
    RawFibre,
    comune_code,
    count_sector,
    fibre,
    size_class,
)
from crassess.safe_text import safe_filename
from crassess.scoring.engine import actions
from crassess.scoring.files import ScoredResponse
from crassess.territory.comuni import Territory


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
        comune=comune_code(territory, r.response.respondent.comune),
        actions=tuple(actions(qn, result, top=10, size=r.response.respondent.size)),
        strengths=strengths,
        full_items=full[:5],
        comparison=comparison,
    )


def _comparisons(sa: SectorAnalysis, responses: Sequence[ScoredResponse]) -> list[Comparison]:
    """Each respondent's comparison (peers, else sector), given what the sector report publishes."""
    summaries = {**sa.dimensions, OVERALL: sa.overall}
    means = {d: s.withheld if s.withheld is not None else s.mean for d, s in summaries.items()}

    def shown(counts: Counts | None) -> dict[str, int | None]:
        return {k: v if isinstance(v, int) else None for k, v in counts.cells.items()} if counts and counts.published else {}

    return compare(sa.sector, responses, sector_means=means, reportable=sa.reportable, min_n=sa.min_n,
                   size_class=size_class, unknown=UNKNOWN, sizes=shown(sa.size_classes), subsectors=shown(sa.subsectors))


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


def _named(responses: Sequence[ScoredResponse], territory: Territory) -> tuple[NamedComune, ...]:
    """Each comune's own results, by name (only when the campaign publishes public bodies)."""
    names = {c.istat: c.nome for c in territory.comuni}
    out = []
    for r in responses:
        code = comune_code(territory, r.response.respondent.comune)
        name = names.get(code or "", r.response.respondent.name or r.response.respondent.comune or "")
        out.append(NamedComune(code, name, r.result.overall, r.result.level,
                               {d: s.score for d, s in r.result.dimensions.items()}))
    return tuple(sorted(out, key=lambda c: (c.name, c.istat or "")))


def _differences(sectors: Mapping[str, SectorAnalysis], scores: Mapping[str, Mapping[str, list[float]]],
                 population: Mapping[str, int]) -> tuple[Difference, ...]:
    """Every pair of sectors on every dimension they share, with Welch's interval, where both groups'
    n, mean and SD are published."""
    out = []
    dims = list(dict.fromkeys(d for s in SECTORS for d in sectors[s].dimensions))
    for d in dims:
        for i, a in enumerate(SECTORS):
            for b in SECTORS[i + 1:]:
                sa, sb = sectors[a].dimensions.get(d), sectors[b].dimensions.get(d)
                if sa is None or sb is None or sa.sd is None or sb.sd is None:
                    continue
                found = welch_interval(scores[a][d], scores[b][d], population_a=population.get(a), population_b=population.get(b))
                if found is not None:
                    out.append(Difference(d, a, b, *found))
    return tuple(out)


def analyse(responses: Sequence[ScoredResponse], territory: Territory, *, name: str, min_n: int = DEFAULT_MIN_N,
            synthetic: bool = False, drafts: Mapping[str, int] | None = None, excluded: int = 0,
            population: Mapping[str, int] | None = None, date: str | None = None, top: int = 10,
            public_bodies: bool = False, indicators: bool = False) -> TerritoryAnalysis:
    """Respondents, sectors and territory of a campaign, every figure through disclosure control.

    ``population``: known sizes per sector (the comuni default to those of the territory), for the
    finite-population correction and the response rates. ``public_bodies``: the comuni's own results
    are published by name. ``indicators``: the set also publishes, per comune, the respondents to the
    fibre questions and the share with fibre (``report --indicators``)."""
    population = {"comune": len(territory.comuni), **(population or {})}
    drafts = drafts or {}
    by_sector = {s: [r for r in responses if r.questionnaire.sector == s] for s in SECTORS}
    inhabitants = _inhabitants(territory)
    raws = {s: count_sector(s, by_sector[s], territory, min_n, population.get(s), drafts.get(s, 0), inhabitants)
            for s in SECTORS}

    names = {c.istat: c.nome for c in territory.comuni}
    # by comune: associations and businesses (never the comuni, their own respondents), of the sectors
    # large enough to be broken down at all
    broken_down = tuple(s for s in NON_COMUNE if raws[s].n >= min_n)
    located: dict[str, list[ScoredResponse]] = {}
    for r in responses:
        if r.questionnaire.sector in broken_down:
            located.setdefault(comune_code(territory, r.response.respondent.comune) or UNKNOWN, []).append(r)
    order = sorted(located, key=lambda c: (c == UNKNOWN, names.get(c, c)))
    coverage_raw = {c: Counter(r.questionnaire.sector for r in located[c]) for c in order}
    empty = RawFibre((False,) * len(FIBRE_CATEGORIES), dict.fromkeys(FIBRE_CATEGORIES, 0))
    fibre_raw: dict[str, RawFibre] = {c: fibre(located[c]) or empty for c in order}

    registry = Registry(min_n, public_bodies)
    for s in SECTORS:
        registry.sector(raws[s])
    registry.territory({s: raws[s] for s in broken_down}, coverage_raw, fibre_raw, indicators)
    programme_raw = count_programme(by_sector, catalogue_of(by_sector))
    register_programme(registry, programme_raw)
    p = registry.pub.solve()

    named = _named(by_sector["comune"], territory) if public_bodies else ()
    sectors = {s: build_sector(raws[s], p, public_bodies, named=named if s == "comune" else ()) for s in SECTORS}
    keys = _unique_keys(responses)
    compared = {id(r): c for s in SECTORS for r, c in zip(by_sector[s], _comparisons(sectors[s], by_sector[s]))}
    respondents = tuple(analyse_respondent(r, k, compared[id(r)], territory) for r, k in zip(responses, keys))

    dimensions: dict[str, Mapping[str, str]] = {}
    for s in SECTORS:
        qn = sectors[s].questionnaire
        for d in qn.dimensions if qn else []:
            dimensions.setdefault(d.id, d.label)

    coverage_published = p.published("coverage")
    coverage = {c: {s: p.count(("at", s, c)) if s in broken_down else None for s in NON_COMUNE} for c in order} if coverage_published else {}
    totals = {c: p.count(("cov", c)) for c in order} if coverage_published else {}
    fibre_published = p.published("fibre-comuni")
    by_comune = {c: fibre_counts(p, ("cov", c), {k: ("fib_c", c, k) for k in FIBRE_CELLS}, (*f.asked, True))
                 for c, f in fibre_raw.items() if fibre_published and c != UNKNOWN and sum(coverage_raw[c].values()) >= min_n}
    joined = {}
    joined_published = not indicators or "indicators" not in p.tables or p.published("indicators")
    if indicators and "indicators" in p.tables and p.published("indicators"):
        joined = {c: (p.count(("cov", c)), p.share(("fib_c", c, "adopted"), ("cov", c))) for c in fibre_raw if c != UNKNOWN}

    pool = [a for s in SECTORS for a in sectors[s].actions]
    pool.sort(key=lambda a: (-a.priority, SECTORS.index(a.sector)))
    pool = _diverse(pool, top)
    answered = tuple(sorted({c.istat for c in named if c.istat})) if public_bodies else ()
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
        comuni_without=tuple(c.istat for c in territory.comuni if c.istat not in located),
        comuni_total=len(territory.comuni),
        fibre_by_comune=by_comune,
        actions=tuple(pool[:top]),
        respondents=respondents,
        excluded=excluded,
        drafts=sum(drafts.values()),
        protection=p,
        population=population,
        differences=_differences(sectors, {s: raws[s].dimensions for s in SECTORS}, population),
        public_bodies=public_bodies,
        comuni_answered=answered,
        coverage_published=coverage_published,
        fibre_comuni_published=fibre_published,
        indicators=joined,
        indicators_published=joined_published,
        programme=build_programme(programme_raw, p, sectors, public_bodies),
        inhabitants=_class_shares(inhabitants),
    )


def _inhabitants(territory: Territory) -> dict[str, int] | None:
    """Residents per comune from the shipped population table, when it covers every comune of the territory."""
    from crassess.territory.geography import load_population

    known = load_population()
    found = {c.istat: known[c.istat] for c in territory.comuni if c.istat in known}
    return found if territory.comuni and len(found) == len(territory.comuni) else None


def _class_shares(inhabitants: Mapping[str, int] | None) -> dict[str, float]:
    """The territory's residents by inhabitants class of their comune (%, public data)."""
    if not inhabitants:
        return {}
    total = sum(inhabitants.values())
    shares: Counter[str] = Counter()
    for value in inhabitants.values():
        shares[size_class("comune", value)] += value
    order = [size_class("comune", b) for b in SIZE_BANDS["comune"]]
    return {k: 100.0 * shares[k] / total for k in order}
