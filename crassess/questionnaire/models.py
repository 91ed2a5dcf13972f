"""Pydantic models of the questionnaire and response formats (they describe, they do not load)."""

from __future__ import annotations

import hashlib
import json
import re
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from crassess.questionnaire.expressions import Expression, parse

Id = str
LangText = dict[str, str]
Sector = Literal["comune", "associazione", "impresa"]
QuestionType = Literal["select_one", "select_multiple", "integer", "decimal", "text"]
DontKnow = Literal["missing", "zero"]
Effort = Literal["low", "medium", "high"]
SPECIAL_ANSWERS = ("na", "dk")
ID_PATTERN = r"^[A-Za-z0-9_-]+$"
SERVICES_SOURCE = "services"  # ``{from: services}``: a choice list that is the service catalogue
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def _share(value: Any) -> Any:
    """A share 0-1 written as a number or as a fraction like ``"2/3"`` (kept exact as a float can be)."""
    if isinstance(value, str):
        match = _FRACTION.match(value)
        if not match or int(match.group(2)) == 0:
            raise PydanticCustomError("share", "expected a number from 0 to 1 or a fraction like 2/3, found {value}", {"value": value})
        return float(Fraction(int(match.group(1)), int(match.group(2))))
    return value


Share = Annotated[
    float,
    BeforeValidator(_share),
    Field(ge=0, le=1),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                              {"type": "string", "pattern": r"^\s*\d+\s*/\s*\d+\s*$"}]}),
]
RESPONDENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$"  # a tax code, a REA number "CR-123456", a code


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Level(_Model):
    """A half-open band ``[from, next from)`` of the 0-100 scale; the last includes 100."""

    id: str = Field(pattern=ID_PATTERN)
    from_: float = Field(alias="from", ge=0, le=100)
    label: LangText


class Dimension(_Model):
    id: str = Field(pattern=ID_PATTERN)
    label: LangText
    description: LangText | None = None
    weight: float = Field(default=1, gt=0)
    target: float | None = Field(default=None, ge=0, le=100)


class Choice(_Model):
    value: str = Field(min_length=1)
    label: LangText
    score: float | None = None
    exclusive: bool = False


class ChoicesFrom(_Model):
    """A choice list taken from elsewhere: ``{from: services}`` is the service catalogue's ids and labels."""

    from_: Literal["services"] = Field(alias="from")


class Scoring(_Model):
    """Scoring of a number: ``bands`` [[threshold, score], ...] or linear ``min``/``max``."""

    bands: list[tuple[float, float]] | None = None
    min: float | None = None
    max: float | None = None


class Service(_Model):
    """One service of the Digital Center's catalogue (``questionnaires/servizi.yaml``).

    ``barriers``: the answers it responds to, by question id (``{ostacoli: [competenze, tempo]}``), so a
    respondent report can answer a stated barrier with the service that helps.
    """

    id: str = Field(pattern=ID_PATTERN)
    label: LangText
    description: LangText
    barriers: dict[Annotated[str, Field(pattern=ID_PATTERN)], list[Annotated[str, Field(min_length=1)]]] = Field(default_factory=dict)


class ServiceCatalogue(_Model):
    """The shared catalogue of Digital Center services that questions' ``service`` ids refer to."""

    services: list[Service] = Field(min_length=1)

    @cached_property
    def by_id(self) -> dict[str, Service]:
        return {s.id: s for s in self.services}

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.services]

    def choices(self) -> list[Choice]:
        """The catalogue as an unscored choice list (value = service id, label = service label)."""
        return [Choice(value=s.id, label=s.label) for s in self.services]

    def answering(self, question_id: str, value: str) -> list[Service]:
        """The services that respond to the answer ``value`` of question ``question_id`` (catalogue order)."""
        return [s for s in self.services if value in s.barriers.get(question_id, ())]


class LevelText(_Model):
    """What a maturity level means, in plain words: in general and, optionally, for some dimensions."""

    id: str = Field(pattern=ID_PATTERN)
    text: LangText
    dimensions: dict[Annotated[str, Field(pattern=ID_PATTERN)], LangText] = Field(default_factory=dict)


