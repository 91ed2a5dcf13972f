"""The terminal side of the interview: questionary prompts and rich headers (questionary lives only here).

Navigation is the same everywhere: in lists it is a few extra entries at the
bottom ("← Indietro", "→ Salta", ...); in typed answers it is a command word
(``:i`` back, ``:s`` skip, ``:v`` go to a section, ``:n`` note, ``?`` hint).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

import questionary
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.shortcuts import PromptSession
from questionary.prompts.common import InquirerControl
from rich.console import Console
from rich.text import Text

from crassess.i18n import register, t
from crassess.interview.dialog import Nav, Option, Prompt
from crassess.territory.comuni import Territory, normalise

register({
    "iv.p.answer": {"it": "Risposta", "en": "Answer"},
    "iv.p.progress": {"it": "domanda {k} di {n} · {pct}% completato", "en": "question {k} of {n} · {pct}% done"},
    "iv.p.profile_progress": {"it": "passo {k} di {n}", "en": "step {k} of {n}"},
    "iv.p.nav.back": {"it": "← Indietro", "en": "← Back"},
    "iv.p.nav.skip": {"it": "→ Salta (lascia senza risposta)", "en": "→ Skip (leave unanswered)"},
    "iv.p.nav.jump": {"it": "⇥ Vai a una sezione…", "en": "⇥ Go to a section…"},
    "iv.p.nav.note": {"it": "✎ Nota su questa domanda", "en": "✎ Note on this question"},
    "iv.p.nav.hint": {"it": "? Mostra il suggerimento", "en": "? Show the hint"},
    "iv.p.cmd.back": {"it": ":i indietro", "en": ":b back"},
    "iv.p.cmd.skip": {"it": ":s salta", "en": ":s skip"},
    "iv.p.cmd.jump": {"it": ":v vai a sezione", "en": ":g go to section"},
    "iv.p.cmd.note": {"it": ":n nota", "en": ":n note"},
    "iv.p.cmd.hint": {"it": "? suggerimento", "en": "? hint"},
    "iv.p.commands": {"it": "Comandi", "en": "Commands"},
    "iv.p.specials": {"it": "Si può anche rispondere: {words}", "en": "Also accepted: {words}"},
    "iv.p.special.dk": {"it": "non so", "en": "dk (don't know)"},
    "iv.p.special.na": {"it": "na (non applicabile)", "en": "na (not applicable)"},
    "iv.p.note": {"it": "Nota", "en": "Note"},
    "iv.p.optional": {"it": "si può saltare", "en": "optional"},
    "iv.p.select_help": {"it": "(frecce e Invio)", "en": "(arrows and Enter)"},
    "iv.p.search_help": {"it": "(frecce e Invio; scrivere per filtrare)", "en": "(arrows and Enter; type to filter)"},
    "iv.p.checkbox_help": {"it": "(frecce, Spazio per scegliere, Invio per confermare)", "en": "(arrows, Space to tick, Enter to confirm)"},
    "iv.p.ticked_none": {"it": "nessuna scelta", "en": "nothing ticked"},
    "iv.p.ticked": {"it": "{n} scelte", "en": "{n} ticked"},
    "iv.p.command_alone": {"it": "un comando (Indietro, Salta, ...) va scelto da solo", "en": "a command (Back, Skip, ...) must be ticked alone"},
    "iv.p.unknown_command": {"it": "comando non disponibile qui; disponibili: {commands}", "en": "command not available here; available: {commands}"},
})

COMMAND_WORDS: dict[str, Nav] = {
    ":i": Nav.BACK, ":indietro": Nav.BACK, ":b": Nav.BACK, ":back": Nav.BACK,
    ":s": Nav.SKIP, ":salta": Nav.SKIP, ":skip": Nav.SKIP,
    ":v": Nav.JUMP, ":vai": Nav.JUMP, ":g": Nav.JUMP, ":goto": Nav.JUMP,
    ":n": Nav.NOTE, ":nota": Nav.NOTE, ":note": Nav.NOTE,
    "?": Nav.HINT, ":h": Nav.HINT, ":hint": Nav.HINT, ":aiuto": Nav.HINT,
}

_SHOW_STYLE = {"info": ("", "green"), "hint": ("ℹ ", "cyan"), "error": ("✗ ", "bold red"), "warning": ("! ", "yellow")}


def command_of(text: str) -> Nav | None:
    return COMMAND_WORDS.get(text.strip().lower())


class ComuneCompleter(Completer):
    """Completes a comune by any part of its name (accents and case ignored) or by ISTAT code."""

    def __init__(self, territory: Territory):
        self.entries = [(normalise(c.nome), c.istat, c.nome) for c in territory.comuni]

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        typed = document.text_before_cursor.strip()
        if not typed or typed.startswith(":") or typed == "?":
            return
        key = normalise(typed)
        found = [
            (not name_key.startswith(key), name_key, istat, name)
            for name_key, istat, name in self.entries
            if (typed.isdigit() and istat.lstrip("0").startswith(typed.lstrip("0"))) or key in name_key
        ]
        for _, _, istat, name in sorted(found):  # names starting with the typed text first
            yield Completion(name, start_position=-len(document.text_before_cursor), display_meta=istat)


class QuestionaryPrompter:
    """The :class:`crassess.interview.flow.Prompter` of a real terminal."""

    def __init__(self, territory: Territory, console: Console | None = None):
        self.territory = territory
        self.console = console or Console(highlight=False)

    # ---- header
    def header(self, prompt: Prompt) -> None:
        p = prompt.progress
        if p.profile:
            where = t("iv.p.profile_progress", k=p.position, n=p.total)
        else:
            where = t("iv.p.progress", k=p.position, n=p.total, pct=p.percent)
        self.console.print()
        self.console.rule(Text(f"{p.section} · {where}", style="bold"), align="left")
        label = Text(prompt.label, style="bold")
        if not p.profile:
            label = Text.assemble((f"[{prompt.key}] ", "dim"), label)
        if not prompt.required:
            label.append(f" ({t('iv.p.optional')})", style="dim")
        self.console.print(label)
        if prompt.note:
            self.console.print(Text(f"{t('iv.p.note')}: {prompt.note}", style="italic"))
        if prompt.kind not in ("select", "checkbox"):
            if prompt.commands:
                words = " · ".join(t(f"iv.p.cmd.{nav.value}") for nav in prompt.commands)
                self.console.print(Text(f"{t('iv.p.commands')}: {words}", style="dim"))
            specials = [t(f"iv.p.special.{o.value}") for o in prompt.options if o.special]
            if specials:
                self.console.print(Text(t("iv.p.specials", words=", ".join(specials)), style="dim"))

    # ---- the Prompter protocol
    def ask(self, prompt: Prompt) -> Any:
        self.header(prompt)
        return _ASKERS[prompt.kind](self, prompt)

    def choose(self, message: str, options: Sequence[Option], default: str | None = None) -> str:
        choices = [questionary.Choice(o.label, value=o.value) for o in options]
        start = next((c for c in choices if c.value == default), None)
        return questionary.select(message, choices, default=start, instruction=t("iv.p.select_help")).unsafe_ask()

    def text(self, message: str, default: str = "") -> str:
        return questionary.text(message, default=default).unsafe_ask() or ""

    def show(self, kind: Literal["info", "hint", "error", "warning"], text: str) -> None:
        mark, style = _SHOW_STYLE[kind]
        self.console.print(Text(mark + text, style=style), soft_wrap=True)  # paths stay whole, to copy them

    # ---- one asker per kind
    def _select(self, prompt: Prompt) -> Any:
        choices: list[Any] = [questionary.Choice(o.label, value=("a", o.value)) for o in prompt.options if not o.special]
        specials = [questionary.Choice(o.label, value=("a", o.value)) for o in prompt.options if o.special]
        if specials:
            choices += [questionary.Separator(" "), *specials]
        choices += [questionary.Separator(" "), *_nav_choices(prompt.commands)]
        start = next((c for c in choices if isinstance(c, questionary.Choice) and c.value == ("a", prompt.default)), None)
        long = len(prompt.options) > 10  # e.g. the ATECO sections: typing filters the list
        kind, value = questionary.select(
            t("iv.p.answer"), choices, default=start, use_jk_keys=False, use_search_filter=long,
            instruction=t("iv.p.search_help" if long else "iv.p.select_help"),
        ).unsafe_ask()
        return value

    def _checkbox(self, prompt: Prompt) -> Any:
        ticked = set(prompt.default or [])
        choices: list[Any] = [
            questionary.Choice(o.label, value=("a", o.value), checked=o.value in ticked) for o in prompt.options if not o.special
        ]
        specials = [questionary.Choice(o.label, value=("a", o.value), checked=o.value in ticked) for o in prompt.options if o.special]
        if specials:
            choices += [questionary.Separator(" "), *specials]
        choices += [questionary.Separator(" "), *_nav_choices(prompt.commands)]

        def validate(selected: list[tuple[str, Any]]) -> bool | str:
            if any(kind == "n" for kind, _ in selected):
                return True if len(selected) == 1 else t("iv.p.command_alone")
            return prompt.check([value for _, value in selected]) or True

        question = questionary.checkbox(
            t("iv.p.answer"), choices, validate=validate, instruction=t("iv.p.checkbox_help"), use_jk_keys=False
        )
        _enter_runs_commands(question)
        selected = question.unsafe_ask()
        if len(selected) == 1 and selected[0][0] == "n":
            return selected[0][1]
        return [value for _, value in selected]

    def _typed(self, prompt: Prompt) -> Any:
        def validate(text: str) -> bool | str:
            nav = command_of(text)
            if nav is not None:
                return True if nav in prompt.commands else _unknown_command(prompt)
            if text.strip().startswith(":"):
                return _unknown_command(prompt)
            return prompt.check(text) or True

        default = "" if prompt.default is None else str(prompt.default)
        if prompt.kind == "comune":
            answer = questionary.autocomplete(
                t("iv.p.answer"), [c.nome for c in self.territory.comuni], default=default,
                completer=ComuneCompleter(self.territory), validate=validate, validate_while_typing=False,
            ).unsafe_ask()
        else:
            answer = questionary.text(
                t("iv.p.answer"), default=default, validate=validate,
                validate_while_typing=False,
            ).unsafe_ask()
        nav = command_of(answer or "")
        return nav if nav is not None else answer


def _enter_runs_commands(question: Any) -> None:
    """In a checkbox, Enter on a command entry (with nothing ticked) runs it, as in a plain list."""
    app = question.application
    control = next(w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl))
    extra = KeyBindings()

    @extra.add(Keys.ControlM, eager=True, filter=Condition(lambda: _pointed_command(control)))
    def _(event: Any) -> None:
        control.is_answered = True
        event.app.exit(result=[control.get_pointed_at().value])

    app.key_bindings = merge_key_bindings([app.key_bindings, extra])
    _translate_done(app, control)


def _translate_done(app: Any, control: Any) -> None:
    """questionary echoes a confirmed checklist as "done" / "done (N selections)": say it in the user's language."""
    sessions = [w.content.text.__self__ for w in app.layout.find_all_windows()
                if isinstance(w.content, FormattedTextControl) and isinstance(getattr(w.content.text, "__self__", None), PromptSession)]
    if not sessions or not callable(sessions[0].message):
        return  # another questionary layout: keep its English
    session, tokens = sessions[0], sessions[0].message

    def translated() -> list[tuple[str, str]]:
        out = tokens()
        if control.is_answered and out and out[-1][0] == "class:answer" and out[-1][1].startswith("done"):
            n = len(control.selected_options)
            out = [*out[:-1], ("class:answer", t("iv.p.ticked_none") if n == 0 else t("iv.p.ticked", n=n))]
        return out

    session.message = translated


def _pointed_command(control: Any) -> bool:
    value = control.get_pointed_at().value
    return not control.selected_options and isinstance(value, tuple) and value[0] == "n"


def _nav_choices(commands: Sequence[Nav]) -> list[Any]:
    return [questionary.Choice(t(f"iv.p.nav.{nav.value}"), value=("n", nav)) for nav in commands]


def _unknown_command(prompt: Prompt) -> str:
    return t("iv.p.unknown_command", commands=", ".join(t(f"iv.p.cmd.{nav.value}") for nav in prompt.commands) or "–")


_ASKERS = {
    "select": QuestionaryPrompter._select,
    "checkbox": QuestionaryPrompter._checkbox,
    "text": QuestionaryPrompter._typed,
    "integer": QuestionaryPrompter._typed,
    "decimal": QuestionaryPrompter._typed,
    "comune": QuestionaryPrompter._typed,
    "date": QuestionaryPrompter._typed,
}
