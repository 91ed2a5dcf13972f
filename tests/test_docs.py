"""Docs and code stay together: every command has help with an example and is in the README."""

from __future__ import annotations

import click
import pytest

from crassess.cli.main import cli
from tests.conftest import ROOT


def _commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        yield full, command
        if isinstance(command, click.Group):
            yield from _commands(command, full + " ")


COMMANDS = list(_commands(cli))


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_with_example(name, command):
    assert command.help, f"{name} has no help"
    assert "Example:" in command.help, f"{name} help has no example"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_in_readme(name, command):
    # a branch documents its commands in .notes/readme-<area>.md until the integrator merges them into README.md
    texts = [p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *sorted((ROOT / ".notes").glob("readme-*.md"))]]
    assert any(f"crassess {name}" in text for text in texts)


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("make demo") < text.index("make test") < 1500


def test_changelog_has_unreleased():
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
