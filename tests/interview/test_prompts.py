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
from crassess.interview.flow import resume_response, run_interview
from crassess.interview.prompts import ComuneCompleter, QuestionaryPrompter, command_of
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
        "Comune (nome o codice ISTAT)",
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
    assert screen.startswith(f"Si riprende l'intervista salvata in {path}.")
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
        inp.send_text(ENTER + SPACE + DOWN + SPACE + ENTER)
        assert prompter.ask(prompt) == []
        assert prompter.ask(prompt) == ["a", "b"]
    screen = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", rendered.getvalue())
    assert "? Risposta nessuna scelta" in screen
    assert "? Risposta 2 scelte" in screen
    assert "done" not in screen
