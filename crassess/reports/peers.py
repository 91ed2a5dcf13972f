"""What a respondent's scores are compared with: its peers (same sector, size class and sub-sector), else its sector.

A respondent is compared with its *peer group* when the group holds at least ``min_n`` respondents besides
the respondent itself: the group mean, less the respondent's own score (which the respondent knows), then
still describes at least ``min_n`` others. Otherwise the comparison is with the whole sector, when the sector
is reportable, and else there is none. Comuni have no sub-sector: their peers are the comuni of the same
size class.

Every published figure goes through :mod:`crassess.reports.disclosure`: the group sizes (a cross-table of
size class by sub-sector, whose margins the sector report publishes) and the group means per dimension (whose
n-weighted mean is the sector mean). A group whose size or mean could reveal, by subtraction, a figure about
fewer than ``min_n`` respondents is withheld, and the respondent is then compared with the sector instead
(or sees the withheld mean marked). Keys follow the disclosure module's conventions, so that the figures can
be registered in the report set's one :class:`~crassess.reports.disclosure.Publication`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from crassess.reports.disclosure import (
    PRIMARY,
    DisclosureError,
    Protection,
    Publication,
    Withheld,
)
from crassess.scoring.files import ScoredResponse

OVERALL = "overall"
MIN_N = 3  # the smallest min_n the disclosure module accepts
NO_SUBSECTOR = "-"  # the comuni's single "sub-sector"

Figure = float | Withheld | None  # a mean; ``None``: nobody has a score there
SizeClass = Callable[[str, "float | None"], str]


@dataclass(frozen=True)
class Comparison:
    """``kind``: ``peers`` (the group of ``size_class`` and ``subsector``), ``sector`` or ``none``.

    ``means``: dimension id (and ``overall``) -> mean of the group, :class:`Withheld` when it cannot be
    published, ``None`` when no one in the group has a score there.
    """

    kind: str
    sector: str
    n: int = 0
    size_class: str | None = None
    subsector: str | None = None
    means: Mapping[str, Figure] = field(default_factory=dict)


@dataclass(frozen=True)
class _Member:
    group: tuple[str, str]  # (size class, sub-sector)
    scores: Mapping[str, float]  # dimension id (and overall) -> score, only where there is one


@dataclass(frozen=True)
class _Plan:
    """The keys registered for one sector."""

    cells: Mapping[tuple[str, str], Hashable]  # group -> its size
    candidates: frozenset[tuple[str, str]]  # groups that may be published (known, min_n others for each member)
    means: Mapping[tuple[tuple[str, str], str], Hashable]  # (group, dimension) -> its mean
    dims: tuple[str, ...]


def _members(sector: str, responses: Sequence[ScoredResponse], size_class: SizeClass, unknown: str) -> list[_Member]:
    out = []
    for r in responses:
        who = r.response.respondent
        sub = NO_SUBSECTOR if sector == "comune" else ((who.subsector or "").strip() or unknown)
        scores = {d.id: d.score for d in r.result.dimensions.values() if d.score is not None}
        if r.result.overall is not None:
            scores[OVERALL] = r.result.overall
        out.append(_Member((size_class(sector, who.size), sub), scores))
    return out


def _group_key(sector: str, group: tuple[str, str]) -> Hashable:
    # for comuni the group is the size class: the very cell the sector report's size table publishes
    return ("size", sector, group[0]) if group[1] == NO_SUBSECTOR else ("peers", sector, *group)


def _register(pub: Publication, sector: str, members: Sequence[_Member], min_n: int, unknown: str,
              margins: Mapping[Hashable, int | None], excluded: frozenset[tuple[str, str]]) -> _Plan:
    """Register the sector's group sizes and means, with their margins and the sector means, in ``pub``.

    ``margins``: the size-class and sub-sector counts as the sector report shows them (``None``: withheld
    there). A shown one is public here, since no peer figure can withhold it any more; a withheld one is
    hidden (a reader knows no more of it than that it is withheld)."""
    groups = Counter(m.group for m in members)
    sizes = Counter(m.group[0] for m in members)
    subs = Counter(m.group[1] for m in members)
    # every combination, empty ones too: a reader does not know which groups are empty, and leaving them
    # out would tell the solver (and a reader who sees the list of groups) that they are 0
    ordered = sorted((c, s) for c in sizes for s in subs)
    hidden: set[Hashable] = set()

    def margin(key: Hashable, value: int) -> None:
        shown = margins.get(key) is not None
        pub.count(key, value, public=shown, hidden=not shown)
        hidden.update(() if shown else (key,))

    pub.count(("n", sector), len(members), public=True)
    for cls, value in sorted(sizes.items()):
        margin(("size", sector, cls), value)
    pub.line(("n", sector), [("size", sector, cls) for cls in sorted(sizes)])
    cells = {g: _group_key(sector, g) for g in ordered}
    # a comune's group is its size class: publishable only where the sector report shows that count
    candidates = frozenset(g for g, n in groups.items()
                           if unknown not in g and n >= min_n + 1 and cells[g] not in hidden and g not in excluded)
    if sector != "comune":
        for sub, value in sorted(subs.items()):
            margin(("subsector", sector, sub), value)
        pub.line(("n", sector), [("subsector", sector, sub) for sub in sorted(subs)])
        for g in ordered:  # a group no report shows is hidden: it must only not be found by subtraction
            alone = [key for key, peers in ((("size", sector, g[0]), sizes[g[0]]), (("subsector", sector, g[1]), subs[g[1]]))
                     if peers == groups[g] and key not in hidden]
            # the only group of a shown margin is that very figure: public too (never worth withholding)
            pub.count(cells[g], groups[g], hidden=g not in candidates and not alone, public=bool(alone))
        for cls in sorted(sizes):
            pub.line(("size", sector, cls), [cells[g] for g in ordered if g[0] == cls])
        for sub in sorted(subs):
            pub.line(("subsector", sector, sub), [cells[g] for g in ordered if g[1] == sub])
    pub.table(f"peers:{sector}", [cells[g] for g in ordered if g in candidates])
    dims = tuple(sorted({d for m in members for d in m.scores}))
    means: dict[tuple[tuple[str, str], str], Hashable] = {}
    for d in dims:
        scored = [m for m in members if d in m.scores]
        total = pub.count(("scored", sector, d), len(scored), public=len(scored) >= min_n)
        parts = []
        for g in ordered:
            inside = [m.scores[d] for m in scored if m.group == g]
            parts.append(pub.count(("scored", sector, d, *g), len(inside), hidden=True))
            if inside:
                means[(g, d)] = pub.mean(("mean", sector, d, *g), sum(inside) / len(inside), parts[-1],
                                         hidden=g not in candidates)
        pub.line(total, parts)
        pub.mean(("mean", sector, d), sum(m.scores[d] for m in scored) / len(scored), total)
        pub.mean_line(("mean", sector, d), [means[(g, d)] for g in ordered if (g, d) in means])
    return _Plan(cells, candidates, means, dims)


def compare(sector: str, responses: Sequence[ScoredResponse], *, sector_means: Mapping[str, Figure], reportable: bool,
            min_n: int, size_class: SizeClass, unknown: str, sizes: Mapping[str, int | None],
            subsectors: Mapping[str, int | None]) -> list[Comparison]:
    """One comparison per response, in the same order.

    ``sector_means``: the sector's published means by dimension (and ``overall``), for when the peer group
    cannot be used; ``size_class(sector, size)`` names a respondent's size class; ``unknown``: the class or
    sub-sector of a respondent who did not give it; ``sizes`` and ``subsectors``: the counts by size class and
    sub-sector the sector report publishes (``None`` where it withholds one).
    """
    members = _members(sector, responses, size_class, unknown)
    fallback = Comparison("sector", sector, len(members), means=dict(sector_means)) if reportable else Comparison("none", sector)
    if min_n < MIN_N:  # below 3 a withheld count of 1..min_n-1 is known exactly: no peer group is safe
        return [fallback] * len(members)
    margins: dict[Hashable, int | None] = {("size", sector, k): v for k, v in sizes.items()}
    margins.update({("subsector", sector, k): v for k, v in subsectors.items()})
    excluded: frozenset[tuple[str, str]] = frozenset()
    while True:  # a group whose size must be withheld is not published at all: its means neither
        pub = Publication(min_n)
        plan = _register(pub, sector, members, min_n, unknown, margins, excluded)
        try:
            protection = pub.solve()
        except DisclosureError:  # the sector report's own figures already pin a group: publish none
            return [fallback] * len(members)
        lost = {g for g in plan.candidates if not protection.published(f"peers:{sector}") or not protection.shown(plan.cells[g])}
        if not lost:
            return [_comparison(protection, sector, m.group, plan, fallback) for m in members]
        excluded |= lost


def _comparison(p: Protection, sector: str, group: tuple[str, str], plan: _Plan, fallback: Comparison) -> Comparison:
    if group not in plan.candidates:
        return fallback
    figures: dict[str, Figure] = {}
    for d in plan.dims:
        key = plan.means.get((group, d))
        figures[d] = None if key is None else p.mean(key)
    n = p.count(plan.cells[group])
    assert isinstance(n, int)
    return Comparison("peers", sector, n, group[0], None if group[1] == NO_SUBSECTOR else group[1], figures)


def sector_figures(means: Mapping[str, float | None], suppressed: Mapping[str, bool]) -> dict[str, Figure]:
    """The sector's means as comparison figures: a mean the sector report withholds is marked as such."""
    return {d: (PRIMARY if v is None and suppressed.get(d) else v) for d, v in means.items()}
