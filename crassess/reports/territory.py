"""The territory report (Markdown): the Sintesi first, then representativeness, the sectors side by side,
where fibre is missing, barriers and resistance, needs, the road-map; long tables are in the workbook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crassess.i18n import pick, register, t
from crassess.reports.disclosure import notes
from crassess.reports.fibre import (
    IndicatorJoin,
    comune_fibre_table,
    coverage_ranking,
    indicators_section,
)
from crassess.reports.markdown import (
    choice_label,
    fibre_table,
    header,
    image,
    level_bands,
    md_text,
    num,
    pct,
    sector_name,
    summary_cell,
    table,
)
from crassess.reports.programme_md import programme_section, twin_section
from crassess.reports.representation import caveat, representation_section, skews
from crassess.reports.results import Frequency, SectorAnalysis, TerritoryAnalysis
from crassess.reports.summary import (
    RESISTANCE_REASONS,
    context,
    territory_summary,
)
from crassess.reports.tally import BARRIERS, DERIVED, NEEDS, SECTORS, UNKNOWN

register({
    "report.t.title": {"it": "Stato digitale del territorio: {name}", "en": "Digital state of the territory: {name}"},
    "report.t.excluded": {
        "it": "Non sono conteggiate {drafts} bozze e {excluded} file non validi.",
        "en": "{drafts} drafts and {excluded} invalid files are not counted.",
    },
    "report.t.compare": {"it": "I settori a confronto", "en": "The sectors side by side"},
    "report.t.compare_note": {
        "it": "Media 0-100 (rispondenti). «–»: dimensione non rilevata nel settore.",
        "en": "Mean 0-100 (respondents). '–': dimension not surveyed in the sector.",
    },
    "report.t.different_questionnaires": {
        "it": "I punteggi complessivi vengono da questionari diversi per settore: il confronto più solido è quello sulle dimensioni comuni, qui sotto.",
        "en": "The overall scores come from a different questionnaire per sector: the sounder comparison is on the shared dimensions, below.",
    },
    "report.t.connectivity_note": {
        "it": "Quote di tutti i rispondenti, come dichiarano per la propria sede; «disponibile, non attivata»: la fibra è disponibile all'indirizzo ma la linea non è in fibra. Ai Comuni non si chiede la disponibilità.",
        "en": "Shares of all respondents, as they report for their own premises; 'available, not adopted': fibre is available at the address but the line is not fibre. The comuni are not asked about availability.",
    },
    "report.t.fibre_by_comune": {"it": "Per comune (comuni con almeno {n} associazioni e imprese rispondenti)", "en": "By municipality (municipalities with at least {n} responding associations and businesses)"},
    "report.t.fibre_no_comune": {"it": "Nessun comune ha almeno {n} associazioni e imprese rispondenti.", "en": "No municipality has at least {n} responding associations and businesses."},
    "report.t.barriers": {"it": "Ostacoli e resistenze", "en": "Barriers and resistance"},
    "report.t.needs": {"it": "Esigenze verso il Digital Center", "en": "Needs toward the Digital Center"},
    "report.t.freq_note": {"it": "Quota dei rispondenti di ciascun settore che indicano la voce.", "en": "Share of each sector's respondents naming the item."},
    "report.t.method": {"it": "Metodo", "en": "Method"},
    "report.t.reports": {"it": "Rapporti di settore", "en": "Sector reports"},
    "report.t.coverage_text": {
        "it": "Comuni con almeno un'associazione o un'impresa rispondente: **{covered}** su {total}.",
        "en": "Municipalities with at least one responding association or business: **{covered}** of {total}.",
    },
    "report.t.method_text": {
        "it": "Ogni risposta vale da 0 a 100; una dimensione è la media pesata delle sue domande, il punteggio complessivo la media pesata delle dimensioni. Livelli: {levels}. Intervalli di confidenza: t di Student sulla media, con la correzione per popolazione finita dove la popolazione è nota; differenze tra settori: intervallo di Welch. {selection}",
        "en": "Each answer is worth 0 to 100; a dimension is the weighted mean of its questions, the overall score the weighted mean of the dimensions. Levels: {levels}. Confidence intervals: Student t on the mean, with the finite-population correction where the population is known; differences between sectors: Welch's interval. {selection}",
    },
    "report.t.no_differences": {"it": "Nessuna dimensione comune ha cifre pubblicate in almeno due settori.", "en": "No shared dimension has published figures in two sectors or more."},
    "report.t.answered": {"it": "Comuni che hanno risposto al questionario dei Comuni ({n})", "en": "Municipalities that answered the municipal questionnaire ({n})"},
    "report.t.fibre_unpublished": {"it": "Tabella per comune non pubblicata: non si può proteggere.", "en": "Table by municipality not published: it cannot be protected."},
    "report.t.differences_text": {
        "it": "Differenze conclusive (intervallo di Welch al 95% senza lo zero): {parts}. Le altre {others} non sono conclusive; tutte, con gli intervalli, nel foglio «Differenze» della cartella di lavoro.",
        "en": "Conclusive differences (Welch's 95% interval without zero): {parts}. The other {others} are not conclusive; all, with their intervals, in the workbook's «Differences» sheet.",
    },
    "report.t.differences_none": {
        "it": "Nessuna delle {n} differenze tra settori sulle dimensioni comuni è conclusiva (intervallo di Welch al 95% con lo zero); sono nel foglio «Differenze» della cartella di lavoro.",
        "en": "None of the {n} differences between sectors on the shared dimensions is conclusive (Welch's 95% interval contains zero); they are in the workbook's «Differences» sheet.",
    },
    "report.t.fibre_gap": {"it": "Dove manca la fibra", "en": "Where fibre is missing"},
    "report.t.overall": {"it": "Punteggio medio complessivo: {values}.", "en": "Mean overall score: {values}."},
    "report.t.coverage_short": {
        "it": "Comuni con almeno un'associazione o un'impresa rispondente: **{covered}** su {total}; il dettaglio per comune è nel foglio «Copertura» della cartella di lavoro.",
        "en": "Municipalities with at least one responding association or business: **{covered}** of {total}; the detail by municipality is in the workbook's «Coverage» sheet.",
    },
    "report.t.context": {"it": "Contesto", "en": "Context"},
    "report.t.ctx.copertura_mobile": {"it": "Segnale mobile", "en": "Mobile signal"},
    "report.t.ctx.velocita_misurata": {"it": "Velocità misurata", "en": "Measured speed"},
    "report.t.ctx.localita": {"it": "Sede", "en": "Premises"},
    "report.t.context_note": {
        "it": "Quota dei rispondenti; le voci con almeno una quota pubblicabile (tutte nei rapporti di settore).",
        "en": "Share of respondents; the items with at least one publishable share (all in the sector reports).",
    },
    "report.t.reasons": {"it": "Motivi della resistenza al cambiamento", "en": "Reasons for resisting change"},
    "report.t.members": {"it": "{sector} per gli associati", "en": "{sector} for their members"},
    "report.t.members_note": {
        "it": "«{col}»: i servizi di cui, secondo le associazioni, hanno più bisogno i loro associati.",
        "en": "'{col}': the services the associations say their members most need.",
    },
    "report.t.shown_rows": {
        "it": "Sono mostrate le voci con almeno una quota pubblicabile; l'elenco completo è nel foglio «Ostacoli ed esigenze» della cartella di lavoro.",
        "en": "Items with at least one publishable share are shown; the full list is in the workbook's «Barriers and needs» sheet.",
    },
})


LOCATED = ("associazione", "impresa")  # respondents counted per comune (a comune is its own respondent)
CONNECTIVITY_CONTEXT = ("copertura_mobile", "velocita_misurata", "localita")
MEMBERS_NEEDS = "esigenze_associati"  # associations' view of their members' needs
NEEDS_ROWS = 6  # services kept in the Markdown's needs table
SHOWN_ROWS = 5  # rows of a frequency table kept in the Markdown (the workbook has them all)


def _column(sa: SectorAnalysis, qid: str) -> Frequency | None:
    if qid == BARRIERS:
        return sa.barriers
    if qid == NEEDS:
        return sa.needs
    return context(sa, qid)


def _cross_rows(ta: TerritoryAnalysis, columns: Sequence[tuple[str, str]], lang: str, limit: int | None = SHOWN_ROWS,
                ordered: bool = False) -> list[list[str]]:
    """One question's shares side by side, one column per (sector, question id): the choices with at least
    one published share above 0, the largest first (``ordered``: in the questionnaire's order), at most
    ``limit``. A column whose table is not published is "–"."""
    freqs = []
    for s, qid in columns:
        sa = ta.sectors[s]
        freq = _column(sa, qid) if sa.reportable else None
        usable = freq is not None and freq.published and freq.answered is None
        freqs.append((sa, qid, {r.value: r for r in freq.rows} if usable else {}))  # type: ignore[union-attr]
    values: list[str] = []
    for _, _, rows in freqs:
        values += [v for v in rows if v not in values]
    if ordered:
        order = [v for sa, qid, _ in freqs for v in _order(sa, qid)]
        values.sort(key=lambda v: order.index(v) if v in order else len(order))
    best = {v: max((r[v].share for *_, r in freqs if v in r and isinstance(r[v].share, float)), default=0.0) for v in values}
    kept = [v for v in values if best[v] > 0]  # type: ignore[operator]
    if not ordered:
        kept.sort(key=lambda v: -best[v])  # type: ignore[operator]
    first = {v: next((sa, qid) for sa, qid, r in freqs if v in r) for v in kept}
    return [[choice_label(first[v][0].questionnaire, first[v][1], v, lang)]
            + [pct(r[v].share, lang, ta.min_n) if v in r else "–" for *_, r in freqs] for v in kept[:limit]]


def _order(sa: SectorAnalysis, qid: str) -> list[str]:
    """The categories of a question in their own order (derived bands, else the questionnaire's choices)."""
    qn = sa.questionnaire
    if qid in DERIVED:
        return list(DERIVED[qid][0])
    return [c.value for c in qn.choices_of(qn.question(qid))] if qn and qid in qn.questions_by_id else []


def _cross(ta: TerritoryAnalysis, columns: Sequence[tuple[str, str, str]], lang: str, head: str,
           limit: int | None = SHOWN_ROWS) -> list[str]:
    """A table of one question's shares side by side: ``columns`` are (sector, question id, heading)."""
    shown = [c for c in columns if _usable(ta, c[0], c[1])]
    body = _cross_rows(ta, [(s, qid) for s, qid, _ in shown], lang, limit)
    return [table([head] + [title for *_, title in shown], body), ""] if body else []


def _usable(ta: TerritoryAnalysis, s: str, qid: str) -> bool:
    freq = _column(ta.sectors[s], qid) if ta.sectors[s].reportable else None
    return freq is not None and freq.published and freq.answered is None


def _connectivity_context(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """Mobile signal, measured speed and premises outside the main town, one table, the sectors side by
    side (the comuni's ``localita`` asks something else: it stays in their report)."""
    sectors = [s for s in SECTORS if any(_usable(ta, s, q) for q in CONNECTIVITY_CONTEXT)]
    rows = []
    for qid in CONNECTIVITY_CONTEXT:
        asked = [s for s in sectors if not (qid == "localita" and s == "comune")]
        for row in _cross_rows(ta, [(s, qid) for s in asked], lang, None, ordered=True):
            values = dict(zip(asked, row[1:]))
            rows.append([f"{t(f'report.t.ctx.{qid}', lang)}: {row[0]}", *(values.get(s, "–") for s in sectors)])
    if not rows:
        return []
    heads = [t("report.t.context", lang)] + [sector_name(s, lang) for s in sectors]
    return [table(heads, rows), "", t("report.t.context_note", lang), ""]


def _differences(ta: TerritoryAnalysis, lang: str) -> list[str]:
    if not ta.differences:
        return [t("report.t.no_differences", lang), ""]
    labels = dict(ta.dimensions)
    shown = [d for d in ta.differences if d.conclusive]
    if not shown:
        return [t("report.t.differences_none", lang, n=len(ta.differences)), ""]
    by_dimension: dict[str, list[str]] = {}
    for d in shown:
        hi, lo = (d.a, d.b) if d.difference > 0 else (d.b, d.a)
        by_dimension.setdefault(d.dimension, []).append(f"{sector_name(hi, lang)} > {sector_name(lo, lang)} +{num(abs(d.difference), lang)}")
    parts = [f"{pick(labels[dim], lang)} ({', '.join(pairs)})" for dim, pairs in by_dimension.items()]
    return [t("report.t.differences_text", lang, parts="; ".join(parts), others=len(ta.differences) - len(shown)), ""]


def _coverage(ta: TerritoryAnalysis, lang: str) -> list[str]:
    out = []
    if ta.coverage_published:
        covered = sum(1 for c in ta.coverage if c != UNKNOWN)
        out += [t("report.t.coverage_text" if not ta.coverage else "report.t.coverage_short", lang, covered=covered,
                  total=ta.comuni_total), ""]
    if ta.public_bodies and ta.comuni_answered:
        out += [f"### {t('report.t.answered', lang, n=len(ta.comuni_answered))}", ""]
        out += [", ".join(ta.comuni_names.get(c, c) for c in ta.comuni_answered) + ".", ""]
    return out


def _fibre_section(ta: TerritoryAnalysis, lang: str, join: IndicatorJoin | None) -> list[str]:
    min_n = ta.min_n
    out = [f"## {t('report.t.fibre_gap', lang)}", ""]
    out += fibre_table({s: sa for s, sa in ta.sectors.items() if sa.reportable}, lang, min_n)
    if any(ta.sectors[s].fibre is not None for s in SECTORS):
        out += [t("report.t.connectivity_note", lang), ""]
    if join is not None:
        out += indicators_section(join, ta, lang)
    if any(ta.sectors[s].fibre is not None for s in SECTORS):
        out += [f"### {t('report.t.fibre_by_comune', lang, n=min_n)}", ""]
        if not ta.fibre_comuni_published:
            out += [t("report.t.fibre_unpublished", lang), ""]
        elif ta.fibre_by_comune:
            out += comune_fibre_table(ta, lang, join)
        else:
            out += [t("report.t.fibre_no_comune", lang, n=min_n), ""]
    return out + _connectivity_context(ta, lang)


def territory_report(ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None,
                     sector_files: Mapping[str, str] | None = None, extra_sections: Sequence[str] = (),
                     join: IndicatorJoin | None = None, summary_extra: Sequence[str] = ()) -> str:
    """"Stato digitale del territorio": the Sintesi (``summary_extra``: sentences appended to it), then
    representativeness, the sectors side by side, where fibre is missing (``join``: the open-data ranking of
    every comune), barriers and resistance, needs, the programme and the digital twin, ``extra_sections`` and
    the method."""
    charts = charts or {}
    min_n = ta.min_n
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    out = header(t("report.t.title", lang, name=md_text(ta.name)), ta.synthetic, meta, lang)
    if ta.drafts or ta.excluded:
        out += [t("report.t.excluded", lang, drafts=ta.drafts, excluded=ta.excluded), ""]
    if ta.public_bodies:
        out += [t("report.public_bodies", lang), ""]
    out += [notes(min_n, lang), ""]
    if sector_files:
        out += [f"{t('report.t.reports', lang)}: " + ", ".join(f"[{sector_name(s, lang)}]({f})" for s, f in sector_files.items()), ""]

    ranking = coverage_ranking(join) if join is not None else []
    warning = caveat(skews(ta), lang)
    out += territory_summary(ta, lang, ranking, [warning] if warning else [], summary_extra)
    out += representation_section(ta, lang) + _coverage(ta, lang)

    out += [f"## {t('report.t.compare', lang)}", ""]
    reportable = [s for s in SECTORS if ta.sectors[s].reportable and ta.sectors[s].overall.mean is not None]
    if len(reportable) >= 2:
        ranked = sorted(reportable, key=lambda s: -ta.sectors[s].overall.mean)  # type: ignore[operator]
        text = t("report.t.overall", lang, values=", ".join(f"{sector_name(s, lang)} {num(ta.sectors[s].overall.mean, lang)}" for s in ranked))
        if len({ta.sectors[s].questionnaire.id for s in reportable}) > 1:  # type: ignore[union-attr]
            text += " " + t("report.t.different_questionnaires", lang)
        out += [text, ""]
    heads = [t("report.c.dimension", lang)] + [sector_name(s, lang) for s in SECTORS]
    rows = []
    for dim_id, label in ta.dimensions:
        row = [pick(label, lang)]
        for s in SECTORS:
            sa = ta.sectors[s]
            row.append(summary_cell(sa.dimensions[dim_id], lang, min_n) if dim_id in sa.dimensions and sa.reportable else "–")
        rows.append(row)
    rows.append([f"**{t('report.c.overall', lang)}**"] + [summary_cell(ta.sectors[s].overall, lang, min_n) if ta.sectors[s].reportable
                                                            else "–" for s in SECTORS])
    out += [table(heads, rows), "", t("report.t.compare_note", lang), ""]
    out += image(t("report.t.chart_compare", lang), charts.get("compare"))
    out += _differences(ta, lang)

    out += _fibre_section(ta, lang, join)

    barriers = _cross(ta, [(s, BARRIERS, sector_name(s, lang)) for s in SECTORS], lang, t("report.c.barrier", lang))
    reasons = _cross(ta, [(s, RESISTANCE_REASONS, sector_name(s, lang)) for s in SECTORS], lang, t("report.c.answer", lang))
    if barriers or reasons:
        out += [f"## {t('report.t.barriers', lang)}", ""] + barriers
        out += [f"### {t('report.t.reasons', lang)}", ""] + reasons if reasons else []
        out += [t("report.t.freq_note", lang) + " " + t("report.t.shown_rows", lang), ""]

    members = t("report.t.members", lang, sector=sector_name("associazione", lang))
    columns = [(s, NEEDS, sector_name(s, lang)) for s in SECTORS] + [("associazione", MEMBERS_NEEDS, members)]
    needs = _cross(ta, columns, lang, t("report.c.need", lang), NEEDS_ROWS)
    if needs:
        out += [f"## {t('report.t.needs', lang)}", ""] + needs
        out += [t("report.t.freq_note", lang) + " " + t("report.t.members_note", lang, col=members), ""]

    out += programme_section(ta, lang) + twin_section(ta, lang)  # supersede the organisations' road-map

    for section in extra_sections:
        out += [section.rstrip(), ""]
    out += [f"## {t('report.t.method', lang)}", ""]
    qn = next((ta.sectors[s].questionnaire for s in SECTORS if ta.sectors[s].questionnaire), None)
    bands = level_bands(qn, lang) if qn else "–"
    out += [t("report.t.method_text", lang, levels=bands, selection=t("report.selection", lang)), ""]
    return "\n".join(out).rstrip() + "\n"
