"""Rendering the fibre comparison (coverage beside adoption) for the territory report and workbook."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabulate import tabulate

from crassess.campaign.data import CampaignResponse
from crassess.i18n import fmt_number, register, t
from crassess.safe_text import md_cell
from crassess.territory.comuni import Territory
from crassess.territory.indicators import FibreRow, IndicatorTable

register({
    "fib.title": {"it": "Indicatori territoriali", "en": "Territorial indicators"},
    "fib.intro": {"it": "Dati aperti per comune dal file {file}: {n} comuni, colonne {columns}. Tutti i valori sono nel foglio «Indicatori» della cartella di lavoro.",
                  "en": "Open data per comune from the file {file}: {n} comuni, columns {columns}. Every value is in the workbook's «Indicators» sheet."},
    "fib.no_fibre": {"it": "Il file non ha una colonna sulla copertura in fibra (nome con ftth, fibra, fibre o gbit): nessun confronto con l'adozione.",
                     "en": "The file has no fibre-coverage column (name with ftth, fibra, fibre or gbit): no comparison with adoption."},
    "fib.summary": {"it": "Copertura in fibra (colonna {column}) accanto alla quota di rispondenti che dichiarano un collegamento in fibra. Comuni con rispondenti: {comuni}; con almeno {n} rispondenti, e quindi con le quote mostrate: {shown}; tra questi, quelli dove la fibra è disponibile ma non attivata da una parte dei rispondenti: {gaps}.",
                    "en": "Fibre coverage (column {column}) beside the share of respondents who report a fibre connection. Comuni with respondents: {comuni}; with at least {n} respondents, so with shares shown: {shown}; among them, where fibre is available but not adopted by part of the respondents: {gaps}."},
    "fib.istat": {"it": "Codice ISTAT", "en": "ISTAT code"},
    "fib.comune": {"it": "Comune", "en": "Comune"},
    "fib.coverage": {"it": "Copertura fibra (%)", "en": "Fibre coverage (%)"},
    "fib.n": {"it": "Rispondenti", "en": "Respondents"},
    "fib.adoption": {"it": "Con fibra (%)", "en": "With fibre (%)"},
    "fib.gap": {"it": "Disponibile ma non attivata (punti)", "en": "Available but not adopted (points)"},
    "fib.not_available": {"it": "Non disponibile (%)", "en": "Not available (%)"},
    "fib.note": {
        "it": "Copertura: dati aperti per comune. \"Disponibile ma non attivata\" = copertura − quota di rispondenti con fibra; "
              "\"non disponibile\" = 100 − copertura. Quote su meno di {n} rispondenti non mostrate (–).",
        "en": "Coverage: open data per comune. \"Available but not adopted\" = coverage − share of respondents with fibre; "
              "\"not available\" = 100 − coverage. Shares over fewer than {n} respondents are not shown (–).",
    },
})


def fibre_table(rows: Sequence[FibreRow], lang: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows (numbers rounded to one decimal, ``None`` where suppressed or unknown)."""

    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    header = [t(k, lang) for k in ("fib.comune", "fib.coverage", "fib.n", "fib.adoption", "fib.gap", "fib.not_available")]
    body = [[f"{row.nome} ({row.istat})", r(row.coverage), row.respondents, r(row.adoption), r(row.available_not_adopted), r(row.not_available)]
            for row in rows]
    return header, body


def _count(row: FibreRow, min_n: int) -> str:
    # a count of 1-4 respondents in a comune is itself a small cell
    return f"n<{min_n}" if 0 < row.respondents < min_n else str(row.respondents)


def render_fibre_markdown(rows: Sequence[FibreRow], lang: str, min_n: int = 5) -> str:
    """A Markdown table of the fibre comparison and its note."""
    header, body = fibre_table(rows, lang)
    cells = [[md_cell(b[0]), fmt_number(b[1], lang), _count(row, min_n), fmt_number(b[3], lang), fmt_number(b[4], lang), fmt_number(b[5], lang)]
             for b, row in zip(body, rows)]
    table = tabulate(cells, header, tablefmt="github", disable_numparse=True, colalign=["left"] + ["right"] * 5)
    return table + "\n\n" + t("fib.note", lang, n=min_n) + "\n"


@dataclass(frozen=True)
class IndicatorJoin:
    """Open territorial data joined to a campaign: the table, and fibre coverage beside adoption."""

    table: IndicatorTable
    territory: Territory
    fibre: tuple[FibreRow, ...] | None
    fibre_column: str | None


def indicators_section(join: IndicatorJoin, lang: str, min_n: int) -> str:
    """The territory report's section on the indicators file (Markdown)."""
    name = Path(join.table.source).name
    out = [f"## {t('fib.title', lang)}", "",
           t("fib.intro", lang, file=md_cell(name), n=len(join.table.rows), columns=", ".join(md_cell(c) for c in join.table.columns)), ""]
    if join.fibre is None:
        out += [t("fib.no_fibre", lang), ""]
        return "\n".join(out) + "\n"
    rows = [r for r in join.fibre if r.respondents > 0]
    shown = [r for r in rows if not r.suppressed]
    gaps = [r for r in shown if r.available_not_adopted is not None and r.available_not_adopted > 0]
    out += [t("fib.summary", lang, column=md_cell(join.fibre_column), comuni=len(rows), shown=len(shown), gaps=len(gaps), n=min_n), ""]
    out += [render_fibre_markdown(rows, lang, min_n)]
    return "\n".join(out)


def indicators_rows(join: IndicatorJoin, lang: str, min_n: int) -> tuple[list[str], list[list[Any]]]:
    """The workbook sheet: every comune of the territory with its indicators and, where n allows, adoption."""
    fibre = {r.istat: r for r in join.fibre or ()}
    header = [t("fib.istat", lang), t("fib.comune", lang), *join.table.columns]
    if join.fibre is not None:
        header += [t(k, lang) for k in ("fib.n", "fib.adoption", "fib.gap", "fib.not_available")]
    body: list[list[Any]] = []
    for comune in join.territory.comuni:
        values = join.table.rows.get(comune.istat, (None,) * len(join.table.columns))
        row: list[Any] = [comune.istat, comune.nome, *values]
        if join.fibre is not None:
            f = fibre.get(comune.istat)
            if f is None:
                row += [0, None, None, None]
            else:
                count: Any = f"n<{min_n}" if 0 < f.respondents < min_n else f.respondents
                row += [count, f.adoption, f.available_not_adopted, f.not_available]
        body.append(row)
    return header, body


def adoption_by_comune(responses: Sequence[CampaignResponse], question_id: str, adopted: Sequence[str] = ("si",)) -> dict[str, list[bool]]:
    """Per ISTAT code, whether each respondent who answered ``question_id`` reports fibre (an ``adopted`` value).

    "na", "dk" and missing answers are left out.
    """
    out: dict[str, list[bool]] = {}
    for item in responses:
        response = item.response
        comune, answer = response.respondent.comune, response.answers.get(question_id)
        if not comune or answer is None or answer in ("na", "dk"):
            continue
        values = answer if isinstance(answer, list) else [answer]
        out.setdefault(comune, []).append(any(str(v) in adopted for v in values))
    return out
