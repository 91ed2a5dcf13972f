"""``crassess interview``: the command's one core function (:func:`conduct`) and what it prints after."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from crassess.errors import Problem, UsageError
from crassess.i18n import default_language, register, t
from crassess.interview import signals
from crassess.interview.answers_file import interview_from_file
from crassess.interview.dialog import InterviewResult, Prompter
from crassess.interview.drafts import DraftStore
from crassess.interview.flow import run_interview
from crassess.interview.profile import comune_display
from crassess.interview.resume import resume_response
from crassess.questionnaire.models import Questionnaire, Respondent
from crassess.territory.comuni import Territory

register({
    "iv.no_tty": {"it": "nessun terminale interattivo: per inserire le risposte da un file usare --answers FILE (JSON o YAML con 'respondent' e 'answers')", "en": "no interactive terminal: to enter the answers from a file use --answers FILE (JSON or YAML with 'respondent' and 'answers')"},
    "iv.need_campaign": {"it": "indicare la cartella della campagna con --campaign DIR (o una bozza con --resume FILE)", "en": "give the campaign folder with --campaign DIR (or a draft with --resume FILE)"},
    "iv.resume_and_answers": {"it": "--resume e --answers non si usano insieme", "en": "--resume and --answers cannot be used together"},
    "iv.resume_not_json": {"it": "--resume riprende una bozza .json scritta da crassess interview; per un file di risposte usare --answers", "en": "--resume continues a .json draft written by crassess interview; for a file of answers use --answers"},
    "iv.campaign_is_file": {"it": "la campagna deve essere una cartella, non un file", "en": "the campaign must be a folder, not a file"},
    "iv.saved_complete": {"it": "Risposta completa salvata in {path}", "en": "Complete response saved in {path}"},
    "iv.saved_draft": {"it": "Bozza salvata in {path}. Per riprendere: {command}", "en": "Draft saved in {path}. To resume: {command}"},
    "iv.saved_unscored_draft": {
        "it": "Nessuna risposta con punteggio: salvata come bozza in {path}. Per completarla: {command}",
        "en": "No scored answer: saved as a draft in {path}. To complete it: {command}",
    },
    "iv.read_only": {"it": "Sola lettura: {path} non è stato modificato.", "en": "Read-only: {path} was not changed."},
    "iv.duplicate": {
        "it": "Questo file di risposte è già registrato in {path} (stesso contenuto): nessuna nuova risposta salvata.",
        "en": "This answers file is already recorded in {path} (same content): no new response saved.",
    },
})


def resume_command(questionnaire: str, path: Path, lang: str) -> str:
    """The command that resumes ``path``, in the language of this session, safe to paste in a shell."""
    words = ["crassess", "interview", questionnaire, "--resume", str(path)]
    if lang != "it" or lang != default_language():
        words += ["--lang", lang]
    return " ".join(shlex.quote(w) for w in words)


@dataclass(frozen=True)
class InterviewRequest:
    """What ``crassess interview`` was asked to do."""

    questionnaire: str
    campaign: Path | None = None
    resume: Path | None = None
    answers: Path | None = None
    interactive: bool = True
    lang: str = "it"
    today: date | None = None
    respondent: Respondent | None = None  # picked from the campaign's register (--respondent): the profile's defaults


@dataclass(frozen=True)
class Conducted:
    questionnaire: Questionnaire
    outcome: InterviewResult
    territory: Territory
    command: str = ""
    lang: str = "it"

    def title(self, lang: str) -> str:
        r = self.outcome.response.respondent
        return " – ".join(x for x in (r.name, comune_display(r.comune, self.territory, lang)) if x)

    def saved_message(self, command: str = "") -> str:
        outcome, path = self.outcome, self.outcome.path
        again = resume_command(command or self.command, path, self.lang)
        if outcome.duplicate_of is not None:
            return t("iv.duplicate", path=outcome.duplicate_of)
        if outcome.read_only:
            return t("iv.read_only", path=path)
        if outcome.response.status == "complete":
            return t("iv.saved_complete", path=path)
        if outcome.response.provenance is not None and outcome.response.provenance.source_sha256:
            return t("iv.saved_unscored_draft", path=path, command=again)
        return t("iv.saved_draft", path=path, command=again)


def conduct(request: InterviewRequest, make_prompter: Callable[[Territory], Prompter], territory: Territory) -> Conducted:
    """Check the request, then run the interactive interview or the ``--answers`` flow."""
    from crassess.questionnaire.load import load_questionnaire

    if request.resume and request.answers:
        raise UsageError(problems=[Problem("--resume", "", t("iv.resume_and_answers"))])
    if request.campaign is None and request.resume is None:
        raise UsageError(problems=[Problem("--campaign", "", t("iv.need_campaign"))])
    if request.campaign is not None and request.campaign.is_file():
        raise UsageError(problems=[Problem(str(request.campaign), "", t("iv.campaign_is_file"))])
    if request.resume is not None and request.resume.suffix.lower() != ".json":
        raise UsageError(problems=[Problem(str(request.resume), "", t("iv.resume_not_json"))])
    if request.answers is None and not request.interactive:
        raise UsageError(problems=[Problem("", "", t("iv.no_tty"))])
    questionnaire = load_questionnaire(request.questionnaire)
    if request.answers is not None:
        store = DraftStore(campaign=request.campaign)
        try:
            outcome = interview_from_file(questionnaire, request.answers, store, territory, lang=request.lang, today=request.today,
                                          registered=request.respondent)
        finally:
            store.release()
        return Conducted(questionnaire, outcome, territory, request.questionnaire, request.lang)
    resume = resume_response(questionnaire, request.resume) if request.resume else None
    store = DraftStore(campaign=request.campaign, path=request.resume)
    with signals.interrupting():
        outcome = run_interview(
            questionnaire, make_prompter(territory), store, territory, lang=request.lang, resume=resume,
            today=request.today, command=lambda path: resume_command(request.questionnaire, path, request.lang),
            respondent=request.respondent,
        )
    return Conducted(questionnaire, outcome, territory, request.questionnaire, request.lang)
