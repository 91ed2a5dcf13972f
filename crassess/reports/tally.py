"""Counting a campaign's responses: every figure a report set may publish, *before* disclosure control.

Internal to the reports: these raw counts go to :mod:`crassess.reports.published`, which registers them
with :mod:`crassess.reports.disclosure` and builds the protected results; nothing here is rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from crassess.questionnaire.models import Questionnaire
from crassess.reports.fibre_rules import FIBRE_RULES
from crassess.reports.statistics import Stats, mean, summarise
from crassess.scoring.engine import proposed
from crassess.scoring.files import ScoredResponse
from crassess.territory.comuni import Territory

SECTORS = ("comune", "associazione", "impresa")
LOW_ITEM_SCORE = 50.0
BARRIERS, NEEDS = "ostacoli", "esigenze_top3"
UNKNOWN = "_"
INSUFFICIENT = "_insufficient"
FIBRE_CATEGORIES = ("none", "announced", "not_adopted", "not_adopted_unknown", "adopted")

# lower bounds of the size classes (employees; inhabitants for comuni)
SIZE_BANDS: dict[str, tuple[int, ...]] = {
    "comune": (0, 1000, 5000, 15000),  # inhabitants
    "associazione": (0, 50, 250, 1000),  # members
    "impresa": (0, 10, 50, 250),  # employees: micro, small, medium, large
}
# unscored context questions reported as frequency tables in the sector reports, and where
CONTEXT_QUESTIONS = {"copertura_territorio": "connectivity", "motivo_no_fibra": "connectivity", "copertura_mobile": "connectivity",
                     "localita": "connectivity", "velocita_misurata": "connectivity",
                     "ostacoli_associati": "barriers", "motivi_resistenza": "barriers",
                     "esigenze_associati": "needs", "supporto_digitale": "needs", "modalita_servizi": "programme",
                     "cofinanziamento": "programme", "gemello_disponibilita": "twin", "gemello_ambiti": "twin",
                     "gemello_condizioni": "twin"}  # programme, twin: crassess.reports.programme_md


SPEED_BANDS = (0, 30, 100, 300)  # Mbit/s: under the EU's 30 (basic broadband), 100, 300, then ultra-fast
CENTRE, OUTSIDE = "centro", "frazione"  # ``localita`` empty: premises in the main town; given: a hamlet or area


def speed_band(value: object) -> str | None:
    """``0-29``, ``30-99``, ``100-299``, ``>=300`` for a measured speed (Mbit/s); ``None`` when not a number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    label = None
    for i, lower in enumerate(SPEED_BANDS):
        if value >= lower:
            label = f"{lower}-{SPEED_BANDS[i + 1] - 1}" if i + 1 < len(SPEED_BANDS) else f">={lower}"
    return label


def _place(value: object) -> str:
    return OUTSIDE if isinstance(value, str) and value.strip() else CENTRE


# context questions without choices, published as one-choice tables of derived categories: (categories,
# the category of an answer, whether a missing answer is a category too)
DERIVED = {
    "velocita_misurata": (tuple(f"{lo}-{hi - 1}" for lo, hi in zip(SPEED_BANDS, SPEED_BANDS[1:])) + (f">={SPEED_BANDS[-1]}",),
                          speed_band, False),
    "localita": ((CENTRE, OUTSIDE), _place, True),
}


@dataclass
class RawFrequency:
    """Respondents naming each choice of ``question_id`` (every choice, zeros included)."""

    question_id: str
    single: bool  # select_one: the counts add up to ``answered``
    answered: int
    counts: dict[str, int]


@dataclass
class RawQuestion:
    question_id: str
    dimension: str
    base: int  # responses of the questionnaire with the item at all (relevant or not)
    n: int  # relevant: scored + don't know + not applicable
    dk: int
    na: int
    scores: list[float]
    low: list[float]  # item scores under LOW_ITEM_SCORE of those its action suits: the action's reach
    rest: list[float]  # the other scores


@dataclass
class RawFibre:
    """Respondents by fibre category (``asked``: which categories the questionnaires can tell)."""

    asked: tuple[bool, bool, bool, bool, bool]
    cells: dict[str, int]

    @property
    def n(self) -> int:
        return sum(self.cells.values())


@dataclass
class RawAction:
    question_id: str
    dimension: str
    priority: float
    horizon: str


@dataclass
class RawSector:
    sector: str
    questionnaire: Questionnaire | None
    n: int
    drafts: int
    population: int | None
    size_classes: dict[str, int]
    subsectors: dict[str, int]
    comuni: dict[str, int]
    levels: dict[str, int]
    dimensions: dict[str, list[float]]
    gaps: dict[str, list[float]]
    stats: dict[str, Stats]
    overall: list[float]
    overall_stats: Stats
    questions: list[RawQuestion]
    frequencies: list[RawFrequency]
    fibre: RawFibre | None
    places: dict[str, int] = field(default_factory=dict)  # respondents by inhabitants class of their comune
    place_of: dict[str, str] = field(default_factory=dict)  # comune (of ``comuni``) -> its inhabitants class
    actions: list[RawAction] = field(default_factory=list)
    always: dict[str, list[str]] = field(default_factory=dict)  # rows listed even when empty, per table


