"""The errors report of a rejected file: a CSV for Excel to send back to the respondent, one per file."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from crassess.i18n import register, t
from crassess.safe_text import neutralise_formula, safe_filename, strip_control
from crassess.spreadsheets.extract import CellProblem

register({
    "imp.report.head": {"it": "File;Foglio;Cella;Domanda;Problema;Atteso", "en": "File;Sheet;Cell;Question;Problem;Expected"},
})


def report_csv(head: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A report as a CSV for Excel: UTF-8 with BOM, ';', CRLF, no control character, no cell ever read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([neutralise_formula(strip_control(x)) for x in row])
    return out.getvalue().encode("utf-8-sig")


def errors_report(file: str, problems: Sequence[CellProblem], lang: str) -> bytes:
    """The errors of one file as a CSV for Excel (UTF-8 with BOM, ';'): file, sheet, cell, question, problem, expected."""
    name = Path(file).name
    rows = [(name, p.sheet, p.cell, p.question, p.message, p.expected) for p in problems]
    return report_csv(t("imp.report.head", lang).split(";"), rows)


def report_name(file: str, sha256: str) -> str:
    """``<file name>-<8 hex digits of the name and content>.errors.csv``: two rejected files never share a
    report (``a/risposta.xlsx`` and ``b/risposta.xlsx`` differ in content), the same file re-imported keeps its own."""
    name = Path(file).name
    tag = hashlib.sha256(f"{name}\0{sha256}".encode()).hexdigest()[:8]
    return f"{safe_filename(Path(file).stem, 'file', 50)}-{tag}.errors.csv"
