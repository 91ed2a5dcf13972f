"""The ``crassess`` command line: parse, call one core function, render.

Heavy libraries (pydantic, rich, openpyxl...) are imported inside the commands so
that ``crassess --help`` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from crassess import __version__
from crassess.errors import CrassessError
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


class CrassessGroup(click.Group):
    """Turns domain errors into clean exits: messages on stderr, no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrassessError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
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
            click.echo(f"Errore interno / internal error: {type(exc).__name__}: {exc}", err=True)
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


# ==================================================================== questionnaires


@cli.group()
def questionnaires() -> None:
    """Questionari: elenco, struttura, validazione, schema / questionnaires.

    Example:

    \b
        crassess questionnaires validate
    """


@questionnaires.command("list")
@lang_option
def questionnaires_list() -> None:
    """Elenca i questionari disponibili (forniti e dell'utente).

    Looks in $CRASSESS_PATH, ./questionnaires and the shipped ones.

    Example:

    \b
        crassess questionnaires list
    """
    from rich import box
    from rich.table import Table

    from crassess.catalog import list_questionnaires

    lang = get_language()
    heads = {"it": ("ID", "Versione", "Settore", "Dimensioni", "Domande (punt.)", "Origine"),
             "en": ("ID", "Version", "Sector", "Dimensions", "Questions (scored)", "Origin")}[lang]
    table = Table(box=box.SIMPLE_HEAD)
    for i, head in enumerate(heads):
        table.add_column(head, no_wrap=i < 3, overflow="fold")
    rows = list_questionnaires()
    for row in rows:
        file = ("fornito" if lang == "it" else "shipped") if row.shipped else os.path.relpath(row.file.parent)
        if row.error:
            table.add_row(row.file.stem, "–", "–", "–", "[red]" + ("non valido" if lang == "it" else "invalid") + "[/red]", file)
        else:
            q = row.questionnaire
            assert q is not None
            table.add_row(q.id, q.version, q.sector, str(len(q.dimensions)), f"{len(q.questions)} ({len(q.scored_questions)})", file)
    console().print(table)


@questionnaires.command("show")
@click.argument("questionnaire")
@lang_option
def questionnaires_show(questionnaire: str) -> None:
    """Mostra la struttura di un questionario (id o percorso).

    Example:

    \b
        crassess questionnaires show impresa --lang en
    """
    from crassess.catalog import describe
    from crassess.loading import load_questionnaire

    console().print(describe(load_questionnaire(questionnaire), get_language()))


@questionnaires.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@lang_option
def questionnaires_validate(paths: tuple[Path, ...]) -> None:
    """Valida i questionari indicati (default: tutti quelli forniti).

    Every problem of every file is listed with file, line and question id.
    Exit code 1 if any file is invalid.

    Example:

    \b
        crassess questionnaires validate questionnaires/impresa.yaml
    """
    from crassess.catalog import validate_files

    results = validate_files(list(paths) or None)
    ok_word = "valido" if get_language() == "it" else "valid"
    failed = False
    for file, questionnaire, problems in results:
        if problems:
            failed = True
            for p in problems:
                click.echo(str(p), err=True)
        else:
            assert questionnaire is not None
            click.echo(f"{file}: {ok_word} ({questionnaire.id} {questionnaire.version}, "
                       f"{len(questionnaire.scored_questions)}/{len(questionnaire.questions)})")
    if not results:
        from crassess.i18n import t

        click.echo(t("q.none_shipped"), err=True)
        sys.exit(1)
    sys.exit(1 if failed else 0)


@questionnaires.command("schema")
def questionnaires_schema() -> None:
    """Stampa lo JSON Schema del formato dei questionari (per l'editor).

    Example:

    \b
        crassess questionnaires schema > questionnaire.schema.json
    """
    from crassess.models import Questionnaire

    schema = Questionnaire.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "crassess questionnaire"
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


# ==================================================================== score


