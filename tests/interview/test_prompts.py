"""The real questionary prompts, driven by keystrokes through prompt_toolkit's pipe input."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone
from typing import Any

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from crassess.interview.dialog import Interrupted, Nav, Option, Progress, Prompt
from crassess.interview.drafts import DraftStore
from crassess.interview.flow import run_interview
from crassess.interview.prompts import ComuneCompleter, QuestionaryPrompter, command_of
from crassess.interview.resume import resume_response
from crassess.questionnaire.responses import load_response
from crassess.territory.comuni import load_territory

DOWN, UP, ENTER, SPACE, CTRL_C, BACKSPACE = "\x1b[B", "\x1b[A", "\r", " ", "\x03", "\x7f"
TODAY = date(2026, 11, 25)

PROFILE_KEYS = "Rossi srl\r" "Cremona\r" "12\r" + DOWN * 2 + ENTER + "\r" "Anna\r" "\r"
ROSSI_ANSWERS = {
    "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
    "strumenti": ["cloud", "erp"], "fatturazione": "si", "addetti_formati": 25, "ore_perse": 5,
    "formazione": "dk", "ostacoli": ["costi"], "note_finali": "Intervista di prova",
}


def interview(esempio: Any, keys: str, store: DraftStore, resume: Any = None) -> tuple[Any, str]:
    """Run the interview on the real prompts with ``keys`` typed in; returns the result and the screen text."""
    screen = io.StringIO()
    prompter = QuestionaryPrompter(load_territory(), Console(file=screen, width=80, color_system=None))
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(keys)
        try:
            result = run_interview(
                esempio, prompter, store, load_territory(), lang="it", resume=resume, today=TODAY,
                clock=lambda: datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc), command="esempio",
            )
        finally:
            text = screen.getvalue()
    return result, text


@pytest.mark.timeout(20)
def test_full_interview_with_a_constraint_reask_and_an_exclusive_choice(esempio, tmp_path):
    keys = PROFILE_KEYS
    keys += ENTER + ENTER  # fibra_disponibile: si; fibra_sede: si
    keys += "20000\r" + BACKSPACE * 5 + "100\r"  # refused in the prompt (constraint), corrected
    keys += DOWN + ENTER  # wifi: parziale
    keys += SPACE + DOWN * 3 + SPACE + ENTER  # strumenti: cloud + nessuno, refused
    keys += SPACE + UP * 2 + SPACE + ENTER  # untick nessuno, tick erp
    keys += ENTER + "25\r" "5\r"  # fatturazione, addetti_formati, ore_perse
    keys += DOWN * 3 + ENTER  # formazione: past the separator to "Non so"
    keys += SPACE + ENTER + "Intervista di prova\r"  # ostacoli: costi; note_finali
    keys += ENTER  # close: complete
    result, screen = interview(esempio, keys, DraftStore(campaign=tmp_path))
    assert result.response.answers == ROSSI_ANSWERS
    assert result.response.status == "complete"
    assert result.response.respondent.model_dump(exclude_none=True) == {
        "name": "Rossi srl", "comune": "019036", "size": 12, "subsector": "C", "interviewer": "Anna", "date": "2026-11-25",
    }
    assert load_response(result.path).answers == ROSSI_ANSWERS
    lines = [line.rstrip() for line in screen.splitlines()]
    assert lines[:7] == [
        "",
        "Profilo del rispondente · passo 1 di 7 " + "─" * 41,
        "Nome dell'organizzazione",  # first and required: no command
        "",
        "Profilo del rispondente · passo 2 di 7 " + "─" * 41,
        "Comune (nome o codice ISTAT, oppure «fuori territorio»)",
        "Comandi: :i indietro",  # required: no skip
    ]
    i = lines.index("[velocita] Velocità di download della linea (Mbit/s)")
    assert lines[i - 1] == "Connettività · domanda 3 di 11 · 18% completato " + "─" * 32
    assert lines[i + 1] == "Comandi: :i indietro · :s salta · :v vai a sezione · :n nota · ? suggerimento"
    assert lines[i + 2] == "Si può anche rispondere: non so"
    assert max(len(line) for line in lines) == 80
    assert "[ostacoli] Ostacoli principali (si può saltare)" in lines
    assert "Numero di addetti (si può saltare)" in lines
    assert "Tutte le domande obbligatorie hanno una risposta." in lines


@pytest.mark.timeout(20)
def test_back_entry_and_skip_logic(esempio, tmp_path):
    keys = PROFILE_KEYS
    keys += ENTER  # fibra_disponibile: si
    keys += DOWN * 3 + ENTER  # fibra_sede: "← Indietro" (after the answers and a separator)
    keys += DOWN + ENTER  # fibra_disponibile again, pointer on the earlier "si": down to "no"
    keys += ":i\r"  # velocita: typed command back to fibra_disponibile
    keys += ENTER  # keep "no" (the default now)
    keys += ":v\r" + DOWN * 3 + ENTER  # velocita: jump, from "Connettività" down to the end
    keys += DOWN * 2 + ENTER  # closing menu, from "first unanswered" down to "leave the draft"
    result, screen = interview(esempio, keys, DraftStore(campaign=tmp_path))
    assert result.response.status == "draft"
    assert result.response.answers == {"fibra_disponibile": "no"}
    assert screen.count("[fibra_disponibile]") == 3
    assert screen.count("[fibra_sede]") == 1  # not asked once it no longer applies
    assert screen.count("[velocita]") == 2


@pytest.mark.timeout(20)
def test_skip_hint_and_note_from_typed_commands(esempio, tmp_path):
    keys = PROFILE_KEYS + ENTER + ENTER
    keys += "?\r" ":n\r" "dal contratto\r" ":s\r"  # velocita: hint, a note, then skipped
    keys += DOWN * 6 + ENTER + DOWN * 3 + ENTER  # wifi: "⇥ Vai a una sezione…", then the end
    keys += ENTER  # the closing menu points at "back to the first unanswered": velocita
    keys += "70\r" + DOWN * 6 + ENTER + DOWN * 3 + ENTER  # answered; from wifi to the end again
    keys += DOWN * 2 + ENTER  # leave the draft
    result, screen = interview(esempio, keys, DraftStore(campaign=tmp_path))
    assert result.response.notes == {"velocita": "dal contratto"}
    assert result.response.answers == {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 70}
    assert "ℹ Si legge nel contratto o con uno speed test." in screen
    assert "Nota: dal contratto" in screen
    lines = screen.splitlines()
    first = lines.index("! Domande obbligatorie senza risposta (7):")
    assert lines[first:first + 3] == [
        "! Domande obbligatorie senza risposta (7):",
        "  – velocita: Velocità di download della linea (Mbit/s)",
        "  – wifi: C'è una rete Wi-Fi protetta per il personale?",
    ]
    assert "! Domande obbligatorie senza risposta (6):" in lines


@pytest.mark.timeout(20)
def test_ctrl_c_keeps_the_draft_and_resume_continues(esempio, tmp_path):
    keys = PROFILE_KEYS + ENTER + ENTER + "100\r" + CTRL_C
    with pytest.raises(Interrupted) as caught:
        interview(esempio, keys, DraftStore(campaign=tmp_path))
    [path] = (tmp_path / "responses").glob("rossi-srl-*.json")
    assert f"--resume {path}" in str(caught.value)
    assert load_response(path).answers == {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100}

    keys = DOWN * 4 + ENTER  # wifi: "← Indietro" (after the answers, a separator, "Non applicabile", a separator)
    keys += BACKSPACE * 3 + "300\r"  # velocita shows 100 as the default; changed
    keys += DOWN + ENTER + SPACE + DOWN + SPACE + ENTER + ENTER + "25\r" "5\r" + DOWN * 3 + ENTER
    keys += SPACE + ENTER + "Intervista di prova\r" + ENTER
    result, screen = interview(esempio, keys, DraftStore(path=path), resume=resume_response(esempio, path))
    # the message wraps at the space before the path, which stays whole (to copy it)
    assert [line.rstrip() for line in screen.splitlines()[:2]] == ["Si riprende l'intervista salvata in", f"{path}."]
    assert result.path == path
    assert result.response.answers == {**ROSSI_ANSWERS, "velocita": 300}
    assert list((tmp_path / "responses").glob("*.json")) == [path]


@pytest.mark.timeout(20)
def test_choose_and_text_prompts(tmp_path):
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    options = [Option("a", "Primo"), Option("b", "Secondo"), Option("c", "Terzo")]
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(ENTER + DOWN + ENTER + "una nota\r")
        assert prompter.choose("Quale?", options, default="b") == "b"
        assert prompter.choose("Quale?", options, default="b") == "c"
        assert prompter.text("Nota") == "una nota"


def test_comune_completer_by_name_part_accents_and_code():
    completer = ComuneCompleter(load_territory())

    def names(typed: str) -> list[str]:
        return [c.text for c in completer.get_completions(Document(typed), None)]

    assert names("cremo") == ["Cremona", "Cremosano", "Acquanegra Cremonese", "Grumello Cremonese ed Uniti", "Pessina Cremonese"]
    assert names("CROTTA D ADDA") == ["Crotta d'Adda"]
    assert names("19036") == ["Cremona"]
    assert len(names("01903")) == 10  # 019030 to 019039
    assert names(":i") == []


def test_command_words():
    assert command_of(" :Indietro ") is Nav.BACK
    assert command_of(":b") is Nav.BACK
    assert command_of("?") is Nav.HINT
    assert command_of(":s") is Nav.SKIP
    assert command_of("si") is None


def _prompt(kind: str, options: tuple[Option, ...], commands: tuple[Nav, ...] = (Nav.BACK, Nav.SKIP), **kw: Any) -> Any:
    return Prompt("x", kind, "Etichetta", Progress("Sezione", 1, 2, 0.0), options=options, commands=commands, **kw)  # type: ignore[arg-type]


@pytest.mark.timeout(20)
def test_checkbox_enter_on_a_command_runs_it_and_ticked_answers_win():
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    prompt = _prompt("checkbox", (Option("a", "A"), Option("b", "B")))
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(DOWN * 3 + ENTER + SPACE + DOWN * 3 + ENTER + SPACE + DOWN * 2 + SPACE + ENTER + SPACE + ENTER)
        assert prompter.ask(prompt) is Nav.SKIP  # pointer on "→ Salta", nothing ticked
        assert prompter.ask(prompt) == ["a"]  # "a" ticked, then Enter on "→ Salta": the answer
        # "a" and "← Indietro" ticked: refused in the prompt; "← Indietro" unticked again: the answer
        assert prompter.ask(prompt) == ["a"]


@pytest.mark.timeout(20)
def test_long_lists_filter_as_one_types(esempio):
    from crassess.interview.profile import profile_steps

    subsector = next(s for s in profile_steps(esempio, "it") if s.key == "subsector")
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("manif" + ENTER + ENTER)
        assert prompter.ask(_prompt("select", subsector.options)) == "C"
        assert prompter.ask(_prompt("select", subsector.options, default="I")) == "I"


@pytest.mark.timeout(20)
def test_confirmed_checklists_are_echoed_in_the_users_language():
    import re

    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    rendered = io.StringIO()
    output = Vt100_Output(rendered, lambda: Size(rows=30, columns=80), term="xterm")
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    prompt = _prompt("checkbox", (Option("a", "A"), Option("b", "B")), required=False)
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(ENTER + SPACE + DOWN + SPACE + ENTER + DOWN + SPACE + ENTER)
        assert prompter.ask(prompt) == []
        assert prompter.ask(prompt) == ["a", "b"]
        assert prompter.ask(prompt) == ["b"]
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", rendered.getvalue())
    assert "? Risposta nessuna scelta" in screen
    assert "? Risposta 2 scelte" in screen
    assert "? Risposta 1 scelta" in screen
    assert "done" not in screen


# ---------------------------------------------------------------- layout at 80x24 and 60 columns (issue 15)


def _asked(monkeypatch: Any, prompter: Any, prompt: Any, columns: int, rows: int = 24, answer: Any = ("a", "x")) -> Any:
    """The questionary question the prompter builds for ``prompt`` in a terminal of that size (not run)."""
    import questionary
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    seen: list[Any] = []
    monkeypatch.setattr(questionary.Question, "unsafe_ask", lambda self, *a, **k: seen.append(self) or answer)
    output = Vt100_Output(io.StringIO(), lambda: Size(rows=rows, columns=columns), term="xterm")
    with create_app_session(output=output):
        prompter.ask(prompt)
        return seen[0], output


def _list_window(question: Any) -> Any:
    from questionary.prompts.common import InquirerControl

    return next(w for w in question.application.layout.find_all_windows() if isinstance(w.content, InquirerControl))


def test_long_choice_labels_wrap_under_their_first_line(monkeypatch):
    long = "Nominato, con un ufficio per la transizione digitale operativo che riferisce periodicamente alla Giunta"
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=60))
    question, _ = _asked(monkeypatch, prompter, _prompt("select", (Option("a", "Non nominato"), Option("b", long))), 60)
    titles = [c.title for c in _list_window(question).content.choices]
    assert titles[1] == (
        "Nominato, con un ufficio per la transizione digitale\n"
        "   operativo che riferisce periodicamente alla Giunta"
    )
    assert all(len(line) <= 58 for title in titles if isinstance(title, str) for line in title.split("\n"))


def test_the_question_stays_above_a_long_list_that_scrolls(monkeypatch):
    from prompt_toolkit.layout.margins import ScrollbarMargin

    options = tuple(Option(f"o{i}", f"Scelta numero {i}") for i in range(20))
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    question, _ = _asked(monkeypatch, prompter, _prompt("checkbox", options), 80, answer=[])
    window = _list_window(question)
    # 24 rows: blank line, rule, question (3), the prompt line, the message line, the cursor's line
    assert window.height.max == 24 - 3 - 3
    assert isinstance(window.right_margins[0], ScrollbarMargin)
    short = _asked(monkeypatch, prompter, _prompt("checkbox", options[:4]), 80, answer=[])[0]
    assert _list_window(short).height is None and _list_window(short).right_margins == []


def test_a_confirmed_choice_is_echoed_whole_and_wrapped(monkeypatch):
    long = "Nominato, con un ufficio per la transizione digitale operativo che riferisce periodicamente alla Giunta"
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=60))
    question, output = _asked(monkeypatch, prompter, _prompt("select", (Option("b", long),)), 60)
    control = _list_window(question).content
    control.is_answered = True
    session = next(w.content.text.__self__ for w in question.application.layout.find_all_windows()
                   if hasattr(getattr(w.content, "text", None), "__self__"))
    with create_app_session(output=output):
        tokens = session.message()
    assert tokens[-1] == ("class:answer", "Nominato, con un ufficio per la transizione\n"
                                          "  digitale operativo che riferisce periodicamente alla\n"
                                          "  Giunta")


@pytest.mark.timeout(20)
def test_typed_commands_in_lists_run_and_never_pick_an_entry():
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=80))
    select = _prompt("select", (Option("a", "A"), Option("b", "B")))
    checkbox = _prompt("checkbox", (Option("a", "A"), Option("b", "B")), commands=(Nav.BACK, Nav.SKIP, Nav.HINT))
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text(":x\r" ":i\r")  # unknown: nothing picked; then back
        assert prompter.ask(select) is Nav.BACK
        inp.send_text(":s" + BACKSPACE * 2 + ENTER)  # typed, erased: Enter picks the pointed entry
        assert prompter.ask(select) == "a"
        inp.send_text(SPACE + ":i\r")  # "i" no longer inverts a checklist: the command runs
        assert prompter.ask(checkbox) is Nav.BACK
        inp.send_text("?\r")
        assert prompter.ask(checkbox) is Nav.HINT


@pytest.mark.timeout(20)
def test_a_long_error_message_is_wrapped_not_cut(monkeypatch):
    from prompt_toolkit.layout.controls import FormattedTextControl

    message = "vincolo non rispettato: " + "un valore tra zero e diecimila megabit al secondo " * 3
    prompter = QuestionaryPrompter(load_territory(), Console(file=io.StringIO(), width=60))
    prompt = _prompt("integer", (), check=lambda raw: message)
    question, output = _asked(monkeypatch, prompter, prompt, 60, answer="5")
    toolbar = next(w for w in question.application.layout.find_all_windows()
                   if isinstance(w.content, FormattedTextControl) and "ValidationToolbar" in getattr(w.content.text, "__qualname__", ""))
    assert toolbar.height.max > 1
    validator = question.application.layout.current_buffer.validator
    from prompt_toolkit.document import Document as Doc
    from prompt_toolkit.validation import ValidationError

    with create_app_session(output=output), pytest.raises(ValidationError) as caught:
        validator.validate(Doc("5"))
    lines = caught.value.message.split("\n")
    assert len(lines) == 4 and max(map(len, lines)) <= 59
    assert " ".join(lines) == message.strip()


def test_comune_completer_offers_outside_the_territory():
    completer = ComuneCompleter(load_territory())
    found = list(completer.get_completions(Document("fuor"), None))
    assert [(c.text, c.display_meta_text) for c in found] == [("Fuori territorio", "sede fuori dal territorio")]
    assert list(completer.get_completions(Document("fu"), None)) == []
