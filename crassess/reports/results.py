"""The frozen results the renderers read: only what may be published.

Every count is an ``int`` or a :class:`~crassess.reports.disclosure.Withheld` (with its mark), every share a
percentage, ``Withheld`` or ``None`` (not applicable): the raw figures never reach a renderer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crassess.questionnaire.models import Questionnaire
from crassess.reports.disclosure import Protection, Withheld
from crassess.reports.peers import Comparison
from crassess.scoring.engine import Action
from crassess.scoring.files import ScoredResponse

if TYPE_CHECKING:
    from crassess.reports.programme import Programme

Cell = int | Withheld
Share = float | Withheld | None


@dataclass(frozen=True)
class Summary:
    """n, mean, median, SD, 95% CI, P10 and P90 of a group's scores, as published.

    ``withheld``: the statistics are withheld (over fewer than min_n respondents, or to protect another
    group); when only ``n`` is withheld, SD and CI are left out too (they would give n back).
    P10 and P90 only from 10 respondents."""

    n: Cell
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    ci: tuple[float, float] | None = None
    p10: float | None = None
    p90: float | None = None
    withheld: Withheld | None = None
    fpc: bool = False


@dataclass(frozen=True)
class Counts:
    """A one-way table: respondents per category and their share of the group. ``published`` is False when
    it could not be protected (then say so instead of showing it)."""

    cells: Mapping[str, Cell]
    shares: Mapping[str, Share]
    published: bool = True


@dataclass(frozen=True)
class QuestionStat:
    question_id: str
    dimension: str
    n: Cell
    mean: float | Withheld | None  # None: nobody gave a scored answer
    dk_share: Share
    na_share: Share


@dataclass(frozen=True)
class FrequencyRow:
    value: str
    count: Cell
    share: Share


@dataclass(frozen=True)
class Frequency:
    """Respondents naming each choice of a question, and those who gave no answer (don't know, not
    applicable, not asked), with their shares of all the sector's respondents (``base``). ``single``: one
    choice each (the rows and the unanswered add up to the base). Not ``published`` when it could not be
    protected, or when fewer than min_n answered (``answered``, then the only figure)."""

    question_id: str
    single: bool
    base: int
    rows: tuple[FrequencyRow, ...]
    unanswered: FrequencyRow | None
    answered: Cell | None = None
    published: bool = True


@dataclass(frozen=True)
class SectorAction:
    sector: str
    question_id: str
    dimension: str
    reach: Cell
    reach_share: Share
    mean_item_score: float | Withheld
    mean_gap: float | Withheld
    priority: float
    horizon: str


@dataclass(frozen=True)
class FibreCounts:
    """Respondents of a group (``n``) and their shares per fibre category (``none``, ``not_adopted``,
    ``not_adopted_unknown``, ``adopted``, and ``noans``: no answer); ``asked``: which categories the
    questionnaires can tell."""

    n: Cell
    cells: Mapping[str, Cell]
    shares: Mapping[str, Share]
    asked: tuple[bool, ...]
    published: bool = True  # False: the table could not be protected (nothing of it is shown)


@dataclass(frozen=True)
class NamedComune:
    """A comune's own results, published by name (``publish_public_bodies: true``)."""

    istat: str | None
    name: str
    overall: float | None
    level: str | None
    dimensions: Mapping[str, float | None]


@dataclass(frozen=True)
class SectorAnalysis:
    sector: str
    questionnaire: Questionnaire | None
    n: int
    drafts: int
    population: int | None
    min_n: int
    size_classes: Counts | None  # None: not published (comuni, when their names are not)
    subsectors: Counts | None
    comuni: Counts | None
    levels: Counts | None
    overall: Summary
    dimensions: Mapping[str, Summary]
    targets: Mapping[str, float]  # per dimension, "" for the overall score
    questions: tuple[QuestionStat, ...]
    weakest: tuple[QuestionStat, ...]
    barriers: Frequency | None
    needs: Frequency | None
    actions: tuple[SectorAction, ...]
    fibre: FibreCounts | None
    context: tuple[Frequency, ...] = ()
    places: Counts | None = None  # by inhabitants class of the comune of the premises (not for comuni)
    named: tuple[NamedComune, ...] = ()  # comuni by name, only when public bodies are published
    public: bool = False  # every figure public (comuni published by name): nothing withheld

    @property
    def reportable(self) -> bool:
        return self.n >= self.min_n or (self.public and self.n > 0)


@dataclass(frozen=True)
class Difference:
    """Sector ``a`` minus sector ``b`` on a shared dimension (or ``overall``), with Welch's 95% interval."""

    dimension: str
    a: str
    b: str
    difference: float
    low: float
    high: float

    @property
    def conclusive(self) -> bool:
        return self.low > 0 or self.high < 0


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
class TerritoryAnalysis:
    name: str
    synthetic: bool
    min_n: int
    date: str | None
    sectors: Mapping[str, SectorAnalysis]
    dimensions: tuple[tuple[str, Mapping[str, str]], ...]
    coverage: Mapping[str, Mapping[str, Cell]]  # comune -> sector -> respondents (not the comuni themselves)
    coverage_totals: Mapping[str, Cell]
    comuni_names: Mapping[str, str]
    comuni_without: tuple[str, ...]  # comuni without an association or business respondent
    comuni_total: int
    fibre_by_comune: Mapping[str, FibreCounts]
    actions: tuple[SectorAction, ...]
    respondents: tuple[RespondentAnalysis, ...]
    excluded: int
    drafts: int
    protection: Protection
    population: Mapping[str, int] = field(default_factory=dict)
    differences: tuple[Difference, ...] = ()
    public_bodies: bool = False
    comuni_answered: tuple[str, ...] = ()  # ISTAT codes, only when public bodies are published
    coverage_published: bool = True
    fibre_comuni_published: bool = True
    indicators_published: bool = True
    indicators: Mapping[str, tuple[Cell, Share]] = field(default_factory=dict)  # comune -> (respondents, % with fibre)
    programme: Programme | None = None  # the Digital Center programme and the digital twin (reports.programme)
    inhabitants: Mapping[str, float] = field(default_factory=dict)  # % of the territory's inhabitants per class