@cli.command()
@click.argument("responses", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-q", "--questionnaire", help="Questionario (id o percorso); default: quello indicato da ogni risposta.")
@click.option("--json", "as_json", is_flag=True, help="Output JSON: un array con un oggetto per risposta.")
@territory_option
@lang_option
def score(responses: tuple[Path, ...], questionnaire: str | None, as_json: bool, territory: Path | None) -> None:
    """Calcola i punteggi di uno o più file di risposta.

    Invalid files are reported (file, question id, what was expected) and the
    others are still scored; the exit code is 1 if any file was invalid.

    Example:

    \b
        crassess score examples/responses/*.json -q examples/esempio.yaml
        crassess score risposta.json --json
    """
    from crassess.assess import score_files
    from crassess.scorecard import score_table
    from crassess.scoring import result_to_dict

    from crassess.territory import territory_for

    run = score_files(list(responses), questionnaire, territory_for(territory))
    lang = get_language()
    if as_json:
        out = []
        for item in run.scored:
            data = {"file": item.file, "respondent": item.response.respondent.name}
            data.update(result_to_dict(item.result))
            out.append(data)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        con = console()
        for item in run.scored:
            name = item.response.respondent.name or item.response.id or ""
            con.print(score_table(item.questionnaire, item.result, f"{item.file} – {name}", lang))
    err = console(stderr=True)
    for item in run.scored:
        for warning in item.warnings:
            err.print(f"[yellow]{warning}[/yellow]")
    for problem in run.problems:
        click.echo(str(problem), err=True)
    sys.exit(1 if run.problems else 0)


# ==================================================================== interview (issue: interview)


# ==================================================================== spreadsheets (issue: round trip)


@cli.command()
@click.argument("questionnaire")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="File .xlsx (modello vuoto) o cartella (con --respondents).")
@click.option("--respondents", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV con colonne name, comune, size (e subsector, contact, date): un modello per riga.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="xlsx (consigliato) o csv nello stesso formato a colonne.")
@lang_option
def template(questionnaire: str, out: Path, respondents: Path | None, fmt: str) -> None:
    """Scrive il modello Excel da compilare (o uno per rispondente).

    QUESTIONNAIRE is a questionnaire id or path. Each workbook has an
    instructions sheet, a profile sheet and a questions sheet (columns ID and
    Risposta/Answer), drop-down lists, protected cells and hidden metadata.

    Example:

    \b
        crassess template impresa -o modello-imprese.xlsx
        crassess template impresa -o invii/ --respondents imprese.csv --lang en
        crassess template impresa -o modello.csv --format csv
    """
    from crassess.templates import write_templates

    written = write_templates(questionnaire, out, get_language(), respondents, fmt)
    for item in written:
        click.echo(str(item.path))
    if respondents is not None:
        click.echo(("{n} modelli scritti in {out}" if get_language() == "it" else "{n} workbooks written to {out}")
                   .format(n=len(written), out=out), err=True)


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--campaign", required=True, type=click.Path(path_type=Path),
              help="Cartella della campagna (risposte in responses/, rapporti errori in errors/).")
@click.option("-q", "--questionnaire", "questionnaires", multiple=True,
              help="Questionario accettato (id o percorso; ripetibile). Default: quello indicato da ogni file.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Processi di lettura quando i file sono molti.")
@lang_option
def import_(paths: tuple[Path, ...], campaign: Path, questionnaires: tuple[str, ...], workers: int) -> None:
    """Importa i fogli compilati (.xlsx, .xlsm, .ods, .csv) nella campagna.

    PATHS are files or folders. Every file is validated fully; a file with any
    problem is not imported and gets an errors report in CAMPAIGN/errors/.
    Exit code 0 when every file was imported or unchanged, 1 otherwise.

    Example:

    \b
        crassess import ritorni/ --campaign campagne/2026-T0
        crassess import risposta.xlsx --campaign camp -q examples/esempio.yaml
    """
    from crassess.import_campaign import import_files
    from crassess.import_view import outcome_lines, progress, summary_table

    err = console(stderr=True)
    with progress(err) as bar:
        task = bar.add_task("", total=None)

        def on_file(outcome: Any) -> None:
            bar.advance(task)
            for line in outcome_lines(outcome):
                if bar.disable:
                    click.echo(line, err=True)
                else:
                    bar.console.print(line, markup=False, highlight=False, soft_wrap=True)

        summary = import_files(list(paths), campaign, questionnaires, workers,
                               on_start=lambda n: bar.update(task, total=n), on_file=on_file)
    console().print(summary_table(summary))
    sys.exit(0 if summary.ok else 1)


# ==================================================================== reports and demo (issue: reports)


