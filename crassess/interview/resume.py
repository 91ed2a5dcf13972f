"""Resuming an interview: which draft, whether another session has it open, and where to continue."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crassess.i18n import register, t
from crassess.interview.dialog import Interrupted, Option, Prompter, Step
from crassess.interview.drafts import DraftStore, list_drafts
from crassess.interview.locks import Locked, live_holder
from crassess.questionnaire.models import Questionnaire, Response
from crassess.questionnaire.responses import load_response, validate_response
from crassess.safe_text import terminal_text

register({
    "iv.drafts_prompt": {"it": "Ci sono interviste in bozza per questo questionario. Quale?", "en": "There are draft interviews for this questionnaire. Which one?"},
    "iv.drafts_new": {"it": "Nuova intervista", "en": "New interview"},
    "iv.drafts_item": {"it": "Riprendere {name} (risposte: {answered}; {updated} UTC)", "en": "Resume {name} (answers: {answered}; {updated} UTC)"},
    "iv.drafts_open": {"it": "aperta da {holder}", "en": "open by {holder}"},
    "iv.locked_prompt": {"it": "Questa bozza è aperta in un'altra sessione: {holder}. Che cosa fare?", "en": "This draft is open in another session: {holder}. What now?"},
    "iv.locked_read": {"it": "Aprirla in sola lettura (vedere le risposte, senza modificare nulla)", "en": "Open it read-only (see the answers, change nothing)"},
    "iv.locked_take": {"it": "Prenderla in carico (l'altra sessione non potrà più salvare)", "en": "Take it over (the other session can no longer save)"},
    "iv.locked_cancel": {"it": "Annullare", "en": "Cancel"},
    "iv.locked_cancelled": {"it": "Nulla è stato modificato: la bozza resta all'altra sessione.", "en": "Nothing was changed: the draft stays with the other session."},
    "iv.taken_over": {"it": "Bozza presa in carico: la sessione di {holder} si fermerà al suo prossimo salvataggio.", "en": "Draft taken over: the session of {holder} will stop at its next save."},
    "iv.stale_lock": {"it": "La sessione precedente su questa bozza ({holder}) è terminata senza chiuderla: si riprende qui.", "en": "The previous session on this draft ({holder}) ended without closing it: it continues here."},
    "iv.start_prompt": {"it": "Da dove riprendere?", "en": "Where to continue?"},
    "iv.start_unseen": {"it": "Dalla prima domanda mai mostrata: {step}", "en": "From the first question never shown: {step}"},
    "iv.start_unanswered": {"it": "Dalla prima domanda senza risposta: {step}", "en": "From the first unanswered question: {step}"},
    "iv.start_end": {"it": "dal riepilogo finale", "en": "the closing summary"},
})


def resume_response(questionnaire: Questionnaire, path: Path) -> Response:
    """A saved response checked against the questionnaire (every problem at once), to continue it."""
    response, _warnings = validate_response(load_response(path), questionnaire, str(path))
    return response


def choose_draft(questionnaire: Questionnaire, prompter: Prompter, store: DraftStore) -> Response | None:
    """The campaign's drafts of this questionnaire and version, or a new interview (``None``)."""
    assert store.campaign is not None
    drafts = [(p, r) for p, r in list_drafts(store.campaign, questionnaire) if r.questionnaire.version == questionnaire.version]
    if not drafts:
        return None
    options = [Option("new", t("iv.drafts_new"))]
    for n, (path, response) in enumerate(drafts):
        name = terminal_text(response.respondent.name or path.name, one_line=True)
        label = t("iv.drafts_item", name=name, answered=len(response.answers), updated=(response.updated or "–")[:16].replace("T", " "))
        holder = live_holder(path)
        if holder is not None:
            label += " – " + t("iv.drafts_open", holder=holder.describe())
        options.append(Option(str(n), label))
    choice = prompter.choose(t("iv.drafts_prompt"), options, "new")
    if choice == "new":
        return None
    path, response = drafts[int(choice)]
    store.path = path
    return resume_response(questionnaire, path)


def open_draft(prompter: Prompter, store: DraftStore) -> bool:
    """Lock the draft for this session: ``False`` when the facilitator chooses to only look at it (another
    session has it open); :class:`Interrupted` when they cancel."""
    try:
        lock = store.open()
    except Locked as exc:
        options = [Option("read", t("iv.locked_read")), Option("take", t("iv.locked_take")), Option("cancel", t("iv.locked_cancel"))]
        choice = prompter.choose(t("iv.locked_prompt", holder=exc.holder.describe()), options, "read")
        if choice == "read":
            return False
        if choice == "cancel":
            raise Interrupted(t("iv.locked_cancelled")) from None
        store.open(take_over=True)
        prompter.show("warning", t("iv.taken_over", holder=exc.holder.describe()))
        return True
    if lock.replaced is not None:
        prompter.show("info", t("iv.stale_lock", holder=lock.replaced.describe()))
    return True


def choose_start(prompter: Prompter, steps: Sequence[Step], unseen: int, unanswered: int) -> str:
    """Where a resumed interview continues: "unseen" (the first step never shown) or, when an earlier question
    was skipped and the facilitator prefers, "unanswered" (the first unanswered one)."""
    if unanswered >= unseen:
        return "unseen"

    def describe(i: int) -> str:
        if i >= len(steps):
            return t("iv.start_end")
        step = steps[i]
        return f"[{step.key}] {step.label}" if step.question is not None else step.label

    options = [Option("unseen", t("iv.start_unseen", step=describe(unseen))),
               Option("unanswered", t("iv.start_unanswered", step=describe(unanswered)))]
    return prompter.choose(t("iv.start_prompt"), options, "unseen")
