"""The Digital Center programme and the digital twin: counted, registered with disclosure control, protected.

An organisation *needs* a service of the catalogue (``questionnaires/servizi.yaml``) when it named it among
its three needs (``esigenze_top3``) or scores below 50 on average over the scored items mapped to it (the
questions' ``service``; only those whose action suits its size, ``min_size``); it is counted once per service
however many of the two it shows. The counts go through the report set's one
:class:`~crassess.reports.published.Registry` (same :class:`~crassess.reports.disclosure.Publication` as
every other table, so nothing is recovered by subtraction across tables):

=============================  ==============================================================
key                            figure (s = sector, v = service id, g = readiness group)
=============================  ==============================================================
("need", s, v)                 organisations of the sector needing the service; ("need", ALL, v): the
                               sectors broken down (at least min_n respondents) together
("f", s, "esigenze_top3", v)   those who named it (the needs table's cell; hidden where not published)
("need_gap", s, v)             hidden: in need through a measured gap only (need - named)
("need_not", s, v)             hidden: the sector's other respondents
("twin", s, g)                 readiness to share data for the digital twin: the sum of the choices of
                               ``gemello_disponibilita`` in the group (willing, on conditions, not)
=============================  ==============================================================

The form of the data (``gemello_dati``) is a scored question whose mean the Questions table publishes:
with that mean, any withheld count of its answers could be worked out, so its table is published only when
no count of it is withheld (every count 0 or at least min_n), else the report says why. The other twin
and programme questions (delivery, co-funding, topics, conditions) are the sector reports' frequency
tables (:data:`crassess.reports.tally.CONTEXT_QUESTIONS`), read back as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crassess.questionnaire.models import ServiceCatalogue
from crassess.reports.disclosure import Protection
from crassess.reports.published import Registry, frequency_result, is_public
from crassess.reports.results import Cell, Counts, Frequency, SectorAnalysis, Share
from crassess.reports.tally import (
    LOW_ITEM_SCORE,
    NEEDS,
    SECTORS,
    RawFrequency,
    frequency,
    horizon,
    main_questionnaire,
)
from crassess.scoring.engine import proposed
from crassess.scoring.files import ScoredResponse

ALL = "*"  # the territory: every sector
DELIVERY, COFUNDING = "modalita_servizi", "cofinanziamento"
TWIN_READY, TWIN_FORM, TWIN_TOPICS, TWIN_CONDITIONS = "gemello_disponibilita", "gemello_dati", "gemello_ambiti", "gemello_condizioni"
# readiness to share data: the choices of gemello_disponibilita in each group ("dk" and no answer: "noans")
READINESS = {"willing": ("si", "gia"), "conditional": ("condizioni", "forse"), "not": ("no",)}
READINESS_CELLS = (*READINESS, "noans")
HORIZONS = ("short", "medium", "long")


@dataclass
class RawProgramme:
    """The raw counts, per sector: organisations in need per service, of them those who named it."""

    catalogue: ServiceCatalogue
    n: dict[str, int]
    need: dict[str, dict[str, int]]
    named: dict[str, dict[str, int]]
    readiness: dict[str, RawFrequency | None]
    form: dict[str, RawFrequency | None]


@dataclass(frozen=True)
class Step:
    """A first step of a service: a sector road-map's action (reaching at least min_n) on an item mapped to
    the service, with the horizon of its question's ``effort``."""

    sector: str
    question_id: str
    horizon: str
    action: Mapping[str, str]


@dataclass(frozen=True)
class ServiceNeed:
    service: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    cells: Mapping[str, Cell]  # per broken-down sector: organisations in need
    shares: Mapping[str, Share]  # of the sector's respondents
    total: Cell  # the territory (every sector)
    steps: tuple[Step, ...]  # by priority