def _report_date(value: str | None) -> str | None:
    """``--date``: an ISO date, or ``today`` (the only way clock time enters a report)."""
    import datetime

    if value is None:
        return None
    if value == "today":
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter("atteso AAAA-MM-GG o 'today' / expected YYYY-MM-DD or 'today'") from None


def _echo_report_run(run: Any) -> None:
    lang = get_language()
    words = {"it": ("Scritti {n} file in {out}", "escluso"), "en": ("Wrote {n} files to {out}", "excluded")}[lang]
    click.echo(words[0].format(n=len(run.files), out=run.out))
    for path in run.files:
        if path.suffix in (".md", ".xlsx") and path.parent == run.out:
            click.echo(f"  {path}")
    for problem in run.problems:
        click.echo(f"{problem} ({words[1]})", err=True)


@cli.command()
@click.option("--campaign", "campaign_dir", required=True, type=click.Path(path_type=Path),
              help="Cartella della campagna (responses/*.json, campaign.yaml).")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Cartella di uscita; default reports/<campagna>/.")
@click.option("--format", "formats", default="md,xlsx", show_default=True, help="Formati, separati da virgola: md, xlsx.")
@click.option("--min-n", type=click.IntRange(min=3), default=None,
              help="Cifre su meno di N rispondenti omesse (n<N); default: min_n di campaign.yaml, o 5.")
@click.option("--charts", type=click.Choice(["png", "svg", "none"]), default="svg", show_default=True,
              help="Grafici dei rapporti Markdown (png per incollarli in un documento).")
@click.option("--date", "date", help="Data del rapporto (AAAA-MM-GG o 'today'); senza, nessuna data.")
@click.option("--indicators", type=click.Path(path_type=Path),
              help="CSV di dati aperti per comune (codice ISTAT, colonne numeriche, es. copertura FTTH %).")
@lang_option
def report(campaign_dir: Path, out: Path | None, formats: str, min_n: int | None, charts: str, date: str | None,
           indicators: Path | None) -> None:
    """Rapporti di una campagna: per rispondente, per settore e del territorio.

    Writes territorio.md, settore-comuni.md, settore-associazioni.md,
    settore-imprese.md, rispondenti/<nome>.md, charts and dati.xlsx (English
    names with --lang en). Sector and territory reports never show names or
    contacts, and figures on fewer than --min-n respondents are shown as n<5.
    Drafts are counted but not scored; invalid response files are listed and
    left out (exit code 1).

    Example:

    \b
        crassess report --campaign campagne/2026 -o reports/2026
        crassess report --campaign campagne/2026 --format md --lang en
        crassess report --campaign campagne/2026 --indicators banda_larga.csv
    """
    from crassess.reports import ReportOptions, parse_formats, run_report

    options = ReportOptions(lang=get_language(), formats=parse_formats(formats), min_n=min_n,
                            date=_report_date(date), charts=charts, indicators=indicators)
    run = run_report(campaign_dir, out, options)
    _echo_report_run(run)
    sys.exit(1 if run.problems else 0)


@cli.command()
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("reports/demo"), show_default=True,
              help="Cartella di uscita (contiene anche la campagna sintetica).")
@click.option("--charts", type=click.Choice(["png", "svg", "none"]), default="svg", show_default=True,
              help="Grafici dei rapporti Markdown (SVG: piccoli e leggibili nel repository).")
@lang_option
def demo(out: Path, charts: str) -> None:
    """Dimostrazione: campagna sintetica (seme fisso) e tutti i rapporti.

    About 60 synthetic respondents (comuni, associations, businesses) in real
    comuni of the province are written as response files under OUT/campagna,
    loaded back through the normal campaign path, scored, and reported in OUT.
    Every report says the data is synthetic. Same output on every run.

    Example:

    \b
        crassess demo
        crassess demo -o /tmp/demo --lang en
    """
    from crassess.demo import run_demo
    from crassess.reports import ReportOptions

    run = run_demo(out, ReportOptions(lang=get_language(), charts=charts))
    _echo_report_run(run)
    sys.exit(1 if run.problems else 0)



# ==================================================================== territory, campaign, waves, exports (issue: territory)


def _interactive() -> bool:
    return sys.stdin.isatty()


