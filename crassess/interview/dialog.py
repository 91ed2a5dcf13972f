"""What the interview flow, its prompters and its callers share: steps, prompts, navigation, results."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Protocol

from crassess.errors import CrassessError, Problem
from crassess.questionnaire.models import Question, Response
from crassess.scoring.engine import ScoreResult


class Nav(Enum):
    """Navigation a prompter may return instead of an answer."""

    BACK = "back"
    SKIP = "skip"
    JUMP = "jump"
    NOTE = "note"
    HINT = "hint"


Kind = Literal["select", "checkbox", "text", "integer", "decimal", "comune", "date"]


@dataclass(frozen=True)
class Option:
    """One entry of a list: an answer, or the special "dk"/"na" answers (``special``)."""

    value: str
    label: str
    exclusive: bool = False
    special: bool = False


@dataclass(frozen=True)
class Progress:
    section: str
    position: int
    total: int
    done: float
    profile: bool = False

    @property
    def percent(self) -> int:
        return int(self.done * 100)


@dataclass(frozen=True)
class Prompt:
    """One step to ask: what to show, the allowed commands and the live check of a raw answer."""

    key: str
    kind: Kind
    label: str
    progress: Progress
    default: Any = None
    options: tuple[Option, ...] = ()
    commands: tuple[Nav, ...] = ()
    required: bool = True
    has_hint: bool = False
    note: str = ""
    check: Callable[[Any], str | None] = lambda raw: None


class Prompter(Protocol):
    """The terminal side of the interview (see :class:`crassess.interview.prompts.QuestionaryPrompter`)."""

    def ask(self, prompt: Prompt) -> Any:
        """The raw answer (text, choice value, list of values) or a :class:`Nav` among ``prompt.commands``."""

    def choose(self, message: str, options: Sequence[Option], default: str | None = None) -> str:
        """One value among ``options`` (menus: drafts, sections, closing)."""

    def text(self, message: str, default: str = "") -> str:
        """Free text (notes)."""

    def show(self, kind: Literal["info", "hint", "error", "warning"], text: str) -> None:
        """A message between prompts."""


# ---------------------------------------------------------------- results and errors


@dataclass(frozen=True)
class InterviewResult:
    """How an interview ended: the response and where it is; ``read_only`` when a draft open in another
    session was only looked at; ``duplicate_of`` when an answers file had already been recorded there."""

    response: Response
    path: Path
    result: ScoreResult
    warnings: tuple[Problem, ...] = ()
    read_only: bool = False
    duplicate_of: Path | None = None


def has_score(result: ScoreResult) -> bool:
    """Whether a response has any score at all: at least one dimension with enough scored answers. Without
    one an interview is not closed as complete unless the facilitator confirms it."""
    return any(d.score is not None for d in result.dimensions.values())


class Interrupted(CrassessError):
    """Ctrl-C, end of input, SIGTERM or SIGHUP during an interview: the draft is already saved
    (exit 130, or 128 + the signal's number)."""

    exit_code = 130

    def __init__(self, message: str = "", exit_code: int = 130):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Step:
    key: str
    kind: Kind
    label: str
    section: str  # "" for the profile, else the dimension id ("-" for questions without one)
    required: bool
    options: tuple[Option, ...] = ()
    question: Question | None = None
    hint: str = ""
