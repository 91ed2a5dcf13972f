"""The terminal side of the interview: questionary prompts and rich headers (questionary lives only here).

Navigation is the same everywhere: in lists it is a few extra entries at the
bottom ("← Indietro", "→ Salta", ...); in typed answers it is a command word
(``:i`` back, ``:s`` skip, ``:v`` go to a section, ``:n`` note, ``?`` hint).
"""

from __future__ import annotations

import string
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import questionary
from prompt_toolkit.application.current import get_app_session
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout.controls import FormattedTextControl
from prompt_toolkit.layout.dimension import Dimension
from prompt_toolkit.layout.margins import ScrollbarMargin
from prompt_toolkit.shortcuts import PromptSession
from questionary.prompts.common import InquirerControl
from rich.console import Console
from rich.rule import Rule
from rich.text import Text

from crassess.i18n import register, t
from crassess.interview.dialog import Nav, Option, Prompt
from crassess.safe_text import terminal_text
from crassess.territory.comuni import Territory, normalise
from crassess.territory.validate import outside_label

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
    "iv.p.checkbox_help": {"it": "(frecce; Spazio sceglie; Invio conferma)", "en": "(arrows; Space ticks; Enter confirms)"},
    "iv.p.ticked_none": {"it": "nessuna scelta", "en": "nothing ticked"},
    "iv.p.ticked": {"it": "{n} scelte", "en": "{n} ticked"},
    "iv.p.ticked_one": {"it": "1 scelta", "en": "1 ticked"},
    "iv.p.command_alone": {"it": "un comando (Indietro, Salta, ...) va scelto da solo", "en": "a command (Back, Skip, ...) must be ticked alone"},
    "iv.p.choice": {"it": "Scelta", "en": "Choice"},
    "iv.p.typing": {"it": "Comando: {text}  (Invio per eseguirlo, Esc per annullare)", "en": "Command: {text}  (Enter to run it, Esc to cancel)"},
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
        outside = outside_label()
        if len(key) >= 3 and any(word.startswith(key) for word in (normalise(outside), "fuori territorio", "outside")):
            yield Completion(outside, start_position=-len(document.text_before_cursor), display_meta=t("iv.outside_meta"))


