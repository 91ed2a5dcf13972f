"""The sector report (Markdown): one sector of the campaign, aggregated, without names."""

from __future__ import annotations

from collections.abc import Mapping

from crassess.i18n import pick, t
from crassess.questionnaire.models import Questionnaire
from crassess.reports.analysis import (
    UNKNOWN,
    Frequency,
    SectorAnalysis,
    TerritoryAnalysis,
)
from crassess.reports.markdown import (
    SIZE_UNIT,
    actions_table,
    choice_label,
    count,
    fibre_table,
    header,
    image,
    label_of,
    md_text,
    num,
    pct,
    sector_name,
    sector_summary_text,
    size_label,
    subsector_label,
    table,
)
from crassess.reports.statistics import Summary

SECTOR_ACTIONS = 10


CONTEXT_PLACE = {"copertura_territorio": "connectivity", "motivo_no_fibra": "connectivity", "copertura_mobile": "connectivity",
                 "ostacoli_associati": "barriers", "motivi_resistenza": "barriers",
                 "esigenze_associati": "needs", "supporto_digitale": "needs", "modalita_servizi": "needs",
                 "cofinanziamento": "needs", "gemello_disponibilita": "needs", "gemello_condizioni": "needs"}


def _summary_row(label: str, s: Summary, lang: str, min_n: int, target: float | None = None) -> list[str]:
    if s.suppressed or s.n == 0:
        blank = f"n<{min_n}" if s.suppressed else "–"
        row = [label, str(s.n) if s.n >= min_n or s.n == 0 else f"n<{min_n}"] + [blank] * 6
    else:
        ci = f"{num(s.ci[0], lang)}–{num(s.ci[1], lang)}" if s.ci else "–"
        row = [label, str(s.n), num(s.mean, lang), num(s.median, lang), num(s.sd, lang), ci, num(s.min, lang), num(s.max, lang)]
    if target is not None:
        row.append(num(target, lang))
    return row


def _frequency_table(freq: Frequency, qn: Questionnaire | None, lang: str, min_n: int, head: str) -> list[str]:
    rows = [(choice_label(qn, freq.question_id, row.value, lang), count(row.count, min_n),
             pct(row.share, lang, True, min_n)) for row in freq.rows]
    if not rows:
        return ["–", ""]
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), "",
            t("report.s.freq_note", lang, n=count(freq.answered if freq.answered >= min_n else None, min_n)), ""]


def _counts_table(head: str, counts: Mapping[str, int | None], labels: Mapping[str, str], n: int, lang: str, min_n: int) -> list[str]:
    rows = [(labels.get(k, md_text(k)), count(v, min_n), pct(None if v is None else 100 * v / n, lang, True, min_n))
            for k, v in counts.items()]
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), ""]


