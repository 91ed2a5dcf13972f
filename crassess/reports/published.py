"""What a report set publishes, registered with :mod:`crassess.reports.disclosure`, and the protected results.

The one place where raw counts (:mod:`crassess.reports.tally`) become publishable figures. Every count,
share and mean of the Markdown reports, the workbook and the charts is registered here under one key,
whichever outputs show it, so a figure is withheld everywhere or nowhere:

=============================  ==============================================================
key                            figure (s = sector, c = ISTAT code of a comune, q = question)
=============================  ==============================================================
("n", s)                       respondents of the sector (public)
("size"|"sub"|"level", s, k)   respondents per size class, sub-sector, level (add up to n)
("at", s, c)                   respondents of a sector in a comune (sector report, coverage)
("place", s, k)                the same by inhabitants class of the comune (sums of "at")
("cov", c)                     associations and businesses of a comune (coverage total)
("overall_n"|"dim_n", s[, d])  respondents with a score; means ("overall_mean"|"dim_mean"|"dim_gap")
("q_n"|"q_dk"|"q_na", s, q)    respondents a question applies to, don't know, not applicable;
                               "q_scored" (hidden) and the mean "q_mean"
("reach", s, q)                respondents below 50 on an action's question; mean "reach_mean"
("f", s, q, v), ("f_none", s, q)  respondents naming each choice of a question, and giving no answer
                               ("f_n": those who answered, when fewer than min_n: the table is not shown)
("fib", s, cat)                respondents per fibre category and without an answer ("noans");
                               per comune ("fib_c", c, cat), adding up to ("cov", c)
=============================  ==============================================================

Hidden keys (never shown, protected when they describe 1..min_n-1 respondents) are the complements:
those without a score, to whom a question does not apply, who did not name a choice, who scored 50 or
more. Tables list some rows only when not empty; the reader's knowledge of that is registered too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crassess.reports.disclosure import (
    PRIMARY,
    SECONDARY,
    Key,
    Protection,
    Publication,
    Withheld,
)
from crassess.reports.fibre_rules import FIBRE_RULES
from crassess.reports.results import (
    Cell,
    Counts,
    FibreCounts,
    Frequency,
    FrequencyRow,
    QuestionStat,
    SectorAction,
    SectorAnalysis,
    Summary,
)
from crassess.reports.statistics import Stats, mean
from crassess.reports.tally import (
    BARRIERS,
    FIBRE_CATEGORIES,
    INSUFFICIENT,
    NEEDS,
    UNKNOWN,
    RawFibre,
    RawFrequency,
    RawSector,
)

NON_COMUNE = ("associazione", "impresa")  # respondents located in a comune (the comuni are their own)
FIBRE_CELLS = (*FIBRE_CATEGORIES, "noans")  # the fibre categories and those who did not answer


def is_public(sector: str, public_bodies: bool) -> bool:
    """A comune's results are public when the campaign publishes public bodies by name."""
    return sector == "comune" and public_bodies


def fibre_scored_key(raw: RawSector) -> Key | None:
    """Where availability is not asked (comuni), the fibre answers are exactly the scored answers to the
    adoption question: that (hidden) count of the question table, to link the two."""
    qn, f = raw.questionnaire, raw.fibre
    rule = FIBRE_RULES.get(qn.id) if qn else None
    if rule is None or rule.available is not None or f is None:
        return None
    q = next((q for q in raw.questions if q.question_id == rule.adopted), None)
    if q is None or q.base != raw.n or len(q.scores) != f.cells["adopted"] + f.cells["not_adopted_unknown"]:
        return None
    return ("q_scored", raw.sector, q.question_id)


