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


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)
