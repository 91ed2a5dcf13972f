"""The respondent report (Markdown): one organisation's scores, gaps and actions; the only report with its name."""

from __future__ import annotations

from collections.abc import Mapping

from crassess.i18n import pick, t
from crassess.reports.analysis import RespondentAnalysis
from crassess.reports.markdown import (
    SIZE_UNIT,
    grouped,
    header,
    image,
    label_of,
    level_bands,
    md_text,
    num,
    subsector_label,
    table,
)


def respondent_report(r: RespondentAnalysis, territory_name: str, comuni_names: Mapping[str, str], *, lang: str,
                      min_n: int, synthetic: bool = False, date: str | None = None, radar: str | None = None) -> str:
    """The gap report of one respondent (the only report that shows its name and contact)."""
    s, qn, result = r.scored, r.scored.questionnaire, r.scored.result
    who = s.response.respondent
    name = md_text(who.name or r.code)
    meta = [f"{t('report.campaign', lang)}: {md_text(territory_name)}",
            f"{t('report.questionnaire', lang)}: {md_text(pick(qn.title, lang))} ({md_text(qn.id)} {md_text(qn.version)})"]
    if date:
        meta.append(f"{t('report.date', lang)}: {md_text(date)}")
    out = header(t("report.r.title", lang, name=name), synthetic, meta, lang)

    comune = comuni_names.get(r.comune or "", who.comune)
    size = None if who.size is None else f"{grouped(who.size, lang)} {t(SIZE_UNIT[r.sector], lang)}"
    profile = [
        ("report.r.name", who.name), ("report.r.sector", t(f"report.sector1.{r.sector}", lang)),
        ("report.r.comune", comune), ("report.r.size", size),
        ("report.r.subsector", who.subsector and subsector_label(r.sector, who.subsector, lang)),
        ("report.r.contact", who.contact), ("report.r.interviewer", who.interviewer),
        ("report.r.interview_date", who.date),
    ]
    rows = [(t(k, lang), md_text(v)) for k, v in profile if v not in (None, "")]
    out += [f"## {t('report.r.profile', lang)}", "", table(["", ""], rows, "ll"), ""]

    out += [f"## {t('report.r.overall', lang)}", ""]
    if result.overall is None:
        out += [t("report.r.overall_none", lang), ""]
    else:
        out += [t("report.r.overall_text", lang, score=num(result.overall, lang), level=label_of(qn, "level", result.level or "", lang)), ""]
    out += [f"{t('report.r.levels', lang)}: {level_bands(qn, lang)}.", ""]

    dim_rows = []
    for d in result.dimensions.values():
        dim_rows.append((
            label_of(qn, "dimension", d.id, lang),
            num(d.score, lang) if d.score is not None else t("report.w.insufficient", lang),
            label_of(qn, "level", d.level, lang) if d.level else "–",
            num(d.target, lang), num(d.gap, lang),
            num(None if d.coverage is None else 100 * d.coverage, lang, 0) + ("%" if d.coverage is not None else ""),
            str(d.dont_know),
        ))
    heads = [t(f"report.c.{k}", lang) for k in ("dimension", "score", "level", "target", "gap", "coverage")] + [t("special.dk", lang)]
    out += [f"## {t('report.r.dimensions', lang)}", "", table(heads, dim_rows, "lrlrrrr"), ""]

    out += [f"## {t('report.r.strengths', lang)}", ""]
    if r.strengths:
        for d in r.strengths:
            dim = result.dimensions[d]
            out.append("- " + t("report.r.strength", lang, dim=label_of(qn, "dimension", d, lang), score=num(dim.score, lang), target=num(dim.target, lang)))
        out.append("")
    else:
        out += [t("report.r.no_strengths", lang), ""]
    if r.full_items:
        out += [f"{t('report.r.full_items', lang)}:", ""]
        out += [f"- {label_of(qn, 'question', q, lang)}" for q in r.full_items] + [""]

    out += [f"## {t('report.r.actions', lang)}", ""]
    if r.actions:
        heads = ["#", t("report.c.action", lang), t("report.c.dimension", lang), t("report.c.question_score", lang), t("report.c.priority", lang)]
        rows = [(str(i), pick(qn.question(a.question_id).action, lang), label_of(qn, "dimension", a.dimension, lang),
                 num(a.item_score, lang), num(a.priority, lang, 0)) for i, a in enumerate(r.actions, 1)]
        out += [table(heads, rows, "rllrr"), "", t("report.r.actions_note", lang), ""]
    else:
        out += [t("report.r.no_actions", lang), ""]

    out += [f"## {t('report.r.position', lang)}", ""]
    if r.sector_mean.get("overall") is None:
        out += [t("report.r.position_none", lang, n=min_n), ""]
    else:
        heads = [t("report.c.dimension", lang), t("report.c.score", lang), t("report.c.sector_mean", lang), t("report.c.sector_median", lang)]
        rows = [(t("report.c.overall", lang), num(result.overall, lang), num(r.sector_mean["overall"], lang),
                 num(r.sector_median["overall"], lang))]
        for d in result.dimensions.values():
            sm, smed = r.sector_mean.get(d.id), r.sector_median.get(d.id)
            rows.append((label_of(qn, "dimension", d.id, lang), num(d.score, lang),
                         num(sm, lang) if sm is not None else f"n<{min_n}",
                         num(smed, lang) if smed is not None else f"n<{min_n}"))
        out += [table(heads, rows), "", t("report.r.position_note", lang, n=r.sector_n), ""]
    out += image(t("report.r.radar", lang), radar)

    notes = [(qid, text) for qid, text in s.response.notes.items() if str(text).strip()]
    notes += [(q.id, s.response.answers[q.id]) for q in qn.questions
              if q.type == "text" and isinstance(s.response.answers.get(q.id), str) and s.response.answers[q.id].strip()]
    if notes:
        out += [f"## {t('report.r.notes', lang)}", ""]
        out += [f"- {md_text(label_of(qn, 'question', qid, lang))}: {md_text(text)}" for qid, text in notes] + [""]
    return "\n".join(out).rstrip() + "\n"
