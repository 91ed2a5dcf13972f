"""Reading a campaign: ``report``, ``audit`` and ``demo``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from crassess.cli.options import echo, lang_option
from crassess.i18n import get_language


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
    echo(words[0].format(n=len(run.files), out=run.out))
    for path in run.files:
        if path.suffix in (".md", ".html", ".xlsx") and path.parent == run.out:
            echo(f"  {path}")
    for problem in run.problems:
        echo(f"{problem} ({words[1]})", err=True)


@click.command()
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
@click.option("--html", is_flag=True,
              help="Anche ogni rapporto Markdown come pagina .html autonoma (grafici inclusi, stampabile su A4).")
@lang_option
def report(campaign_dir: Path, out: Path | None, formats: str, min_n: int | None, charts: str, date: str | None,
           indicators: Path | None, html: bool) -> None:
    """Rapporti di una campagna: per rispondente, per settore e del territorio.

    Writes territorio.md, settore-comuni.md, settore-associazioni.md,
    settore-imprese.md, rispondenti/<nome>.md, charts and dati.xlsx (English
    names with --lang en); with --html also a self-contained .html page beside
    each .md (charts inlined, no external request, printable on A4), to send to
    people who don't read Markdown. Sector and territory reports never show
    names or contacts; figures on fewer than --min-n respondents are withheld
    (n<5), and so are those that would let a reader work them out (riservato).
    campaign.yaml may add population: (response rates, interval correction)
    and publish_public_bodies: true (comuni results by name). Drafts are
    counted but not scored; invalid response files are listed and left out
    (exit code 1).

    Example:

    \b
        crassess report --campaign campagne/2026 -o reports/2026
        crassess report --campaign campagne/2026 --format md --lang en
        crassess report --campaign campagne/2026 --indicators banda_larga.csv --html
    """
    from crassess.reports.build import ReportOptions, parse_formats, run_report

    options = ReportOptions(lang=get_language(), formats=parse_formats(formats), min_n=min_n,
                            date=_report_date(date), charts=charts, indicators=indicators, html=html)
    run = run_report(campaign_dir, out, options)
    _echo_report_run(run)
    sys.exit(1 if run.problems else 0)


@click.command()
@click.option("-o", "--out", type=click.Path(path_type=Path), default=Path("reports/demo"), show_default=True,
              help="Cartella di uscita (contiene anche la campagna sintetica).")
@click.option("--charts", type=click.Choice(["png", "svg", "none"]), default="svg", show_default=True,
              help="Grafici dei rapporti Markdown (SVG: piccoli e leggibili nel repository).")
@lang_option
def demo(out: Path, charts: str) -> None:
    """Dimostrazione: campagna sintetica (seme fisso) e tutti i rapporti.

    About 60 synthetic respondents (comuni, associations, businesses) in real
    comuni of the province are written as response files under OUT/campagna,
    loaded back through the normal campaign path, scored, and reported in OUT
    (Markdown with its HTML pages, workbook). Every report says the data is
    synthetic. Same output on every run.

    Example:

    \b
        crassess demo
        crassess demo -o /tmp/demo --lang en
    """
    from crassess.demo import run_demo
    from crassess.reports.build import ReportOptions

    run = run_demo(out, ReportOptions(lang=get_language(), charts=charts, html=True))
    _echo_report_run(run)
    sys.exit(1 if run.problems else 0)


@click.command()
@click.option("--campaign", "campaign_dir", required=True, type=click.Path(path_type=Path),
              help="Cartella della campagna (responses/*.json, campaign.yaml).")
@click.option("-q", "--questionnaire", help="Solo questo questionario (id); default: tutti quelli della campagna.")
@click.option("-o", "--out", type=click.Path(path_type=Path, file_okay=False),
              help="Cartella di uscita per audit.md e audit.xlsx; default reports/<campagna>/.")
@click.option("--draws", type=click.IntRange(10, 100000), default=1000, show_default=True,
              help="Estrazioni Monte Carlo per la sensibilità ai pesi.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seme delle estrazioni (stesso seme, stesso risultato).")
@lang_option
def audit(campaign_dir: Path, questionnaire: str | None, out: Path | None, draws: int, seed: int) -> None:
    """Verifica dei questionari: qualità delle domande, affidabilità, sensibilità ai pesi.

    Writes audit.md (a plain reading first: questions to reword or drop,
    unreliable dimensions, whether conclusions depend on the weights) and
    audit.xlsx (every figure) for the complete responses of the campaign:
    item statistics and flags, Cronbach's alpha per dimension, correlations
    between dimensions, and a Monte Carlo perturbation of the weights
    (uniform +-50%). Figures on fewer than min_n respondents are withheld.

    Example:

    \b
        crassess audit --campaign campagne/2026-T0
        crassess audit --campaign campagne/2026-T0 -q impresa --draws 5000 --lang en -o verifica
    """
    from crassess.reports.audit_run import run_audit

    run = run_audit(campaign_dir, out, get_language(), questionnaire=questionnaire, draws=draws, seed=seed)
    words = {"it": "Scritti {n} file in {out}", "en": "Wrote {n} files to {out}"}[get_language()]
    click.echo(words.format(n=len(run.files), out=run.out))
    for path in run.files:
        click.echo(f"  {path}")


@click.command("map")
@click.option("--campaign", "campaign_dir", required=True, type=click.Path(path_type=Path),
              help="Cartella della campagna (campaign.yaml: territory, boundaries, zones).")
@click.option("--show", required=True, type=click.Choice(["fibra", "rispondenti", "punteggio", "divario"]),
              help="fibra: copertura per comune (--indicators); rispondenti: per comune; punteggio: media per zona "
                   "(--sector, --dimension); divario: fibra disponibile ma non attivata, per zona.")
@click.option("-o", "--out", required=True, type=click.Path(path_type=Path, dir_okay=False), help="File .svg o .png.")
@click.option("--indicators", type=click.Path(path_type=Path), help="CSV di dati aperti per comune (per --show fibra).")
@click.option("--column", help="Colonna degli indicatori da mappare; default: la prima sulla fibra (ftth, fibra, gbit).")
@click.option("--zones", type=click.Path(path_type=Path), help="CSV istat,zona; default: zones: di campaign.yaml.")
@click.option("--boundaries", type=click.Path(path_type=Path), help="GeoJSON dei comuni; default: boundaries: di campaign.yaml, o i confini forniti per la Provincia di Cremona.")
@click.option("--sector", help="Settore: comune, associazione, impresa.")
@click.option("--dimension", help="Dimensione del questionario del settore (per --show punteggio); default: il punteggio complessivo.")
@lang_option
def map_(campaign_dir: Path, show: str, out: Path, indicators: Path | None, column: str | None, zones: Path | None,
         boundaries: Path | None, sector: str | None, dimension: str | None) -> None:
    """Una mappa della campagna (SVG o PNG), con le stesse regole di riservatezza dei rapporti.

    Comuni or zones coloured by class; withheld figures (fewer than min_n
    respondents) are hatched grey, never coloured. In the SVG each comune
    shows its name, ISTAT code and value on hovering. Without boundaries
    (another territory without boundaries:) no map is drawn: a note, exit 0.

    Example:

    \b
        crassess map --campaign campagne/2026 --show fibra --indicators banda_larga.csv -o fibra.svg
        crassess map --campaign campagne/2026 --show rispondenti -o rispondenti.png
        crassess map --campaign campagne/2026 --show punteggio --sector impresa --dimension connettivita -o imprese.svg
        crassess map --campaign campagne/2026 --show divario -o divario.svg
    """
    from crassess.reports.mapset import MapRequest, run_map

    run = run_map(campaign_dir, out, MapRequest(show, sector, dimension, indicators, column, zones, boundaries, get_language()))
    click.echo(str(run.path) if run.path else run.note, err=run.path is None)
