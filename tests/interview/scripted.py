"""A scripted prompter and the Rossi interview, shared by the interview tests."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from crassess.interview.drafts import DraftStore
from crassess.interview.flow import run_interview
from crassess.territory.comuni import load_territory

TODAY = date(2026, 11, 25)
ENTER = object()  # "press Enter": the prompt's default


def clock() -> datetime:
    return datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)


class Script:
    """A prompter that plays ``(kind or key, answer)`` pairs and fails loudly on anything unexpected."""

    def __init__(self, steps: list[tuple[str, Any]]):
        self.steps = list(steps)
        self.asked: list[str] = []
        self.prompts: list[Any] = []
        self.shown: list[tuple[str, str]] = []
        self.menus: list[tuple[str, list[str], str | None]] = []
        self.labels: list[list[str]] = []

    def _next(self, what: str) -> Any:
        assert self.steps, f"script ended, but the flow asked for {what}"
        expected, answer = self.steps.pop(0)
        assert expected == what, f"script expected {expected}, the flow asked for {what}"
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def ask(self, prompt: Any) -> Any:
        self.asked.append(prompt.key)
        self.prompts.append(prompt)
        answer = self._next(prompt.key)
        return prompt.default if answer is ENTER else answer

    def choose(self, message: str, options: Any, default: str | None = None) -> str:
        self.menus.append((message, [o.value for o in options], default))
        self.labels.append([o.label for o in options])
        return self._next("choose")

    def text(self, message: str, default: str = "") -> str:
        return self._next("text")

    def show(self, kind: str, text: str) -> None:
        self.shown.append((kind, text))


PROFILE = [
    ("name", "Rossi Meccanica srl"), ("comune", "Cremona"), ("size", "12"), ("subsector", "C"),
    ("contact", ""), ("interviewer", "Anna Bianchi"), ("date", ENTER),
]
ROSSI = [
    ("fibra_disponibile", "si"), ("fibra_sede", "si"), ("velocita", "100"), ("wifi", "parziale"),
    ("strumenti", ["cloud", "erp"]), ("fatturazione", "si"), ("addetti_formati", "25"), ("ore_perse", "5"),
    ("formazione", "dk"), ("ostacoli", ["costi"]), ("note_finali", "Intervista di prova"),
]
ROSSI_ANSWERS = {
    "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
    "strumenti": ["cloud", "erp"], "fatturazione": "si", "addetti_formati": 25, "ore_perse": 5,
    "formazione": "dk", "ostacoli": ["costi"], "note_finali": "Intervista di prova",
}


class RecordingStore(DraftStore):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.saves: list[tuple[str | None, dict[str, Any]]] = []

    def save(self, response: Any) -> Path:
        self.saves.append((response.status, dict(response.answers)))
        return super().save(response)


def run(esempio: Any, tmp_path: Path, steps: list[tuple[str, Any]], **kwargs: Any) -> tuple[Any, Script, RecordingStore]:
    script = Script(steps)
    store = kwargs.pop("store", None) or RecordingStore(campaign=tmp_path / "camp")
    result = run_interview(esempio, script, store, load_territory(), lang="it", today=TODAY, clock=clock, **kwargs)
    assert script.steps == [], f"script not used up: {script.steps}"
    return result, script, store
