"""The territory report (Markdown): every sector together, fibre, resistance, needs, the road-map."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crassess.i18n import pick, t
from crassess.reports.analysis import (
    BARRIERS,
    NEEDS,
    SECTORS,
    UNKNOWN,
    Frequency,
    TerritoryAnalysis,
)
from crassess.reports.markdown import (
    FIBRE_COLUMNS,
    actions_table,
    choice_label,
    count,
    fibre_cells,
    fibre_table,
    header,
    image,
    level_bands,
    md_text,
    num,
    pct,
    sector_name,
    sector_summary_text,
    summary_cell,
    table,
)

RESISTANCE_DIMENSION = "atteggiamento"


def _cross_frequency(ta: TerritoryAnalysis, attr: str, lang: str, head: str) -> list[str]:
    qid = {"barriers": BARRIERS, "needs": NEEDS}[attr]
    present = [s for s in SECTORS if getattr(ta.sectors[s], attr) is not None]
    if not present:
        return []
    values: list[str] = []
    labels: dict[str, str] = {}
    for s in present:
        freq: Frequency = getattr(ta.sectors[s], attr)
        for row in freq.rows:
            if row.value not in labels:
                values.append(row.value)
                labels[row.value] = choice_label(ta.sectors[s].questionnaire, qid, row.value, lang)
    rows = []
    for v in values:
        row = [labels[v]]
        for s in present:
            freq = getattr(ta.sectors[s], attr)
            match = [r for r in freq.rows if r.value == v]
            row.append(pct(match[0].share, lang, True, ta.min_n) if match else "–")
        rows.append(row)
    heads = [head] + [sector_name(s, lang) for s in present]
    return [table(heads, rows), "", t("report.t.freq_note", lang), ""]


def _fibre_sentences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """One sentence per sector whose fibre shares are shown (nothing is said about withheld ones)."""
    out = []
    for s in SECTORS:
        f = ta.sectors[s].fibre
        if f is None or f.n < ta.min_n:
            continue
        none, not_adopted, unknown, adopted = f.shares()
        parts = []
        if f.asked[0] and none is not None:
            parts.append(t("report.t.fibre_none", lang, share=num(none, lang)))
        if f.asked[1] and not_adopted is not None:
            parts.append(t("report.t.fibre_not_adopted", lang, share=num(not_adopted, lang)))
        if f.asked[2] and unknown is not None:
            parts.append(t("report.t.fibre_unknown", lang, share=num(unknown, lang)))
        if adopted is not None:
            parts.append(t("report.t.fibre_adopted", lang, share=num(adopted, lang)))
        if parts:
            out.append(t("report.t.fibre_sentence", lang, sector=sector_name(s, lang), n=f.n, parts=", ".join(parts)))
    return [" ".join(out), ""] if out else []


def _resistance(ta: TerritoryAnalysis, lang: str) -> list[str]:
    label = dict(ta.dimensions).get(RESISTANCE_DIMENSION)
    values = [f"{sector_name(s, lang)} {num(ta.sectors[s].dimensions[RESISTANCE_DIMENSION].mean, lang)}" for s in SECTORS
              if RESISTANCE_DIMENSION in ta.sectors[s].dimensions and ta.sectors[s].dimensions[RESISTANCE_DIMENSION].mean is not None]
    if not label or not values:
        return []
    return [t("report.t.resistance", lang, dim=pick(label, lang), values=", ".join(values)), ""]


def _top_sentences(ta: TerritoryAnalysis, attr: str, lang: str) -> list[str]:
    """The item named most often in each sector, when its share is shown."""
    qid = {"barriers": BARRIERS, "needs": NEEDS}[attr]
    out = []
    for s in SECTORS:
        freq: Frequency | None = getattr(ta.sectors[s], attr)
        rows = [r for r in freq.rows if r.share and r.count] if freq else []
        if not rows:
            continue
        best = max(r.share for r in rows)  # type: ignore[type-var]
        labels = [choice_label(ta.sectors[s].questionnaire, qid, r.value, lang) for r in rows if r.share == best]
        out.append(t("report.t.top_item", lang, sector=sector_name(s, lang), items=", ".join(f"«{x}»" for x in labels),
                     share=num(best, lang)))
    return [" ".join(out), ""] if out else []


def territory_report(ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None,
                     sector_files: Mapping[str, str] | None = None, extra_sections: Sequence[str] = ()) -> str:
    """"Stato digitale del territorio": sectors side by side, coverage, connectivity, barriers, needs, road-map."""
    charts = charts or {}
    min_n = ta.min_n
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    out = header(t("report.t.title", lang, name=md_text(ta.name)), ta.synthetic, meta, lang)
    counts = {s: ta.sectors[s].n for s in SECTORS}
    out += [t("report.t.intro", lang, n=sum(counts.values()), **counts)]
    if ta.drafts or ta.excluded:
        out[-1] += " " + t("report.t.excluded", lang, drafts=ta.drafts, excluded=ta.excluded)
    out += ["", t("report.suppression", lang, n=min_n), ""]

    reportable = [s for s in SECTORS if ta.sectors[s].reportable and ta.sectors[s].overall.mean is not None]
    if len(reportable) >= 2:
        ranked = sorted(reportable, key=lambda s: ta.sectors[s].overall.mean)  # type: ignore[arg-type,return-value]
        lo, hi = ta.sectors[ranked[0]].overall, ta.sectors[ranked[-1]].overall
        text = t("report.t.rank", lang, best=sector_name(ranked[-1], lang), best_mean=num(hi.mean, lang),
                 worst=sector_name(ranked[0], lang), worst_mean=num(lo.mean, lang))
        if lo.ci and hi.ci:
            text += " " + t("report.t.overlap" if lo.ci[1] >= hi.ci[0] else "report.t.no_overlap", lang)
        if len({ta.sectors[s].questionnaire.id for s in reportable}) > 1:  # type: ignore[union-attr]
            text += " " + t("report.t.different_questionnaires", lang)
        out += [text, ""]
    for s in reportable:
        summary = sector_summary_text(ta.sectors[s], lang)
        if summary:
            out += [f"**{sector_name(s, lang)}.** {summary}", ""]

    if sector_files:
        out += [f"{t('report.t.reports', lang)}: " + ", ".join(f"[{sector_name(s, lang)}]({f})" for s, f in sector_files.items()), ""]

    out += [f"## {t('report.t.compare', lang)}", ""]
    heads = [t("report.c.dimension", lang)] + [sector_name(s, lang) for s in SECTORS]
    rows = []
    for dim_id, label in ta.dimensions:
        row = [pick(label, lang)]
        for s in SECTORS:
            sa = ta.sectors[s]
            row.append(summary_cell(sa.dimensions[dim_id], lang, min_n) if dim_id in sa.dimensions else "–")
        rows.append(row)
    rows.append([f"**{t('report.c.overall', lang)}**"] + [summary_cell(ta.sectors[s].overall, lang, min_n) for s in SECTORS])
    out += [table(heads, rows), "", t("report.t.compare_note", lang), ""]
    out += image(t("report.t.chart_compare", lang), charts.get("compare"))

    out += [f"## {t('report.t.coverage', lang)}", ""]
    covered = sum(1 for c in ta.coverage if c != UNKNOWN)
    out += [t("report.t.coverage_text", lang, covered=covered, total=ta.comuni_total), ""]
    out += [t("report.t.coverage_sectors", lang, **{s: len({c for c, cells in ta.coverage.items() if c != UNKNOWN and cells[s] != 0})
                                                     for s in SECTORS}), ""]
    # the comuni column is left out: a comune is its own respondent and is never named
    shown = [s for s in SECTORS if s != "comune"]
    heads = [t("report.r.comune", lang)] + [sector_name(s, lang) for s in shown] + [t("report.c.total", lang)]
    rows = []
    for code, cells in ta.coverage.items():
        label = ta.comuni_names.get(code, t("report.t.unknown_comune", lang))
        rows.append([label] + [count(cells[s], min_n) for s in shown] + [count(ta.coverage_totals.get(code), min_n)])
    out += [table(heads, rows), "", t("report.t.coverage_note", lang), ""]
    if ta.comuni_without:
        out += [f"### {t('report.t.without', lang, n=len(ta.comuni_without))}", ""]
        out += [", ".join(ta.comuni_names[c] for c in ta.comuni_without) + ".", ""]

    out += [f"## {t('report.t.connectivity', lang)}", ""]
    out += _fibre_sentences(ta, lang)
    out += fibre_table(ta.sectors, lang, min_n)
    if any(ta.sectors[s].fibre is not None for s in SECTORS):
        out += [t("report.t.connectivity_note", lang), ""]
        out += [f"### {t('report.t.fibre_by_comune', lang, n=min_n)}", ""]
        if ta.fibre_by_comune:
            heads = [t("report.r.comune", lang), t("report.c.respondents", lang)] + [t(k, lang) for k in FIBRE_COLUMNS]
            rows = [[ta.comuni_names[c]] + fibre_cells(f, lang, min_n) for c, f in ta.fibre_by_comune.items()]
            out += [table(heads, rows), ""]
        else:
            out += [t("report.t.fibre_no_comune", lang, n=min_n), ""]

    for attr, key, head in (("barriers", "barriers", "barrier"), ("needs", "needs", "need")):
        part = _cross_frequency(ta, attr, lang, t(f"report.c.{head}", lang))
        if part:
            intro = _top_sentences(ta, attr, lang) + (_resistance(ta, lang) if attr == "barriers" else [])
            out += [f"## {t(f'report.t.{key}', lang)}", ""] + intro + part

    out += [f"## {t('report.t.roadmap', lang)}", ""]
    if ta.actions:
        qns = {s: ta.sectors[s].questionnaire for s in SECTORS}
        out += [actions_table(ta.actions, qns, lang, True), "", t("report.t.roadmap_note", lang), ""]
    else:
        out += [t("report.t.no_actions", lang, n=min_n), ""]

    for section in extra_sections:
        out += [section.rstrip(), ""]
    out += [f"## {t('report.t.method', lang)}", ""]
    qn = next((ta.sectors[s].questionnaire for s in SECTORS if ta.sectors[s].questionnaire), None)
    bands = level_bands(qn, lang) if qn else "–"
    out += [t("report.t.method_text", lang, levels=bands, suppression=t("report.suppression", lang, n=min_n)), ""]
    return "\n".join(out).rstrip() + "\n"
