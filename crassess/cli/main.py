"""The ``crassess`` command line: parse, call one core function, render.

Heavy libraries (pydantic, rich, openpyxl...) are imported inside the commands so
that ``crassess --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from crassess import __version__
from crassess.cli.options import echo, lang_option
from crassess.errors import CrassessError
from crassess.i18n import get_language


class CrassessGroup(click.Group):
    """Turns domain errors into clean exits: messages on stderr, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrassessError as exc:
            try:
                for line in exc.lines():
                    echo(line, err=True)
            except OSError:  # no terminal to print to any more (SIGHUP): the exit code still tells
                pass
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrotto / interrupted.", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:  # a bug: still no traceback for the user, unless asked
            if os.environ.get("CRASSESS_DEBUG"):
                raise
            echo(f"Errore interno / internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("(CRASSESS_DEBUG=1 per i dettagli / for details)", err=True)
            ctx.exit(70)


@click.group(cls=CrassessGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="crassess")
@lang_option
def cli() -> None:
    """crassess: maturità digitale del territorio / digital maturity of a territory.

    Questionari, interviste, fogli di calcolo, punteggi e rapporti per la
    Provincia di Cremona. Lingua: --lang it|en (o CRASSESS_LANG).

    Example:

    \b
        crassess questionnaires list
        crassess score risposta.json --json
    """


_USAGE_TEXTS = {
    "it": {"error": "Errore", "no_such_option": "opzione sconosciuta: {name}", "did_you_mean": "forse {options}?",
           "missing": "manca {hint}", "bad": "valore non valido per {hint}: {detail}", "help": "Aiuto: '{cmd} --help'."},
    "en": {"error": "Error", "no_such_option": "no such option: {name}", "did_you_mean": "did you mean {options}?",
           "missing": "missing {hint}", "bad": "invalid value for {hint}: {detail}", "help": "Try '{cmd} --help' for help."},
}


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())  # click >= 8.2


def _usage_message(exc: click.UsageError) -> str:
    texts = _USAGE_TEXTS[get_language()]
    if isinstance(exc, click.NoSuchOption):
        message = texts["no_such_option"].format(name=exc.option_name)
        if exc.possibilities:
            message += "; " + texts["did_you_mean"].format(options=", ".join(sorted(exc.possibilities)))
        return message
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        return texts["missing"].format(hint=exc.param.get_error_hint(exc.ctx) if exc.ctx else exc.param.name)
    if isinstance(exc, click.BadParameter) and exc.param is not None and exc.ctx is not None:
        return texts["bad"].format(hint=exc.param.get_error_hint(exc.ctx), detail=exc.message)
    return exc.format_message()


def main() -> None:
    """Console entry point: like click's standalone mode, with usage errors in the user's language."""
    try:
        code = cli.main(prog_name="crassess", standalone_mode=False)
    except click.UsageError as exc:
        if isinstance(exc, _NO_ARGS) and exc.ctx is not None:  # bare `crassess`: just the help
            click.echo(exc.ctx.get_help())
            sys.exit(2)
        texts = _USAGE_TEXTS[get_language()]
        if exc.ctx is not None:
            click.echo(exc.ctx.get_usage(), err=True)
            click.echo(texts["help"].format(cmd=exc.ctx.command_path), err=True)
        click.echo(f"{texts['error']}: {_usage_message(exc)}", err=True)
        sys.exit(2)
    except click.Abort:
        click.echo("\nInterrotto / interrupted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


def _register() -> None:
    from crassess.cli import campaign, collect, questionnaires, reports

    for command in (questionnaires.questionnaires, collect.score, collect.template, collect.import_, collect.interview,
                    reports.report, reports.audit, reports.demo, reports.map_, campaign.campaign, campaign.status, campaign.compare, campaign.export,
                    campaign.indicators):
        cli.add_command(command)


_register()
