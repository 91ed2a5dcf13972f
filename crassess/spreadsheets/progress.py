"""Terminal rendering of an import (rich): the progress bar and the closing summary table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from crassess.i18n import register, t
from crassess.spreadsheets.batch import MAX_KEPT_PROBLEMS, FileOutcome, ImportSummary

register({
    "imp.view.title": {"it": "Importazione", "en": "Import"},
    "imp.view.progress": {"it": "Lettura dei file", "en": "Reading files"},
    "imp.view.outcome": {"it": "Esito", "en": "Outcome"},
    "imp.view.files": {"it": "File", "en": "Files"},
    "imp.view.imported": {"it": "importati", "en": "imported"},
    "imp.view.unchanged": {"it": "invariati (già importati)", "en": "unchanged (already imported)"},
    "imp.view.conflict": {"it": "conflitti (stesso id, risposte diverse)", "en": "conflicts (same id, other answers)"},
    "imp.view.rejected": {"it": "scartati", "en": "rejected"},
    "imp.view.warnings": {"it": "avvisi", "en": "warnings"},
    "imp.view.warning": {"it": "avviso: {text}", "en": "warning: {text}"},
    "imp.view.reason": {"it": "  motivo: {reason}", "en": "  reason: {reason}"},
    "imp.view.report": {"it": "rapporto errori: {path}", "en": "errors report: {path}"},
    "imp.view.more": {"it": "… e altri {n} problemi (tutti nel rapporto errori)", "en": "… and {n} more problems (all in the errors report)"},
    "imp.view.more_warnings": {"it": "… e altri {n} avvisi", "en": "… and {n} more warnings"},
    "imp.view.more_rows": {"it": "… e altri {n} invii con problemi, non elencati qui: tutti nei rapporti errori in {folder}",
                           "en": "… and {n} more submissions with problems, not listed here: all in the errors reports in {folder}"},
    "imp.view.skipped": {"it": "saltati (non fogli di calcolo, nascosti, illeggibili)", "en": "skipped (not spreadsheets, hidden, unreadable)"},
    "imp.reason.password": {"it": "protetto da password", "en": "password-protected"},
    "imp.reason.crashed": {"it": "la lettura si è interrotta", "en": "reading crashed"},
    "imp.reason.rows": {"it": "righe aggiunte o tolte", "en": "rows added or removed"},
    "imp.reason.cell_error": {"it": "errori di calcolo nelle risposte (#VALORE!...)", "en": "calculation errors in answers (#VALUE!...)"},
    "imp.reason.not_found": {"it": "file non trovato", "en": "file not found"},
    "imp.reason.unreadable": {"it": "file illeggibile", "en": "unreadable file"},
    "imp.reason.empty": {"it": "file vuoto", "en": "empty file"},
    "imp.reason.too_big": {"it": "file troppo grande o troppe righe", "en": "file too large or too many rows"},
    "imp.reason.unsupported": {"it": "tipo di file non gestito", "en": "unsupported file type"},
    "imp.reason.unsafe": {"it": "file sospetto (zip o XML)", "en": "suspicious file (zip or XML)"},
    "imp.reason.corrupted": {"it": "file danneggiato o non un foglio di calcolo", "en": "corrupted, or not a spreadsheet"},
    "imp.reason.metadata": {"it": "metadati mancanti o alterati", "en": "metadata missing or altered"},
    "imp.reason.questionnaire": {"it": "altro questionario", "en": "another questionnaire"},
    "imp.reason.version": {"it": "altra versione del questionario", "en": "another questionnaire version"},
    "imp.reason.layout": {"it": "struttura dei fogli modificata", "en": "sheet layout changed"},
    "imp.reason.formula": {"it": "formule senza valore", "en": "formulas without a value"},
    "imp.reason.merged": {"it": "celle unite nelle risposte", "en": "merged answer cells"},
    "imp.reason.invalid": {"it": "risposte non valide", "en": "invalid answers"},
    "imp.reason.conflict": {"it": "conflitto", "en": "conflict"},
})


def progress(console: Any) -> Progress:
    """A progress bar that draws only on a terminal."""
    return Progress(
        TextColumn(t("imp.view.progress")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )


FILE_ROWS = tuple((status, f"imp.view.{status}") for status in ("imported", "unchanged", "conflict", "rejected"))


def summary_table(summary: ImportSummary, rows: tuple[tuple[str, str], ...] = FILE_ROWS, title: str = "imp.view.title",
                  unit: str = "imp.view.files", caption: str | None = None) -> Table:
    """Counts by outcome, ``rows`` being (status, text key) in order; rejections with their reasons."""
    table = Table(t("imp.view.outcome"), t(unit), title=t(title), caption=caption)
    for status, key in rows:
        table.add_row(t(key), str(summary.counts[status]))
        if status == "rejected":
            for reason, n in sorted(summary.reasons.items(), key=lambda kv: (-kv[1], kv[0])):
                if reason != "conflict":
                    table.add_row(t("imp.view.reason", reason=t(f"imp.reason.{reason}")), str(n))
    if summary.skipped:
        table.add_row(t("imp.view.skipped"), str(len(summary.skipped)))
    if summary.warnings:
        table.add_row(t("imp.view.warnings"), str(summary.warnings))
    return table


MAX_LISTED_ROWS = 20  # submissions with problems listed on the terminal; the errors reports have them all


class RowLister:
    """Lists the first ``limit`` submissions with problems (each through ``say``), then only counts them: an
    export of thousands of bad rows prints a screenful and one line that says where the rest are."""

    def __init__(self, say: Callable[[str], None], limit: int = MAX_LISTED_ROWS) -> None:
        self.say, self.limit, self.listed, self.more = say, limit, 0, 0

    def __call__(self, outcome: FileOutcome) -> None:
        lines = outcome_lines(outcome)
        if not lines:
            return
        if self.listed >= self.limit:
            self.more += 1
            return
        self.listed += 1
        for line in lines:
            self.say(line)

    def closing(self, errors_folder: object) -> str | None:
        """The line for the submissions not listed, or ``None``."""
        return t("imp.view.more_rows", n=self.more, folder=errors_folder) if self.more else None


def outcome_lines(outcome: FileOutcome, keep: int = MAX_KEPT_PROBLEMS) -> list[str]:
    """The problems and warnings of a file, one per line (the first ``keep`` of each, then how many more), and
    where its errors report is: a file with a million bad rows prints a few lines, not a million."""
    shown = outcome.trimmed(keep)
    lines = [str(p) for p in shown.problems]
    if shown.omitted:
        lines.append(f"{outcome.file}: " + t("imp.view.more", n=shown.omitted))
    lines += [t("imp.view.warning", text=str(w)) for w in shown.warnings]
    if len(outcome.warnings) > len(shown.warnings):
        lines.append(f"{outcome.file}: " + t("imp.view.more_warnings", n=len(outcome.warnings) - len(shown.warnings)))
    if outcome.status == "rejected" and outcome.written:
        lines.append(f"{outcome.file}: " + t("imp.view.report", path=outcome.written))
    return lines