class QuestionaryPrompter:
    """The :class:`crassess.interview.flow.Prompter` of a real terminal.

    Laid out for the terminal it runs in (80x24 and 60 columns included): long choice labels wrap at
    spaces under their first line, a long list scrolls inside the rows left under the question (which
    stays visible), and error messages wrap instead of being cut.
    """

    def __init__(self, territory: Territory, console: Console | None = None):
        self.territory = territory
        self.console = console or Console(highlight=False)
        self.header_height = 0

    def _print(self, *parts: Any) -> None:
        """Print and count the lines, so that the list below knows how many rows are left."""
        for part in parts:
            self.header_height += len(self.console.render_lines(part, self.console.options, pad=False)) if part != "" else 1
            self.console.print(part)

    # ---- header
    def header(self, prompt: Prompt) -> None:
        p = prompt.progress
        if p.profile:
            where = t("iv.p.profile_progress", k=p.position, n=p.total)
        else:
            where = t("iv.p.progress", k=p.position, n=p.total, pct=p.percent)
        self.header_height = 0
        label = Text(prompt.label, style="bold")
        if not p.profile:
            label = Text.assemble((f"[{prompt.key}] ", "dim"), label)
        if not prompt.required:
            label.append(f" ({t('iv.p.optional')})", style="dim")
        title = Text(f"{p.section} · {where}", style="bold")
        # a rule whose title does not fit would cut it ("14%…"): then the title alone, wrapped
        self._print("", Rule(title, align="left") if len(title) + 4 <= self.console.width else title, label)
        if prompt.note:
            self._print(Text(f"{t('iv.p.note')}: {terminal_text(prompt.note)}", style="italic"))
        if prompt.kind not in ("select", "checkbox"):
            if prompt.commands:
                words = " · ".join(t(f"iv.p.cmd.{nav.value}") for nav in prompt.commands)
                self._print(Text(f"{t('iv.p.commands')}: {words}", style="dim"))
            specials = [t(f"iv.p.special.{o.value}") for o in prompt.options if o.special]
            if specials:
                self._print(Text(t("iv.p.specials", words=", ".join(specials)), style="dim"))

    # ---- the Prompter protocol
    def ask(self, prompt: Prompt) -> Any:
        self.header(prompt)
        return _ASKERS[prompt.kind](self, prompt)

    def choose(self, message: str, options: Sequence[Option], default: str | None = None) -> str:
        self.header_height = 0
        self._print("", Text(message, style="bold"))
        choices = [questionary.Choice(_wrap(o.label, 3), value=o.value) for o in options]
        start = next((c for c in choices if c.value == default), None)
        question = questionary.select(t("iv.p.choice"), choices, default=start, instruction=t("iv.p.select_help"))
        _fit(question, self.header_height, multiple=False, labels={o.value: o.label for o in options})
        return question.unsafe_ask()

    def text(self, message: str, default: str = "") -> str:
        self._print(Text(message, style="bold"))
        question = questionary.text(t("iv.p.note"), default=default)
        _wrap_errors(question)
        return question.unsafe_ask() or ""

    def show(self, kind: Literal["info", "hint", "error", "warning"], text: str) -> None:
        mark, style = _SHOW_STYLE[kind]
        # words wrap; a path longer than the line is left whole (the terminal folds it), to copy it
        lines = []
        for n, part in enumerate(terminal_text(mark + text).split("\n")):
            lead = len(part) - len(part.lstrip())
            hang = " " * (lead + 2 if lead or (n == 0 and mark) else 0)  # under the text, not under the mark or dash
            lines += textwrap.wrap(part, self.console.width - 1, subsequent_indent=hang, break_long_words=False,
                                   break_on_hyphens=False) or [""]
        self.console.print(Text("\n".join(lines), style=style), soft_wrap=True)

    # ---- one asker per kind
    def _select(self, prompt: Prompt) -> Any:
        choices = _list_choices(prompt, indent=3)
        start = next((c for c in choices if isinstance(c, questionary.Choice) and c.value == ("a", prompt.default)), None)
        long = len(prompt.options) > 10  # e.g. the ATECO sections: typing filters the list
        question = questionary.select(
            t("iv.p.answer"), choices, default=start, use_jk_keys=False, use_search_filter=long,
            instruction=t("iv.p.search_help" if long else "iv.p.select_help"),
        )
        _fit(question, self.header_height, multiple=False, labels=_labels(prompt))
        _typed_commands(question, prompt, multiple=False)
        kind, value = question.unsafe_ask()
        return value

    def _checkbox(self, prompt: Prompt) -> Any:
        ticked = set(prompt.default or [])
        choices = _list_choices(prompt, indent=5, ticked=ticked)

        def validate(selected: list[tuple[str, Any]]) -> bool | str:
            if any(kind == "n" for kind, _ in selected):
                return True if len(selected) == 1 else _wrapped_message(t("iv.p.command_alone"))
            error = prompt.check([value for _, value in selected])
            return _wrapped_message(error) if error else True

        question = questionary.checkbox(
            t("iv.p.answer"), choices, validate=validate, instruction=t("iv.p.checkbox_help"), use_jk_keys=False
        )
        _enter_runs_commands(question)
        _fit(question, self.header_height, multiple=True, labels=_labels(prompt))
        _typed_commands(question, prompt, multiple=True)
        selected = question.unsafe_ask()
        if len(selected) == 1 and selected[0][0] == "n":
            return selected[0][1]
        return [value for _, value in selected]

    def _typed(self, prompt: Prompt) -> Any:
        def validate(text: str) -> bool | str:
            nav = command_of(text)
            if nav is not None:
                return True if nav in prompt.commands else _wrapped_message(_unknown_command(prompt))
            if text.strip().startswith(":"):
                return _wrapped_message(_unknown_command(prompt))
            error = prompt.check(text)
            return _wrapped_message(error) if error else True

        default = "" if prompt.default is None else terminal_text(prompt.default)
        if prompt.kind == "comune":
            names = [c.nome for c in self.territory.comuni] + [outside_label()]
            question = questionary.autocomplete(
                t("iv.p.answer"), names, default=default,
                completer=ComuneCompleter(self.territory), validate=validate, validate_while_typing=False,
            )
        else:
            question = questionary.text(t("iv.p.answer"), default=default, validate=validate, validate_while_typing=False)
        _wrap_errors(question)
        answer = question.unsafe_ask()
        nav = command_of(answer or "")
        return nav if nav is not None else answer


