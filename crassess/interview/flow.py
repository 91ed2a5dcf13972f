"""The facilitator interview: the respondent profile, then the questions in order, saved after every answer.

The flow is pure logic over a :class:`Prompter`: the questionary one lives in
:mod:`crassess.interview.prompts`, the tests drive the same flow with a scripted fake. It
never asks twice for something it already knows (resume), never keeps an answer
it has not checked (``check_answer`` + ``check_constraint``, re-asking with the
message) and writes the draft atomically after every answer, so a Ctrl-C or a
killed process loses at most the answer being typed. It remembers what the facilitator
skipped, so that a resumed interview continues at the first step never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from typing import Any, Literal

from crassess.i18n import pick, register, t
from crassess.interview import signals
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
    has_score,
)
from crassess.interview.drafts import DraftStore, timestamp
from crassess.interview.profile import (
    check_profile_value,
    comune_display,
    profile_steps,
)
from crassess.interview.resume import choose_draft, choose_start, open_draft
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
    new_response_id,
    relevance,
)
from crassess.scoring.engine import score
from crassess.territory.comuni import Territory

register({
    "iv.other": {"it": "Domande di contesto (senza punteggio)", "en": "Context questions (not scored)"},
    "iv.required": {"it": "risposta obbligatoria: inserirla, oppure scegliere 'Salta' per lasciarla senza risposta", "en": "an answer is required: give one, or choose 'Skip' to leave it unanswered"},
    "iv.no_hint": {"it": "Nessun suggerimento per questa domanda.", "en": "No hint for this question."},
    "iv.first_step": {"it": "Questo è il primo passo: non si può tornare indietro.", "en": "This is the first step: there is nothing to go back to."},
    "iv.command_unavailable": {"it": "Comando non disponibile qui.", "en": "Command not available here."},
    "iv.note_prompt": {"it": "Nota per '{id}' (vuota per toglierla)", "en": "Note for '{id}' (empty to remove it)"},
    "iv.note_saved": {"it": "Nota salvata.", "en": "Note saved."},
    "iv.specify_prompt": {"it": "Specificare «{label}» (resta nella nota della domanda)", "en": "Specify «{label}» (kept in the question's note)"},
    "iv.jump_prompt": {"it": "Andare a quale sezione?", "en": "Go to which section?"},
    "iv.jump_cancel": {"it": "Annulla (resta qui)", "en": "Cancel (stay here)"},
    "iv.jump_end": {"it": "Fine dell'intervista (riepilogo)", "en": "End of the interview (summary)"},
    "iv.jump_item": {"it": "{label} ({done}/{total} risposte)", "en": "{label} ({done}/{total} answered)"},
    "iv.jump_none": {"it": "Nessuna domanda pertinente in '{label}' con le risposte date.", "en": "No question applies in '{label}' given the answers."},
    "iv.unanswered": {"it": "Domande obbligatorie senza risposta ({n}):", "en": "Required questions without an answer ({n}):"},
    "iv.all_answered": {"it": "Tutte le domande obbligatorie hanno una risposta.", "en": "Every required question has an answer."},
    "iv.no_score": {"it": "Nessun punteggio: non ci sono abbastanza risposte con punteggio per calcolarlo.", "en": "No score: there are not enough scored answers to compute one."},
    "iv.end_prompt": {"it": "Concludere l'intervista?", "en": "Close the interview?"},
    "iv.end_complete": {"it": "Sì, concludere: la risposta diventa completa", "en": "Yes, close it: the response becomes complete"},
    "iv.end_complete_no_score": {"it": "Concludere comunque, senza punteggio (chiede conferma)", "en": "Close it anyway, without a score (asks to confirm)"},
    "iv.end_missing": {"it": "Tornare alla prima domanda senza risposta", "en": "Go back to the first unanswered question"},
    "iv.end_back": {"it": "Tornare all'ultima domanda", "en": "Go back to the last question"},
    "iv.end_draft": {"it": "Uscire lasciando la bozza (per riprendere dopo)", "en": "Leave, keeping the draft (to resume later)"},
    "iv.confirm_no_score": {"it": "La risposta sarà «completa» ma senza alcun punteggio. Confermare?", "en": "The response will be «complete» but without any score. Confirm?"},
    "iv.confirm_yes_no_score": {"it": "Sì, concludere senza punteggio", "en": "Yes, close it without a score"},
    "iv.confirm_back": {"it": "No, tornare al menu", "en": "No, back to the menu"},
    "iv.future_date": {"it": "La data {date} è nel futuro (oggi è {today}). È giusta?", "en": "The date {date} is in the future (today is {today}). Is it right?"},
    "iv.future_yes": {"it": "Sì, la data è giusta", "en": "Yes, the date is right"},
    "iv.future_no": {"it": "No, correggerla", "en": "No, correct it"},
    "iv.special_alone": {"it": "«{label}» va scelto da solo, senza altre scelte", "en": "«{label}» must be ticked alone, with no other choice"},
    "iv.exclusive_alone": {"it": "la scelta «{label}» esclude tutte le altre", "en": "the choice «{label}» excludes every other choice"},
    "iv.special_not_allowed": {"it": "«{label}» non è ammesso per questa domanda", "en": "«{label}» is not allowed for this question"},
    "iv.resuming": {"it": "Si riprende l'intervista salvata in {path}.", "en": "Resuming the interview saved in {path}."},
    "iv.cleaned": {"it": "Rimossi {n} file temporanei lasciati da salvataggi interrotti.", "en": "Removed {n} temporary files left by interrupted saves."},
    "iv.interrupted": {"it": "Intervista interrotta. Le risposte date sono salvate in {path}.\nPer riprendere: {command}", "en": "Interview interrupted. The answers given are saved in {path}.\nTo resume: {command}"},
    "iv.interrupted_nothing": {"it": "Intervista interrotta prima della prima risposta: nulla da salvare.", "en": "Interview interrupted before the first answer: nothing to save."},
})

_SPECIAL_SHOWN = {"it": {"dk": "non so", "na": "non applicabile"}, "en": {"dk": "dk", "na": "na"}}
_SPECIAL_WORDS = {
    "dk": "dk", "non so": "dk", "nonso": "dk", "ns": "dk", "don't know": "dk", "dont know": "dk",
    "na": "na", "n/a": "na", "non applicabile": "na", "not applicable": "na",
}
SPECIFY_VALUES = ("altro", "other")
"""Choices with these values ("Altro (specificare)") open the question's note to say what it is."""


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