def size_class(sector: str, size: float | None) -> str:
    if size is None:
        return UNKNOWN
    bands = SIZE_BANDS.get(sector, SIZE_BANDS["impresa"])
    label = UNKNOWN
    for i, lower in enumerate(bands):
        if size >= lower:
            label = f"{lower}-{bands[i + 1] - 1}" if i + 1 < len(bands) else f">={lower}"
    return label


def comune_code(territory: Territory, value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    found = territory.find(value)
    return found.istat if found else None


def main_questionnaire(responses: Sequence[ScoredResponse]) -> Questionnaire | None:
    if not responses:
        return None
    counts = Counter((r.questionnaire.id, r.questionnaire.version) for r in responses)
    (qid, version), _ = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return next(r.questionnaire for r in responses if (r.questionnaire.id, r.questionnaire.version) == (qid, version))


def _ordered(counter: Counter[str], order: Sequence[str] = (), always: Sequence[str] = ()) -> dict[str, int]:
    """Counts in ``order`` (then sorted), keeping the ``always`` keys even at zero."""
    keys = [k for k in order if k in counter or k in always] + sorted(k for k in counter if k not in order)
    return {k: counter[k] for k in keys}


def _questions(qn: Questionnaire, responses: Sequence[ScoredResponse]) -> list[RawQuestion]:
    same = [r for r in responses if r.questionnaire.id == qn.id]
    out = []
    for q in qn.scored_questions:
        items = [(r.result.items[q.id], r.response.respondent.size) for r in same if q.id in r.result.items]
        relevant = [(i, size) for i, size in items if i.status != "not_relevant"]
        scored = [(i.score, size) for i, size in relevant if i.status == "scored" and i.score is not None]
        # reached by the question's action: below 50, and not below the action's min_size
        reached = [s < LOW_ITEM_SCORE and proposed(q, size) for s, size in scored]
        out.append(RawQuestion(q.id, q.dimension or "", len(items), len(relevant),
                               sum(1 for i, _ in relevant if i.status == "dk"), sum(1 for i, _ in relevant if i.status == "na"),
                               [s for s, _ in scored], [s for (s, _), r in zip(scored, reached) if r],
                               [s for (s, _), r in zip(scored, reached) if not r]))
    return out


def frequency(qid: str, responses: Sequence[ScoredResponse], qn: Questionnaire | None) -> RawFrequency | None:
    """Respondents who answered ``qid`` naming each choice; a single choice counts as a list of one."""
    if not any(qid in r.questionnaire.questions_by_id for r in responses):
        return None
    if qid in DERIVED:
        order, category, missing_counts = DERIVED[qid]
        asked = [r for r in responses if qid in r.questionnaire.questions_by_id]
        found = [category(r.response.answers.get(qid)) for r in asked if missing_counts or qid in r.response.answers]
        derived: Counter[str] = Counter(v for v in found if v is not None)
        return RawFrequency(qid, True, sum(derived.values()), _ordered(derived, order, order))
    order = [c.value for c in qn.choices_of(qn.question(qid))] if qn and qid in qn.questions_by_id else []
    single = bool(qn and qid in qn.questions_by_id and qn.question(qid).type == "select_one")
    raw = [r.response.answers.get(qid) for r in responses]
    lists = [a if isinstance(a, list) else [a] for a in raw if isinstance(a, list) or (isinstance(a, str) and a not in ("na", "dk"))]
    counter: Counter[str] = Counter(v for a in lists for v in a)
    return RawFrequency(qid, single, len(lists), _ordered(counter, order, order))


def fibre(responses: Sequence[ScoredResponse]) -> RawFibre | None:
    """Fibre categories: none available, works announced, available but not adopted, not adopted where
    availability is not asked, adopted; ``None`` when no questionnaire of the group asks about fibre."""
    cells = dict.fromkeys(FIBRE_CATEGORIES, 0)
    with_availability = without_availability = with_planned = False
    for r in responses:
        rule = FIBRE_RULES.get(r.questionnaire.id)
        if rule is None:
            continue
        answers = r.response.answers
        taken = answers.get(rule.adopted)
        if rule.available is None:
            without_availability = True
            if taken not in (None, "dk", "na"):
                cells["adopted" if taken in rule.adopted_yes else "not_adopted_unknown"] += 1
            continue
        with_availability = True
        with_planned = with_planned or bool(rule.available_planned)
        available = answers.get(rule.available)
        if available in rule.available_no:
            cells["none"] += 1
        elif available in rule.available_planned:
            cells["announced"] += 1
        elif available in rule.available_yes and taken not in (None, "dk", "na"):
            cells["adopted" if taken in rule.adopted_yes else "not_adopted"] += 1
    if not (with_availability or without_availability):
        return None
    return RawFibre((with_availability, with_planned, with_availability, without_availability, True), cells)


def _actions(qn: Questionnaire, questions: Sequence[RawQuestion], dims: Mapping[str, Stats],
             gaps: Mapping[str, float | None], min_n: int) -> list[RawAction]:
    """Actions ranked by reach x mean gap x weights; only those reaching at least ``min_n`` respondents.

    priority = reach x mean dimension gap x dimension weight x item weight x (100 - mean item score of the reached) / 100
    """
    found = []
    for q, raw in zip(qn.scored_questions, questions):
        dim = qn.dimensions_by_id[q.dimension or ""]
        gap = gaps.get(dim.id)
        if not q.action or not gap or len(raw.low) < min_n:
            continue
        mean_item = sum(raw.low) / len(raw.low)
        priority = len(raw.low) * gap * dim.weight * q.weight * (100 - mean_item) / 100
        found.append((RawAction(q.id, dim.id, priority, _horizon(qn, q.effort, dims[dim.id], mean_item))))
    order = {q.id: i for i, q in enumerate(qn.questions)}
    found.sort(key=lambda a: (-a.priority, order[a.question_id]))
    return found


HORIZON_OF_EFFORT = {"low": "short", "medium": "medium", "high": "long"}


def horizon(effort: str | None) -> str:
    """The horizon of an action from its question's ``effort``: low -> short, medium -> medium, high -> long."""
    return HORIZON_OF_EFFORT.get(effort or "", "unset")


def _horizon(qn: Questionnaire, effort: str | None, stats: Stats, mean_item: float) -> str:
    """The question's ``effort`` when it has one (the same horizon as in the respondent reports and the
    programme). Without it, foundations first: short term where the practice is missing altogether (the
    reached score under 20 on average) or the sector is still in the lowest level of the dimension; long
    term where the sector is already past the middle level; medium otherwise."""
    if effort in HORIZON_OF_EFFORT:
        return HORIZON_OF_EFFORT[effort]
    level = qn.level_of(stats.mean)
    index = qn.levels.index(level) if level else 0
    if mean_item < 20 or index == 0:
        return "short"
    return "long" if index >= 2 else "medium"


def count_sector(sector: str, responses: Sequence[ScoredResponse], territory: Territory, min_n: int,
                 population: int | None = None, drafts: int = 0, inhabitants: Mapping[str, int] | None = None) -> RawSector:
    """Every raw figure of one sector's report; with ``inhabitants`` (per comune), the associations' and
    businesses' respondents by inhabitants class of their comune too."""
    qn = main_questionnaire(responses)
    sizes = Counter(size_class(sector, r.response.respondent.size) for r in responses)
    size_order = [size_class(sector, b) for b in SIZE_BANDS.get(sector, SIZE_BANDS["impresa"])] + [UNKNOWN]
    subsectors = Counter((r.response.respondent.subsector or "").strip() or UNKNOWN for r in responses)
    comuni = Counter(comune_code(territory, r.response.respondent.comune) or UNKNOWN for r in responses)
    levels = Counter(r.result.level or INSUFFICIENT for r in responses)
    level_order = [lv.id for lv in qn.levels] + [INSUFFICIENT] if qn else []
    dims: dict[str, list[float]] = {}
    gaps: dict[str, list[float]] = {}
    for d in [d.id for d in qn.dimensions] if qn else []:
        scored = [r.result.dimensions[d] for r in responses if d in r.result.dimensions and r.result.dimensions[d].score is not None]
        dims[d] = [s.score for s in scored]  # type: ignore[misc]
        gaps[d] = [s.gap for s in scored]  # type: ignore[misc]
    stats = {d: summarise(v, population) for d, v in dims.items()}
    overall = [r.result.overall for r in responses if r.result.overall is not None]
    questions = _questions(qn, responses) if qn else []
    freqs = [frequency(qid, responses, qn) for qid in (BARRIERS, NEEDS, *CONTEXT_QUESTIONS)]
    raw = RawSector(
        sector=sector, questionnaire=qn, n=len(responses), drafts=drafts, population=population,
        size_classes=_ordered(sizes, size_order, size_order[:-1]), subsectors=_ordered(subsectors),
        comuni=_ordered(comuni), levels=_ordered(levels, level_order, level_order[:-1]),
        dimensions=dims, gaps=gaps, stats=stats, overall=overall, overall_stats=summarise(overall, population),
        questions=questions, frequencies=[f for f in freqs if f is not None], fibre=fibre(responses),
        always={"size": size_order[:-1], "levels": level_order[:-1]},
    )
    if inhabitants and sector != "comune":
        raw.place_of = {c: size_class("comune", inhabitants.get(c)) for c in raw.comuni}
        place_order = [size_class("comune", b) for b in SIZE_BANDS["comune"]]
        places: Counter[str] = Counter()
        for c, v in raw.comuni.items():
            places[raw.place_of[c]] += v
        raw.places = _ordered(places, place_order, place_order)
    if qn and len(responses) >= min_n:
        mean_gaps = {d: mean(g) if len(g) >= min_n else None for d, g in gaps.items()}
        raw.actions = _actions(qn, questions, stats, mean_gaps, min_n)
    return raw
