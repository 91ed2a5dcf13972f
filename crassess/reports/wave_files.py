"""Every file of a wave comparison: the aggregate report, and the restricted folder with names.

The restricted folder (``rispondenti/`` / ``respondents/``) holds each respondent's own changes (Markdown and
Excel, unless ``--no-respondent-files``), the list of who entered, left or could not be compared, and the
suggested matches to confirm (``abbinamenti.csv`` / ``matches.csv``). Nothing in it is to be published.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tabulate import tabulate

from crassess.campaign.data import sector_label
from crassess.campaign.matching import MATCH_COLUMNS, Suggestion
from crassess.campaign.waves import RespondentChange, WaveComparison
from crassess.csvfile import CsvStyle, csv_bytes
from crassess.i18n import fmt_number, register, t
from crassess.reports.wave_figures import WaveFigures
from crassess.reports.waves import build_comparison_workbook, fmt_delta, render_markdown
from crassess.safe_text import md_cell, safe_filename

register({
    "wf.respondent_title": {"it": "{name}: confronto {a} → {b}", "en": "{name}: comparison {a} → {b}"},
    "wf.respondent_intro": {"it": "Settore: {sector}. Comune: {comune}. Abbinamento per {how}.", "en": "Sector: {sector}. Comune: {comune}. Matched by {how}."},
    "wf.overall": {"it": "Complessivo", "en": "Overall"},
    "wf.dimension": {"it": "Dimensione", "en": "Dimension"},
    "wf.delta": {"it": "Variazione", "en": "Change"},
    "wf.sheet": {"it": "Sintesi", "en": "Summary"},
    "wf.members": {"it": "entrati-usciti", "en": "entered-left"},
    "wf.matches": {"it": "abbinamenti", "en": "matches"},
    "wf.members.head": {"it": "stato;rilevazione;settore;nome;comune;nome_comune;file;risposta",
                        "en": "status;wave;sector;name;comune;comune_name;file;response"},
    "wf.status.left": {"it": "uscito", "en": "left"},
    "wf.status.entered": {"it": "entrato", "en": "entered"},
    "wf.status.not_comparable": {"it": "non confrontabile", "en": "not comparable"},
    "wf.yes": {"it": "sì", "en": "yes"},
    "wf.no": {"it": "no", "en": "no"},
    "wf.to_confirm": {"it": "possibili abbinamenti da confermare: {n}; scrivere sì o no nella prima colonna di {file} e rilanciare con --matches {file}",
                      "en": "possible matches to confirm: {n}; write yes or no in the first column of {file} and run again with --matches {file}"},
})


@dataclass(frozen=True)
class OutputFile:
    path: str
    data: bytes


def _comune(change: RespondentChange) -> str:
    if change.comune_name:
        return f"{change.comune_name} ({change.comune})"
    return change.comune or "–"


def respondent_markdown(cmp: WaveComparison, change: RespondentChange, lang: str) -> str:
    """One respondent's own changes (overall and per dimension)."""
    head = [t("wf.dimension", lang), md_cell(cmp.label_a), md_cell(cmp.label_b), t("wf.delta", lang)]
    rows = [[t("wf.overall", lang), fmt_number(change.overall_before, lang), fmt_number(change.overall_after, lang), fmt_delta(change.delta, lang)]]
    rows += [[md_cell(d.label), fmt_number(d.before, lang), fmt_number(d.after, lang), fmt_delta(d.delta, lang)] for d in change.dimensions]
    parts = [
        f"# {t('wf.respondent_title', lang, name=md_cell(change.name), a=md_cell(cmp.label_a), b=md_cell(cmp.label_b))}",
        t("wf.respondent_intro", lang, sector=sector_label(change.sector, lang), comune=md_cell(_comune(change)),
          how=t(f"waves.match.{change.matched_by}", lang)),
        tabulate(rows, head, tablefmt="github", disable_numparse=True, colalign=["left", "right", "right", "right"]),
    ]
    return "\n\n".join(parts) + "\n"


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def build_respondent_workbook(cmp: WaveComparison, change: RespondentChange, lang: str) -> Any:
    from crassess.sheets import SheetTable, build_workbook

    head = [t("wf.dimension", lang), cmp.label_a, cmp.label_b, t("wf.delta", lang)]
    rows = [[t("wf.overall", lang), _number(change.overall_before), _number(change.overall_after), _number(change.delta)]]
    rows += [[d.label, _number(d.before), _number(d.after), _number(d.delta)] for d in change.dimensions]
    return build_workbook([SheetTable(t("wf.sheet", lang), head, rows)])


