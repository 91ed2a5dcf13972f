"""Terminal rendering of an import with online-form submissions: the summary table of the submission rows."""

from __future__ import annotations

from rich.table import Table

from crassess.i18n import register, t
from crassess.spreadsheets.batch import ImportSummary
from crassess.spreadsheets.progress import summary_table

register({
    "forms.view.title": {"it": "Invii dei moduli online", "en": "Online form submissions"},
    "forms.view.exports": {"it": "esportazioni lette: {n}", "en": "exports read: {n}"},
    "forms.view.unit": {"it": "Invii", "en": "Submissions"},
    "forms.view.replaced": {"it": "sostituiti (modificati sulla piattaforma)", "en": "replaced (edited on the platform)"},
    "forms.view.older": {"it": "versioni precedenti (non importate)", "en": "earlier versions (not imported)"},
    "forms.view.skipped": {"it": "saltati (rifiutati sulla piattaforma)", "en": "skipped (rejected on the platform)"},
})

# (status, text key): the rows of the table, in this order
ROWS = (("imported", "imp.view.imported"), ("unchanged", "imp.view.unchanged"), ("replaced", "forms.view.replaced"),
        ("older", "forms.view.older"), ("conflict", "imp.view.conflict"), ("skipped", "forms.view.skipped"),
        ("rejected", "imp.view.rejected"))


def submissions_table(summary: ImportSummary, exports: int) -> Table:
    """Counts by outcome (rejected ones with their reasons), one row per submission."""
    return summary_table(summary, ROWS, "forms.view.title", "forms.view.unit", t("forms.view.exports", n=exports))
