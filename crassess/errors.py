"""The one exception root of crassess, and the located problems it carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as possible.

    ``place`` is e.g. ``"riga 12"``/``"line 12"``, ``"Domande!C7"`` or a question id;
    ``message`` is already in the user's language.
    """

    file: str
    place: str
    message: str

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.place) if p]
        return ": ".join([*parts, self.message])


class CrassessError(Exception):
    """Root of every error crassess reports to a user (never a traceback)."""

    exit_code = 1

    def __init__(self, message: str = "", problems: list[Problem] | tuple[Problem, ...] = ()):
        self.problems = tuple(problems)
        super().__init__(message or "\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        head = [self.args[0]] if self.args and self.args[0] and not self.problems else []
        if self.problems and self.args and self.args[0] and self.args[0] != "\n".join(
            str(p) for p in self.problems
        ):
            head = [self.args[0]]
        return head + [str(p) for p in self.problems]


class InvalidInput(CrassessError):
    """A questionnaire, response, workbook or data file is invalid (exit 1)."""


class UsageError(CrassessError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class NotFound(InvalidInput):
    """A named questionnaire, campaign or file does not exist (exit 1)."""