def _columns() -> tuple[int, int]:
    """The size prompt_toolkit renders in (columns, rows)."""
    size = get_app_session().output.get_size()
    return max(20, size.columns), max(8, size.rows)


def _wrap(text: str, indent: int, first: int = 0) -> str:
    """``text`` wrapped at spaces for a list entry starting at column ``indent`` (``first`` extra columns on
    its first line), continuation lines indented to match; one column kept for the scroll bar."""
    width = _columns()[0] - indent - 2
    lines = textwrap.wrap(terminal_text(text, one_line=True), width=max(10, width), initial_indent=" " * first,
                          break_long_words=False, break_on_hyphens=False) or [""]
    lines[0] = lines[0][first:]
    return ("\n" + " " * indent).join(lines)


def _wrapped_message(message: str) -> str:
    """An error shown under the prompt, on as many lines as it needs (prompt_toolkit would cut it to one)."""
    width = max(10, _columns()[0] - 1)
    return "\n".join(line for part in message.split("\n") for line in (textwrap.wrap(part, width, break_long_words=False) or [""]))


def _labels(prompt: Prompt) -> dict[Any, str]:
    return {**{("a", o.value): o.label for o in prompt.options}, **{("n", nav): t(f"iv.p.nav.{nav.value}") for nav in Nav}}


def _list_choices(prompt: Prompt, indent: int, ticked: set[str] | None = None) -> list[Any]:
    """Answers, then the special answers and the navigation entries, each group after a blank line."""

    def choice(value: Any, label: str, checked: bool = False) -> Any:
        return questionary.Choice(_wrap(label, indent), value=value, checked=checked)

    ticked = ticked or set()
    choices = [choice(("a", o.value), o.label, o.value in ticked) for o in prompt.options if not o.special]
    specials = [choice(("a", o.value), o.label, o.value in ticked) for o in prompt.options if o.special]
    if specials:
        choices += [questionary.Separator(" "), *specials]
    choices += [questionary.Separator(" "), *(choice(("n", nav), t(f"iv.p.nav.{nav.value}")) for nav in prompt.commands)]
    return choices


def _windows(question: Any, kind: type) -> list[Any]:
    return [w for w in question.application.layout.find_all_windows() if isinstance(w.content, kind)]


def _fit(question: Any, header_height: int, multiple: bool, labels: Mapping[Any, str]) -> None:
    """The list scrolls (with a scroll bar) within the rows left under the question's header, and the
    confirmed answer is echoed whole, wrapped at spaces."""
    control = _windows(question, InquirerControl)[0].content
    window = _windows(question, InquirerControl)[0]
    rows = _columns()[1]
    room = max(4, rows - header_height - 3)  # the prompt line, the message line, the cursor's line
    lines = sum(1 + (c.title.count("\n") if isinstance(c.title, str) else 0) for c in control.choices)
    if lines > room:
        window.height = Dimension(max=room)
        window.right_margins = [ScrollbarMargin(display_arrows=True)]
    _echo(question.application, control, multiple, labels)


