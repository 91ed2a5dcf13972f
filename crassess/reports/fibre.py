"""The ranking of the comuni by open-data fibre coverage, with the respondents' answers beside it, for the
territory report (the worst ``RANKED``) and the workbook (all). The respondents' figures per comune come
from the protected results (the same cells as the connectivity table by comune), so a figure withheld there
is withheld here too; "available but not adopted" is the respondents' own answer everywhere, never
coverage minus adoption."""

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
    "fib.title": {"it": "Copertura in fibra per comune (dati aperti)", "en": "Fibre coverage by comune (open data)"},
    "fib.intro": {
        "it": "I {shown} comuni con la copertura più bassa su {n} (file {file}, colonna {column}); la graduatoria completa è nel foglio «Indicatori» della cartella di lavoro.",
        "en": "The {shown} comuni with the lowest coverage of {n} (file {file}, column {column}); the full ranking is in the workbook's «Indicators» sheet.",
    },
    "fib.no_fibre": {"it": "Il file {file} non ha una colonna sulla copertura in fibra (nome con ftth, fibra, fibre o gbit): nessuna graduatoria. I suoi valori sono nel foglio «Indicatori» della cartella di lavoro.",
                     "en": "The file {file} has no fibre-coverage column (name with ftth, fibra, fibre or gbit): no ranking. Its values are in the workbook's «Indicators» sheet."},
    "fib.rank": {"it": "Posizione", "en": "Rank"},
    "fib.istat": {"it": "Codice ISTAT", "en": "ISTAT code"},
    "fib.comune": {"it": "Comune", "en": "Comune"},
    "fib.coverage": {"it": "Copertura fibra (%)", "en": "Fibre coverage (%)"},
    "fib.n": {"it": "Rispondenti", "en": "Respondents"},
    "fib.adoption": {"it": "Fibra attiva (%)", "en": "Fibre adopted (%)"},
    "fib.not_adopted": {"it": "Disponibile, non attivata (%)", "en": "Available, not adopted (%)"},
    "fib.announced": {"it": "Lavori annunciati (%)", "en": "Works announced (%)"},
    "fib.flag": {"it": "Cifre omesse", "en": "Withheld figures"},
    "fib.unpublished": {
        "it": "Le quote dei rispondenti per comune non sono pubblicate: anche omettendone alcune, permetterebbero di ricalcolare cifre su meno di {n} rispondenti.",
        "en": "The respondents' shares by comune are not published: even with some withheld, they would let a reader work out figures about fewer than {n} respondents.",
    },
    "fib.note": {
        "it": "Copertura: quota degli indirizzi raggiunti dalla fibra (dati aperti). Rispondenti: associazioni e imprese del comune, non i Comuni stessi; le altre categorie per i comuni con almeno {n} rispondenti, qui sotto.",
        "en": "Coverage: share of addresses reached by fibre (open data). Respondents: the comune's associations and businesses, not the comuni themselves; the other categories for comuni with at least {n} respondents, below.",
    },
})

RANKED = 10  # comuni of the ranking shown in the Markdown (the workbook has them all)


@dataclass(frozen=True)
class IndicatorJoin:
    """Open territorial data joined to a campaign: the table and its fibre-coverage column (if any)."""

    table: IndicatorTable
    territory: Territory
    fibre_column: str | None


def coverage_ranking(join: IndicatorJoin) -> list[tuple[str, float]]:
    """Every comune of the territory with a coverage value, lowest coverage first (ties by name)."""
    if join.fibre_column is None:
        return []
    values = join.table.column(join.fibre_column)
    names = {c.istat: c.nome for c in join.territory.comuni}
    found = [(c.istat, round(v, 1)) for c in join.territory.comuni if (v := values.get(c.istat)) is not None]
    return sorted(found, key=lambda cv: (cv[1], names[cv[0]]))


def _respondents(ta: TerritoryAnalysis, code: str) -> tuple[Cell, Share, Share, Share]:
    """Respondents, fibre adopted, available not adopted, works announced (%): the protected figures of the
    indicators table and of the connectivity table by comune (the same cells, one definition)."""
    n, adopted = ta.indicators.get(code, (0, None))
    by_comune = ta.fibre_by_comune.get(code)
    if by_comune is None or not by_comune.published:
        return n, adopted, None, None
    return n, adopted, by_comune.shares.get("not_adopted"), by_comune.shares.get("announced")


