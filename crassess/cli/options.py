"""Options and helpers shared by the commands: ``--lang``, ``--territory``, the rich consoles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crassess.i18n import default_language, get_language, set_language

LANG_CHOICE = click.Choice(["it", "en"])


def _set_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value:
        return set_language(value)
    if ctx.parent is None:  # top level without --lang: back to the environment's default
        return set_language(default_language())
    return get_language()


def lang_option(fn: Any) -> Any:
    """``--lang it|en`` on any command (also accepted before the command)."""
    return click.option(
        "--lang",
        type=LANG_CHOICE,
        callback=_set_lang,
        is_eager=True,
        expose_value=False,
        help="Lingua dei messaggi e dei testi / language of messages and texts (it, en).",
    )(fn)


def territory_option(fn: Any) -> Any:
    """``--territory FILE.csv``: another territory's comuni (columns istat,nome)."""
    return click.option(
        "--territory",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Comuni di un altro territorio (CSV istat,nome); default: Provincia di Cremona / another territory's comuni.",
    )(fn)


_SAFE_CONSOLE: list[Any] = []


def _safe_console_class() -> Any:
    """A rich Console that never reads markup and shows control characters as escapes in everything it
    renders (table titles and cells, captions, ``Text``, printed strings): respondent text is printed as text."""
    if not _SAFE_CONSOLE:
        from rich.console import Console
        from rich.segment import Segment

        from crassess.safe_text import terminal_text

        class SafeConsole(Console):
            def render_str(self, text: str, **kwargs: Any) -> Any:
                return super().render_str(terminal_text(text), **kwargs)

            def render(self, renderable: Any, options: Any = None) -> Any:
                """Also the text of renderables built elsewhere (``Text`` objects): never a raw control character."""
                for segment in super().render(renderable, options):
                    if segment.control or segment.text == "\n" or terminal_text(segment.text) == segment.text:
                        yield segment
                    else:
                        yield Segment(terminal_text(segment.text), segment.style)

        _SAFE_CONSOLE.append(SafeConsole)
    return _SAFE_CONSOLE[0]


def console(stderr: bool = False) -> Any:
    """The rich console of every command (see :func:`_safe_console_class`)."""
    return _safe_console_class()(stderr=stderr, highlight=False, soft_wrap=False, markup=False)


def echo(text: object = "", err: bool = False) -> None:
    """``click.echo`` of a line that may carry respondent data (a name, a value, a file name): control
    characters are shown as escapes (:func:`crassess.safe_text.terminal_text`)."""
    from crassess.safe_text import terminal_text

    click.echo(terminal_text(text), err=err)


SEP_CHOICE = click.Choice([";", ",", "tab"])


def sep_option(fn: Any) -> Any:
    """``--sep ;|,|tab``: the separator of the CSV files a command writes (default by language)."""
    return click.option(
        "--sep",
        type=SEP_CHOICE,
        help="Separatore dei CSV scritti (default ';' in italiano, ',' in inglese) / separator of the CSV files written.",
    )(fn)
