"""Rendering a wave comparison: the aggregate report (Markdown, Excel) and one file per respondent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tabulate import tabulate

from crassess.campaign.data import sector_label
from crassess.campaign.waves import AggregateChange, RespondentChange, WaveComparison
from crassess.i18n import fmt_number, register, t
from crassess.safe_text import md_cell, pseudonym, safe_filename

register({
    "wr.title": {"it": "Confronto tra rilevazioni: {a} → {b}", "en": "Comparison of waves: {a} → {b}"},
    "wr.summary": {"it": "Risposte: {na} in {a}, {nb} in {b}. Abbinate: {matched} ({how}). Solo in {a}: {only_a}; solo in {b}: {only_b}.",
                   "en": "Responses: {na} in {a}, {nb} in {b}. Matched: {matched} ({how}). Only in {a}: {only_a}; only in {b}: {only_b}."},
    "wr.drafts": {"it": "Bozze non considerate: {da} in {a}, {db} in {b}.", "en": "Drafts left out: {da} in {a}, {db} in {b}."},
    "wr.by_sector": {"it": "Per settore (punteggio complessivo)", "en": "By sector (overall score)"},
    "wr.by_dimension": {"it": "Per dimensione", "en": "By dimension"},
    "wr.by_sector_dimension": {"it": "Variazione per settore e dimensione (rispondenti abbinati)", "en": "Change by sector and dimension (matched respondents)"},
    "wr.sheet.sector_dimensions": {"it": "Settori e dimensioni", "en": "Sectors and dimensions"},
    "wr.sector": {"it": "Settore", "en": "Sector"},
    "wr.dimension": {"it": "Dimensione", "en": "Dimension"},
    "wr.n": {"it": "N", "en": "N"},
    "wr.delta": {"it": "Variazione", "en": "Change"},
    "wr.total": {"it": "Totale", "en": "Total"},
    "wr.overall": {"it": "Complessivo", "en": "Overall"},
    "wr.suppressed": {"it": "Medie su meno di {n} rispondenti abbinati non mostrate (–), per la riservatezza; la variazione è la media delle variazioni individuali.",
                      "en": "Means over fewer than {n} matched respondents are not shown (–), for privacy; the change is the mean of the individual changes."},
    "wr.personal": {"it": "Le variazioni di ciascun rispondente sono solo nel suo file personale (cartella {folder}).",
                    "en": "Each respondent's changes are only in their own file (folder {folder})."},
    "wr.respondent_title": {"it": "{name}: confronto {a} → {b}", "en": "{name}: comparison {a} → {b}"},
    "wr.respondent_intro": {"it": "Settore: {sector}. Comune: {comune}. Abbinamento per {how}.", "en": "Sector: {sector}. Comune: {comune}. Matched by {how}."},
    "wr.x.responses": {"it": "Risposte in {wave}", "en": "Responses in {wave}"},
    "wr.x.matched": {"it": "Abbinate per {how}", "en": "Matched by {how}"},
    "wr.x.only": {"it": "Solo in {wave}", "en": "Only in {wave}"},
    "wr.x.min_n": {"it": "Minimo di rispondenti per una media", "en": "Minimum respondents for a mean"},
    "wr.folder": {"it": "rispondenti", "en": "respondents"},
    "wr.file": {"it": "confronto", "en": "comparison"},
    "wr.sheet.summary": {"it": "Sintesi", "en": "Summary"},
    "wr.sheet.sectors": {"it": "Settori", "en": "Sectors"},
    "wr.sheet.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
})


def _comune(change: RespondentChange) -> str:
    if change.comune_name:
        return f"{change.comune_name} ({change.comune})"
    return change.comune or "–"


def fmt_delta(value: float | None, lang: str) -> str:
    """A signed change with one decimal ("+3,5"; "0,0" without sign)."""
    text = fmt_number(value, lang)
    if value is not None and value > 0 and text.strip("0.,"):
        return "+" + text
    return text


def _agg_row(label: str, row: AggregateChange, lang: str) -> list[str]:
    return [md_cell(label), str(row.n), fmt_number(row.before, lang), fmt_number(row.after, lang), fmt_delta(row.delta, lang)]


def _table(head: list[str], rows: list[list[str]]) -> str:
    return tabulate(rows, head, tablefmt="github", disable_numparse=True, colalign=["left"] + ["right"] * (len(head) - 1))


def render_markdown(cmp: WaveComparison, lang: str) -> str:
    """The aggregate comparison: counts, per sector and per dimension; no respondent appears in it."""
    a, b = md_cell(cmp.label_a), md_cell(cmp.label_b)
    how = ", ".join(f"{t(f'waves.match.{k}', lang)}: {n}" for k, n in cmp.matched_by if n)
    head = [t("wr.n", lang), md_cell(cmp.label_a), md_cell(cmp.label_b), t("wr.delta", lang)]
    sectors = [_agg_row(sector_label(r.key, lang), r, lang) for r in cmp.by_sector]
    sectors.append(_agg_row(t("wr.total", lang), cmp.total, lang))
    dims = [_agg_row(r.label or r.key, r, lang) for r in cmp.by_dimension]
    matrix = _sector_dimension_table(cmp, lang)
    parts = [
        f"# {t('wr.title', lang, a=a, b=b)}",
        t("wr.summary", lang, na=cmp.responses_a, nb=cmp.responses_b, a=a, b=b, matched=cmp.matched, how=how or "–",
          only_a=cmp.only_a, only_b=cmp.only_b)
        + (" " + t("wr.drafts", lang, da=cmp.drafts_a, db=cmp.drafts_b, a=a, b=b) if cmp.drafts_a or cmp.drafts_b else ""),
        f"## {t('wr.by_sector', lang)}",
        _table([t("wr.sector", lang), *head], sectors),
        f"## {t('wr.by_dimension', lang)}",
        _table([t("wr.dimension", lang), *head], dims) if dims else "–",
        *([f"## {t('wr.by_sector_dimension', lang)}", matrix] if matrix else []),
        t("wr.suppressed", lang, n=cmp.min_n),
        t("wr.personal", lang, folder=t("wr.folder", lang) + "/"),
    ]
    return "\n\n".join(parts) + "\n"


def _sector_dimension_table(cmp: WaveComparison, lang: str) -> str:
    """Dimensions x sectors, each cell "change (n=N)"; only when there are several sectors."""
    if not cmp.by_sector_dimension or len(cmp.by_sector_dimension[0].sectors) < 2:
        return ""
    head = [t("wr.dimension", lang), *(sector_label(r.key, lang) for r in cmp.by_sector_dimension[0].sectors)]
    rows = [[md_cell(d.label or d.dimension), *(f"{fmt_delta(r.delta, lang)} (n={r.n})" for r in d.sectors)] for d in cmp.by_sector_dimension]
    return _table(head, rows)


def respondent_markdown(cmp: WaveComparison, change: RespondentChange, lang: str) -> str:
    """One respondent's own changes (overall and per dimension)."""
    head = [t("wr.dimension", lang), md_cell(cmp.label_a), md_cell(cmp.label_b), t("wr.delta", lang)]
    rows = [[t("wr.overall", lang), fmt_number(change.overall_before, lang), fmt_number(change.overall_after, lang), fmt_delta(change.delta, lang)]]
    rows += [[md_cell(d.label), fmt_number(d.before, lang), fmt_number(d.after, lang), fmt_delta(d.delta, lang)] for d in change.dimensions]
    parts = [
        f"# {t('wr.respondent_title', lang, name=md_cell(change.name), a=md_cell(cmp.label_a), b=md_cell(cmp.label_b))}",
        t("wr.respondent_intro", lang, sector=sector_label(change.sector, lang), comune=md_cell(_comune(change)),
          how=t(f"waves.match.{change.matched_by}", lang)),
        _table(head, rows),
    ]
    return "\n\n".join(parts) + "\n"


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def build_comparison_workbook(cmp: WaveComparison, lang: str) -> Any:
    """The aggregate comparison as a workbook (summary, sectors, dimensions). Call ``workbook_bytes`` to save."""
    from crassess.sheets import SheetTable, build_workbook

    head = [t("wr.n", lang), cmp.label_a, cmp.label_b, t("wr.delta", lang)]

    def rows(items: list[tuple[str, AggregateChange]]) -> list[list[Any]]:
        return [[label, r.n, _number(r.before), _number(r.after), _number(r.delta)] for label, r in items]

    summary = [
        [t("wr.x.responses", lang, wave=cmp.label_a), cmp.responses_a],
        [t("wr.x.responses", lang, wave=cmp.label_b), cmp.responses_b],
        *[[t("wr.x.matched", lang, how=t(f"waves.match.{k}", lang)), n] for k, n in cmp.matched_by],
        [t("wr.x.only", lang, wave=cmp.label_a), cmp.only_a],
        [t("wr.x.only", lang, wave=cmp.label_b), cmp.only_b],
        [t("wr.x.min_n", lang), cmp.min_n],
    ]
    sectors = [(sector_label(r.key, lang), r) for r in cmp.by_sector] + [(t("wr.total", lang), cmp.total)]
    return build_workbook([
        SheetTable(t("wr.sheet.summary", lang), ["", t("wr.n", lang)], summary),
        SheetTable(t("wr.sheet.sectors", lang), [t("wr.sector", lang), *head], rows(sectors)),
        SheetTable(t("wr.sheet.dimensions", lang), [t("wr.dimension", lang), *head], rows([(r.label or r.key, r) for r in cmp.by_dimension])),
        SheetTable(t("wr.sheet.sector_dimensions", lang), [t("wr.sector", lang), t("wr.dimension", lang), *head], [
            [sector_label(r.key, lang), d.label or d.dimension, r.n, _number(r.before), _number(r.after), _number(r.delta)]
            for d in cmp.by_sector_dimension for r in d.sectors
        ]),
    ])