class Registry:
    """Registers a report set's figures in one :class:`Publication`."""

    def __init__(self, min_n: int, public_bodies: bool) -> None:
        self.pub = Publication(min_n)
        self.m = min_n
        self.public_bodies = public_bodies

    def _table(self, name: str, total: Key, parts: Mapping[Key, int], public: bool, always: Iterable[Key] = ()) -> None:
        """A one-way table adding up to ``total``; rows outside ``always`` are listed only when not empty."""
        fixed = set(always)
        for key, value in parts.items():
            self.pub.count(key, value, public=public, at_least=1 if key not in fixed and value else 0)
        self.pub.partition(total, parts, table=name)

    def sector(self, raw: RawSector) -> None:
        """One sector's report: who responded, levels, dimensions, questions, actions, frequencies, fibre."""
        pub, s = self.pub, raw.sector
        public = is_public(s, self.public_bodies)
        n = pub.count(("n", s), raw.n, public=True)
        if not (raw.n >= self.m or (public and raw.n)) or raw.questionnaire is None:
            return
        if s != "comune" or public:
            self._table(f"size:{s}", n, {("size", s, k): v for k, v in raw.size_classes.items()}, public,
                        [("size", s, k) for k in raw.always.get("size", ())])
        if set(raw.subsectors) != {UNKNOWN}:
            self._table(f"sub:{s}", n, {("sub", s, k): v for k, v in raw.subsectors.items()}, public)
        if s != "comune":
            self._table(f"comuni:{s}", n, {("at", s, k): v for k, v in raw.comuni.items()}, public)
        if raw.places:  # the same respondents by inhabitants class of their comune: sums of the comuni's cells
            classes = {("place", s, k): v for k, v in raw.places.items()}
            self._table(f"places:{s}", n, classes, public, classes)
            for k in raw.places:
                pub.line(("place", s, k), [("at", s, c) for c, place in raw.place_of.items() if place == k])
        self._table(f"levels:{s}", n, {("level", s, k): v for k, v in raw.levels.items()}, public,
                    [("level", s, k) for k in raw.always.get("levels", ())])
        self._dimensions(raw, public)
        self._questions(raw, public)
        for f in raw.frequencies:
            self.frequency(s, raw.n, f, public)
        if raw.fibre is not None:
            self._fibre(raw, public)

    def frequency(self, s: str, total: int, f: RawFrequency, public: bool) -> None:
        """The table of a question's answers in sector ``s`` (``total`` respondents): each choice and those
        who gave no answer; only the number who answered when fewer than min_n did."""
        pub, n, name = self.pub, ("n", s), f"freq:{s}:{f.question_id}"
        if f.answered < self.m and not public:  # too few answered: only that is said
            pub.count(("f_n", s, f.question_id), f.answered, public=public)
            pub.complement(n, ("f_n", s, f.question_id), ("f_none", s, f.question_id), public=public)
            pub.table(name, [("f_n", s, f.question_id)])
            return
        parts = {("f", s, f.question_id, v): c for v, c in f.counts.items()}
        none = pub.count(("f_none", s, f.question_id), total - f.answered, public=public)  # a row of its own
        if f.single:
            self._table(name, n, {**parts, none: total - f.answered}, public, [*parts, none])
        else:
            for key, value in parts.items():
                pub.count(key, value, public=public)
                pub.complement(n, key, ("f_not", *key[1:]), public=public)
            pub.table(name, [*parts, none])

    def _dimensions(self, raw: RawSector, public: bool) -> None:
        pub, s, n = self.pub, raw.sector, ("n", raw.sector)
        overall = pub.count(("overall_n", s), len(raw.overall), public=public)
        if raw.levels.get(INSUFFICIENT, 0) + len(raw.overall) == raw.n and INSUFFICIENT in raw.levels:
            pub.line(n, [overall, ("level", s, INSUFFICIENT)])
        else:
            pub.complement(n, overall, ("overall_missing", s), public=public)
        keys: list[Key] = [overall]
        if raw.overall:
            keys.append(pub.mean(("overall_mean", s), mean(raw.overall) or 0.0, overall, public=public))
        for d, values in raw.dimensions.items():
            dn = pub.count(("dim_n", s, d), len(values), public=public)
            pub.complement(n, dn, ("dim_missing", s, d), public=public)
            keys.append(dn)
            if values:
                keys.append(pub.mean(("dim_mean", s, d), mean(values) or 0.0, dn, public=public))
                keys.append(pub.mean(("dim_gap", s, d), mean(raw.gaps[d]) or 0.0, dn, public=public))
        pub.table(f"dims:{s}", keys)

    def _questions(self, raw: RawSector, public: bool) -> None:
        pub, s = self.pub, raw.sector
        keys: list[Key] = []
        by_id = {q.question_id: q for q in raw.questions}
        for q in raw.questions:
            base: Key = ("n", s)
            if q.base != raw.n:
                base = pub.count(("q_base", s, q.question_id), q.base, hidden=True, public=public)
                pub.complement(("n", s), base, ("q_other", s, q.question_id), public=public)
            qn = pub.count(("q_n", s, q.question_id), q.n, public=public)
            pub.complement(base, qn, ("q_notrel", s, q.question_id), public=public)
            dk = pub.count(("q_dk", s, q.question_id), q.dk, public=public)
            na = pub.count(("q_na", s, q.question_id), q.na, public=public)
            scored = pub.count(("q_scored", s, q.question_id), len(q.scores), hidden=True, public=public)
            pub.line(qn, [scored, dk, na])
            keys += [qn, dk, na]
            if q.scores:
                keys.append(pub.mean(("q_mean", s, q.question_id), mean(q.scores) or 0.0, scored, public=public))
        pub.table(f"questions:{s}", keys)
        action_keys: list[Key] = []
        for a in raw.actions:
            q = by_id[a.question_id]
            reach = pub.count(("reach", s, q.question_id), len(q.low), public=public)
            above = q.rest
            pub.complement(("q_scored", s, q.question_id), reach, ("q_above", s, q.question_id), public=public)
            reached = pub.mean(("reach_mean", s, q.question_id), mean(q.low) or 0.0, reach, public=public)
            parts = [reached]
            if above:
                parts.append(pub.mean(("above_mean", s, q.question_id), mean(above) or 0.0, ("q_above", s, q.question_id),
                                      hidden=True, public=public))
            pub.mean_line(("q_mean", s, q.question_id), parts)
            action_keys += [reach, reached, ("dim_gap", s, a.dimension)]
        pub.table(f"actions:{s}", action_keys)

    def _fibre(self, raw: RawSector, public: bool, hidden: bool = False) -> None:
        """Respondents by fibre category, and those who did not answer (a column of its own), adding up to
        the sector. Where availability is not asked (comuni), the categories are the answers to the
        adoption question: the same respondents as its (hidden) scored count."""
        pub, s, f = self.pub, raw.sector, raw.fibre
        cells = dict(f.cells) if f is not None else dict.fromkeys(FIBRE_CATEGORIES, 0)
        asked = (*f.asked, True) if f is not None else (False,) * len(FIBRE_CELLS)
        cells["noans"] = raw.n - sum(cells.values())
        parts = {}
        for cat, a in zip(FIBRE_CELLS, asked):  # a category the questionnaires cannot tell is a known 0
            parts[pub.count(("fib", s, cat), cells[cat], public=(public and a) or not a, hidden=hidden and a)] = cells[cat]
        pub.line(("n", s), list(parts))
        if not hidden and f is not None:
            pub.table(f"fibre:{s}", [k for k, a in zip(parts, asked) if a])
        scored = fibre_scored_key(raw)
        if scored is not None:
            pub.line(scored, [("fib", s, "adopted"), ("fib", s, "not_adopted_unknown")])

    def territory(self, sectors: Mapping[str, RawSector], coverage: Mapping[str, Mapping[str, int]],
                  fibre: Mapping[str, RawFibre], indicators: bool) -> None:
        """Coverage (respondents of ``sectors`` per comune: associations and businesses, never the comuni
        themselves) and fibre per comune (columns adding up to the sectors' fibre tables); ``indicators``:
        the indicators table also publishes every comune's share with fibre. ``fibre`` has every comune of
        ``coverage``."""
        pub, m = self.pub, self.m
        for c, cells in coverage.items():
            parts = {("at", s, c): cells.get(s, 0) for s in sectors}
            for (_, s, _), value in parts.items():  # an empty cell is also absent from the sector's own list
                pub.count(("at", s, c), value, public=value == 0 and f"comuni:{s}" in pub.tables, at_least=1 if value else 0)
            pub.count(("cov", c), sum(parts.values()), at_least=1)  # listed only with a respondent
            pub.partition(("cov", c), parts, table="coverage")
        for s, raw in sectors.items():
            pub.count(("n", s), raw.n, public=True)
            if f"comuni:{s}" not in pub.tables:  # else the sector's own table says the same
                pub.line(("n", s), [("at", s, c) for c in coverage])
            published = raw.fibre is not None and raw.n >= m and raw.questionnaire is not None
            self._fibre(raw, False, hidden=not published)  # hidden when the sector report does not publish it
        for c, f in fibre.items():
            listed = c != UNKNOWN and sum(coverage[c].values()) >= m
            cells = {**f.cells, "noans": sum(coverage[c].values()) - sum(f.cells.values())}
            keys = []
            for cat, asked in zip(FIBRE_CELLS, (*f.asked, True)):
                published = (listed and asked) or (indicators and c != UNKNOWN and cat == "adopted")
                keys.append(pub.count(("fib_c", c, cat), cells[cat], public=not asked, hidden=not published and asked))
            pub.line(("cov", c), keys)
            if listed:
                pub.table("fibre-comuni", [("cov", c), *(k for k, a in zip(keys, (*f.asked, True)) if a)])
            if indicators and c != UNKNOWN:
                pub.table("indicators", [("cov", c), ("fib_c", c, "adopted")])
        if fibre:
            for cat in FIBRE_CELLS:
                pub.line([("fib", s, cat) for s in sectors], [("fib_c", c, cat) for c in fibre])


