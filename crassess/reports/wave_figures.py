"""The published figures of a wave comparison: two kinds of change, each with its interval, under disclosure control.

- **Change among the same respondents** (paired): the mean of the individual changes of those who answered in
  both waves, with the paired t interval; beside it their mean in each wave.
- **Change of the means between waves**: the mean of every response of wave B minus that of wave A (respondents
  who entered or left included), with a Welch interval for the difference.

Every mean goes through :mod:`crassess.reports.disclosure`, registered with how the means hang together: a
wave's mean is the n-weighted mean of the pairs' mean and of the others' (who entered or left, never shown); the
mean after is the mean before plus the change; a total over sectors is the weighted mean of the sectors. So "the
wave's mean minus the pairs' mean" cannot reveal the two businesses that left, and "the total minus Imprese" cannot
reveal a withheld sector.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from crassess.campaign.waves import OVERALL, Sample, WaveComparison
from crassess.reports.disclosure import Protection, Publication, Withheld
from crassess.reports.statistics import mean, paired_interval, welch_interval

Figure = float | Withheld | None  # None: no data (no respondent)
TABLES = ("sectors", "dimensions", "matrix")
# What goes first when a mean must be withheld to protect another: the pairs' means before and after (the change
# says more), and a total over sectors before a sector's figure.
KEEP = {"pa": 0, "pb": 0, "ra": 0, "rb": 0, "a": 1, "b": 1, "d": 1}


@dataclass(frozen=True)
class Change:
    """One row: a sector's overall score, a dimension over all sectors ("*"), or a sector's dimension."""

    sector: str
    measure: str
    label: str
    n_pairs: int
    before: Figure  # the pairs' mean in wave A
    after: Figure  # ... in wave B
    delta: Figure  # the mean of the individual changes
    delta_ci: tuple[float, float] | None
    n_a: int
    n_b: int
    mean_a: Figure  # every response of wave A
    mean_b: Figure
    diff: Figure  # mean_b - mean_a
    diff_ci: tuple[float, float] | None


@dataclass(frozen=True)
class Flow:
    """Respondents of one sector in each wave: counts only (names are in the restricted files)."""

    sector: str
    in_a: int
    in_b: int
    matched: int
    left: int
    entered: int
    not_comparable: int  # same respondent on another questionnaire, in this sector in one of the waves


@dataclass(frozen=True)
class WaveFigures:
    comparison: WaveComparison
    by_sector: tuple[Change, ...]  # overall score, then the total over sectors ("*") when several
    by_dimension: tuple[Change, ...]  # over all sectors
    by_sector_dimension: tuple[Change, ...]  # only with several sectors
    flows: tuple[Flow, ...]
    protection: Protection

    @property
    def min_n(self) -> int:
        return self.comparison.min_n


def _key(kind: str, sample: Sample) -> tuple[str, str, str, str]:
    return ("wave", kind, sample.sector, sample.measure)


def _register(pub: Publication, sample: Sample) -> None:
    """The counts (public: respondents per sector and wave are published) and means of one sample, with the lines
    that tie them. A sector's mean in each wave is public (the wave's own reports publish it); the others' means are
    hidden, registered only so that they stay protected. Without others, the pairs' mean *is* the wave's mean: one
    figure, not two."""
    groups = {"a": sample.a, "b": sample.b, "ra": sample.rest_a, "rb": sample.rest_b,
              "pa": [p[0] for p in sample.pairs], "pb": [p[1] for p in sample.pairs], "d": [p[1] - p[0] for p in sample.pairs]}
    for kind, values in groups.items():
        n = pub.count(("n", *_key(kind, sample)[1:]), len(values), public=True)
        alias = _alias(kind, sample)
        if values and alias == _key(kind, sample):
            public = kind in ("a", "b") and sample.sector != "*" and len(values) >= pub.min_n
            keep = KEEP[kind] + (0 if sample.sector == "*" else 2)
            pub.mean(alias, mean(values), n, hidden=kind in ("ra", "rb"), keep=keep, public=public)  # type: ignore[arg-type]
    for total, parts in (("a", ("pa", "ra")), ("b", ("pb", "rb")), ("pb", ("pa", "d"))):
        present = [_alias(k, sample) for k in parts if groups[k]]
        if groups[total] and present and present != [_alias(total, sample)]:
            pub.mean_line(_alias(total, sample), present)


def _alias(kind: str, sample: Sample) -> tuple[str, str, str, str]:
    """The key a mean is registered under: the pairs' mean of a wave without others is the wave's mean."""
    if kind == "pa" and sample.pairs and not sample.rest_a:
        return _key("a", sample)
    if kind == "pb" and sample.pairs and not sample.rest_b:
        return _key("b", sample)
    return _key(kind, sample)


def _tie_sectors(pub: Publication, total: Sample, parts: Sequence[Sample]) -> None:
    """A mean over all sectors is the weighted mean of the sectors' means."""
    for kind in ("a", "b", "ra", "rb", "pa", "pb", "d"):
        present = [_alias(kind, s) for s in parts if _alias(kind, s) in pub._means and _has(kind, s)]
        if _has(kind, total) and present and present != [_alias(kind, total)]:
            pub.mean_line(_alias(kind, total), present)