@cli.command()
@click.argument("questionnaire")
@click.option("--campaign", type=click.Path(path_type=Path), help="Cartella della campagna: le risposte vanno in DIR/responses/.")
@click.option("--resume", type=click.Path(path_type=Path, dir_okay=False), help="Riprendere una bozza (file JSON di risposta).")
@click.option("--answers", "answers_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Senza domande: risposte da un file JSON o YAML (respondent, answers).")
@lang_option
def interview(questionnaire: str, campaign: Path | None, resume: Path | None, answers_file: Path | None) -> None:
    """Intervista guidata: profilo, domande, salvataggio continuo, punteggio finale.

    The facilitator types the answers; the draft is saved in the campaign after
    every answer (Ctrl-C loses nothing; resume with --resume or by choosing the
    draft). In lists, the last entries go back, skip, jump to a section, add a
    note or show the hint; in typed answers use :i (back), :s (skip), :v (go to
    a section), :n (note), ? (hint). Without a terminal use --answers FILE.
    Exit codes: 0 saved, 1 invalid input, 2 usage error, 130 interrupted (draft kept).

    Example:

    \b
        crassess interview impresa --campaign campagne/2026-T0
        crassess interview impresa --resume campagne/2026-T0/responses/rossi-srl-1f0c2c5e.json
        crassess interview impresa --campaign campagne/2026-T0 --answers cartaceo-12.yaml
    """
    from crassess.interview import InterviewRequest, conduct
    from crassess.territory import campaign_territory
    from crassess.scorecard import score_card

    def make_prompter(territory: Any) -> Any:
        from crassess.prompts import QuestionaryPrompter

        return QuestionaryPrompter(territory, console())

    lang = get_language()
    request = InterviewRequest(questionnaire, campaign, resume, answers_file, interactive=_interactive(), lang=lang)
    done = conduct(request, make_prompter, campaign_territory(campaign or (resume.parent.parent if resume else None)))
    out = console()
    out.print()
    out.print(score_card(done.questionnaire, done.outcome.result, done.title(lang), lang))
    err = console(stderr=True)
    for warning in done.outcome.warnings:
        err.print(f"[yellow]{warning}[/yellow]")
    click.echo(done.saved_message(questionnaire))  # not rich: a long path must stay on one line to copy it


@cli.group()
def campaign() -> None:
    """Campagne di rilevazione: cartella con campaign.yaml e responses/ / campaigns.

    Example:

    \b
        crassess campaign init campagne/2026-T0 --name "Cremona digitale" --wave 2026-T0
    """


@campaign.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", required=True, help="Nome della campagna / campaign name.")
@click.option("--wave", help="Etichetta della rilevazione, es. 2026-T0 / wave label.")
@lang_option
def campaign_init(directory: Path, name: str, wave: str | None) -> None:
    """Crea una cartella di campagna (campaign.yaml e responses/); non sovrascrive nulla.

    Example:

    \b
        crassess campaign init campagne/2026-T0 --name "Cremona digitale" --wave 2026-T0
    """
    from crassess.campaign_config import init_campaign

    click.echo(str(init_campaign(directory, name, wave)))


@cli.command()
@click.option("--campaign", "directory", required=True, type=click.Path(path_type=Path), help="Cartella della campagna / campaign folder.")
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@territory_option
@lang_option
def status(directory: Path, as_json: bool, territory: Path | None) -> None:
    """Stato di una campagna: risposte per settore e stato, per comune, comuni senza risposte.

    Also completeness and the last import. Exit code 1 if a response file is
    invalid (each problem is listed on stderr).

    Example:

    \b
        crassess status --campaign campagne/2026-T0
        crassess status --campaign campagne/2026-T0 --json
    """
    from crassess.campaign_data import load_campaign_data
    from crassess.status import campaign_status, status_to_dict

    result = campaign_status(load_campaign_data(directory, territory))
    if as_json:
        click.echo(json.dumps(status_to_dict(result), ensure_ascii=False, indent=2))
    else:
        from crassess.status_view import render_status

        console().print(render_status(result, get_language()))
    for problem in result.invalid:
        click.echo(str(problem), err=True)
    sys.exit(1 if result.invalid else 0)