# ---------------------------------------------------------------- protected results


def _counts(p: Protection, table: str, prefix: str, sector: str, keys: Iterable[str]) -> Counts | None:
    if table not in p.tables:
        return None
    if not p.published(table):
        return Counts({}, {}, published=False)
    n = ("n", sector)
    return Counts({k: p.count((prefix, sector, k)) for k in keys}, {k: p.share((prefix, sector, k), n) for k in keys})


def summary(p: Protection, n_key: Key, mean_key: Key, stats: Stats, table: str) -> Summary:
    """A group's statistics as published: all withheld with the mean; SD and CI also with n."""
    if stats.n == 0:
        return Summary(0)
    if not p.published(table):
        return Summary(SECONDARY, withheld=SECONDARY)
    n, value = p.count(n_key), p.mean(mean_key)
    if isinstance(value, Withheld):
        return Summary(n, withheld=value)
    hide = isinstance(n, Withheld)
    return Summary(n, stats.mean, stats.median, None if hide else stats.sd, None if hide else stats.ci, stats.p10,
                   stats.p90, None, stats.fpc)


def fibre_counts(p: Protection, total: Key, keys: Mapping[str, Key], asked: Sequence[bool]) -> FibreCounts:
    cells = {cat: p.count(key) for (cat, key), a in zip(keys.items(), asked) if a}
    shares = {cat: p.share(key, total) for (cat, key), a in zip(keys.items(), asked) if a}
    return FibreCounts(p.count(total), cells, shares, tuple(asked))  # type: ignore[arg-type]