@dataclass(frozen=True)
class Programme:
    """The protected programme and digital-twin figures. ``sectors``: those broken down (at least min_n
    respondents); ``published``: the territory table, ``sector_published`` each sector's."""

    sectors: tuple[str, ...]
    services: tuple[ServiceNeed, ...]  # most needed first (shown counts, then withheld ones)
    published: bool
    sector_published: Mapping[str, bool]
    readiness: Mapping[str, Counts]  # sector -> willing, conditional, not, noans
    form: Mapping[str, Frequency | None]  # sector -> the form of its data; None: withheld as a whole
    form_total: Counts | None = None  # every sector asked together (values and "noans"); None: withheld as a whole

    def ranked(self, sector: str | None = None) -> tuple[ServiceNeed, ...]:
        """The services by organisations in need (of ``sector``, else the territory): shown counts largest
        first, then the withheld ones in catalogue order (so the order does not rank them)."""
        def value(s: ServiceNeed) -> Cell | None:
            return s.total if sector is None else s.cells.get(sector)
        order = {s.service: i for i, s in enumerate(self.services)}
        return tuple(sorted(self.services, key=lambda s: (not isinstance(value(s), int), -(value(s) if isinstance(value(s), int) else 0),  # type: ignore[operator]
                                                          order[s.service])))

    def first_steps(self, service: ServiceNeed, sector: str | None = None) -> dict[str, Step]:
        """The first step per horizon: the highest-priority action of the service (of ``sector``, else any)."""
        found: dict[str, Step] = {}
        for step in service.steps:
            if (sector is None or step.sector == sector) and step.horizon in HORIZONS:
                found.setdefault(step.horizon, step)
        return {h: found[h] for h in HORIZONS if h in found}


def catalogue_of(by_sector: Mapping[str, Sequence[ScoredResponse]]) -> ServiceCatalogue:
    """The catalogue the campaign's questionnaires refer to, else the shipped one."""
    for s in SECTORS:
        qn = main_questionnaire(by_sector.get(s, ()))
        if qn is not None and qn.service_catalogue is not None:
            return qn.service_catalogue
    from crassess.questionnaire.load import load_services

    return load_services()


def _gaps(r: ScoredResponse) -> set[str]:
    """The services whose items the respondent scores below 50 on average (the items whose action suits its
    size): one weak answer among several good ones is not a need for the whole service."""
    size = r.response.respondent.size
    scores: dict[str, list[float]] = {}
    for q in r.questionnaire.scored_questions:
        item = r.result.items.get(q.id)
        if q.service and item is not None and item.status == "scored" and item.score is not None and proposed(q, size):
            scores.setdefault(q.service, []).append(item.score)
    return {v for v, values in scores.items() if sum(values) / len(values) < LOW_ITEM_SCORE}


def count_programme(by_sector: Mapping[str, Sequence[ScoredResponse]], catalogue: ServiceCatalogue) -> RawProgramme:
    ids = catalogue.ids
    need = {s: dict.fromkeys(ids, 0) for s in SECTORS}
    named = {s: dict.fromkeys(ids, 0) for s in SECTORS}
    readiness: dict[str, RawFrequency | None] = {}
    form: dict[str, RawFrequency | None] = {}
    for s in SECTORS:
        responses = by_sector.get(s, ())
        for r in responses:
            answer = r.response.answers.get(NEEDS)
            stated = set(answer) if isinstance(answer, list) else set()
            gaps = _gaps(r)
            for v in ids:
                named[s][v] += v in stated
                need[s][v] += v in stated or v in gaps
        qn = main_questionnaire(responses)
        readiness[s] = frequency(TWIN_READY, responses, qn)
        form[s] = frequency(TWIN_FORM, responses, qn)
    return RawProgramme(catalogue, {s: len(by_sector.get(s, ())) for s in SECTORS}, need, named, readiness, form)


def _broken_down(raw: RawProgramme, reg: Registry, s: str) -> bool:
    """A sector's figures are published at all (as for its sector report)."""
    return raw.n[s] >= reg.m or (is_public(s, reg.public_bodies) and raw.n[s] > 0)