def _echo(app: Any, control: Any, multiple: bool, labels: Mapping[Any, str]) -> None:
    """What questionary prints once a list is answered: the label (whole, wrapped) or, for a checklist,
    how many were ticked, in the user's language; a command shows its own name."""
    sessions = [w.content.text.__self__ for w in app.layout.find_all_windows()
                if isinstance(w.content, FormattedTextControl) and isinstance(getattr(w.content.text, "__self__", None), PromptSession)]
    if not sessions or not callable(sessions[0].message):
        return  # another questionary layout: keep its echo
    session, tokens = sessions[0], sessions[0].message

    def echoed() -> list[tuple[str, str]]:
        out = tokens()
        if not (control.is_answered and out and out[-1][0] == "class:answer"):
            return out
        chosen = list(control.selected_options) if multiple else [control.get_pointed_at().value]
        command = getattr(control, "command", None)
        if command is not None:
            text = labels.get(("n", command), "")
        elif multiple:
            text = t("iv.p.ticked_none") if not chosen else t("iv.p.ticked_one") if len(chosen) == 1 else t("iv.p.ticked", n=len(chosen))
        else:
            text = labels.get(chosen[0], str(out[-1][1]))
        offset = sum(len(text) for _, text in out[:-1])
        return [*out[:-1], ("class:answer", _wrap(text, 2, first=offset - 2) if offset > 2 else text)]

    session.message = echoed


def _wrap_errors(question: Any) -> None:
    """prompt_toolkit's validation toolbar is one line high: let it grow to the (wrapped) message."""
    for window in question.application.layout.find_all_windows():
        text = getattr(window.content, "text", None)
        if isinstance(window.content, FormattedTextControl) and "ValidationToolbar" in getattr(text, "__qualname__", ""):
            window.height = Dimension(min=1)


def _typed_commands(question: Any, prompt: Prompt, multiple: bool) -> None:
    """In a list, ``:i``, ``:s``, ``?``... typed and confirmed with Enter run the command (they used to
    filter the list or invert a checklist, and Enter then picked an entry); Esc forgets what was typed."""
    app = question.application
    control = _windows(question, InquirerControl)[0].content
    typed: list[str] = []
    active = Condition(lambda: bool(typed))
    extra = KeyBindings()

    def show(message: str | None = None) -> None:
        text = message or (t("iv.p.typing", text="".join(typed)) if typed else None)
        control.error_message = FormattedText([("class:validation-toolbar", _wrapped_message(text))]) if text else None

    @extra.add(":", eager=True, filter=~active)
    @extra.add("?", eager=True, filter=~active)
    def _start(event: Any) -> None:
        typed[:] = [event.data]
        show()

    def _more(event: Any) -> None:
        typed.append(event.data)
        show()

    # one binding per character: a binding for one key wins over questionary's ("i" inverts a checklist)
    for char in string.printable.strip():
        extra.add(char, eager=True, filter=active)(_more)
    extra.add(" ", eager=True, filter=active)(_more)

    @extra.add(Keys.Backspace, eager=True, filter=active)
    def _less(event: Any) -> None:
        typed.pop()
        show()

    @extra.add(Keys.Escape, eager=True, filter=active)
    def _forget(event: Any) -> None:
        typed.clear()
        show()

    @extra.add(Keys.ControlM, eager=True, filter=active)
    def _run(event: Any) -> None:
        nav = command_of("".join(typed))
        typed.clear()
        if nav is None or nav not in prompt.commands:
            show(_unknown_command(prompt))
            return
        control.command = nav
        control.is_answered = True
        control.error_message = None
        event.app.exit(result=[("n", nav)] if multiple else ("n", nav))

    app.key_bindings = merge_key_bindings([app.key_bindings, extra])


def _enter_runs_commands(question: Any) -> None:
    """In a checkbox, Enter on a command entry (with nothing ticked) runs it, as in a plain list."""
    app = question.application
    control = _windows(question, InquirerControl)[0].content
    extra = KeyBindings()

    @extra.add(Keys.ControlM, eager=True, filter=Condition(lambda: _pointed_command(control)))
    def _(event: Any) -> None:
        control.is_answered = True
        control.command = control.get_pointed_at().value[1]
        event.app.exit(result=[control.get_pointed_at().value])

    app.key_bindings = merge_key_bindings([app.key_bindings, extra])


def _pointed_command(control: Any) -> bool:
    value = control.get_pointed_at().value
    return not control.selected_options and isinstance(value, tuple) and value[0] == "n"


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