def _rank(rows: Sequence[FrequencyRow]) -> tuple[FrequencyRow, ...]:
    """Shown counts first (largest first), then the withheld ones in questionnaire order, so the order
    does not rank the withheld cells."""
    return tuple(sorted(rows, key=lambda r: (isinstance(r.count, Withheld), -(r.count if isinstance(r.count, int) else 0))))


def frequency_result(p: Protection, s: str, total: int, f: RawFrequency) -> Frequency:
    """The protected table of a question's answers registered by :meth:`Registry.frequency`."""
    if not p.published(f"freq:{s}:{f.question_id}"):
        return Frequency(f.question_id, f.single, total, (), None, None, False)
    if ("f_n", s, f.question_id) in p.cells:  # too few answered
        return Frequency(f.question_id, f.single, total, (), None, p.count(("f_n", s, f.question_id)), False)
    rows = [FrequencyRow(v, p.count(("f", s, f.question_id, v)), p.share(("f", s, f.question_id, v), ("n", s)))
            for v in f.counts]
    none = ("f_none", s, f.question_id)
    return Frequency(f.question_id, f.single, total, _rank(rows), FrequencyRow("", p.count(none), p.share(none, ("n", s))))


def build_sector(raw: RawSector, p: Protection, public_bodies: bool, **extra: Any) -> SectorAnalysis:
    """The protected results of one sector."""
    s, m = raw.sector, p.min_n
    public = is_public(s, public_bodies)
    qn = raw.questionnaire
    reportable = qn is not None and (raw.n >= m or (public and raw.n > 0))
    too_few = Summary(raw.n, withheld=PRIMARY) if raw.n else Summary(0)  # a sector below min-n: n only
    dims = {d: summary(p, ("dim_n", s, d), ("dim_mean", s, d), raw.stats[d], f"dims:{s}") if reportable else too_few
            for d in raw.dimensions}
    overall = summary(p, ("overall_n", s), ("overall_mean", s), raw.overall_stats, f"dims:{s}") if reportable else too_few
    targets: dict[str, float] = {}
    if qn is not None:
        targets = {d.id: qn.target_of(d) for d in qn.dimensions}
        targets[""] = qn.target
    questions: tuple[QuestionStat, ...] = ()
    frequencies: dict[str, Frequency] = {}
    actions: tuple[SectorAction, ...] = ()
    fibre = None
    if reportable and p.published(f"questions:{s}"):
        questions = tuple(QuestionStat(
            q.question_id, q.dimension, p.count(("q_n", s, q.question_id)),
            p.mean(("q_mean", s, q.question_id)) if q.scores else None,
            p.share(("q_dk", s, q.question_id), ("q_n", s, q.question_id)),
            p.share(("q_na", s, q.question_id), ("q_n", s, q.question_id))) for q in raw.questions)
    if reportable:
        frequencies = {f.question_id: frequency_result(p, s, raw.n, f) for f in raw.frequencies}
        actions = () if not p.published(f"actions:{s}") else tuple(SectorAction(
            s, a.question_id, a.dimension, p.count(("reach", s, a.question_id)),
            p.share(("reach", s, a.question_id), ("n", s)), p.mean(("reach_mean", s, a.question_id)),
            p.mean(("dim_gap", s, a.dimension)), a.priority, a.horizon) for a in raw.actions)
        if raw.fibre is not None and p.published(f"fibre:{s}"):
            fibre = fibre_counts(p, ("n", s), {c: ("fib", s, c) for c in FIBRE_CELLS}, (*raw.fibre.asked, True))
        elif raw.fibre is not None:
            fibre = FibreCounts(raw.n, {}, {}, (False,) * len(FIBRE_CELLS), published=False)
    shown = [q for q in questions if isinstance(q.mean, float)]
    weakest = tuple(sorted(shown, key=lambda q: (q.mean, questions.index(q)))[:5])  # type: ignore[arg-type,return-value]
    barriers = frequencies.pop(BARRIERS, None)
    needs = frequencies.pop(NEEDS, None)
    return SectorAnalysis(
        sector=s, questionnaire=qn, n=raw.n, drafts=raw.drafts, population=raw.population, min_n=m,
        size_classes=_counts(p, f"size:{s}", "size", s, raw.size_classes) if reportable else None,
        subsectors=_counts(p, f"sub:{s}", "sub", s, raw.subsectors) if reportable else None,
        comuni=_counts(p, f"comuni:{s}", "at", s, raw.comuni) if reportable else None,
        places=_counts(p, f"places:{s}", "place", s, raw.places) if reportable else None,
        levels=_counts(p, f"levels:{s}", "level", s, raw.levels) if reportable else None,
        overall=overall, dimensions=dims, targets=targets, questions=questions, weakest=weakest,
        barriers=barriers, needs=needs, actions=actions, fibre=fibre, context=tuple(frequencies.values()),
        public=public, **extra)


def cell_or_none(p: Protection, key: Key) -> Cell | None:
    """A registered, published count; ``None`` when it is not published at all."""
    return None if key not in p.cells or key in p.hidden else p.count(key)