@cli.command()
@click.argument("campaign_a", type=click.Path(path_type=Path))
@click.argument("campaign_b", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Cartella di uscita / output folder (default: confronto-A-B).")
@click.option("--min-n", type=click.IntRange(min=3), help="Minimo di rispondenti per mostrare una media (default: min_n delle campagne, 5).")
@territory_option
@lang_option
def compare(campaign_a: Path, campaign_b: Path, output: Path | None, min_n: int | None, territory: Path | None) -> None:
    """Confronta due rilevazioni (T0, T1): variazioni per settore e per dimensione.

    Respondents are matched by response id, then respondent id, then sector +
    comune + name. The aggregate report (Markdown and Excel) suppresses means
    over fewer than --min-n respondents; each respondent's own changes go to a
    separate file in the respondents' folder. Responses of questionnaire
    versions that score differently are refused, saying why.

    Example:

    \b
        crassess compare campagne/2026-T0 campagne/2027-T1 -o confronto
    """
    from crassess.campaign_data import load_campaign_data
    from crassess.outputs import write_outputs
    from crassess.wave_report import comparison_files
    from crassess.waves import compare_waves

    lang = get_language()
    result = compare_waves(load_campaign_data(campaign_a, territory), load_campaign_data(campaign_b, territory), min_n, lang)
    if output is None:
        from crassess.safe_text import safe_filename

        output = Path(f"{'confronto' if lang == 'it' else 'comparison'}-{safe_filename(result.label_a)}-{safe_filename(result.label_b)}")
    write_outputs(output, ((item.path, item.data) for item in comparison_files(result, lang)))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    click.echo(str(output))


@cli.command()
@click.option("--campaign", "directory", required=True, type=click.Path(path_type=Path), help="Cartella della campagna / campaign folder.")
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "jsonl", "xlsx"]), help="Formato / format.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File di uscita (default: stdout per csv e jsonl).")
@click.option("--wide", is_flag=True, help="Una riga per rispondente invece di una per domanda / one row per respondent.")
@click.option("--anonymize", is_flag=True, help="Senza nomi, contatti e id: uno pseudonimo stabile / pseudonyms instead of names.")
@click.option("--no-bom", is_flag=True, help="CSV senza BOM UTF-8 / CSV without the UTF-8 BOM.")
@territory_option
@lang_option
def export(directory: Path, fmt: str, output: Path | None, wide: bool, anonymize: bool, no_bom: bool, territory: Path | None) -> None:
    """Esporta i dati di una campagna in CSV, JSON Lines o Excel.

    Long format by default: one row per respondent x question (ids, labels,
    raw answer, answer label, item score, dimension). --wide: one row per
    respondent (dimension scores and answers). Text that a spreadsheet could
    run as a formula is neutralised. Every response file must be valid.

    Example:

    \b
        crassess export --campaign campagne/2026-T0 --format csv -o dati.csv
        crassess export --campaign campagne/2026-T0 --format xlsx --wide --anonymize -o dati.xlsx
    """
    from crassess.campaign_data import load_campaign_data
    from crassess.errors import Problem, UsageError
    from crassess.export import export_campaign
    from crassess.i18n import t
    from crassess.outputs import write_output

    if output is None and fmt == "xlsx":
        raise UsageError(problems=[Problem("--format xlsx", "", t("export.xlsx_needs_output"))])
    data = export_campaign(load_campaign_data(directory, territory), fmt, wide, anonymize, not no_bom, get_language())
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_output(output, data)


@cli.group()
def indicators() -> None:
    """Indicatori territoriali per comune (CSV: codice ISTAT, colonne numeriche) / indicators.

    Example:

    \b
        crassess indicators check banda_larga.csv
    """


@indicators.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@territory_option
@lang_option
def indicators_check(path: Path, territory: Path | None) -> None:
    """Controlla un file di indicatori: ogni errore con la sua riga; i comuni senza riga.

    Accepts ',', ';' or tab as separator and the decimal comma. Exit code 1
    if the file has problems (all listed).

    Example:

    \b
        crassess indicators check banda_larga.csv
    """
    from crassess.i18n import t
    from crassess.indicators import check_indicators
    from crassess.territory import territory_for

    result = check_indicators(path, territory_for(territory))
    click.echo(t("ind.valid", file=path, rows=len(result.table.rows), columns=", ".join(result.table.columns)))
    if result.missing:
        click.echo(t("ind.missing", n=len(result.missing), names=", ".join(c.nome for c in result.missing)))
