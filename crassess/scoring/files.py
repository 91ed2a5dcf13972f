"""Scoring response files: find each one's questionnaire, validate, score (all problems collected)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from crassess.errors import CrassessError, InvalidInput, NotFound, Problem
from crassess.i18n import t
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import load_response
from crassess.scoring.engine import ScoreResult, score
from crassess.territory.comuni import Territory
from crassess.territory.validate import validate_with_comune


@dataclass
class QuestionnaireCache:
    """Questionnaires by id, loaded once; an explicit one (``-q``) wins."""

    explicit: Questionnaire | None = None
    loaded: dict[str, Questionnaire] = field(default_factory=dict)

    def for_response(self, response: Response, file: str) -> Questionnaire:
        if self.explicit is not None:
            return self.explicit
        qid = response.questionnaire.id
        if qid not in self.loaded:
            try:
                self.loaded[qid] = load_questionnaire(qid)
            except NotFound:
                raise InvalidInput(problems=[Problem(file, "questionnaire", t("r.no_questionnaire", qid=qid))]) from None
        return self.loaded[qid]


@dataclass(frozen=True)
class ScoredResponse:
    file: str
    response: Response
    questionnaire: Questionnaire
    result: ScoreResult
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class ScoreRun:
    scored: tuple[ScoredResponse, ...]
    problems: tuple[Problem, ...]


def score_response(path: Path, cache: QuestionnaireCache, territory: Territory | None = None) -> ScoredResponse:
    """Load, validate (answers, and the comune when a territory is given) and score one response file."""
    response = load_response(path)
    questionnaire = cache.for_response(response, str(path))
    checked, warnings = validate_with_comune(response, questionnaire, territory, str(path))
    return ScoredResponse(str(path), checked, questionnaire, score(questionnaire, checked.answers), warnings)


def score_files(paths: list[Path], questionnaire: str | Path | None = None, territory: Territory | None = None) -> ScoreRun:
    """Score every file; invalid files contribute their problems instead of a result.

    With ``territory`` each respondent's comune must be one of its comuni (stored as the ISTAT code)."""
    cache = QuestionnaireCache(load_questionnaire(questionnaire) if questionnaire else None)
    scored: list[ScoredResponse] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            scored.append(score_response(path, cache, territory))
        except CrassessError as exc:
            problems += exc.problems or [Problem(str(path), "", str(exc))]
    return ScoreRun(tuple(scored), tuple(problems))
