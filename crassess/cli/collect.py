"""Collecting and scoring answers: ``interview``, ``template``, ``import``, ``score``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from crassess.cli.options import (
    console,
    echo,
    lang_option,
    sep_option,
    territory_option,
)
from crassess.i18n import get_language


@click.command()
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
    from crassess.interview.card import score_table
    from crassess.scoring.engine import result_to_dict
    from crassess.scoring.files import score_files
    from crassess.territory.validate import territory_for

    run = score_files(list(responses), questionnaire, territory_for(territory))
    lang = get_language()
    if as_json:
        out = []
        for item in run.scored:
            data = {"file": item.file, "respondent": item.response.respondent.name}
            data.update(result_to_dict(item.result))
            out.append(data)
        from crassess.safe_text import terminal_json

        click.echo(terminal_json(json.dumps(out, ensure_ascii=False, indent=2)))
    else:
        con = console()
        for item in run.scored:
            name = item.response.respondent.name or item.response.id or ""
            con.print(score_table(item.questionnaire, item.result, f"{item.file} – {name}", lang))
    err = console(stderr=True)
    for item in run.scored:
        for warning in item.warnings:
            err.print(str(warning), style="yellow")
    for problem in run.problems:
        echo(problem, err=True)
    sys.exit(1 if run.problems else 0)


@click.command()
@click.argument("questionnaire")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="File .xlsx (modello vuoto) o cartella (con --respondents).")
@click.option("--respondents", type=click.Path(path_type=Path, dir_okay=False),
              help="CSV con colonne name, comune, size (e subsector, contact, date): un modello per riga.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="xlsx (consigliato) o csv nello stesso formato a colonne.")
@sep_option
@lang_option
def template(questionnaire: str, out: Path, respondents: Path | None, fmt: str, sep: str | None) -> None:
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
    from crassess.spreadsheets.write import write_templates

    written = write_templates(questionnaire, out, get_language(), respondents, fmt, sep)
    for item in written:
        echo(item.path)
    if respondents is not None:
        echo(("{n} modelli scritti in {out}" if get_language() == "it" else "{n} workbooks written to {out}")
             .format(n=len(written), out=out), err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--campaign", required=True, type=click.Path(path_type=Path),
              help="Cartella della campagna (risposte in responses/, rapporti errori in errors/).")
@click.option("-q", "--questionnaire", "questionnaires", multiple=True,
              help="Questionario accettato (id o percorso; ripetibile). Default: quello indicato da ogni file.")
@click.option("--source", type=click.Choice(["kobo", "odk"]),
              help="I file sono esportazioni di KoboToolbox (kobo) o ODK Central (odk); default: riconosciute dalle intestazioni.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
              help="Processi di lettura quando i file sono molti.")
@sep_option
@lang_option
def import_(paths: tuple[Path, ...], campaign: Path, questionnaires: tuple[str, ...], source: str | None, workers: int,
            sep: str | None) -> None:
    """Importa nella campagna i fogli compilati e gli invii dei moduli online.

    PATHS are files or folders: returned workbooks (.xlsx, .xlsm, .ods) and
    crassess CSV files, and the submission exports of KoboToolbox (CSV or XLSX,
    "XML values and headers") and ODK Central (CSV or .csv.zip), told apart by
    their headers. Every file, and every submission, is validated fully; one
    with any problem is not imported and goes to an errors report in
    CAMPAIGN/errors/. Exit code 0 when everything was imported (or unchanged,
    replaced by an edit, skipped as rejected on the platform), 1 otherwise.

    Example:

    \b
        crassess import ritorni/ --campaign campagne/2026-T0
        crassess import risposta-esempio.xlsx --campaign camp -q examples/esempio.yaml
        crassess import kobo-impresa.csv impresa.csv.zip --campaign campagne/2026-T0
    """
    from crassess.forms.intake import import_paths
    from crassess.forms.progress import submissions_table
    from crassess.spreadsheets.progress import (
        RowLister,
        outcome_lines,
        progress,
        summary_table,
    )

    err = console(stderr=True)
    with progress(err) as bar:
        task = bar.add_task("", total=None)

        def say(line: str) -> None:
            if bar.disable:
                echo(line, err=True)
            else:
                bar.console.print(line, highlight=False, soft_wrap=True)

        def show(outcome: Any) -> None:
            for line in outcome_lines(outcome):
                say(line)

        def on_file(outcome: Any) -> None:
            bar.advance(task)
            show(outcome)

        rows = RowLister(say)
        result = import_paths(list(paths), campaign, questionnaires, workers, source,  # type: ignore[arg-type]
                              on_start=lambda n: bar.update(task, total=n), on_file=on_file, on_row=rows,
                              on_skip=lambda item: say(str(item)), sep=sep)
        more = rows.closing(campaign / "errors")
        if more:
            say(more)
    out = console()
    if sum(result.files.counts.values()) or not result.exports:
        out.print(summary_table(result.files))
    if result.exports:
        out.print(submissions_table(result.submissions, result.exports))
    sys.exit(0 if result.ok else 1)


def _interactive() -> bool:
    return sys.stdin.isatty()


@click.command()
@click.argument("questionnaire")
@click.option("--campaign", type=click.Path(path_type=Path), help="Cartella della campagna: le risposte vanno in DIR/responses/.")
@click.option("--resume", type=click.Path(path_type=Path, dir_okay=False), help="Riprendere una bozza (file JSON di risposta).")
@click.option("--answers", "answers_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Senza domande: risposte da un file JSON o YAML (respondent, answers).")
@click.option("--respondent", "code", help="Codice di un rispondente del registro della campagna: il profilo già compilato.")
@lang_option
def interview(questionnaire: str, campaign: Path | None, resume: Path | None, answers_file: Path | None, code: str | None) -> None:
    """Intervista guidata: profilo, domande, salvataggio continuo, punteggio finale.

    The facilitator types the answers; the draft is saved in the campaign after
    every answer (Ctrl-C, SIGTERM or a closed terminal lose nothing; resume with
    --resume or by choosing the draft, at the first step never shown). A draft is
    open in one session at a time: a second one may look at it read-only or take it
    over. In lists, the last entries go back, skip, jump to a section, add a note or
    show the hint; anywhere type :i (back), :s (skip), :v (go to a section), :n
    (note), ? (hint) and Enter. Without a terminal use --answers FILE (a file
    already recorded is not saved twice). --respondent CODE picks a respondent
    from the campaign's register (campaign.yaml respondents:): the profile is
    filled in, the code kept. Exit codes: 0 saved, 1 invalid input or
    draft taken over, 2 usage error, 130 interrupted, 143 SIGTERM, 129 SIGHUP (draft
    kept).

    Example:

    \b
        crassess interview impresa --campaign campagne/2026-T0
        crassess interview impresa --resume campagne/2026-T0/responses/rossi-srl-1f0c2c5e.json
        crassess interview impresa --campaign campagne/2026-T0 --answers cartaceo-12.yaml
        crassess interview impresa --campaign campagne/2026-T0 --respondent CR-123456
    """
    from crassess.campaign.config import campaign_territory
    from crassess.interview.card import answers_view, score_card
    from crassess.interview.command import InterviewRequest, conduct
    from crassess.interview.dialog import Interrupted

    def make_prompter(territory: Any) -> Any:
        from crassess.interview.prompts import QuestionaryPrompter

        return QuestionaryPrompter(territory, console())

    lang = get_language()
    registered = None
    if code is not None and (answers_file is not None or _interactive()):  # without a terminal, that error first
        from crassess.spreadsheets.write import campaign_respondent

        registered = campaign_respondent(campaign, code)
    request = InterviewRequest(questionnaire, campaign, resume, answers_file, interactive=_interactive(), lang=lang,
                               respondent=registered)
    try:
        done = conduct(request, make_prompter, campaign_territory(campaign or (resume.parent.parent if resume else None)))
    except Interrupted:
        _show_cursor()
        raise
    out = console()
    if done.outcome.read_only:
        out.print()
        out.print(answers_view(done.questionnaire, done.outcome.response, lang))
    if done.outcome.duplicate_of is None:
        out.print(score_card(done.questionnaire, done.outcome.result, done.title(lang), lang,
                             size=done.outcome.response.respondent.size))
    err = console(stderr=True)
    for warning in done.outcome.warnings:
        err.print(str(warning), style="yellow")
    echo(done.saved_message())  # not rich: a long path must stay on one line to copy it


def _show_cursor() -> None:
    """After a prompt ended by a signal the cursor may still be hidden: show it (terminals only)."""
    try:
        if sys.stdout.isatty():
            sys.stdout.write("\x1b[?25h")
            sys.stdout.flush()
    except (OSError, ValueError):  # the terminal is gone (SIGHUP)
        pass
