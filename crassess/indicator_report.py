"""Rendering the fibre comparison (coverage beside adoption) for the territory report and workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tabulate import tabulate

from crassess.i18n import fmt_number, register, t
from crassess.indicators import FibreRow
from crassess.safe_text import md_cell

register({
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


def render_fibre_markdown(rows: Sequence[FibreRow], lang: str, min_n: int = 5) -> str:
    """A Markdown table of the fibre comparison and its note."""
    header, body = fibre_table(rows, lang)
    cells = [[md_cell(b[0]), fmt_number(b[1], lang), str(b[2]), fmt_number(b[3], lang), fmt_number(b[4], lang), fmt_number(b[5], lang)]
             for b in body]
    table = tabulate(cells, header, tablefmt="github", disable_numparse=True, colalign=["left"] + ["right"] * 5)
    return table + "\n\n" + t("fib.note", lang, n=min_n) + "\n"