def _text(value: Any, lang: str, min_n: int) -> str:
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    if isinstance(value, float):
        return fmt_number(value, lang)
    return "–" if value is None else str(value)


def indicators_section(join: IndicatorJoin, ta: TerritoryAnalysis, lang: str, limit: int = RANKED) -> list[str]:
    """The ranking of the comuni by open-data coverage, lowest first (Markdown lines, a ### section)."""
    min_n = ta.min_n
    name = md_cell(Path(join.table.source).name)
    out = [f"### {t('fib.title', lang)}", ""]
    if join.fibre_column is None:
        return out + [t("fib.no_fibre", lang, file=name), ""]
    ranking = coverage_ranking(join)
    out += [t("fib.intro", lang, file=name, column=md_cell(join.fibre_column), shown=min(limit, len(ranking)), n=len(ranking)), ""]
    if not ta.indicators_published:
        out += [t("fib.unpublished", lang, n=min_n), ""]
    heads = [t(k, lang) for k in ("fib.rank", "fib.comune", "fib.coverage", "fib.n", "fib.adoption")]
    rows = []
    for i, (code, coverage) in enumerate(ranking[:limit], 1):
        figures = _respondents(ta, code)[:2] if ta.indicators_published else ("–", None)
        rows.append([str(i), md_cell(ta.comuni_names.get(code, code)), fmt_number(coverage, lang),
                     *(_text(v, lang, min_n) for v in figures)])
    out += [tabulate(rows, heads, tablefmt="pipe", disable_numparse=True, colalign=["right", "left"] + ["right"] * 3), "",
            t("fib.note", lang, n=min_n), ""]
    return out


def comune_fibre_table(ta: TerritoryAnalysis, lang: str, join: IndicatorJoin | None) -> list[str]:
    """The comuni with at least min_n respondents: every fibre category (as the table by sector), with the
    open-data coverage beside them when ``join`` has it."""
    from crassess.reports.markdown import FIBRE_COLUMNS, fibre_cells, table

    coverage = join.table.column(join.fibre_column) if join is not None and join.fibre_column else {}
    told = [any(f.asked[i] for f in ta.fibre_by_comune.values()) for i in range(len(FIBRE_COLUMNS))]
    heads = [t("fib.comune", lang)] + ([t("fib.coverage", lang)] if coverage else []) + [t("fib.n", lang)]
    heads += [t(k, lang) for k, a in zip(FIBRE_COLUMNS, told) if a]
    rows = []
    for c, f in ta.fibre_by_comune.items():
        cells = [x for x, a in zip(fibre_cells(f, lang, ta.min_n), (True, *told)) if a]
        rows.append([md_cell(ta.comuni_names[c])] + ([_text(round(v, 1), lang, ta.min_n) if (v := coverage.get(c)) is not None else "–"]
                                                     if coverage else []) + cells)
    return [table(heads, rows), ""]


def indicators_rows(join: IndicatorJoin, ta: TerritoryAnalysis, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The workbook sheet: every comune of the territory with its indicators, ranked by fibre coverage
    (lowest first; comuni without a value last) and, where published, the respondents' answers (a withheld
    figure: empty cell, its mark in the flag column)."""
    header = [t("fib.istat", lang), t("fib.comune", lang), *join.table.columns]
    ranked = [code for code, _ in coverage_ranking(join)]
    order = ranked + [c.istat for c in join.territory.comuni if c.istat not in ranked]
    names = {c.istat: c.nome for c in join.territory.comuni}
    if join.fibre_column is not None:
        header = [t("fib.rank", lang), *header] + [t(k, lang) for k in ("fib.n", "fib.adoption", "fib.not_adopted", "fib.announced", "fib.flag")]
    body: list[list[Any]] = []
    for i, code in enumerate(order, 1):
        values = join.table.rows.get(code, (None,) * len(join.table.columns))
        row: list[Any] = [code, names[code], *values]
        if join.fibre_column is not None:
            figures = _respondents(ta, code) if ta.indicators_published else (None, None, None, None)
            heads = ("fib.n", "fib.adoption", "fib.not_adopted", "fib.announced")
            marks = [f"{t(h, lang)}: {mark_label(v, ta.min_n, lang)}" for h, v in zip(heads, figures) if isinstance(v, Withheld)]
            row = [i if code in ranked else None, *row, *(None if isinstance(v, Withheld) else v for v in figures),
                   "; ".join(marks) or None]
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
