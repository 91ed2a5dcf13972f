"""The facilitator interview: the respondent profile, then the questions in order, saved after every answer.

The flow is pure logic over a :class:`Prompter`: the questionary one lives in
:mod:`crassess.prompts`, the tests drive the same flow with a scripted fake. It
never asks twice for something it already knows (resume), never keeps an answer
it has not checked (``check_answer`` + ``check_constraint``, re-asking with the
message) and writes the draft atomically after every answer, so a Ctrl-C or a
killed process loses at most the answer being typed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Any, Literal, Protocol

from crassess.comuni import Territory
from crassess.errors import CrassessError, InvalidInput, Problem, UsageError
from crassess.i18n import pick, register, t
from crassess.models import Provenance, Question, Questionnaire, QuestionnaireRef, Respondent, Response
from crassess.responses import (
    check_answer,
    check_answers,
    check_constraint,
    is_missing,
    load_response,
    new_response_id,
    parse_response,
    relevance,
    save_response,
    validate_response,
)
from crassess.scoring import ScoreResult, score
from crassess.sources import LineMap, load_data

RESPONSES_DIR = "responses"
"""Sub-folder of a campaign where interviews (and imports) write one JSON file per response."""

register({
    "iv.profile": {"it": "Profilo del rispondente", "en": "Respondent profile"},
    "iv.other": {"it": "Altre domande", "en": "Other questions"},
    "iv.f.name": {"it": "Nome dell'organizzazione", "en": "Name of the organisation"},
    "iv.f.comune": {"it": "Comune (nome o codice ISTAT)", "en": "Comune (name or ISTAT code)"},
    "iv.f.size.comune": {"it": "Abitanti", "en": "Inhabitants"},
    "iv.f.size.associazione": {"it": "Numero di soci", "en": "Number of members"},
    "iv.f.size.impresa": {"it": "Numero di addetti", "en": "Number of employees"},
    "iv.f.subsector.impresa": {"it": "Settore di attività (sezione ATECO)", "en": "Line of business (ATECO section)"},
    "iv.f.subsector.associazione": {"it": "Tipo di associazione", "en": "Type of association"},
    "iv.f.contact": {"it": "Contatto (e-mail o telefono; facoltativo, resta solo in questa risposta)", "en": "Contact (e-mail or phone; optional, kept only in this response)"},
    "iv.f.interviewer": {"it": "Intervistatore", "en": "Interviewer"},
    "iv.f.date": {"it": "Data dell'intervista (AAAA-MM-GG)", "en": "Date of the interview (YYYY-MM-DD)"},
    "iv.required": {"it": "risposta obbligatoria: inserirla, oppure scegliere 'Salta' per lasciarla senza risposta", "en": "an answer is required: give one, or choose 'Skip' to leave it unanswered"},
    "iv.required_profile": {"it": "dato obbligatorio", "en": "required"},
    "iv.bad_size": {"it": "atteso un numero intero non negativo, trovato '{value}'", "en": "expected a whole number, 0 or more, found '{value}'"},
    "iv.bad_date": {"it": "data non valida '{value}': attesa AAAA-MM-GG (o GG/MM/AAAA)", "en": "invalid date '{value}': expected YYYY-MM-DD (or DD/MM/YYYY)"},
    "iv.bad_choice": {"it": "'{value}' non è tra i valori ammessi: {allowed}", "en": "'{value}' is not one of the allowed values: {allowed}"},
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
    "iv.unknown_note": {"it": "nota per '{id}', che non è una domanda del questionario", "en": "note for '{id}', which is not a question of the questionnaire"},
    "iv.place_respondent": {"it": "respondent.{field}", "en": "respondent.{field}"},
})

# ---------------------------------------------------------------- vocabularies of the profile

ATECO_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("A", "Agricoltura, silvicoltura e pesca", "Agriculture, forestry and fishing"),
    ("B", "Estrazione di minerali", "Mining and quarrying"),
    ("C", "Attività manifatturiere", "Manufacturing"),
    ("D", "Energia elettrica, gas, vapore", "Electricity, gas, steam"),
    ("E", "Acqua, reti fognarie, rifiuti", "Water supply, sewerage, waste"),
    ("F", "Costruzioni", "Construction"),
    ("G", "Commercio; riparazione di autoveicoli", "Wholesale and retail trade; repair of vehicles"),
    ("H", "Trasporto e magazzinaggio", "Transportation and storage"),
    ("I", "Alloggio e ristorazione", "Accommodation and food service"),
    ("J", "Informazione e comunicazione", "Information and communication"),
    ("K", "Attività finanziarie e assicurative", "Financial and insurance activities"),
    ("L", "Attività immobiliari", "Real estate activities"),
    ("M", "Attività professionali, scientifiche e tecniche", "Professional, scientific and technical"),
    ("N", "Noleggio, agenzie di viaggio, servizi alle imprese", "Administrative and support services"),
    ("O", "Amministrazione pubblica e difesa", "Public administration and defence"),
    ("P", "Istruzione", "Education"),
    ("Q", "Sanità e assistenza sociale", "Human health and social work"),
    ("R", "Attività artistiche, sportive, di intrattenimento", "Arts, entertainment and recreation"),
    ("S", "Altre attività di servizi", "Other service activities"),
    ("T", "Attività di famiglie come datori di lavoro", "Households as employers"),
    ("U", "Organizzazioni extraterritoriali", "Extraterritorial organisations"),
)

ASSOCIATION_TYPES: tuple[tuple[str, str, str], ...] = (
    ("odv", "Organizzazione di volontariato (ODV)", "Voluntary organisation (ODV)"),
    ("aps", "Associazione di promozione sociale (APS)", "Social promotion association (APS)"),
    ("sportiva", "Associazione sportiva dilettantistica (ASD/SSD)", "Amateur sports association (ASD/SSD)"),
    ("culturale", "Culturale, ricreativa o turistica (Pro Loco)", "Cultural, recreational or tourist (Pro Loco)"),
    ("categoria", "Associazione di categoria o professionale", "Trade or professional association"),
    ("cooperativa", "Cooperativa sociale o impresa sociale", "Social cooperative or social enterprise"),
    ("fondazione", "Fondazione o ente filantropico", "Foundation or philanthropic body"),
    ("altro", "Altro ente del terzo settore", "Other non-profit body"),
)

SUBSECTORS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "impresa": tuple((code, f"{code} – {it}", f"{code} – {en}") for code, it, en in ATECO_SECTIONS),
    "associazione": ASSOCIATION_TYPES,
    "comune": (),
}

_SPECIAL_WORDS = {
    "dk": "dk", "non so": "dk", "nonso": "dk", "ns": "dk", "don't know": "dk", "dont know": "dk",
    "na": "na", "n/a": "na", "non applicabile": "na", "not applicable": "na",
}


# ---------------------------------------------------------------- what a prompter sees


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
    """The terminal side of the interview (see :class:`crassess.prompts.QuestionaryPrompter`)."""

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
    response: Response
    path: Path
    result: ScoreResult
    warnings: tuple[Problem, ...] = ()


class Interrupted(CrassessError):
    """Ctrl-C or end of input during an interview: the draft is already saved (exit 130)."""

    exit_code = 130


# ---------------------------------------------------------------- files


def slug(text: str, limit: int = 40) -> str:
    """A safe file-name part: ASCII letters, digits and dashes (``"Caffè L'Arte srl"`` -> ``caffe-l-arte-srl``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    return cleaned[:limit].rstrip("-") or "risposta"


def response_path(campaign: Path, response: Response) -> Path:
    """``<campaign>/responses/<organisation slug>-<first 8 characters of the id>.json``."""
    name = slug(response.respondent.name or "")
    return campaign / RESPONSES_DIR / f"{name}-{(response.id or new_response_id())[:8]}.json"


class DraftStore:
    """Where an interview is saved: a fixed file (resume) or a new file in the campaign."""

    def __init__(self, campaign: Path | None = None, path: Path | None = None):
        if campaign is None and path is None:
            raise ValueError("a campaign folder or a file is needed")
        self.campaign = campaign
        self.path = path

    def save(self, response: Response) -> Path:
        if self.path is None:
            assert self.campaign is not None
            self.path = response_path(self.campaign, response)
        return save_response(response, self.path)


def list_drafts(campaign: Path, questionnaire: Questionnaire) -> list[tuple[Path, Response]]:
    """The draft responses of this questionnaire in the campaign (unreadable files are left alone)."""
    folder = campaign / RESPONSES_DIR
    found = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            response = load_response(path)
        except CrassessError:
            continue
        if response.status == "draft" and response.questionnaire.id == questionnaire.id:
            found.append((path, response))
    return found


# ---------------------------------------------------------------- steps


@dataclass(frozen=True)
class _Step:
    key: str
    kind: Kind
    label: str
    section: str  # "" for the profile, else the dimension id ("-" for questions without one)
    required: bool
    options: tuple[Option, ...] = ()
    question: Question | None = None
    hint: str = ""


_QUESTION_KINDS: dict[str, Kind] = {
    "select_one": "select", "select_multiple": "checkbox", "integer": "integer", "decimal": "decimal", "text": "text",
}


def _options(pairs: Sequence[tuple[str, str, str]], lang: str) -> tuple[Option, ...]:
    return tuple(Option(value, it if lang == "it" else en) for value, it, en in pairs)


def profile_steps(questionnaire: Questionnaire, lang: str) -> list[_Step]:
    sector = questionnaire.sector
    steps = [
        _Step("name", "text", t("iv.f.name"), "", True),
        _Step("comune", "comune", t("iv.f.comune"), "", True),
        _Step("size", "integer", t(f"iv.f.size.{sector}"), "", False),
    ]
    if SUBSECTORS[sector]:
        steps.append(_Step("subsector", "select", t(f"iv.f.subsector.{sector}"), "", False, _options(SUBSECTORS[sector], lang)))
    steps += [
        _Step("contact", "text", t("iv.f.contact"), "", False),
        _Step("interviewer", "text", t("iv.f.interviewer"), "", False),
        _Step("date", "date", t("iv.f.date"), "", True),
    ]
    return steps


def question_step(questionnaire: Questionnaire, q: Question, lang: str) -> _Step:
    kind = _QUESTION_KINDS[q.type]
    options: tuple[Option, ...] = ()
    if kind in ("select", "checkbox"):
        options = tuple(Option(c.value, pick(c.label, lang), c.exclusive) for c in questionnaire.choices_of(q))
    specials = [("dk", q.allow_dk), ("na", q.allow_na)]
    # text kinds get them too: the prompter tells which special words are accepted
    options += tuple(Option(code, t(f"special.{code}", lang), exclusive=True, special=True) for code, ok in specials if ok)
    return _Step(q.id, kind, pick(q.label, lang), q.dimension or "-", q.required, options, q, pick(q.hint, lang))


# ---------------------------------------------------------------- profile values


_THOUSANDS = re.compile(r"^\d{1,3}([. ']\d{3})+$")


def _check_size(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        return None, t("iv.bad_size", value=raw)
    if isinstance(raw, int) and raw >= 0:
        return raw, None
    if isinstance(raw, float) and raw.is_integer() and raw >= 0:
        return int(raw), None
    text = str(raw).strip()
    if text.isdigit() or _THOUSANDS.match(text):
        return int(re.sub(r"\D", "", text)), None
    return None, t("iv.bad_size", value=raw)


def _check_comune(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    try:
        return territory.resolve(str(raw).strip()).istat, None
    except InvalidInput as exc:
        return None, exc.problems[0].message


def _check_date(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    if isinstance(raw, date):
        return raw.isoformat(), None
    text = str(raw).strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        text = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    try:
        return date.fromisoformat(text).isoformat(), None
    except ValueError:
        return None, t("iv.bad_date", value=raw)


def _check_text(raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    return " ".join(str(raw).split()), None


_PROFILE_CHECKS: dict[str, Callable[[Any, Territory, date], tuple[Any, str | None]]] = {
    "name": _check_text,
    "comune": _check_comune,
    "size": _check_size,
    "subsector": _check_text,
    "contact": _check_text,
    "interviewer": _check_text,
    "date": _check_date,
}


def check_profile_value(step: _Step, raw: Any, territory: Territory, today: date) -> tuple[Any, str | None]:
    """A profile value normalised (ISTAT code for the comune, ISO date), or the message."""
    if raw is None or is_missing(raw):
        return None, (t("iv.required_profile") if step.required else None)
    value, error = _PROFILE_CHECKS[step.key](raw, territory, today)
    if error is None and step.options and value not in {o.value for o in step.options}:
        match = next((o.value for o in step.options if o.value.lower() == str(value).lower()), None)
        if match is None:
            return None, t("iv.bad_choice", value=value, allowed=", ".join(o.value for o in step.options))
        value = match
    return value, error


def check_profile(
    questionnaire: Questionnaire, respondent: Mapping[str, Any], territory: Territory, today: date, lang: str, file: str = ""
) -> tuple[dict[str, Any], list[Problem]]:
    """Every profile field checked like the interactive flow (the date defaults to ``today``)."""
    values: dict[str, Any] = {k: v for k, v in respondent.items() if k not in _PROFILE_CHECKS}
    problems = []
    for step in profile_steps(questionnaire, lang):
        raw = respondent.get(step.key)
        if step.key == "date" and is_missing(raw):
            raw = today.isoformat()
        value, error = check_profile_value(step, raw, territory, today)
        if error:
            problems.append(Problem(file, t("iv.place_respondent", field=step.key), error))
        elif value is not None:
            values[step.key] = value
    return values, problems


# ---------------------------------------------------------------- the interactive flow


def _now(clock: Callable[[], datetime]) -> str:
    return clock().astimezone(timezone.utc).replace(microsecond=0).isoformat()


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
        self.created = base.created or _now(clock)
        self.provenance = base.provenance
        self.profile: dict[str, Any] = base.respondent.model_dump(exclude_none=True)
        self.answers: dict[str, Any] = dict(base.answers)
        self.notes: dict[str, str] = dict(base.notes)
        self.saved: Path | None = store.path if resume else None
        self.history: list[int] = []

    # ---- state
    def relevant(self) -> dict[str, bool]:
        return relevance(self.qn, self.answers)

    def applies(self, step: _Step, relevant: Mapping[str, bool]) -> bool:
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
            updated=_now(self.clock),
        )

    def save(self, status: Literal["draft", "complete"] = "draft") -> Path:
        self.saved = self.store.save(self.response(status))
        return self.saved

    def store_value(self, step: _Step, value: Any) -> None:
        target = self.profile if step.question is None else self.answers
        if value is None:
            target.pop(step.key, None)
        else:
            target[step.key] = value

    def current_value(self, step: _Step) -> Any:
        return (self.profile if step.question is None else self.answers).get(step.key)

    # ---- checks
    def check(self, step: _Step, raw: Any) -> tuple[Any, str | None]:
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

    def default_of(self, step: _Step) -> Any:
        if step.key == "date" and step.question is None:
            return self.profile.get("date") or self.today.isoformat()
        if step.key == "comune" and step.question is None:
            return self._comune_display()
        value = self.current_value(step)
        if step.kind == "checkbox" and isinstance(value, str):
            return [value]
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


# ---------------------------------------------------------------- the same flow from a file


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
) -> InterviewResult:
    """``--answers FILE``: check respondent and answers like the interactive flow, save, score.

    Every problem of the file is reported at once (:class:`InvalidInput`); nothing
    is written unless the whole file is valid. The file itself is never modified.
    """
    file = str(path)
    data, lines = load_data(path)
    problems: list[Problem] = []
    respondent: Any = {}
    if isinstance(data, dict):
        # the profile is checked here, field by field, like the interactive flow (YAML dates, "12.000"...)
        respondent = data.get("respondent") or {}
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
    now = _now(clock)
    response = Response(
        id=given.id or new_response_id(),
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        respondent=Respondent(**profile),
        answers=checked.answers,
        notes=dict(given.notes),
        status="complete",
        provenance=Provenance(source_file=path.name, source_sha256=hashlib.sha256(path.read_bytes()).hexdigest(), imported_at=now),
        created=given.created or now,
        updated=now,
    )
    saved = store.save(response)
    return InterviewResult(response, saved, score(questionnaire, checked.answers), checked.warnings)


# ---------------------------------------------------------------- the command


register({
    "iv.no_tty": {"it": "nessun terminale interattivo: per inserire le risposte da un file usare --answers FILE (JSON o YAML con 'respondent' e 'answers')", "en": "no interactive terminal: to enter the answers from a file use --answers FILE (JSON or YAML with 'respondent' and 'answers')"},
    "iv.need_campaign": {"it": "indicare la cartella della campagna con --campaign DIR (o una bozza con --resume FILE)", "en": "give the campaign folder with --campaign DIR (or a draft with --resume FILE)"},
    "iv.resume_and_answers": {"it": "--resume e --answers non si usano insieme", "en": "--resume and --answers cannot be used together"},
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
    from crassess.loading import load_questionnaire

    if request.resume and request.answers:
        raise UsageError(problems=[Problem("--resume", "", t("iv.resume_and_answers"))])
    if request.campaign is None and request.resume is None:
        raise UsageError(problems=[Problem("--campaign", "", t("iv.need_campaign"))])
    if request.campaign is not None and request.campaign.is_file():
        raise UsageError(problems=[Problem(str(request.campaign), "", t("iv.campaign_is_file"))])
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
