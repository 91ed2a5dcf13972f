"""Rendering the fibre comparison (open coverage data beside reported adoption) for the territory report and
workbook. Adoption per comune comes from the protected results (the same cells as the connectivity table
by comune), so a figure withheld there is withheld here too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabulate import tabulate

from crassess.campaign.data import CampaignResponse
from crassess.i18n import fmt_number, register, t
from crassess.reports.disclosure import Withheld, mark_label
from crassess.reports.results import Cell, Share, TerritoryAnalysis
from crassess.safe_text import md_cell
from crassess.territory.comuni import Territory
from crassess.territory.indicators import IndicatorTable

register({
    "fib.title": {"it": "Indicatori territoriali", "en": "Territorial indicators"},
    "fib.intro": {"it": "Dati aperti per comune dal file {file}: {n} comuni, colonne {columns}. Tutti i valori sono nel foglio «Indicatori» della cartella di lavoro.",
                  "en": "Open data per comune from the file {file}: {n} comuni, columns {columns}. Every value is in the workbook's «Indicators» sheet."},
    "fib.no_fibre": {"it": "Il file non ha una colonna sulla copertura in fibra (nome con ftth, fibra, fibre o gbit): nessun confronto con l'adozione.",
                     "en": "The file has no fibre-coverage column (name with ftth, fibra, fibre or gbit): no comparison with adoption."},
    "fib.summary": {"it": "Copertura in fibra (colonna {column}) accanto alla quota di associazioni e imprese rispondenti che dichiarano un collegamento in fibra. Comuni con rispondenti: {comuni}; con la quota mostrata: {shown}; tra questi, quelli dove la fibra è disponibile ma non attivata da una parte dei rispondenti: {gaps}.",
                    "en": "Fibre coverage (column {column}) beside the share of responding associations and businesses that report a fibre connection. Comuni with respondents: {comuni}; with the share shown: {shown}; among them, where fibre is available but not adopted by part of the respondents: {gaps}."},
    "fib.istat": {"it": "Codice ISTAT", "en": "ISTAT code"},
    "fib.comune": {"it": "Comune", "en": "Comune"},
    "fib.coverage": {"it": "Copertura fibra (%)", "en": "Fibre coverage (%)"},
    "fib.n": {"it": "Rispondenti", "en": "Respondents"},
    "fib.adoption": {"it": "Con fibra (%)", "en": "With fibre (%)"},
    "fib.gap": {"it": "Disponibile ma non attivata (punti)", "en": "Available but not adopted (points)"},
    "fib.not_available": {"it": "Non disponibile (%)", "en": "Not available (%)"},
    "fib.flag": {"it": "Cifre omesse", "en": "Withheld figures"},
    "fib.unpublished": {
        "it": "Le quote per comune non sono pubblicate: anche omettendone alcune, permetterebbero di ricalcolare cifre su meno di {n} rispondenti.",
        "en": "The shares by comune are not published: even with some withheld, they would let a reader work out figures about fewer than {n} respondents.",
    },
    "fib.note": {
        "it": "Copertura: dati aperti per comune. Rispondenti: associazioni e imprese che hanno risposto alle domande sulla fibra (non i Comuni stessi); \"con fibra\" come «Fibra attiva» nella tabella della connettività. \"Disponibile ma non attivata\" = copertura − quota con fibra; \"non disponibile\" = 100 − copertura.",
        "en": "Coverage: open data per comune. Respondents: associations and businesses that answered the fibre questions (not the municipalities themselves); \"with fibre\" as «Fibre adopted» in the connectivity table. \"Available but not adopted\" = coverage − share with fibre; \"not available\" = 100 − coverage.",
    },
})


@dataclass(frozen=True)
class IndicatorJoin:
    """Open territorial data joined to a campaign: the table and its fibre-coverage column (if any)."""

    table: IndicatorTable
    territory: Territory
    fibre_column: str | None


def _row(join: IndicatorJoin, code: str, figures: tuple[Cell, Share]) -> tuple[float | None, Cell, Share, float | None, float | None]:
    """Coverage, respondents, share with fibre, available but not adopted, not available (one decimal)."""
    coverage = join.table.column(join.fibre_column).get(code) if join.fibre_column else None
    n, adoption = figures
    gap = None if coverage is None or not isinstance(adoption, float) else round(max(0.0, coverage - adoption), 1)
    not_available = None if coverage is None else round(100.0 - coverage, 1)
    return (None if coverage is None else round(coverage, 1), n,
            round(adoption, 1) if isinstance(adoption, float) else adoption, gap, not_available)


def _text(value: Any, lang: str, min_n: int) -> str:
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    if isinstance(value, float):
        return fmt_number(value, lang)
    return "–" if value is None else str(value)


def indicators_section(join: IndicatorJoin, ta: TerritoryAnalysis, lang: str) -> str:
    """The territory report's section on the indicators file (Markdown)."""
    min_n = ta.min_n
    name = Path(join.table.source).name
    out = [f"## {t('fib.title', lang)}", "",
           t("fib.intro", lang, file=md_cell(name), n=len(join.table.rows), columns=", ".join(md_cell(c) for c in join.table.columns)), ""]
    if join.fibre_column is None:
        out += [t("fib.no_fibre", lang), ""]
        return "\n".join(out) + "\n"
    if not ta.indicators_published:
        return "\n".join(out + [t("fib.unpublished", lang, n=min_n), ""]) + "\n"
    rows = {code: _row(join, code, figures) for code, figures in ta.indicators.items()}
    shown = [r for r in rows.values() if isinstance(r[2], float)]
    gaps = [r for r in shown if r[3] is not None and r[3] > 0]
    out += [t("fib.summary", lang, column=md_cell(join.fibre_column), comuni=len(rows), shown=len(shown), gaps=len(gaps)), ""]
    heads = [t(k, lang) for k in ("fib.comune", "fib.coverage", "fib.n", "fib.adoption", "fib.gap", "fib.not_available")]
    cells = [[md_cell(f"{ta.comuni_names.get(code, code)} ({code})"), *(_text(v, lang, min_n) for v in row)]
             for code, row in sorted(rows.items(), key=lambda kv: ta.comuni_names.get(kv[0], kv[0]))]
    out += [tabulate(cells, heads, tablefmt="github", disable_numparse=True, colalign=["left"] + ["right"] * 5), "",
            t("fib.note", lang), ""]
    return "\n".join(out)


def indicators_rows(join: IndicatorJoin, ta: TerritoryAnalysis, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The workbook sheet: every comune of the territory with its indicators and, where published, the
    respondents and the share with fibre (a withheld figure: empty cell, its mark in the flag column)."""
    header = [t("fib.istat", lang), t("fib.comune", lang), *join.table.columns]
    if join.fibre_column is not None:
        header += [t(k, lang) for k in ("fib.n", "fib.adoption", "fib.gap", "fib.not_available", "fib.flag")]
    body: list[list[Any]] = []
    for comune in join.territory.comuni:
        values = join.table.rows.get(comune.istat, (None,) * len(join.table.columns))
        row: list[Any] = [comune.istat, comune.nome, *values]
        if join.fibre_column is not None:
            _, n, adoption, gap, not_available = _row(join, comune.istat, ta.indicators.get(comune.istat, (0, None)))
            marks = [f"{t(h, lang)}: {mark_label(v, ta.min_n, lang)}" for h, v in (("fib.n", n), ("fib.adoption", adoption))
                     if isinstance(v, Withheld)]
            row += [None if isinstance(n, Withheld) else n, None if isinstance(adoption, Withheld) else adoption, gap,
                    not_available, "; ".join(marks) or None]
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