def sector_report(sa: SectorAnalysis, ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None) -> str:
    """The report of one sector: no names or contacts, figures below min-n suppressed."""
    charts = charts or {}
    min_n, qn = sa.min_n, sa.questionnaire
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if qn:
        meta.append(f"{t('report.questionnaire', lang)}: {md_text(pick(qn.title, lang))} ({md_text(qn.id)} {md_text(qn.version)})")
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    n_line = t("report.s.n", lang, n=sa.n)
    if sa.drafts:
        n_line += f" ({t('report.s.drafts', lang, n=sa.drafts)})"
    meta.append(n_line)
    out = header(t("report.s.title", lang, sector=sector_name(sa.sector, lang)), ta.synthetic, meta, lang)
    out += [t("report.suppression", lang, n=min_n), ""]
    if sa.n == 0:
        return "\n".join(out + [t("report.s.none", lang)]) + "\n"
    if not sa.reportable or qn is None:
        return "\n".join(out + [t("report.s.too_few", lang, n=min_n)]) + "\n"

    text = sector_summary_text(sa, lang)
    if text:
        out += [text, ""]

    out += [f"## {t('report.s.respondents', lang)}", ""]
    sizes = {k: size_label(k, lang) for k in sa.size_classes}
    out += [f"### {t('report.s.by_size', lang, unit=t(SIZE_UNIT[sa.sector], lang))}", ""]
    out += _counts_table(t("report.c.class", lang), sa.size_classes, sizes, sa.n, lang, min_n)
    if set(sa.subsectors) != {UNKNOWN}:
        out += [f"### {t('report.s.by_subsector', lang)}", ""]
        labels = {k: md_text(subsector_label(sa.sector, k, lang)) for k in sa.subsectors}
        labels[UNKNOWN] = t("report.w.unknown", lang)
        out += _counts_table(t("report.r.subsector", lang), sa.subsectors, labels, sa.n, lang, min_n)
    if sa.sector == "comune":  # a comune is its own respondent: its name is never listed
        covered = sum(1 for k in sa.comuni if k != UNKNOWN)
        out += [t("report.s.comuni_covered", lang, n=covered, total=ta.comuni_total), ""]
    else:
        names = dict(ta.comuni_names)
        names[UNKNOWN] = t("report.t.unknown_comune", lang)
        out += [f"### {t('report.s.by_comune', lang)}", ""]
        out += _counts_table(t("report.r.comune", lang), sa.comuni, names, sa.n, lang, min_n)

    out += [f"## {t('report.s.levels', lang)}", ""]
    levels = {k: label_of(qn, "level", k, lang) for k in sa.levels}
    out += _counts_table(t("report.c.level", lang), sa.levels, levels, sa.n, lang, min_n)
    out += image(t("report.s.chart_levels", lang), charts.get("levels"))

    out += [f"## {t('report.s.dimensions', lang)}", ""]
    heads = [t(f"report.c.{k}", lang) for k in ("dimension", "respondents", "mean", "median", "sd", "ci", "min", "max", "target")]
    rows = [_summary_row(label_of(qn, "dimension", d, lang), s, lang, min_n, qn.target_of(qn.dimensions_by_id[d]))
            for d, s in sa.dimensions.items()]
    rows.append(_summary_row(f"**{t('report.c.overall', lang)}**", sa.overall, lang, min_n, qn.target))
    fpc = t("report.s.fpc", lang, N=sa.population) if sa.population else ""
    out += [table(heads, rows), "", t("report.s.ci_note", lang, fpc=fpc), ""]
    out += image(t("report.s.chart_dimensions", lang), charts.get("dimensions"))

    out += [f"## {t('report.s.questions', lang)}", ""]
    heads = [t("report.c.question", lang), t("report.c.dimension", lang), t("report.c.respondents", lang),
             t("report.c.mean", lang), t("special.dk", lang), t("special.na", lang)]
    rows = []
    for q in sa.questions:
        suppressed = q.summary.suppressed or q.n < min_n
        rows.append((label_of(qn, "question", q.question_id, lang), label_of(qn, "dimension", q.dimension, lang),
                     count(q.n if q.n >= min_n or q.n == 0 else None, min_n),
                     f"n<{min_n}" if suppressed and q.summary.n else num(q.summary.mean, lang),
                     pct(q.dk_share, lang, q.n > 0, min_n), pct(q.na_share, lang, q.n > 0, min_n)))
    out += [table(heads, rows, "llrrrr"), ""]
    if sa.weakest:
        out += [f"## {t('report.s.weakest', lang)}", ""]
        out += [f"{i}. {label_of(qn, 'question', q.question_id, lang)} ({num(q.summary.mean, lang)})" for i, q in enumerate(sa.weakest, 1)]
        out.append("")

    def context(place: str) -> list[str]:
        part: list[str] = []
        for freq in sa.context:
            if CONTEXT_PLACE.get(freq.question_id) == place:
                part += [f"### {label_of(qn, 'question', freq.question_id, lang)}", ""]
                part += _frequency_table(freq, qn, lang, min_n, t("report.c.answer", lang))
        return part

    for key, freq, head in (("barriers", sa.barriers, "barrier"), ("needs", sa.needs, "need")):
        if freq is not None:
            out += [f"## {t(f'report.s.{key}', lang)}", ""]
            out += _frequency_table(freq, qn, lang, min_n, t(f"report.c.{head}", lang))
            out += context(key)

    if sa.fibre is not None:
        out += [f"## {t('report.s.connectivity', lang)}", ""]
        out += fibre_table({sa.sector: sa}, lang, min_n)
        out += context("connectivity")

    out += [f"## {t('report.s.roadmap', lang)}", ""]
    if sa.actions:
        out += [actions_table(sa.actions[:SECTOR_ACTIONS], {sa.sector: qn}, lang, False), "",
                t("report.s.roadmap_note", lang, n=min_n)]
        if len(sa.actions) > SECTOR_ACTIONS:
            out[-1] += " " + t("report.s.roadmap_more", lang, shown=SECTOR_ACTIONS, total=len(sa.actions))
        out.append("")
    else:
        out += [t("report.s.no_actions", lang, n=min_n), ""]
    return "\n".join(out).rstrip() + "\n"