def _has(kind: str, sample: Sample) -> bool:
    values = {"a": sample.a, "b": sample.b, "ra": sample.rest_a, "rb": sample.rest_b}.get(kind, sample.pairs)
    return bool(values)


def _figure(protection: Protection, key: tuple[str, ...]) -> Figure:
    return protection.mean(key) if key in protection.means else None


def _change(protection: Protection, sample: Sample) -> Change:
    fig = {kind: _figure(protection, _alias(kind, sample)) if _has(kind, sample) else None for kind in ("a", "b", "pa", "pb", "d")}
    delta = fig["d"]  # its own figure: shown when disclosure control lets it be, even if before/after are not
    differences = [after - before for before, after in sample.pairs]
    diff: Figure
    if fig["a"] is None or fig["b"] is None:
        diff = None
    elif isinstance(fig["a"], Withheld) or isinstance(fig["b"], Withheld):  # the difference would reveal it
        diff = fig["a"] if isinstance(fig["a"], Withheld) else fig["b"]
    else:
        diff = fig["b"] - fig["a"]  # type: ignore[operator]
    return Change(
        sample.sector, sample.measure, sample.label, len(sample.pairs), fig["pa"], fig["pb"], delta,
        paired_interval(differences) if isinstance(delta, float) else None,
        len(sample.a), len(sample.b), fig["a"], fig["b"], diff,
        _between(sample) if isinstance(diff, float) else None,
    )


def _between(sample: Sample) -> tuple[float, float] | None:
    """Welch's interval of mean(b) - mean(a), the change of the waves' means."""
    found = welch_interval(sample.b, sample.a)
    return (found[1], found[2]) if found else None


def _flows(cmp: WaveComparison) -> tuple[Flow, ...]:
    matched = Counter(c.sector for c in cmp.respondents)
    left, entered = Counter(m.sector for m in cmp.left), Counter(m.sector for m in cmp.entered)
    other_a = Counter(x.sector_a for x in cmp.not_comparable)
    other_b = Counter(x.sector_b for x in cmp.not_comparable)
    in_a, in_b = left + matched + other_a, entered + matched + other_b
    sectors = sorted(set(in_a) | set(in_b))
    touching = Counter(sector for x in cmp.not_comparable for sector in {x.sector_a, x.sector_b})
    return tuple(Flow(s, in_a[s], in_b[s], matched[s], left[s], entered[s], touching[s]) for s in sectors)


def wave_figures(cmp: WaveComparison) -> WaveFigures:
    """Register every mean the comparison publishes, solve disclosure control once, read the rows back."""
    pub = Publication(cmp.min_n)
    for sample in cmp.samples:
        _register(pub, sample)
    for sample in cmp.samples:
        if sample.sector == "*":
            _tie_sectors(pub, sample, [s for s in cmp.samples if s.sector != "*" and s.measure == sample.measure])
    several = len(cmp.sectors) > 1
    rows = {
        "sectors": [s for s in cmp.samples if s.measure == OVERALL],
        "dimensions": [s for s in cmp.samples if s.sector == "*" and s.measure != OVERALL],
        "matrix": [s for s in cmp.samples if s.sector != "*" and s.measure != OVERALL] if several else [],
    }
    for name, samples in rows.items():
        keys = list(dict.fromkeys(_alias(kind, s) for s in samples for kind in ("a", "b", "pa", "pb", "d") if _has(kind, s)))
        if keys:
            pub.table(name, keys)
    protection = pub.solve()
    changes = {name: tuple(_change(protection, s) for s in samples) if protection.published(name) else ()
               for name, samples in rows.items()}
    return WaveFigures(cmp, changes["sectors"], changes["dimensions"], changes["matrix"], _flows(cmp), protection)