def respondent_stem(change: RespondentChange) -> str:
    """A safe, unique file name: the name as a slug plus a short hash of the response id, in a domain of its own
    (it matches no pseudonym of an export)."""
    digest = hashlib.sha256(f"crassess-compare-file:{change.key}".encode()).hexdigest()[:6]
    return f"{safe_filename(change.name, 'rispondente')}-{digest}"


def members_csv(cmp: WaveComparison, lang: str, style: CsvStyle) -> bytes:
    """Who entered, who left and who could not be compared: names, for the campaign's staff only."""
    rows: list[list[Any]] = []
    for status, members in (("left", cmp.left), ("entered", cmp.entered)):
        rows += [[t(f"wf.status.{status}", lang), m.wave, m.sector, m.name, m.comune, m.comune_name, m.file, m.response_id]
                 for m in members]
    rows += [[t("wf.status.not_comparable", lang), f"{cmp.label_a} → {cmp.label_b}", f"{x.sector_a} → {x.sector_b}",
              "", "", "", f"{x.file_a} → {x.file_b}", f"{x.response_a} → {x.response_b}"] for x in cmp.not_comparable]
    return csv_bytes(t("wf.members.head", lang).split(";"), rows, style)


def _reasons(s: Suggestion, lang: str) -> str:
    return ", ".join(t(f"waves.{'match' if r == 'confirmed' else 'why'}.{r}", lang) for r in s.reasons)


def matches_csv(cmp: WaveComparison, lang: str, style: CsvStyle) -> bytes:
    """The suggested matches for the user to confirm (``sì``/``no`` in the first column), decisions kept."""
    rows = []
    for s in cmp.suggestions:
        decision = {True: t("wf.yes", lang), False: t("wf.no", lang), None: ""}[s.decision]
        ra, rb = s.a.response.respondent, s.b.response.respondent
        rows.append([decision, s.a.response_id, s.a.file.name, ra.name, ra.comune, s.b.response_id, s.b.file.name, rb.name,
                     rb.comune, _reasons(s, lang), s.similarity if s.decision is None else None])
    return csv_bytes([names[lang] for names in MATCH_COLUMNS.values()], rows, style)


def matches_path(lang: str) -> str:
    return f"{t('wr.folder', lang)}/{t('wf.matches', lang)}.csv"


def to_confirm(cmp: WaveComparison, output: Path, lang: str) -> str | None:
    """What the terminal says when proposed matches wait for a decision (None when none does)."""
    pending = sum(1 for s in cmp.suggestions if s.decision is None)
    return t("wf.to_confirm", lang, n=pending, file=output / matches_path(lang)) if pending else None


def comparison_files(fig: WaveFigures, lang: str, respondent_files: bool = True, style: CsvStyle | None = None) -> tuple[OutputFile, ...]:
    """Every file of a comparison, relative to the output folder (the caller writes them)."""
    from crassess.sheets import workbook_bytes

    cmp = fig.comparison
    style = style or CsvStyle.for_language(lang)
    stem, folder = t("wr.file", lang), t("wr.folder", lang)
    matches = matches_path(lang) if cmp.suggestions else None
    files = [
        OutputFile(f"{stem}.md", render_markdown(fig, lang, matches).encode("utf-8")),
        OutputFile(f"{stem}.xlsx", workbook_bytes(build_comparison_workbook(fig, lang))),
    ]
    if cmp.left or cmp.entered or cmp.not_comparable:
        files.append(OutputFile(f"{folder}/{t('wf.members', lang)}.csv", members_csv(cmp, lang, style)))
    if matches:
        files.append(OutputFile(matches, matches_csv(cmp, lang, style)))
    if not respondent_files:
        return tuple(files)
    used: set[str] = set()
    for change in cmp.respondents:
        name, n = respondent_stem(change), 2
        while name in used:  # the same response id twice (files without id): never overwrite
            name, n = f"{respondent_stem(change)}-{n}", n + 1
        used.add(name)
        files.append(OutputFile(f"{folder}/{name}.md", respondent_markdown(cmp, change, lang).encode("utf-8")))
        files.append(OutputFile(f"{folder}/{name}.xlsx", workbook_bytes(build_respondent_workbook(cmp, change, lang))))
    return tuple(files)