def build_respondent_workbook(cmp: WaveComparison, change: RespondentChange, lang: str) -> Any:
    from crassess.sheets import SheetTable, build_workbook

    head = [t("wr.dimension", lang), cmp.label_a, cmp.label_b, t("wr.delta", lang)]
    rows = [[t("wr.overall", lang), _number(change.overall_before), _number(change.overall_after), _number(change.delta)]]
    rows += [[d.label, _number(d.before), _number(d.after), _number(d.delta)] for d in change.dimensions]
    return build_workbook([SheetTable(t("wr.sheet.summary", lang), head, rows)])


@dataclass(frozen=True)
class OutputFile:
    path: str
    data: bytes


def respondent_stem(change: RespondentChange) -> str:
    """A safe, unique file name: the name as a slug plus a short stable hash of the response id."""
    return f"{safe_filename(change.name, 'rispondente')}-{pseudonym(change.key, '', 6)}"


def comparison_files(cmp: WaveComparison, lang: str) -> tuple[OutputFile, ...]:
    """Every file of a comparison, relative to the output folder (the caller writes them)."""
    from crassess.sheets import workbook_bytes

    stem, folder = t("wr.file", lang), t("wr.folder", lang)
    files = [
        OutputFile(f"{stem}.md", render_markdown(cmp, lang).encode("utf-8")),
        OutputFile(f"{stem}.xlsx", workbook_bytes(build_comparison_workbook(cmp, lang))),
    ]
    used: set[str] = set()
    for change in cmp.respondents:
        name, n = respondent_stem(change), 2
        while name in used:  # the same response id twice (files without id): never overwrite
            name, n = f"{respondent_stem(change)}-{n}", n + 1
        used.add(name)
        files.append(OutputFile(f"{folder}/{name}.md", respondent_markdown(cmp, change, lang).encode("utf-8")))
        files.append(OutputFile(f"{folder}/{name}.xlsx", workbook_bytes(build_respondent_workbook(cmp, change, lang))))
    return tuple(files)