class LevelGuide(_Model):
    """The reading guide of the maturity levels (``questionnaires/livelli.yaml``), shared by the questionnaires
    whose levels have these ids (the EU DMA bands); the respondent reports explain each score with it."""

    levels: list[LevelText] = Field(min_length=1)

    @cached_property
    def by_id(self) -> dict[str, LevelText]:
        return {lv.id: lv for lv in self.levels}

    def text(self, level: str, dimension: str | None = None) -> LangText | None:
        """The dimension's own text for ``level``, else the level's general one; ``None`` for an unknown level."""
        found = self.by_id.get(level)
        if found is None:
            return None
        return found.dimensions.get(dimension or "") or found.text


class Question(_Model):
    id: str = Field(pattern=ID_PATTERN)
    type: QuestionType
    label: LangText
    hint: LangText | None = None
    dimension: str | None = None
    choices: str | list[Choice] | None = None
    weight: float = Field(default=1, gt=0)
    required: bool = True
    allow_na: bool = False
    allow_dk: bool = False
    relevant: str | None = None
    constraint: str | None = None
    constraint_message: LangText | None = None
    scoring: Scoring | None = None
    dont_know: DontKnow | None = None
    action: LangText | None = None
    effort: Effort | None = None
    service: str | None = Field(default=None, pattern=ID_PATTERN)
    min_size: int | None = Field(default=None, ge=1)
    reference: str | None = None
    unit: str | None = Field(default=None, min_length=1, max_length=20)

    @property
    def percent(self) -> bool:
        """Whether answers are percentages (``unit: "%"``): "50%" is then read as 50."""
        return self.unit == "%"

    @cached_property
    def relevant_expr(self) -> Expression | None:
        return parse(self.relevant) if self.relevant else None

    @cached_property
    def constraint_expr(self) -> Expression | None:
        return parse(self.constraint) if self.constraint else None


