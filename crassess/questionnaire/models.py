"""Pydantic models of the questionnaire and response formats (they describe, they do not load)."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from crassess.questionnaire.expressions import Expression, parse

Id = str
LangText = dict[str, str]
Sector = Literal["comune", "associazione", "impresa"]
QuestionType = Literal["select_one", "select_multiple", "integer", "decimal", "text"]
SPECIAL_ANSWERS = ("na", "dk")
ID_PATTERN = r"^[A-Za-z0-9_-]+$"


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


class Scoring(_Model):
    """Scoring of a number: ``bands`` [[threshold, score], ...] or linear ``min``/``max``."""

    bands: list[tuple[float, float]] | None = None
    min: float | None = None
    max: float | None = None


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
    action: LangText | None = None
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
    min_coverage: float = Field(default=0.67, ge=0, le=1)
    levels: list[Level] = Field(min_length=1)
    dimensions: list[Dimension] = Field(min_length=1)
    choices: dict[str, list[Choice]] = Field(default_factory=dict)
    questions: list[Question] = Field(min_length=1)

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
            return self.choices.get(question.choices, [])
        return question.choices or []

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
        """sha256 of the canonical content: changes whenever anything in the questionnaire does."""
        data = self.model_dump(mode="json", by_alias=True)
        for question in data["questions"]:
            if question.get("unit") is None:
                question.pop("unit", None)  # a field added later: absent, it leaves the hash of older files as it was
        canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @cached_property
    def scored_structure_hash(self) -> str:
        """sha256 of what scoring depends on (to tell whether two versions score alike)."""
        data: dict[str, Any] = {
            "levels": [(lv.id, lv.from_) for lv in self.levels],
            "target": self.target,
            "min_coverage": self.min_coverage,
            "dimensions": [(d.id, d.weight, d.target) for d in self.dimensions],
            "questions": [
                {
                    "id": q.id,
                    "type": q.type,
                    "dimension": q.dimension,
                    "weight": q.weight,
                    "relevant": q.relevant,
                    "scoring": q.scoring.model_dump() if q.scoring else None,
                    "choices": [(c.value, c.score, c.exclusive) for c in self.choices_of(q)],
                }
                for q in self.scored_questions
            ],
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class QuestionnaireRef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    version: str


class Respondent(BaseModel):
    """The respondent profile. ``contact`` is personal data: only in the respondent's own report."""

    model_config = ConfigDict(extra="allow")
    name: str | None = None
    comune: str | None = None
    size: int | float | None = None
    subsector: str | None = None
    contact: str | None = None
    interviewer: str | None = None
    date: str | None = None


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
    status: Literal["draft", "complete"] | None = None
    provenance: Provenance | None = None
    created: str | None = None
    updated: str | None = None
