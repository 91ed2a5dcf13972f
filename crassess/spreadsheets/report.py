"""The errors report of a rejected file: a CSV for a spreadsheet to send back to the respondent, one per file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

from crassess.csvfile import CsvStyle, csv_bytes
from crassess.i18n import register, t
from crassess.safe_text import safe_filename
from crassess.spreadsheets.extract import CellProblem

register({
    "imp.report.head": {"it": "File;Foglio;Cella;Domanda;Problema;Atteso", "en": "File;Sheet;Cell;Question;Problem;Expected"},
})


def report_csv(head: Sequence[str], rows: Iterable[Sequence[str]], style: CsvStyle) -> bytes:
    """A report as a CSV for a spreadsheet (:mod:`crassess.csvfile`): no control character, no cell ever read as
    a formula."""
    return csv_bytes(head, rows, style)


def errors_report(file: str, problems: Sequence[CellProblem], lang: str, style: CsvStyle | None = None) -> bytes:
    """The errors of one file as a CSV for a spreadsheet (default: ';' in Italian, ',' in English): file, sheet,
    cell, question, problem, expected."""
    name = Path(file).name
    rows = [(name, p.sheet, p.cell, p.question, p.message, p.expected) for p in problems]
    return report_csv(t("imp.report.head", lang).split(";"), rows, style or CsvStyle.for_language(lang))


def report_name(file: str, sha256: str) -> str:
    """``<file name>-<8 hex digits of the name and content>.errors.csv``: two rejected files never share a
    report (``a/risposta.xlsx`` and ``b/risposta.xlsx`` differ in content), the same file re-imported keeps its own."""
    name = Path(file).name
    tag = hashlib.sha256(f"{name}\0{sha256}".encode()).hexdigest()[:8]
    return f"{safe_filename(Path(file).stem, 'file', 50)}-{tag}.errors.csv"
