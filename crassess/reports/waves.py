"""Rendering a wave comparison's aggregate report (Markdown, Excel) from its protected figures.

No respondent appears here: the per-respondent files and the lists with names are :mod:`crassess.reports.wave_files`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tabulate import tabulate

from crassess.campaign.data import sector_label
from crassess.i18n import fmt_number, register, t
from crassess.reports.disclosure import Withheld, mark_label, notes
from crassess.reports.wave_figures import Change, Figure, WaveFigures
from crassess.safe_text import md_cell

register({
    "wr.title": {"it": "Confronto tra rilevazioni: {a} → {b}", "en": "Comparison of waves: {a} → {b}"},
    "wr.summary": {"it": "Risposte complete: {na} in {a}, {nb} in {b}. Stessi rispondenti in entrambe: {matched} ({how}). Solo in {a}: {only_a}; solo in {b}: {only_b}.",
                   "en": "Complete responses: {na} in {a}, {nb} in {b}. Same respondents in both: {matched} ({how}). Only in {a}: {only_a}; only in {b}: {only_b}."},
    "wr.drafts": {"it": "Bozze non considerate: {da} in {a}, {db} in {b}.", "en": "Drafts left out: {da} in {a}, {db} in {b}."},
    "wr.not_comparable": {"it": "Non confrontabili (stesso rispondente, questionari diversi): {n}.", "en": "Not comparable (same respondent, different questionnaires): {n}."},
    "wr.suggested": {"it": "Possibili abbinamenti da confermare: {n} (elenco riservato in {file}).", "en": "Possible matches to confirm: {n} (restricted list in {file})."},
    "wr.kinds": {"it": "Due modi di misurare la variazione", "en": "Two ways of measuring change"},
    "wr.kind.paired": {
        "it": "**Tra gli stessi rispondenti**: la media delle variazioni individuali di chi ha risposto in entrambe le rilevazioni, con l'intervallo di confidenza al 95% della variazione (t per dati appaiati); accanto, la media di quegli stessi rispondenti in ciascuna rilevazione.",
        "en": "**Among the same respondents**: the mean of the individual changes of those who answered in both waves, with the 95% confidence interval of the change (paired t); beside it, the mean of those same respondents in each wave.",
    },
    "wr.kind.between": {
        "it": "**Tra le medie delle rilevazioni**: la media di tutte le risposte di {b} meno quella di tutte le risposte di {a}, chi è entrato o uscito compreso, con l'intervallo al 95% della differenza (Welch). Le due rilevazioni hanno in parte gli stessi rispondenti: l'intervallo è prudente (più largo del necessario).",
        "en": "**Between the waves' means**: the mean of every response of {b} minus that of every response of {a}, respondents who entered or left included, with the 95% interval of the difference (Welch). The two waves partly share their respondents: the interval is conservative (wider than needed).",
    },
    "wr.kind.why": {
        "it": "Le due variazioni differiscono quando chi è entrato o uscito ha punteggi diversi da chi è rimasto.",
        "en": "The two changes differ when those who entered or left score differently from those who stayed.",
    },
    "wr.flows": {"it": "Rispondenti per settore", "en": "Respondents by sector"},
    "wr.by_sector": {"it": "Per settore (punteggio complessivo)", "en": "By sector (overall score)"},
    "wr.by_dimension": {"it": "Per dimensione (tutti i settori)", "en": "By dimension (all sectors)"},
    "wr.by_sector_dimension": {"it": "Per settore e dimensione", "en": "By sector and dimension"},
    "wr.paired": {"it": "Tra gli stessi rispondenti", "en": "Among the same respondents"},
    "wr.between": {"it": "Tra le medie delle rilevazioni", "en": "Between the waves' means"},
    "wr.unpublished": {"it": "Tabella non pubblicata: non si può proteggere la riservatezza dei rispondenti.", "en": "Table not published: the respondents' confidentiality cannot be protected."},
    "wr.caveat": {
        "it": "Gli intervalli descrivono solo l'errore di campionamento: chi risponde sceglie di farlo, e chi non risponde può essere diverso. Nessuna correzione per popolazione finita.",
        "en": "Intervals describe sampling error only: respondents chose to answer, and those who did not may differ. No finite-population correction.",
    },
    "wr.personal": {"it": "Le variazioni di ciascun rispondente e i nomi di chi è entrato o uscito sono solo nella cartella riservata {folder}.",
                    "en": "Each respondent's changes and the names of those who entered or left are only in the restricted folder {folder}."},
    "wr.sector": {"it": "Settore", "en": "Sector"},
    "wr.dimension": {"it": "Dimensione", "en": "Dimension"},
    "wr.n": {"it": "N", "en": "N"},
    "wr.n_wave": {"it": "N {wave}", "en": "N {wave}"},
    "wr.mean_wave": {"it": "Media {wave}", "en": "Mean {wave}"},
    "wr.delta": {"it": "Variazione", "en": "Change"},
    "wr.diff": {"it": "Differenza", "en": "Difference"},
    "wr.ci": {"it": "IC 95%", "en": "95% CI"},
    "wr.flag": {"it": "Riservatezza", "en": "Confidentiality"},
    "wr.total": {"it": "Totale", "en": "Total"},
    "wr.in_wave": {"it": "In {wave}", "en": "In {wave}"},
    "wr.in_both": {"it": "In entrambe", "en": "In both"},
    "wr.left": {"it": "Usciti (solo in {wave})", "en": "Left (only in {wave})"},
    "wr.entered": {"it": "Entrati (solo in {wave})", "en": "Entered (only in {wave})"},
    "wr.other": {"it": "Non confrontabili", "en": "Not comparable"},
    "wr.x.responses": {"it": "Risposte in {wave}", "en": "Responses in {wave}"},
    "wr.x.matched": {"it": "Abbinate per {how}", "en": "Matched by {how}"},
    "wr.x.only": {"it": "Solo in {wave}", "en": "Only in {wave}"},
    "wr.x.min_n": {"it": "Minimo di rispondenti per una media", "en": "Minimum respondents for a mean"},
    "wr.sheet.summary": {"it": "Sintesi", "en": "Summary"},
    "wr.sheet.flows": {"it": "Rispondenti", "en": "Respondents"},
    "wr.sheet.sectors": {"it": "Settori", "en": "Sectors"},
    "wr.sheet.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
    "wr.sheet.sector_dimensions": {"it": "Settori e dimensioni", "en": "Sectors and dimensions"},
    "wr.folder": {"it": "rispondenti", "en": "respondents"},
    "wr.file": {"it": "confronto", "en": "comparison"},
})


def fmt_delta(value: float | None, lang: str) -> str:
    """A signed change with one decimal ("+3,5"; "0,0" without sign)."""
    text = fmt_number(value, lang)
    if value is not None and value > 0 and text.strip("0.,"):
        return "+" + text
    return text


def _show(value: Figure, min_n: int, lang: str, signed: bool = False) -> str:
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    return fmt_delta(value, lang) if signed else fmt_number(value, lang)


def fmt_interval(ci: tuple[float, float] | None, lang: str) -> str:
    """"[-1,2; 2,4]" in Italian (the comma is the decimal mark), "[-1.2, 2.4]" in English; "–" without one."""
    if ci is None:
        return "–"
    sep = "; " if lang == "it" else ", "
    return f"[{fmt_number(ci[0], lang)}{sep}{fmt_number(ci[1], lang)}]"


def _table(head: list[str], rows: list[list[str]]) -> str:
    return tabulate(rows, head, tablefmt="github", disable_numparse=True, colalign=["left"] + ["right"] * (len(head) - 1))


def _label(change: Change, lang: str, by: str) -> str:
    if by == "sector":
        return t("wr.total", lang) if change.sector == "*" else sector_label(change.sector, lang)
    return md_cell(change.label or change.measure)


def _paired_rows(changes: Sequence[Change], fig: WaveFigures, lang: str, by: str) -> list[list[str]]:
    m = fig.min_n
    return [[_label(c, lang, by), str(c.n_pairs), _show(c.before, m, lang), _show(c.after, m, lang),
             _show(c.delta, m, lang, signed=True), fmt_interval(c.delta_ci, lang)] for c in changes]


def _between_rows(changes: Sequence[Change], fig: WaveFigures, lang: str, by: str) -> list[list[str]]:
    m = fig.min_n
    return [[_label(c, lang, by), str(c.n_a), _show(c.mean_a, m, lang), str(c.n_b), _show(c.mean_b, m, lang),
             _show(c.diff, m, lang, signed=True), fmt_interval(c.diff_ci, lang)] for c in changes]


def _two_tables(changes: Sequence[Change], fig: WaveFigures, lang: str, by: str) -> list[str]:
    a, b = md_cell(fig.comparison.label_a), md_cell(fig.comparison.label_b)
    first = t("wr.sector" if by == "sector" else "wr.dimension", lang)
    paired_head = [first, t("wr.n", lang), a, b, t("wr.delta", lang), t("wr.ci", lang)]
    between_head = [first, t("wr.n_wave", lang, wave=a), t("wr.mean_wave", lang, wave=a), t("wr.n_wave", lang, wave=b),
                    t("wr.mean_wave", lang, wave=b), t("wr.diff", lang), t("wr.ci", lang)]
    return [f"### {t('wr.paired', lang)}", _table(paired_head, _paired_rows(changes, fig, lang, by)),
            f"### {t('wr.between', lang)}", _table(between_head, _between_rows(changes, fig, lang, by))]


def _matrix(fig: WaveFigures, lang: str, value: Callable[[Change], str]) -> str:
    dims = list(dict.fromkeys(c.measure for c in fig.by_sector_dimension))
    sectors = list(dict.fromkeys(c.sector for c in fig.by_sector_dimension))
    cells = {(c.measure, c.sector): c for c in fig.by_sector_dimension}
    labels = {c.measure: c.label for c in fig.by_dimension}
    rows = [[md_cell(labels.get(d) or d), *(value(cells[(d, s)]) if (d, s) in cells else "–" for s in sectors)] for d in dims]
    return _table([t("wr.dimension", lang), *(sector_label(s, lang) for s in sectors)], rows)


def _flows(fig: WaveFigures, lang: str) -> str:
    a, b = md_cell(fig.comparison.label_a), md_cell(fig.comparison.label_b)
    head = [t("wr.sector", lang), t("wr.in_wave", lang, wave=a), t("wr.in_wave", lang, wave=b), t("wr.in_both", lang),
            t("wr.left", lang, wave=a), t("wr.entered", lang, wave=b), t("wr.other", lang)]
    rows = [[sector_label(f.sector, lang), str(f.in_a), str(f.in_b), str(f.matched), str(f.left), str(f.entered),
             str(f.not_comparable)] for f in fig.flows]
    return _table(head, rows)


def render_markdown(fig: WaveFigures, lang: str, suggestions_file: str | None = None) -> str:
    """The aggregate comparison: who is in both waves, then both kinds of change by sector and dimension."""
    cmp = fig.comparison
    a, b = md_cell(cmp.label_a), md_cell(cmp.label_b)
    how = ", ".join(f"{t(f'waves.match.{k}', lang)}: {n}" for k, n in cmp.matched_by if n)
    summary = t("wr.summary", lang, na=cmp.responses_a, nb=cmp.responses_b, a=a, b=b, matched=cmp.matched, how=how or "–",
                only_a=cmp.only_a, only_b=cmp.only_b)
    if cmp.drafts_a or cmp.drafts_b:
        summary += " " + t("wr.drafts", lang, da=cmp.drafts_a, db=cmp.drafts_b, a=a, b=b)
    if cmp.not_comparable:
        summary += " " + t("wr.not_comparable", lang, n=len(cmp.not_comparable))
    pending = [s for s in cmp.suggestions if s.decision is None]
    if pending and suggestions_file:
        summary += " " + t("wr.suggested", lang, n=len(pending), file=suggestions_file)
    parts = [
        f"# {t('wr.title', lang, a=a, b=b)}", summary,
        f"## {t('wr.kinds', lang)}",
        "\n".join(["- " + t("wr.kind.paired", lang), "- " + t("wr.kind.between", lang, a=a, b=b)]),
        t("wr.kind.why", lang),
        f"## {t('wr.flows', lang)}", _flows(fig, lang),
        f"## {t('wr.by_sector', lang)}",
        *(_two_tables(fig.by_sector, fig, lang, "sector") if fig.by_sector else [t("wr.unpublished", lang)]),
        f"## {t('wr.by_dimension', lang)}",
        *(_two_tables(fig.by_dimension, fig, lang, "dimension") if fig.by_dimension else [t("wr.unpublished", lang)]),
    ]
    if len(cmp.sectors) > 1:
        parts.append(f"## {t('wr.by_sector_dimension', lang)}")
        if fig.by_sector_dimension:
            parts += [f"### {t('wr.paired', lang)}",
                      _matrix(fig, lang, lambda c: f"{_show(c.delta, fig.min_n, lang, True)} (n={c.n_pairs})"),
                      f"### {t('wr.between', lang)}",
                      _matrix(fig, lang, lambda c: f"{_show(c.diff, fig.min_n, lang, True)} (n={c.n_a}→{c.n_b})")]
        else:
            parts.append(t("wr.unpublished", lang))
    parts += [notes(fig.min_n, lang), t("wr.caveat", lang), t("wr.personal", lang, folder=t("wr.folder", lang) + "/")]
    return "\n\n".join(parts) + "\n"


# ------------------------------------------------------------------ workbook


def _number(value: Figure) -> float | None:
    return round(value, 2) if isinstance(value, float) else None


def _flag(fig: WaveFigures, lang: str, *values: Figure) -> str | None:
    marks = dict.fromkeys(mark_label(v, fig.min_n, lang) for v in values if isinstance(v, Withheld))
    return ", ".join(marks) or None


def _ci(ci: tuple[float, float] | None) -> tuple[float | None, float | None]:
    return (round(ci[0], 2), round(ci[1], 2)) if ci else (None, None)


def _change_rows(fig: WaveFigures, changes: Sequence[Change], lang: str, first: Callable[[Change], list[Any]]) -> list[list[Any]]:
    return [[*first(c), c.n_pairs, _number(c.before), _number(c.after), _number(c.delta), *_ci(c.delta_ci),
             _flag(fig, lang, c.before, c.after, c.delta),
             c.n_a, _number(c.mean_a), c.n_b, _number(c.mean_b), _number(c.diff), *_ci(c.diff_ci),
             _flag(fig, lang, c.mean_a, c.mean_b, c.diff)] for c in changes]


def build_comparison_workbook(fig: WaveFigures, lang: str) -> Any:
    """The aggregate comparison as a workbook; numbers stay numbers (a withheld one is empty, its mark in the
    confidentiality column). Call ``workbook_bytes`` to save."""
    from crassess.sheets import SheetTable, build_workbook

    cmp = fig.comparison
    a, b = cmp.label_a, cmp.label_b
    low, high = ("IC 95% min", "IC 95% max") if lang == "it" else ("95% CI low", "95% CI high")
    changes_head = [t("wr.n", lang), f"{t('wr.paired', lang)}: {a}", f"{t('wr.paired', lang)}: {b}", t("wr.delta", lang), low, high,
                    t("wr.flag", lang), t("wr.n_wave", lang, wave=a), t("wr.mean_wave", lang, wave=a), t("wr.n_wave", lang, wave=b),
                    t("wr.mean_wave", lang, wave=b), t("wr.diff", lang), low, high, t("wr.flag", lang)]
    summary = [
        [t("wr.x.responses", lang, wave=a), cmp.responses_a],
        [t("wr.x.responses", lang, wave=b), cmp.responses_b],
        *[[t("wr.x.matched", lang, how=t(f"waves.match.{k}", lang)), n] for k, n in cmp.matched_by],
        [t("wr.x.only", lang, wave=a), cmp.only_a],
        [t("wr.x.only", lang, wave=b), cmp.only_b],
        [t("wr.other", lang), len(cmp.not_comparable)],
        [t("wr.x.min_n", lang), cmp.min_n],
        [notes(fig.min_n, lang).replace("`", ""), None],
        [t("wr.caveat", lang), None],
    ]
    flows = [[sector_label(f.sector, lang), f.in_a, f.in_b, f.matched, f.left, f.entered, f.not_comparable] for f in fig.flows]
    sheets = [
        SheetTable(t("wr.sheet.summary", lang), ["", t("wr.n", lang)], summary),
        SheetTable(t("wr.sheet.flows", lang), [t("wr.sector", lang), t("wr.in_wave", lang, wave=a), t("wr.in_wave", lang, wave=b),
                                               t("wr.in_both", lang), t("wr.left", lang, wave=a), t("wr.entered", lang, wave=b),
                                               t("wr.other", lang)], flows),
        SheetTable(t("wr.sheet.sectors", lang), [t("wr.sector", lang), *changes_head],
                   _change_rows(fig, fig.by_sector, lang, lambda c: [_label(c, lang, "sector")])),
        SheetTable(t("wr.sheet.dimensions", lang), [t("wr.dimension", lang), *changes_head],
                   _change_rows(fig, fig.by_dimension, lang, lambda c: [c.label or c.measure])),
    ]
    if fig.by_sector_dimension:
        sheets.append(SheetTable(t("wr.sheet.sector_dimensions", lang), [t("wr.sector", lang), t("wr.dimension", lang), *changes_head],
                                 _change_rows(fig, fig.by_sector_dimension, lang,
                                              lambda c: [sector_label(c.sector, lang), c.label or c.measure])))
    return build_workbook(sheets)