def seen_key(step: Step) -> str:
    """How a step is named in ``Response.skipped``: the question id, or ``respondent.<field>``."""
    return step.key if step.question is not None else f"respondent.{step.key}"


class _Session:
    def __init__(self, questionnaire: Questionnaire, prompter: Prompter, store: DraftStore, territory: Territory,
                 lang: str, today: date, clock: Callable[[], datetime], resume: Response | None):
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
        self.skipped: set[str] = set(base.skipped or ())
        self.saved = store.path if resume else None
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
        skipped = [seen_key(s) for s in self.steps if seen_key(s) in self.skipped]
        return Response(
            id=self.id,
            questionnaire=QuestionnaireRef(id=self.qn.id, version=self.qn.version),
            respondent=Respondent(**self.profile),
            answers=self.kept_answers(),
            notes={k: v for k, v in self.notes.items() if k in self.qn.questions_by_id},
            skipped=skipped or None,
            status=status,
            provenance=self.provenance,
            created=self.created,
            updated=timestamp(self.clock),
        )

    def save(self, status: Literal["draft", "complete"] = "draft") -> Any:
        self.saved = self.store.save(self.response(status))
        return self.saved

    def store_value(self, step: Step, value: Any) -> None:
        target = self.profile if step.question is None else self.answers
        if value is None:
            target.pop(step.key, None)
            self.skipped.add(seen_key(step))
        else:
            target[step.key] = value
            self.skipped.discard(seen_key(step))

    def has_value(self, step: Step) -> bool:
        return not is_missing((self.profile if step.question is None else self.answers).get(step.key))

    # ---- checks
    def check(self, step: Step, raw: Any) -> tuple[Any, str | None]:
        if step.question is None:
            value, error = check_profile_value(step, raw, self.territory, self.today)
            if error and step.key == "comune":  # the facilitator may not know that "fuori territorio" exists
                error = f"{error}{'' if error.endswith('?') else '.'} {t('iv.outside_hint')}"
            return value, error
        q = step.question
        if isinstance(raw, (list, tuple)) and len(raw) == 1 and raw[0] in ("dk", "na"):
            raw = raw[0]
        if isinstance(raw, str) and step.kind in ("integer", "decimal", "text"):
            raw = _SPECIAL_WORDS.get(raw.strip().lower(), raw)
        if raw is None or is_missing(raw) or raw == [] or raw == ():
            return None, (t("iv.required") if q.required else None)
        error = _label_error(step, raw)
        if error:
            return None, error
        value, error = check_answer(self.qn, q, list(raw) if isinstance(raw, tuple) else raw)
        if error is None:
            error = check_constraint(q, value, {**self.answers, q.id: value})
        return value, error

    # ---- prompts
    def default_of(self, step: Step) -> Any:
        if step.key == "date" and step.question is None:
            return self.profile.get("date") or self.today.isoformat()
        if step.key == "comune" and step.question is None:
            return comune_display(self.profile.get("comune"), self.territory, self.lang)
        value = (self.profile if step.question is None else self.answers).get(step.key)
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
            key=step.key, kind=step.kind, label=step.label, progress=self.progress(index, relevant),
            default=self.default_of(step), options=step.options, commands=tuple(commands), required=step.required,
            has_hint=bool(step.hint), note=self.notes.get(step.key, ""), check=lambda raw: self.check(step, raw)[1],
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
                self.edit_note(step, t("iv.note_prompt", id=step.key))
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
            if not self.confirmed(step, value):
                continue
            self.store_value(step, value)
            self.save()
            self.specify(step, value)
            return None

    def edit_note(self, step: Step, message: str) -> None:
        note = self.prompter.text(message, self.notes.get(step.key, "")).strip()
        if note:
            self.notes[step.key] = note
        else:
            self.notes.pop(step.key, None)
        self.save()

    def confirmed(self, step: Step, value: Any) -> bool:
        """A future interview date is asked again unless the facilitator confirms it."""
        if step.question is not None or step.key != "date" or value is None or value <= self.today.isoformat():
            return True
        options = [Option("no", t("iv.future_no")), Option("yes", t("iv.future_yes"))]
        return self.prompter.choose(t("iv.future_date", date=value, today=self.today.isoformat()), options, "no") == "yes"

    def specify(self, step: Step, value: Any) -> None:
        """"Other (specify)": the note says what it is."""
        chosen = value if isinstance(value, list) else [value]
        other = next((o for o in step.options if o.value in SPECIFY_VALUES and o.value in chosen), None)
        if step.question is not None and other is not None:
            self.edit_note(step, t("iv.specify_prompt", label=other.label))

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

    def satisfied(self, step: Step, mode: str) -> bool:
        """Whether a resumed interview passes over ``step``: answered; or, resuming at the first step never
        shown ("unseen"), skipped; or, resuming at the first unanswered question, an optional profile field."""
        if self.has_value(step):
            return True
        if mode == "unseen":
            return seen_key(step) in self.skipped
        return step.question is None and not step.required

    def first(self, mode: str, after: int = 0) -> int:
        """The first step from ``after`` on that a resumed interview stops at (see :meth:`satisfied`)."""
        relevant = self.relevant()
        for i in range(after, len(self.steps)):
            if self.applies(self.steps[i], relevant) and not self.satisfied(self.steps[i], mode):
                return i
        return len(self.steps)

    def run(self, start: int = 0, catch_up: str | None = None) -> InterviewResult:
        """Ask from ``start``; a resumed interview (``catch_up``: "unseen" or "unanswered") passes over the steps
        it need not ask again until the facilitator goes back or jumps."""
        relevant = self.relevant()
        self.history = [i for i in range(start) if self.applies(self.steps[i], relevant)]
        i = start
        while True:
            if i >= len(self.steps):
                outcome = self.finish()
                if isinstance(outcome, InterviewResult):
                    return outcome
                i, catch_up = outcome, None
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
                i = self.first(catch_up, i + 1) if catch_up else i + 1
            elif move is Nav.BACK:
                catch_up = None
                if self.history:
                    i = self.history.pop()
                else:
                    self.prompter.show("warning", t("iv.first_step"))
            elif move is Nav.JUMP:
                catch_up = None
                target = self.jump_target(i)
                if target is not None and target != i:
                    self.history.append(i)
                    i = target

    def finish(self) -> InterviewResult | int:
        self.save()
        result = score(self.qn, self.kept_answers())
        missing = result.unanswered_required
        if missing:
            lines = [t("iv.unanswered", n=len(missing))]
            lines += [f"  – {qid}: {pick(self.qn.question(qid).label, self.lang)}" for qid in missing]
            self.prompter.show("warning", "\n".join(lines))
        else:
            self.prompter.show("info", t("iv.all_answered"))
        scorable = has_score(result)
        if not scorable:
            self.prompter.show("warning", t("iv.no_score"))
        options = [Option("complete", t("iv.end_complete" if scorable else "iv.end_complete_no_score"))]
        if missing:
            options.append(Option("missing", t("iv.end_missing")))
        options += [Option("back", t("iv.end_back")), Option("draft", t("iv.end_draft"))]
        default = "complete" if scorable and not missing else ("missing" if missing else "draft")
        while True:
            choice = self.prompter.choose(t("iv.end_prompt"), options, default)
            if choice != "complete" or scorable:
                break
            confirm = [Option("back", t("iv.confirm_back")), Option("yes", t("iv.confirm_yes_no_score"))]
            if self.prompter.choose(t("iv.confirm_no_score"), confirm, "back") == "yes":
                break
        if choice == "missing":
            return self.steps.index(next(s for s in self.steps if s.key == missing[0] and s.question is not None))
        if choice == "back":
            return self.history.pop() if self.history else 0
        status: Literal["draft", "complete"] = "complete" if choice == "complete" else "draft"
        path = self.save(status)
        return InterviewResult(self.response(status), path, result)