class Questionnaire(_Model):
    """A questionnaire as written in YAML; see the README for the format."""

    id: str = Field(pattern=ID_PATTERN)
    version: str = Field(min_length=1)
    sector: Sector
    title: LangText
    description: LangText | None = None
    default_language: str = "it"
    target: float = Field(default=75, ge=0, le=100)
    min_coverage: Share = 0.67
    overall_min_coverage: Share = 1.0
    dont_know: DontKnow = "missing"
    services: str | None = Field(default=None, min_length=1)
    levels: list[Level] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    choices: dict[str, list[Choice] | ChoicesFrom] = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1)
    _catalogue: ServiceCatalogue | None = PrivateAttr(default=None)

    # ---- derived views (computed once; the model is frozen)
    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def dimensions_by_id(self) -> dict[str, Dimension]:
        return {d.id: d for d in self.dimensions}

    def question(self, qid: str) -> Question:
        return self.questions_by_id[qid]

    def choices_of(self, question: Question) -> list[Choice]:
        """The resolved choice list of a select question (empty for other types)."""
        if isinstance(question.choices, str):
            found = self.choices.get(question.choices, [])
            return found if isinstance(found, list) else []  # ``from:`` lists are expanded by the loader
        return question.choices or []

    def dont_know_of(self, question: Question) -> DontKnow:
        """How a "Non so" to ``question`` scores: its own ``dont_know``, else the questionnaire's."""
        return question.dont_know or self.dont_know

    @property
    def service_catalogue(self) -> ServiceCatalogue | None:
        """The service catalogue the questionnaire refers to (set by the loader when it uses one)."""
        return self._catalogue

    def attach_catalogue(self, catalogue: ServiceCatalogue | None) -> Questionnaire:
        self._catalogue = catalogue
        return self

    def retargeted(self, overall: float | None, dimensions: dict[str, float]) -> Questionnaire:
        """A copy with other targets (a campaign's override); everything else, the catalogue too, kept."""
        data = self.model_dump(by_alias=True)
        if overall is not None:
            data["target"] = overall
        for dim in data["dimensions"]:
            if dim["id"] in dimensions:
                dim["target"] = dimensions[dim["id"]]
        return Questionnaire.model_validate(data).attach_catalogue(self._catalogue)

    def is_scored(self, question: Question) -> bool:
        if question.type in ("select_one", "select_multiple"):
            choices = self.choices_of(question)
            return bool(choices) and all(c.score is not None for c in choices)
        if question.type in ("integer", "decimal"):
            return question.scoring is not None
        return False

    @cached_property
    def scored_questions(self) -> list[Question]:
        return [q for q in self.questions if self.is_scored(q)]

    def target_of(self, dimension: Dimension) -> float:
        return self.target if dimension.target is None else dimension.target

    def level_of(self, score: float | None) -> Level | None:
        if score is None:
            return None
        found = self.levels[0]
        for level in self.levels:
            if score >= level.from_:
                found = level
        return found

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical content: changes whenever anything in the questionnaire does.

        Keys added to the format after 1.0 count only when used, so that upgrading crassess does not
        change the hash of an unchanged questionnaire (returned workbooks carry it and are refused on a change).
        """
        data = self.model_dump(mode="json", by_alias=True)
        _drop_defaults(data, _ADDED_KEYS)
        for question in data["questions"]:
            _drop_defaults(question, _ADDED_QUESTION_KEYS)
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def scoring_rules(self) -> dict[str, Any]:
        """The questionnaire-wide rules scores depend on (targets excluded: they move gaps, not scores)."""
        return {"min_coverage": self.min_coverage, "overall_min_coverage": self.overall_min_coverage,
                "dont_know": self.dont_know}

    @cached_property
    def scored_structure(self) -> dict[str, Any]:
        """Everything a score depends on, in parts: rules, levels, dimensions and each scored question."""
        return {
            "rules": self.scoring_rules,
            "levels": [(lv.id, lv.from_) for lv in self.levels],
            "dimensions": [(d.id, d.weight) for d in self.dimensions],
            "questions": {
                q.id: {
                    "type": q.type,
                    "dimension": q.dimension,
                    "weight": q.weight,
                    "relevant": q.relevant,
                    "dont_know": q.dont_know,
                    "scoring": q.scoring.model_dump() if q.scoring else None,
                    "choices": [(c.value, c.score, c.exclusive) for c in self.choices_of(q)],
                }
                for q in self.scored_questions
            },
        }

    @cached_property
    def scored_structure_hash(self) -> str:
        """sha256 of :attr:`scored_structure` (to tell whether two versions score alike)."""
        return hashlib.sha256(json.dumps(self.scored_structure, sort_keys=True).encode()).hexdigest()


_ADDED_KEYS = {"overall_min_coverage": 1.0, "dont_know": "missing", "services": None}
_ADDED_QUESTION_KEYS = {"unit": None, "dont_know": None, "effort": None, "service": None, "min_size": None}


def _drop_defaults(data: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, default in defaults.items():
        if key in data and data[key] == default:
            del data[key]


class QuestionnaireRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    version: str


class Respondent(BaseModel):
    """The respondent profile. ``contact`` is personal data: only in the respondent's own report.

    ``id`` is the respondent's stable identity across waves (a tax code, the Chamber's REA number, any code the
    campaign chooses): carried from the respondents list into every workbook, form and interview.
    """

    model_config = ConfigDict(extra="allow")
    id: str | None = None
    name: str | None = None
    comune: str | None = None
    size: int | float | None = None
    subsector: str | None = None
    contact: str | None = None
    interviewer: str | None = None
    date: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        """A code written as a number in YAML or JSON is still a code; surrounding spaces are not part of it."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return value
        value = value.strip()
        if value and not valid_respondent_id(value):
            raise PydanticCustomError("respondent_id", "invalid respondent id")
        return value or None


def valid_respondent_id(code: str) -> bool:
    """A respondent's stable code: 1 to 64 letters, digits, spaces, '.', '_', '/', '-', from a letter or digit."""
    return bool(re.match(RESPONDENT_ID_PATTERN, code))


def respondent_key(code: str) -> str:
    """A respondent code compared without case, spaces and punctuation ("cr-123 456" == "CR123456")."""
    return re.sub(r"[^A-Z0-9]", "", code.upper())


class Provenance(BaseModel):
    model_config = ConfigDict(extra="allow")
    source_file: str | None = None
    source_sha256: str | None = None
    imported_at: str | None = None


class Response(BaseModel):
    """One response file. ``id``, ``status``, ``notes`` and ``provenance`` are filled when crassess writes it."""

    model_config = ConfigDict(extra="forbid")
    id: str | None = None
    questionnaire: QuestionnaireRef
    respondent: Respondent = Field(default_factory=Respondent)
    answers: dict[str, Any] = Field(default_factory=dict)
    notes: dict[str, str] = Field(default_factory=dict)
    # what the interviewer was shown and left unanswered (profile fields as ``respondent.<field>``), so that a
    # resumed interview tells "skipped" from "never asked"
    skipped: list[str] | None = None
    status: Literal["draft", "complete"] | None = None
    provenance: Provenance | None = None
    created: str | None = None
    updated: str | None = None
