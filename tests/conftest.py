"""Shared fixtures: the example questionnaire, inline files, Italian messages by default."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from crassess.i18n import set_language
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "esempio.yaml"


@pytest.fixture(autouse=True)
def _italian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRASSESS_LANG", raising=False)
    set_language("it")


@pytest.fixture(scope="session")
def esempio() -> Questionnaire:
    return load_questionnaire(EXAMPLE)


def write_files(root: Path, files: dict[str, str]) -> dict[str, Path]:
    """Write ``{relative path: dedented text}`` under ``root``; returns the paths."""
    out = {}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        out[name] = path
    return out