def _label_error(step: Step, raw: Any) -> str | None:
    """Choice combinations and special answers refused in the words the facilitator saw (labels, not codes)."""
    labels = {o.value: o.label for o in step.options}
    specials = {o.value for o in step.options if o.special}
    if isinstance(raw, str) and raw.strip().lower() in ("dk", "na") and raw.strip().lower() not in specials:
        return t("iv.special_not_allowed", label=t(f"special.{raw.strip().lower()}"))
    if not isinstance(raw, (list, tuple)) or len(raw) < 2:
        return None
    for value in raw:
        if value in ("dk", "na"):
            return t("iv.special_alone", label=labels.get(value) or t(f"special.{value}"))
    for option in step.options:
        if option.exclusive and option.value in raw:
            return t("iv.exclusive_alone", label=option.label)
    return None


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
    command: Callable[[Any], str] | str = "",
    respondent: Respondent | None = None,
) -> InterviewResult:
    """Run one interview to its end; :class:`Interrupted` (draft saved) on Ctrl-C, SIGTERM, SIGHUP or end of input.

    With ``resume`` (a response already checked against the questionnaire) the
    interview continues at the first step never shown (or, when the facilitator
    prefers, at the first unanswered one), earlier answers being the defaults. Without
    it, and when the campaign holds drafts of this questionnaire, the prompter chooses
    between them and a new interview. A draft open in another session can be looked at
    (read-only) or taken over explicitly. ``command`` gives the command that resumes a
    saved draft (for the message after an interruption). ``respondent`` (picked from the campaign's register)
    starts a new interview with its profile as the defaults, its code kept.
    """
    session: _Session | None = None
    try:
        removed = store.clean()
        if removed:
            prompter.show("info", t("iv.cleaned", n=len(removed)))
        if resume is None and store.campaign is not None and store.path is None and respondent is None:
            resume = choose_draft(questionnaire, prompter, store)
        if resume is not None:
            if not open_draft(prompter, store):
                return InterviewResult(resume, store.path, score(questionnaire, resume.answers), read_only=True)  # type: ignore[arg-type]
            prompter.show("info", t("iv.resuming", path=store.path))
        session = _Session(questionnaire, prompter, store, territory, lang, today or date.today(), clock, resume)
        if resume is None:
            if respondent is not None:
                session.profile = respondent.model_dump(exclude_none=True)
            return session.run()
        mode = choose_start(prompter, session.steps, session.first("unseen"), session.first("unanswered"))
        return session.run(session.first(mode), catch_up=mode)
    except (KeyboardInterrupt, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and signals.received() is None:
            raise  # not a terminal closed under the prompt: a real error
        signum = exc.signum if isinstance(exc, signals.Terminated) else signals.received()
        code = 128 + signum if signum else 130
        saved = session.saved if session else None
        if saved is None:
            raise Interrupted(t("iv.interrupted_nothing"), code) from None
        resume_with = command(saved) if callable(command) else f"crassess interview {command or questionnaire.id} --resume {saved}"
        raise Interrupted(t("iv.interrupted", path=saved, command=resume_with), code) from None
    finally:
        store.release()
