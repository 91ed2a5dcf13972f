"""``crassess interview --answers FILE``: the interview from a file, checked like the interactive flow."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.interview.dialog import InterviewResult, has_score
from crassess.interview.drafts import DraftStore, find_by_source, timestamp
from crassess.interview.profile import check_profile
from crassess.questionnaire.models import (
    Provenance,
    Questionnaire,
    QuestionnaireRef,
    Respondent,
    Response,
)
from crassess.questionnaire.responses import (
    check_answers,
    new_response_id,
    parse_response,
)
from crassess.scoring.engine import score
from crassess.sources import LineMap, load_data
from crassess.territory.comuni import Territory

register({
    "iv.unknown_note": {"it": "nota per '{id}', che non è una domanda del questionario", "en": "note for '{id}', which is not a question of the questionnaire"},
})


def _with_line(problem: Problem, lines: LineMap | None) -> Problem:
    """Add the YAML line of the answer, respondent field or note the problem is about."""
    if lines is None or not problem.place:
        return problem
    key = problem.place.split()[-1]
    section = "respondent" if problem.place.startswith("respondent.") else None
    if section:
        key = key.split(".", 1)[1]
    candidates = [(section, key)] if section else [("answers", key), ("notes", key)]
    for path in candidates:
        line = lines.line(path)
        if line is not None and line != lines.line(()) and line != lines.line(path[:1]):
            return Problem(problem.file, f"{t('place.line', line=line)}, {problem.place}", problem.message)
    return problem


def interview_from_file(
    questionnaire: Questionnaire,
    path: Path,
    store: DraftStore,
    territory: Territory,
    *,
    lang: str,
    today: date | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    registered: Respondent | None = None,
) -> InterviewResult:
    """``--answers FILE``: check respondent and answers like the interactive flow, save, score.

    Every problem of the file is reported at once (:class:`InvalidInput`); nothing
    is written unless the whole file is valid. The file itself is never modified. A file
    already recorded in the campaign (same sha256) is not saved again (``duplicate_of``);
    a file without enough scored answers for a score is saved as a draft, never as complete. ``registered``: the
    respondent picked from the campaign's register, whose fields the file's own complete or override.
    """
    file = str(path)
    data, lines = load_data(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    problems: list[Problem] = []
    respondent: Any = {}
    if isinstance(data, dict):
        # the profile is checked here, field by field, like the interactive flow (YAML dates, "12.000"...)
        own = data.get("respondent") or {}
        base = registered.model_dump(exclude_none=True) if registered is not None else {}
        respondent = {**base, **own} if isinstance(own, dict) else own  # the register's entry, the file's fields first
        if not isinstance(respondent, dict):
            problems.append(Problem(file, "respondent", t("data.not_mapping")))
            respondent = {}
        data = {"questionnaire": {"id": questionnaire.id, "version": questionnaire.version}, **data, "respondent": {}}
    given = parse_response(data, file, lines)
    ref = given.questionnaire
    if (ref.id, ref.version) != (questionnaire.id, questionnaire.version):
        problems.append(Problem(file, "questionnaire", t("r.questionnaire_mismatch", rid=ref.id, rversion=ref.version, qid=questionnaire.id, qversion=questionnaire.version)))
    profile, profile_problems = check_profile(questionnaire, respondent, territory, today or date.today(), lang, file)
    checked = check_answers(questionnaire, given.answers, file)
    problems += profile_problems + list(checked.problems)
    problems += [Problem(file, t("place.question", id=k), t("iv.unknown_note", id=k)) for k in given.notes if k not in questionnaire.questions_by_id]
    if problems:
        raise InvalidInput(problems=[_with_line(p, lines) for p in problems])
    earlier = find_by_source(store.folder(), sha)
    if earlier is not None:
        return InterviewResult(earlier[1], earlier[0], score(questionnaire, earlier[1].answers), duplicate_of=earlier[0])
    now = timestamp(clock)
    result = score(questionnaire, checked.answers)
    response = Response(
        id=given.id or new_response_id(),
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        respondent=Respondent(**profile),
        answers=checked.answers,
        notes=dict(given.notes),
        status="complete" if has_score(result) else "draft",
        provenance=Provenance(source_file=path.name, source_sha256=sha, imported_at=now),
        created=given.created or now,
        updated=now,
    )
    saved = store.save(response)
    return InterviewResult(response, saved, result, checked.warnings)