def register_programme(reg: Registry, raw: RawProgramme) -> None:
    """Register the programme and the twin's readiness and data form in the report set's publication
    (after :meth:`Registry.sector`, whose frequency tables they link to)."""
    pub, m = reg.pub, reg.m
    # the sectors broken down; the territory's total is theirs (a smaller sector's figures are never
    # published, nor the total with them, which would give them away)
    shown = [s for s in SECTORS if _broken_down(raw, reg, s)]
    known = all(is_public(s, reg.public_bodies) for s in shown)  # all public: the total is known
    if not shown:
        return
    for v in raw.catalogue.ids:
        for s in shown:
            public = is_public(s, reg.public_bodies)
            need = pub.count(("need", s, v), raw.need[s][v], public=public)
            named = pub.count(("f", s, NEEDS, v), raw.named[s][v], public=public, hidden=True)  # shown where the needs table is
            gap = pub.count(("need_gap", s, v), raw.need[s][v] - raw.named[s][v], public=public, hidden=True)
            pub.line(need, [named, gap])
            pub.complement(("n", s), need, ("need_not", s, v), public=public)
        total = pub.count(("need", ALL, v), sum(raw.need[s][v] for s in shown), public=known)
        pub.line(total, [("need", s, v) for s in shown])
    for s in shown:
        pub.table(f"programme:{s}", [("need", s, v) for v in raw.catalogue.ids])
    pub.table("programme", [("need", s, v) for s in shown for v in raw.catalogue.ids]
              + [("need", ALL, v) for v in raw.catalogue.ids])
    for s in shown:
        public = is_public(s, reg.public_bodies)
        ready = raw.readiness[s]
        if ready is not None and (ready.answered >= m or public):  # its choices are registered (a table)
            keys = []
            for g, values in READINESS.items():
                keys.append(pub.count(("twin", s, g), sum(ready.counts.get(v, 0) for v in values), public=public))
                pub.line(keys[-1], [("f", s, TWIN_READY, v) for v in values if v in ready.counts])
            pub.table(f"twin:{s}", [*keys, ("f_none", s, TWIN_READY)])
    _register_form(reg, raw, shown)


def _whole(counts: Sequence[int], m: int) -> bool:
    """No count would be withheld (each 0 or at least min_n): the condition to publish the form of the data."""
    return all(c == 0 or c >= m for c in counts)


def _register_form(reg: Registry, raw: RawProgramme, shown: Sequence[str]) -> None:
    """The form of the data per sector (each table whole or not at all, see the module docstring) and for
    the territory (every sector together, the same rule), linked: the territory's counts add up the
    sectors' (hidden where not published)."""
    pub, m = reg.pub, reg.m
    asked = {s: f for s, f in raw.form.items() if f is not None}
    for s, f in asked.items():
        public = is_public(s, reg.public_bodies) and s in shown
        if s in shown and (public or _whole([*f.counts.values(), raw.n[s] - f.answered], m)):
            reg.frequency(s, raw.n[s], f, public)
        else:
            for v, c in f.counts.items():
                pub.count(("f", s, TWIN_FORM, v), c, hidden=True)
            pub.count(("f_none", s, TWIN_FORM), raw.n[s] - f.answered, hidden=True)
            pub.line(("n", s), [("f", s, TWIN_FORM, v) for v in f.counts] + [("f_none", s, TWIN_FORM)])
    values = list(dict.fromkeys(v for f in asked.values() for v in f.counts))
    groups = merged({v: sum(f.counts.get(v, 0) for f in asked.values()) for v in values}, m)
    noans = sum(raw.n[s] - f.answered for s, f in asked.items())
    if not asked or groups is None or not _whole([noans], m):
        return
    keys = []
    for group in groups:
        parts = [("f", s, TWIN_FORM, v) for v in group for s, f in asked.items() if v in f.counts]
        keys.append(pub.count(("form", ALL, "+".join(group)), sum(f.counts.get(v, 0) for v in group for f in asked.values())))
        pub.line(keys[-1], parts)
    keys.append(pub.count(("form", ALL, "noans"), noans))
    pub.line(keys[-1], [("f_none", s, TWIN_FORM) for s in asked])
    pub.table("twinform", keys)


