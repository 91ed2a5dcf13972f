"""The facilitator interview: the respondent profile, then the questions in order, saved after every answer.

The flow is pure logic over a :class:`Prompter`: the questionary one lives in
:mod:`crassess.interview.prompts`, the tests drive the same flow with a scripted fake. It
never asks twice for something it already knows (resume), never keeps an answer
it has not checked (``check_answer`` + ``check_constraint``, re-asking with the
message) and writes the draft atomically after every answer, so a Ctrl-C or a
killed process loses at most the answer being typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal

from crassess.errors import Problem, UsageError
from crassess.i18n import pick, register, t
from crassess.interview.answers_file import interview_from_file
from crassess.interview.dialog import (
    Interrupted,
    InterviewResult,
    Kind,
    Nav,
    Option,
    Progress,
    Prompt,
    Prompter,
    Step,
)
from crassess.interview.drafts import DraftStore, list_drafts, timestamp
from crassess.interview.profile import check_profile_value, profile_steps
from crassess.questionnaire.models import (
    Question,
    Questionnaire,
    QuestionnaireRef,
    Respondent,
    Response,
)
from crassess.questionnaire.responses import (
    check_answer,
    check_constraint,
    is_missing,
    load_response,
    new_response_id,
    relevance,
    validate_response,
)
from crassess.scoring.engine import score
from crassess.territory.comuni import Territory

register({
    "iv.other": {"it": "Altre domande", "en": "Other questions"},
    "iv.required": {"it": "risposta obbligatoria: inserirla, oppure scegliere 'Salta' per lasciarla senza risposta", "en": "an answer is required: give one, or choose 'Skip' to leave it unanswered"},
    "iv.no_hint": {"it": "Nessun suggerimento per questa domanda.", "en": "No hint for this question."},
    "iv.first_step": {"it": "Questo è il primo passo: non si può tornare indietro.", "en": "This is the first step: there is nothing to go back to."},
    "iv.command_unavailable": {"it": "Comando non disponibile qui.", "en": "Command not available here."},
    "iv.note_prompt": {"it": "Nota per '{id}' (vuota per toglierla)", "en": "Note for '{id}' (empty to remove it)"},
    "iv.note_saved": {"it": "Nota salvata.", "en": "Note saved."},
    "iv.jump_prompt": {"it": "Andare a quale sezione?", "en": "Go to which section?"},
    "iv.jump_cancel": {"it": "Annulla (resta qui)", "en": "Cancel (stay here)"},
    "iv.jump_end": {"it": "Fine dell'intervista (riepilogo)", "en": "End of the interview (summary)"},
    "iv.jump_item": {"it": "{label} ({done}/{total} risposte)", "en": "{label} ({done}/{total} answered)"},
    "iv.jump_none": {"it": "Nessuna domanda pertinente in '{label}' con le risposte date.", "en": "No question applies in '{label}' given the answers."},
    "iv.unanswered": {"it": "Domande obbligatorie senza risposta ({n}):", "en": "Required questions without an answer ({n}):"},
    "iv.all_answered": {"it": "Tutte le domande obbligatorie hanno una risposta.", "en": "Every required question has an answer."},
    "iv.end_prompt": {"it": "Concludere l'intervista?", "en": "Close the interview?"},
    "iv.end_complete": {"it": "Sì, concludere: la risposta diventa completa", "en": "Yes, close it: the response becomes complete"},
    "iv.end_missing": {"it": "Tornare alla prima domanda senza risposta", "en": "Go back to the first unanswered question"},
    "iv.end_back": {"it": "Tornare all'ultima domanda", "en": "Go back to the last question"},
    "iv.end_draft": {"it": "Uscire lasciando la bozza (per riprendere dopo)", "en": "Leave, keeping the draft (to resume later)"},
    "iv.drafts_prompt": {"it": "Ci sono interviste in bozza per questo questionario. Quale?", "en": "There are draft interviews for this questionnaire. Which one?"},
    "iv.drafts_new": {"it": "Nuova intervista", "en": "New interview"},
    "iv.drafts_item": {"it": "Riprendere {name} (risposte: {answered}; {updated} UTC)", "en": "Resume {name} (answers: {answered}; {updated} UTC)"},
    "iv.resuming": {"it": "Si riprende l'intervista salvata in {path}.", "en": "Resuming the interview saved in {path}."},
    "iv.interrupted": {"it": "Intervista interrotta. Le risposte date sono salvate in {path}.\nPer riprendere: crassess interview {questionnaire} --resume {path}", "en": "Interview interrupted. The answers given are saved in {path}.\nTo resume: crassess interview {questionnaire} --resume {path}"},
    "iv.interrupted_nothing": {"it": "Intervista interrotta prima della prima risposta: nulla da salvare.", "en": "Interview interrupted before the first answer: nothing to save."},
})

_SPECIAL_SHOWN = {"it": {"dk": "non so", "na": "non applicabile"}, "en": {"dk": "dk", "na": "na"}}
_SPECIAL_WORDS = {
    "dk": "dk", "non so": "dk", "nonso": "dk", "ns": "dk", "don't know": "dk", "dont know": "dk",
    "na": "na", "n/a": "na", "non applicabile": "na", "not applicable": "na",
}


_QUESTION_KINDS: dict[str, Kind] = {
    "select_one": "select", "select_multiple": "checkbox", "integer": "integer", "decimal": "decimal", "text": "text",
}


def question_step(questionnaire: Questionnaire, q: Question, lang: str) -> Step:
    kind = _QUESTION_KINDS[q.type]
    options: tuple[Option, ...] = ()
    if kind in ("select", "checkbox"):
        options = tuple(Option(c.value, pick(c.label, lang), c.exclusive) for c in questionnaire.choices_of(q))
    specials = [("dk", q.allow_dk), ("na", q.allow_na)]
    # text kinds get them too: the prompter tells which special words are accepted
    options += tuple(Option(code, t(f"special.{code}", lang), exclusive=True, special=True) for code, ok in specials if ok)
    return Step(q.id, kind, pick(q.label, lang), q.dimension or "-", q.required, options, q, pick(q.hint, lang))


class _Session:
    def __init__(
        self,
        questionnaire: Questionnaire,
        prompter: Prompter,
        store: DraftStore,
        territory: Territory,
        lang: str,
        today: date,
        clock: Callable[[], datetime],
        resume: Response | None,
    ):
        self.qn = questionnaire
        self.prompter = prompter
        self.store = store
        self.territory = territory
        self.lang = lang
        self.today = today
        self.clock = clock
        self.steps = profile_steps(questionnaire, lang) + [question_step(questionnaire, q, lang) for q in questionnaire.questions]
        self.first_question = len(self.steps) - len(questionnaire.questions)
        base = resume or Response(questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version))
        self.id = base.id or new_response_id()
        self.created = base.created or timestamp(clock)
        self.provenance = base.provenance
        self.profile: dict[str, Any] = base.respondent.model_dump(exclude_none=True)
        self.answers: dict[str, Any] = dict(base.answers)
        self.notes: dict[str, str] = dict(base.notes)
        self.saved: Path | None = store.path if resume else None
        self.history: list[int] = []

    # ---- state
    def relevant(self) -> dict[str, bool]:
        return relevance(self.qn, self.answers)

    def applies(self, step: Step, relevant: Mapping[str, bool]) -> bool:
        return step.question is None or relevant[step.key]

    def kept_answers(self) -> dict[str, Any]:
        relevant = self.relevant()
        return {q.id: self.answers[q.id] for q in self.qn.questions if q.id in self.answers and relevant[q.id]}

    def response(self, status: Literal["draft", "complete"]) -> Response:
        return Response(
            id=self.id,
            questionnaire=QuestionnaireRef(id=self.qn.id, version=self.qn.version),
            respondent=Respondent(**self.profile),
            answers=self.kept_answers(),
            notes={k: v for k, v in self.notes.items() if k in self.qn.questions_by_id},
            status=status,
            provenance=self.provenance,
            created=self.created,
            updated=timestamp(self.clock),
        )

    def save(self, status: Literal["draft", "complete"] = "draft") -> Path:
        self.saved = self.store.save(self.response(status))
        return self.saved

    def store_value(self, step: Step, value: Any) -> None:
        target = self.profile if step.question is None else self.answers
        if value is None:
            target.pop(step.key, None)
        else:
            target[step.key] = value

    def current_value(self, step: Step) -> Any:
        return (self.profile if step.question is None else self.answers).get(step.key)

    # ---- checks
    def check(self, step: Step, raw: Any) -> tuple[Any, str | None]:
        if step.question is None:
            return check_profile_value(step, raw, self.territory, self.today)
        q = step.question
        if isinstance(raw, (list, tuple)) and len(raw) == 1 and raw[0] in ("dk", "na"):
            raw = raw[0]
        if isinstance(raw, str) and step.kind in ("integer", "decimal", "text"):
            raw = _SPECIAL_WORDS.get(raw.strip().lower(), raw)
        if raw is None or is_missing(raw) or raw == [] or raw == ():
            return None, (t("iv.required") if q.required else None)
        value, error = check_answer(self.qn, q, list(raw) if isinstance(raw, tuple) else raw)
        if error is None:
            error = check_constraint(q, value, {**self.answers, q.id: value})
        return value, error

    # ---- prompts
    def _comune_display(self) -> str:
        code = self.profile.get("comune")
        found = self.territory.find(code) if code else None
        return found.nome if found else (str(code) if code else "")

    def default_of(self, step: Step) -> Any:
        if step.key == "date" and step.question is None:
            return self.profile.get("date") or self.today.isoformat()
        if step.key == "comune" and step.question is None:
            return self._comune_display()
        value = self.current_value(step)
        if step.kind == "checkbox" and isinstance(value, str):
            return [value]
        if step.kind in ("integer", "decimal", "text") and value in ("dk", "na"):
            return _SPECIAL_SHOWN[self.lang][value]
        return value

    def progress(self, index: int, relevant: Mapping[str, bool]) -> Progress:
        step = self.steps[index]
        if step.question is None:
            total = self.first_question
            done = sum(1 for s in self.steps[:total] if self.profile.get(s.key) is not None)
            return Progress(t("iv.profile"), index + 1, total, done / total, profile=True)
        asked = [s for s in self.steps[self.first_question:] if relevant[s.key]]
        position = 1 + sum(1 for s in asked if self.steps.index(s) < index)
        done = sum(1 for s in asked if not is_missing(self.answers.get(s.key)))
        section = self.qn.dimensions_by_id.get(step.section)
        label = pick(section.label, self.lang) if section else t("iv.other")
        return Progress(label, position, len(asked), done / len(asked) if asked else 1.0)

    def prompt(self, index: int) -> Prompt:
        step = self.steps[index]
        relevant = self.relevant()
        commands: list[Nav] = []
        if self.history or index > 0:
            commands.append(Nav.BACK)
        if not (step.question is None and step.required):
            commands.append(Nav.SKIP)
        if step.question is not None:
            commands += [Nav.JUMP, Nav.NOTE]
            if step.hint:
                commands.append(Nav.HINT)
        return Prompt(
            key=step.key,
            kind=step.kind,
            label=step.label,
            progress=self.progress(index, relevant),
            default=self.default_of(step),
            options=step.options,
            commands=tuple(commands),
            required=step.required,
            has_hint=bool(step.hint),
            note=self.notes.get(step.key, ""),
            check=lambda raw: self.check(step, raw)[1],
        )

    # ---- one step: an answer (stored) or a move
    def ask(self, index: int) -> Nav | None:
        step = self.steps[index]
        while True:
            prompt = self.prompt(index)
            raw = self.prompter.ask(prompt)
            if raw is Nav.HINT and Nav.HINT in prompt.commands:
                self.prompter.show("hint", step.hint or t("iv.no_hint"))
                continue
            if raw is Nav.NOTE and Nav.NOTE in prompt.commands:
                note = self.prompter.text(t("iv.note_prompt", id=step.key), self.notes.get(step.key, "")).strip()
                if note:
                    self.notes[step.key] = note
                else:
                    self.notes.pop(step.key, None)
                self.save()
                self.prompter.show("info", t("iv.note_saved"))
                continue
            if isinstance(raw, Nav):
                if raw in prompt.commands:
                    return raw
                self.prompter.show("error", t("iv.command_unavailable"))
                continue
            value, error = self.check(step, raw)
            if error:
                self.prompter.show("error", error)
                continue
            self.store_value(step, value)
            self.save()
            return None

    def jump_target(self, here: int) -> int | None:
        relevant = self.relevant()
        options = [Option("profile", t("iv.profile"))]
        for dim in self.qn.dimensions:
            asked = [s for s in self.steps if s.section == dim.id and relevant[s.key]]
            done = sum(1 for s in asked if not is_missing(self.answers.get(s.key)))
            options.append(Option(dim.id, t("iv.jump_item", label=pick(dim.label, self.lang), done=done, total=len(asked))))
        options += [Option("end", t("iv.jump_end")), Option("cancel", t("iv.jump_cancel"))]
        choice = self.prompter.choose(t("iv.jump_prompt"), options, self._section_near(here))
        if choice == "cancel":
            return None
        if choice == "profile":
            return 0
        if choice == "end":
            return len(self.steps)
        for i, s in enumerate(self.steps):
            if s.section == choice and relevant[s.key]:
                return i
        label = next(o.label for o in options if o.value == choice)
        self.prompter.show("warning", t("iv.jump_none", label=label))
        return None

    def _section_near(self, index: int) -> str:
        """The section to point at in the jump menu: this one, or the next dimension after unscored questions."""
        for step in self.steps[index:]:
            if step.section in self.qn.dimensions_by_id or step.section == "":
                return step.section or "profile"
        return "end"

    def start_index(self) -> int:
        """Where a resumed interview continues: the first step still without an answer."""
        relevant = self.relevant()
        for i, step in enumerate(self.steps):
            if step.question is None:
                if step.required and self.profile.get(step.key) is None:
                    return i
            elif relevant[step.key] and step.key not in self.answers:
                return i
        return len(self.steps)

    def run(self, start: int = 0) -> InterviewResult:
        relevant = self.relevant()
        self.history = [i for i in range(start) if self.applies(self.steps[i], relevant)]
        i = start
        while True:
            if i >= len(self.steps):
                outcome = self.finish()
                if isinstance(outcome, InterviewResult):
                    return outcome
                i = outcome
                continue
            if not self.applies(self.steps[i], self.relevant()):
                i += 1
                continue
            move = self.ask(i)
            if move is None or move is Nav.SKIP:
                if move is Nav.SKIP:
                    self.store_value(self.steps[i], None)
                    self.save()
                self.history.append(i)
                i += 1
            elif move is Nav.BACK:
                if self.history:
                    i = self.history.pop()
                else:
                    self.prompter.show("warning", t("iv.first_step"))
            elif move is Nav.JUMP:
                target = self.jump_target(i)
                if target is not None and target != i:
                    self.history.append(i)
                    i = target

    def finish(self) -> InterviewResult | int:
        path = self.save()
        result = score(self.qn, self.kept_answers())
        missing = result.unanswered_required
        if missing:
            lines = [t("iv.unanswered", n=len(missing))]
            lines += [f"  – {qid}: {_short(pick(self.qn.question(qid).label, self.lang))}" for qid in missing]
            self.prompter.show("warning", "\n".join(lines))
        else:
            self.prompter.show("info", t("iv.all_answered"))
        options = [Option("complete", t("iv.end_complete"))]
        if missing:
            options.append(Option("missing", t("iv.end_missing")))
        options += [Option("back", t("iv.end_back")), Option("draft", t("iv.end_draft"))]
        choice = self.prompter.choose(t("iv.end_prompt"), options, "missing" if missing else "complete")
        if choice == "missing":
            return self.steps.index(next(s for s in self.steps if s.key == missing[0] and s.question is not None))
        if choice == "back":
            return self.history.pop() if self.history else 0
        status: Literal["draft", "complete"] = "complete" if choice == "complete" else "draft"
        path = self.save(status)
        return InterviewResult(self.response(status), path, result)


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def run_interview(
    questionnaire: Questionnaire,
    prompter: Prompter,
    store: DraftStore,
    territory: Territory,
    *,
    lang: str,
    resume: Response | None = None,
    today: date | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    command: str = "",
) -> InterviewResult:
    """Run one interview to its end; :class:`Interrupted` (draft saved) on Ctrl-C or end of input.

    With ``resume`` (a response already checked against the questionnaire) the
    interview continues at the first step without an answer, earlier answers
    being the defaults. Without it, and when the campaign holds drafts of this
    questionnaire, the prompter chooses between them and a new interview.
    """
    session: _Session | None = None
    try:
        if resume is None and store.campaign is not None and store.path is None:
            resume = _choose_draft(questionnaire, prompter, store)
        if resume is not None:
            prompter.show("info", t("iv.resuming", path=store.path))
        session = _Session(questionnaire, prompter, store, territory, lang, today or date.today(), clock, resume)
        return session.run(session.start_index() if resume else 0)
    except (KeyboardInterrupt, EOFError):
        saved = session.saved if session else None
        if saved is None:
            raise Interrupted(t("iv.interrupted_nothing")) from None
        raise Interrupted(t("iv.interrupted", path=saved, questionnaire=command or questionnaire.id)) from None


def _choose_draft(questionnaire: Questionnaire, prompter: Prompter, store: DraftStore) -> Response | None:
    assert store.campaign is not None
    drafts = [(p, r) for p, r in list_drafts(store.campaign, questionnaire) if r.questionnaire.version == questionnaire.version]
    if not drafts:
        return None
    options = [Option("new", t("iv.drafts_new"))]
    for n, (path, response) in enumerate(drafts):
        name = response.respondent.name or path.name
        options.append(Option(str(n), t("iv.drafts_item", name=name, answered=len(response.answers), updated=(response.updated or "–")[:16].replace("T", " "))))
    choice = prompter.choose(t("iv.drafts_prompt"), options, "new")
    if choice == "new":
        return None
    path, response = drafts[int(choice)]
    store.path = path
    return resume_response(questionnaire, path)


def resume_response(questionnaire: Questionnaire, path: Path) -> Response:
    """A saved response checked against the questionnaire (every problem at once), to continue it."""
    response, _warnings = validate_response(load_response(path), questionnaire, str(path))
    return response


# ---------------------------------------------------------------- the command


register({
    "iv.no_tty": {"it": "nessun terminale interattivo: per inserire le risposte da un file usare --answers FILE (JSON o YAML con 'respondent' e 'answers')", "en": "no interactive terminal: to enter the answers from a file use --answers FILE (JSON or YAML with 'respondent' and 'answers')"},
    "iv.need_campaign": {"it": "indicare la cartella della campagna con --campaign DIR (o una bozza con --resume FILE)", "en": "give the campaign folder with --campaign DIR (or a draft with --resume FILE)"},
    "iv.resume_and_answers": {"it": "--resume e --answers non si usano insieme", "en": "--resume and --answers cannot be used together"},
    "iv.resume_not_json": {"it": "--resume riprende una bozza .json scritta da crassess interview; per un file di risposte usare --answers", "en": "--resume continues a .json draft written by crassess interview; for a file of answers use --answers"},
    "iv.campaign_is_file": {"it": "la campagna deve essere una cartella, non un file", "en": "the campaign must be a folder, not a file"},
    "iv.saved_complete": {"it": "Risposta completa salvata in {path}", "en": "Complete response saved in {path}"},
    "iv.saved_draft": {"it": "Bozza salvata in {path}. Per riprendere: crassess interview {questionnaire} --resume {path}", "en": "Draft saved in {path}. To resume: crassess interview {questionnaire} --resume {path}"},
})


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


@dataclass(frozen=True)
class Conducted:
    questionnaire: Questionnaire
    outcome: InterviewResult
    territory: Territory

    def title(self, lang: str) -> str:
        r = self.outcome.response.respondent
        comune = self.territory.find(r.comune) if r.comune else None
        return " – ".join(x for x in (r.name, comune.nome if comune else r.comune) if x)

    def saved_message(self, command: str) -> str:
        path = self.outcome.path
        if self.outcome.response.status == "complete":
            return t("iv.saved_complete", path=path)
        return t("iv.saved_draft", path=path, questionnaire=command)


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
        outcome = interview_from_file(questionnaire, request.answers, store, territory, lang=request.lang, today=request.today)
        return Conducted(questionnaire, outcome, territory)
    resume = resume_response(questionnaire, request.resume) if request.resume else None
    store = DraftStore(campaign=request.campaign, path=request.resume)
    outcome = run_interview(
        questionnaire, make_prompter(territory), store, territory,
        lang=request.lang, resume=resume, today=request.today, command=request.questionnaire,
    )
    return Conducted(questionnaire, outcome, territory)
