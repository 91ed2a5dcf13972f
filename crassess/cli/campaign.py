"""A campaign's folder and data: ``campaign init``, ``status``, ``compare``, ``export``, ``indicators``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from crassess.cli.options import (
    console,
    echo,
    lang_option,
    sep_option,
    territory_option,
)
from crassess.i18n import get_language


@click.group()
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
    from crassess.campaign.config import init_campaign

    echo(init_campaign(directory, name, wave))


@click.command()
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
    from crassess.campaign.data import load_campaign_data
    from crassess.campaign.status import campaign_status, status_to_dict

    data = load_campaign_data(directory, territory)
    result = campaign_status(data)
    if as_json:
        from crassess.safe_text import terminal_json

        click.echo(terminal_json(json.dumps(status_to_dict(result), ensure_ascii=False, indent=2)))
    else:
        from crassess.campaign.status_view import render_status

        console().print(render_status(result, get_language()))
    for problem in (*result.duplicates, *result.invalid, *data.ignored):
        echo(problem, err=True)
    sys.exit(1 if result.invalid else 0)


@click.command()
@click.argument("campaign_a", type=click.Path(path_type=Path))
@click.argument("campaign_b", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path, file_okay=False), help="Cartella di uscita / output folder (default: confronto-A-B).")
@click.option("--min-n", type=click.IntRange(min=3), help="Minimo di rispondenti per mostrare una media (default: min_n delle campagne, 5).")
@click.option("--matches", "matches_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Abbinamenti confermati (sì/no nella colonna conferma) / confirmed matches (CSV).")
@click.option("--no-respondent-files", is_flag=True, help="Senza i file di ciascun rispondente / without per-respondent files.")
@sep_option
@territory_option
@lang_option
def compare(campaign_a: Path, campaign_b: Path, output: Path | None, min_n: int | None, matches_file: Path | None,
            no_respondent_files: bool, sep: str | None, territory: Path | None) -> None:
    """Confronta due rilevazioni (T0, T1): variazioni tra gli stessi rispondenti e tra le medie.

    Respondents are matched by response id, then respondent code (respondent.id),
    then sector + comune + name; near misses (legal form, comune, similar name)
    are suggested in respondents/matches.csv (Italian: rispondenti/abbinamenti.csv):
    write yes (sì) or no in its first column and pass it back with --matches.
    The report shows the change among the same respondents (paired interval)
    and between the waves' means (Welch interval), under disclosure control.
    Re-running into the same folder replaces what the last run wrote there.

    Example:

    \b
        crassess compare campagne/2026-T0 campagne/2027-T1 -o confronto
        crassess compare campagne/2026-T0 campagne/2027-T1 -o confronto --matches abbinamenti.csv
    """
    from crassess.campaign.data import load_campaign_data
    from crassess.campaign.waves import compare_waves
    from crassess.csvfile import CsvStyle
    from crassess.outputs import write_outputs
    from crassess.reports.wave_figures import wave_figures
    from crassess.reports.wave_files import comparison_files, to_confirm

    lang = get_language()
    wave_a, wave_b = load_campaign_data(campaign_a, territory), load_campaign_data(campaign_b, territory)
    result = compare_waves(wave_a, wave_b, min_n, lang, matches_file)  # reads --matches before anything is written
    if output is None:
        from crassess.safe_text import safe_filename

        output = Path(f"{'confronto' if lang == 'it' else 'comparison'}-{safe_filename(result.label_a)}-{safe_filename(result.label_b)}")
    files = comparison_files(wave_figures(result), lang, not no_respondent_files, CsvStyle.for_language(lang, sep))
    write_outputs(output, ((item.path, item.data) for item in files), replace=True)
    note = to_confirm(result, output, lang)
    for warning in (*wave_a.duplicates, *wave_b.duplicates, *result.warnings, *([note] if note else [])):
        echo(warning, err=True)
    echo(output)


@click.command()
@click.option("--campaign", "directory", required=True, type=click.Path(path_type=Path), help="Cartella della campagna / campaign folder.")
@click.option("--format", "fmt", required=True, type=click.Choice(["csv", "jsonl", "xlsx"]), help="Formato / format.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File di uscita (default: stdout per csv e jsonl).")
@click.option("--wide", is_flag=True, help="Una riga per rispondente invece di una per domanda / one row per respondent.")
@click.option("--anonymize", is_flag=True, help="File da condividere: pseudonimi, comune e dimensione generalizzati, senza testi liberi / a file safe to share.")
@click.option("--keep-text", is_flag=True, help="Con --anonymize, tenere i testi liberi (senza e-mail e telefoni) / keep free text.")
@click.option("--no-bom", is_flag=True, help="CSV senza BOM UTF-8 / CSV without the UTF-8 BOM.")
@sep_option
@click.option("--decimal-comma", is_flag=True, help="CSV con la virgola decimale (Excel in italiano) / decimal comma in the CSV.")
@territory_option
@lang_option
def export(directory: Path, fmt: str, output: Path | None, wide: bool, anonymize: bool, keep_text: bool, no_bom: bool,
           sep: str | None, decimal_comma: bool, territory: Path | None) -> None:
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
    from crassess.campaign.data import load_campaign_data
    from crassess.campaign.export import export_campaign
    from crassess.csvfile import CsvStyle
    from crassess.errors import Problem, UsageError
    from crassess.i18n import t
    from crassess.outputs import write_output

    if output is None and fmt == "xlsx":
        raise UsageError(problems=[Problem("--format xlsx", "", t("export.xlsx_needs_output"))])
    lang = get_language()
    style = CsvStyle.for_language(lang, sep, decimal_comma, not no_bom)
    campaign_data = load_campaign_data(directory, territory)
    if anonymize:
        from crassess.reports.anonymized import export_anonymized

        data = export_anonymized(campaign_data, fmt, wide, lang, style, keep_text)
    else:
        data = export_campaign(campaign_data, fmt, wide, lang, style)
    for warning in campaign_data.duplicates:
        echo(warning, err=True)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_output(output, data)


@click.group()
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
    from crassess.territory.indicators import check_indicators
    from crassess.territory.validate import territory_for

    result = check_indicators(path, territory_for(territory))
    echo(t("ind.valid", file=path, rows=len(result.table.rows), columns=", ".join(result.table.columns)))
    if result.missing:
        echo(t("ind.missing", n=len(result.missing), names=", ".join(c.nome for c in result.missing)))