def merged(counts: Mapping[str, int], m: int) -> list[tuple[str, ...]] | None:
    """Adjacent categories (in questionnaire order) joined until each group is 0 or at least ``m`` (global
    recoding): so the territory's table need not withhold anything. ``None`` when even one group would not."""
    groups: list[list[str]] = []
    total = 0
    for v, c in counts.items():
        if groups and 0 < total < m:
            groups[-1].append(v)
        else:
            groups.append([v])
            total = 0
        total += c
    if len(groups) > 1 and 0 < total < m:  # the last group is too small: join it to the one before
        last = groups.pop()
        groups[-1] += last
    sums = [sum(counts[v] for v in g) for g in groups]
    return [tuple(g) for g in groups] if _whole(sums, m) else None


def _steps(sectors: Mapping[str, SectorAnalysis]) -> dict[str, list[Step]]:
    """Each service's first steps: the sector road-maps' actions on items mapped to it, by priority."""
    pool = sorted((a for s in SECTORS for a in sectors[s].actions), key=lambda a: (-a.priority, SECTORS.index(a.sector)))
    out: dict[str, list[Step]] = {}
    seen: set[tuple[str, str]] = set()
    for a in pool:
        qn = sectors[a.sector].questionnaire
        q = qn.questions_by_id.get(a.question_id) if qn else None
        if q is None or not q.service or q.action is None:
            continue
        text = q.action.get("it") or next(iter(q.action.values()))
        if (q.service, text) in seen:  # the same action in two sectors' questionnaires
            continue
        seen.add((q.service, text))
        out.setdefault(q.service, []).append(Step(a.sector, a.question_id, horizon(q.effort), dict(q.action)))
    return out


def build_programme(raw: RawProgramme, p: Protection, sectors: Mapping[str, SectorAnalysis], public_bodies: bool) -> Programme:
    """The protected programme from the solved publication."""
    shown = tuple(s for s in SECTORS if raw.n[s] >= p.min_n or (is_public(s, public_bodies) and raw.n[s] > 0))
    published = "programme" in p.tables and p.published("programme")
    steps = _steps(sectors)
    services = []
    for svc in raw.catalogue.services:
        v = svc.id
        cells = {s: p.count(("need", s, v)) for s in shown if p.published(f"programme:{s}")}
        shares = {s: p.share(("need", s, v), ("n", s)) for s in cells}
        total = p.count(("need", ALL, v)) if published else 0
        services.append(ServiceNeed(v, dict(svc.label), dict(svc.description), cells, shares, total, tuple(steps.get(v, ()))))
    readiness: dict[str, Counts] = {}
    form: dict[str, Frequency | None] = {}
    for s in shown:
        if f"twin:{s}" in p.tables:
            if not p.published(f"twin:{s}"):
                readiness[s] = Counts({}, {}, published=False)
            else:
                keys = {g: ("twin", s, g) for g in READINESS} | {"noans": ("f_none", s, TWIN_READY)}
                readiness[s] = Counts({g: p.count(k) for g, k in keys.items()}, {g: p.share(k, ("n", s)) for g, k in keys.items()})
        f = raw.form[s]
        if f is not None:
            form[s] = frequency_result(p, s, raw.n[s], f) if f"freq:{s}:{TWIN_FORM}" in p.tables else None
    form_total: Counts | None = None
    if "twinform" in p.tables:
        keys = [k for k in p.tables["twinform"]]
        base = sum(raw.n[s] for s, f in raw.form.items() if f is not None)
        if not p.published("twinform"):
            form_total = Counts({}, {}, published=False)
        else:
            cells = {k[2]: p.count(k) for k in keys}
            form_total = Counts(cells, {v: 100.0 * c / base if isinstance(c, int) else c for v, c in cells.items()})
    return Programme(shown, tuple(services), published, {s: p.published(f"programme:{s}") for s in shown}, readiness, form,
                     form_total)
