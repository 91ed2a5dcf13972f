"""The respondent report (Markdown), in the style of the EU DMA report: the only report with the respondent's name.

For each dimension the band's meaning in plain words (the level guide, ``questionnaires/livelli.yaml``), the
score against the target and against the comparison group (peers of the same size class and sub-sector, else
the sector: :mod:`crassess.reports.peers`); the respondent's own needs and barriers with the Digital Center
service that answers each (the service catalogue); at most ten actions grouped by horizon (from each
question's ``effort``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from crassess.i18n import pick, register, t, tn
from crassess.questionnaire.models import LevelGuide, ServiceCatalogue
from crassess.reports.disclosure import Withheld, mark_label, notes
from crassess.reports.markdown import (
    SIZE_UNIT,
    choice_label,
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
from crassess.reports.peers import OVERALL, Figure
from crassess.reports.results import RespondentAnalysis
from crassess.reports.tally import UNKNOWN, horizon, size_class
from crassess.territory.validate import comune_label

NEEDS_QUESTION = "esigenze_top3"  # its choices are the service catalogue's ids
BARRIER_QUESTIONS = ("ostacoli", "motivi_resistenza")
HORIZON_ORDER = ("short", "medium", "long", "unset")

register({
    "report.r.title": {"it": "Rapporto di maturità digitale: {name}", "en": "Digital maturity report: {name}"},
    "report.r.profile": {"it": "Profilo", "en": "Profile"},
    "report.r.name": {"it": "Nome", "en": "Name"},
    "report.r.sector": {"it": "Settore", "en": "Sector"},
    "report.r.contact": {"it": "Contatto", "en": "Contact"},
    "report.r.interviewer": {"it": "Intervistatore", "en": "Interviewer"},
    "report.r.interview_date": {"it": "Data dell'intervista", "en": "Interview date"},
    "report.r.summary": {"it": "In sintesi", "en": "At a glance"},
    "report.r.overall_text": {"it": "Punteggio complessivo **{score} / 100**: livello **{level}**.",
                              "en": "Overall score **{score} / 100**: level **{level}**."},
    "report.r.overall_none": {"it": "Dati insufficienti per un punteggio complessivo.", "en": "Not enough data for an overall score."},
    "report.r.target_met": {"it": "L'obiettivo ({target}) è raggiunto.", "en": "The target ({target}) is met."},
    "report.r.target_gap": {"it": "L'obiettivo è {target}: mancano {gap} punti.", "en": "The target is {target}: {gap} points to go."},
    "report.r.group_mean": {"it": "Media del gruppo di confronto: {mean}.", "en": "Comparison group mean: {mean}."},
    "report.r.levels": {"it": "Livelli", "en": "Levels"},
    "report.r.peers.comune": {
        "it": "Gruppo di confronto: i {n} comuni con {size} che hanno risposto, compreso il vostro.",
        "en": "Comparison group: the {n} municipalities with {size} that responded, yours included.",
    },
    "report.r.peers.associazione": {
        "it": "Gruppo di confronto: le {n} associazioni del tipo «{sub}» con {size} che hanno risposto, compresa la vostra.",
        "en": "Comparison group: the {n} associations of the type '{sub}' with {size} that responded, yours included.",
    },
    "report.r.peers.impresa": {
        "it": "Gruppo di confronto: le {n} imprese della sezione ATECO {sub} con {size} che hanno risposto, compresa la vostra.",
        "en": "Comparison group: the {n} businesses of ATECO section {sub} with {size} that responded, yours included.",
    },
    "report.r.sector_group.comune": {
        "it": "Gruppo di confronto: tutti i {n} comuni che hanno risposto, compreso il vostro.",
        "en": "Comparison group: all {n} municipalities that responded, yours included.",
    },
    "report.r.sector_group.associazione": {
        "it": "Gruppo di confronto: tutte le {n} associazioni che hanno risposto, compresa la vostra.",
        "en": "Comparison group: all {n} associations that responded, yours included.",
    },
    "report.r.sector_group.impresa": {
        "it": "Gruppo di confronto: tutte le {n} imprese che hanno risposto, compresa la vostra.",
        "en": "Comparison group: all {n} businesses that responded, yours included.",
    },
    "report.r.few.comune": {
        "it": "I comuni con {size} sono troppo pochi per un confronto riservato: ne servono almeno {m} oltre al vostro.",
        "en": "Municipalities with {size} are too few for a confidential comparison: at least {m} besides yours are needed.",
    },
    "report.r.few.associazione": {
        "it": "Le associazioni del tipo «{sub}» con {size} sono troppo poche per un confronto riservato: ne servono almeno {m} oltre alla vostra.",
        "en": "Associations of the type '{sub}' with {size} are too few for a confidential comparison: at least {m} besides yours are needed.",
    },
    "report.r.few.impresa": {
        "it": "Le imprese della sezione ATECO {sub} con {size} sono troppo poche per un confronto riservato: ne servono almeno {m} oltre alla vostra.",
        "en": "Businesses of ATECO section {sub} with {size} are too few for a confidential comparison: at least {m} besides yours are needed.",
    },
    "report.r.few_unknown": {
        "it": "Il profilo non indica la dimensione o il sottosettore: il confronto con organizzazioni simili non è possibile.",
        "en": "The profile gives no size or sub-sector: no comparison with similar organisations is possible.",
    },
    "report.r.peers_none": {
        "it": "Nessun confronto: il settore ha meno di {m} rispondenti.",
        "en": "No comparison: the sector has fewer than {m} respondents.",
    },
    "report.r.fewer": {"it": "meno di {n}", "en": "fewer than {n}"},
    "report.r.at_least": {"it": "almeno {n}", "en": "at least {n}"},
    "report.r.best_worst": {
        "it": "La dimensione più forte è «{best}» ({best_score}); la più lontana dall'obiettivo è «{worst}» ({gap} punti sotto).",
        "en": "The strongest dimension is '{best}' ({best_score}); the furthest from its target is '{worst}' ({gap} points below).",
    },
    "report.r.dimensions": {"it": "Le dimensioni", "en": "The dimensions"},
    "report.c.distance": {"it": "Distanza dall'obiettivo", "en": "Distance to target"},
    "report.c.group": {"it": "Gruppo di confronto", "en": "Comparison group"},
    "report.w.met": {"it": "raggiunto", "en": "met"},
    "report.r.dim_head": {"it": "{dim}: {score} ({level})", "en": "{dim}: {score} ({level})"},
    "report.r.dim_head_none": {"it": "{dim}: dati insufficienti", "en": "{dim}: insufficient data"},
    "report.r.dim_none": {
        "it": "Troppe domande senza risposta o con «Non so» per calcolare un punteggio.",
        "en": "Too many questions unanswered or answered \"Don't know\" to compute a score.",
    },
    "report.r.above": {"it": "sopra la media del gruppo di confronto ({mean})", "en": "above the comparison group mean ({mean})"},
    "report.r.below": {"it": "sotto la media del gruppo di confronto ({mean})", "en": "below the comparison group mean ({mean})"},
    "report.r.equal": {"it": "pari alla media del gruppo di confronto", "en": "level with the comparison group mean"},
    "report.r.group_withheld": {"it": "media del gruppo di confronto non pubblicabile ({mark})", "en": "comparison group mean not publishable ({mark})"},
    "report.r.dk": {"it": "{n} risposte «Non so»", "en": "{n} \"Don't know\" answers"},
    "report.r.dk.one": {"it": "1 risposta «Non so»", "en": "1 \"Don't know\" answer"},
    "report.r.coverage": {"it": "punteggio calcolato sul {share}% del peso delle domande", "en": "score computed on {share}% of the questions' weight"},
    "report.r.needs": {"it": "Esigenze, ostacoli e servizi del Digital Center", "en": "Needs, barriers and Digital Center services"},
    "report.r.needs_intro": {
        "it": "Quello che avete indicato, con il servizio del Digital Center che può rispondere.",
        "en": "What you told us, with the Digital Center service that can answer it.",
    },
    "report.r.needs_top": {"it": "Servizi che avete chiesto", "en": "Services you asked for"},
    "report.r.barriers.ostacoli": {"it": "Ostacoli che avete indicato", "en": "Barriers you named"},
    "report.r.barriers.motivi_resistenza": {"it": "Motivi di resistenza agli strumenti digitali", "en": "Reasons for resisting digital tools"},
    "report.r.answered_by": {"it": "{answer} → {services}", "en": "{answer} → {services}"},
    "report.r.no_service": {"it": "{answer} → da approfondire con il Digital Center", "en": "{answer} → to discuss with the Digital Center"},
    "report.r.no_needs": {"it": "Non sono state indicate esigenze né ostacoli.", "en": "No needs or barriers were given."},
    "report.r.actions": {"it": "Azioni consigliate", "en": "Recommended actions"},
    "report.r.actions_intro": {
        "it": "Le azioni vengono dalle risposte con più margine di miglioramento nelle dimensioni sotto l'obiettivo (al massimo {top}; quelle pensate per organizzazioni più grandi non sono proposte). L'orizzonte dipende dall'impegno che l'azione richiede: **breve** (entro 12 mesi) per un impegno basso, giorni di lavoro senza spese rilevanti; **medio** (12-24 mesi) per settimane di lavoro o un piccolo acquisto; **lungo** (oltre 24 mesi) per un vero progetto.",
        "en": "The actions come from the answers with most room for improvement in the dimensions below target (at most {top}; those meant for larger organisations are left out). The horizon follows the effort an action takes: **short** (within 12 months) for a low effort, days of work without significant spending; **medium** (12-24 months) for weeks of work or a small purchase; **long** (beyond 24 months) for a real project.",
    },
    "report.r.h.short": {"it": "Breve termine (entro 12 mesi)", "en": "Short term (within 12 months)"},
    "report.r.h.medium": {"it": "Medio termine (12-24 mesi)", "en": "Medium term (12-24 months)"},
    "report.r.h.long": {"it": "Lungo termine (oltre 24 mesi)", "en": "Long term (beyond 24 months)"},
    "report.r.h.unset": {"it": "Orizzonte da definire", "en": "Horizon to be set"},
    "report.r.action": {"it": "*{dim}* – {action}", "en": "*{dim}* – {action}"},
    "report.r.action_service": {"it": "Servizio del Digital Center: {service}.", "en": "Digital Center service: {service}."},
    "report.r.no_actions": {"it": "Nessuna azione urgente: gli obiettivi sono raggiunti.", "en": "No urgent action: the targets are met."},
    "report.r.strengths": {"it": "Punti di forza", "en": "Strengths"},
    "report.r.no_strengths": {"it": "Nessuna dimensione raggiunge ancora l'obiettivo.", "en": "No dimension meets its target yet."},
    "report.r.strength": {"it": "{dim}: {score} (obiettivo {target})", "en": "{dim}: {score} (target {target})"},
    "report.r.full_items": {"it": "Risposte al massimo del punteggio", "en": "Answers at the top score"},
    "report.r.notes": {"it": "Note", "en": "Notes"},
})


def respondent_report(r: RespondentAnalysis, territory_name: str, comuni_names: Mapping[str, str], *, lang: str,
                      min_n: int, synthetic: bool = False, date: str | None = None, radar: str | None = None,
                      guide: LevelGuide | None = None, services: ServiceCatalogue | None = None) -> str:
    """The report of one respondent (the only report that shows its name and contact).

    ``guide``: the level texts; ``services``: the catalogue for barriers when the questionnaire has none.
    """
    s, qn = r.scored, r.scored.questionnaire
    who = s.response.respondent
    name = md_text(who.name or r.code)
    meta = [f"{t('report.campaign', lang)}: {md_text(territory_name)}",
            f"{t('report.questionnaire', lang)}: {md_text(pick(qn.title, lang))} ({md_text(qn.id)} {md_text(qn.version)})"]
    if date:
        meta.append(f"{t('report.date', lang)}: {md_text(date)}")
    out = header(t("report.r.title", lang, name=name), synthetic, meta, lang)
    out += _profile(r, comuni_names, lang)
    withheld: list[Withheld] = []
    out += _summary(r, lang, min_n, guide, withheld)
    out += _dimensions(r, lang, min_n, guide, withheld)
    out += image(t("report.r.radar", lang), radar)
    out += _needs(r, lang, qn.service_catalogue or services)
    out += _actions(r, lang)
    out += _strengths(r, lang)
    if withheld:
        out += [notes(min_n, lang), ""]
    note_rows = [(qid, text) for qid, text in s.response.notes.items() if str(text).strip()]
    note_rows += [(q.id, s.response.answers[q.id]) for q in qn.questions
                  if q.type == "text" and isinstance(s.response.answers.get(q.id), str) and s.response.answers[q.id].strip()]
    if note_rows:
        out += [f"## {t('report.r.notes', lang)}", ""]
        out += [f"- {md_text(label_of(qn, 'question', qid, lang))}: {md_text(text)}" for qid, text in note_rows] + [""]
    return "\n".join(out).rstrip() + "\n"


def size_text(size: float, sector: str, lang: str) -> str:
    """"1 addetto", "12 addetti", "7.267 abitanti"."""
    return f"{grouped(size, lang)} {tn(SIZE_UNIT[sector], size, lang)}"


def _profile(r: RespondentAnalysis, comuni_names: Mapping[str, str], lang: str) -> list[str]:
    who = r.scored.response.respondent
    profile = [
        ("report.r.name", who.name), ("report.r.sector", t(f"report.sector1.{r.sector}", lang)),
        ("report.r.comune", comune_label(r.comune or who.comune, comuni_names, lang)),
        ("report.r.size", None if who.size is None else size_text(who.size, r.sector, lang)),
        ("report.r.subsector", who.subsector and subsector_label(r.sector, who.subsector, lang)),
        ("report.r.contact", who.contact), ("report.r.interviewer", who.interviewer),
        ("report.r.interview_date", who.date),
    ]
    rows = [(t(k, lang), md_text(v)) for k, v in profile if v not in (None, "")]
    return [f"## {t('report.r.profile', lang)}", "", table(["", ""], rows, "ll"), ""]


# ---------------------------------------------------------------- comparison


def _group_words(sector: str, size_class_key: str, subsector: str | None, lang: str) -> dict[str, str]:
    return {"size": _size_class_text(size_class_key, sector, lang),
            "sub": subsector_label(sector, subsector, lang) if subsector else ""}


def _size_class_text(key: str, sector: str, lang: str) -> str:
    """A size class in words: "meno di 10 addetti", "10–49 addetti", "almeno 250 addetti"."""
    unit = t(SIZE_UNIT[sector], lang)
    if key.startswith(">="):
        return f"{t('report.r.at_least', lang, n=grouped(int(key[2:]), lang))} {unit}"
    low, high = (int(x) for x in key.split("-"))
    if low == 0:
        return f"{t('report.r.fewer', lang, n=grouped(high + 1, lang))} {unit}"
    return f"{grouped(low, lang)}–{grouped(high, lang)} {unit}"


def comparison_text(r: RespondentAnalysis, lang: str, min_n: int) -> str:
    """Who the respondent is compared with, named; and why not with its peers when it is not."""
    c = r.comparison
    if c.kind == "peers":
        return t(f"report.r.peers.{c.sector}", lang, n=c.n, **_group_words(c.sector, c.size_class or UNKNOWN, c.subsector, lang))
    if c.kind == "none":
        return t("report.r.peers_none", lang, m=min_n)
    who = r.scored.response.respondent
    cls = size_class(r.sector, who.size)
    sub = (who.subsector or "").strip()
    text = t(f"report.r.sector_group.{r.sector}", lang, n=c.n)
    if cls == UNKNOWN or (r.sector != "comune" and not sub):
        return f"{text} {t('report.r.few_unknown', lang)}"
    words = _group_words(r.sector, cls, sub if r.sector != "comune" else None, lang)
    return f"{text} {t(f'report.r.few.{r.sector}', lang, m=min_n, **words)}"


def _figure(value: Figure, lang: str, min_n: int, withheld: list[Withheld]) -> str:
    if isinstance(value, Withheld):
        withheld.append(value)
        return mark_label(value, min_n, lang)
    return "–" if value is None else num(value, lang)


def _against_group(score: float | None, mean: Figure, lang: str, min_n: int, withheld: list[Withheld]) -> str:
    if isinstance(mean, Withheld):
        withheld.append(mean)
        return t("report.r.group_withheld", lang, mark=mark_label(mean, min_n, lang))
    if mean is None or score is None:
        return ""
    if num(score, lang) == num(mean, lang):
        return t("report.r.equal", lang)
    return t("report.r.above" if score > mean else "report.r.below", lang, mean=num(mean, lang))


def _level_text(guide: LevelGuide | None, level: str | None, dimension: str | None, lang: str) -> str:
    text = guide.text(level, dimension) if guide and level else None
    return pick(text, lang) if text else ""


def _summary(r: RespondentAnalysis, lang: str, min_n: int, guide: LevelGuide | None, withheld: list[Withheld]) -> list[str]:
    qn, result = r.scored.questionnaire, r.scored.result
    out = [f"## {t('report.r.summary', lang)}", ""]
    if result.overall is None:
        out += [t("report.r.overall_none", lang), ""]
    else:
        gap = max(0.0, qn.target - result.overall)
        sentences = [t("report.r.overall_text", lang, score=num(result.overall, lang),
                       level=label_of(qn, "level", result.level or "", lang))]
        sentences.append(t("report.r.target_met", lang, target=num(qn.target, lang)) if gap == 0
                         else t("report.r.target_gap", lang, target=num(qn.target, lang), gap=num(gap, lang)))
        mean = r.comparison.means.get(OVERALL)
        if r.comparison.kind != "none" and mean is not None:
            sentences.append(t("report.r.group_mean", lang, mean=_figure(mean, lang, min_n, withheld)))
        out += [" ".join(sentences), ""]
        text = _level_text(guide, result.level, None, lang)
        out += [text, ""] if text else []
    scored = [d for d in result.dimensions.values() if d.score is not None]
    lagging = [d for d in scored if d.gap]
    if len(scored) >= 2 and lagging:
        best = max(scored, key=lambda d: d.score or 0)  # first of equals: questionnaire order
        worst = max(lagging, key=lambda d: d.gap or 0)
        out += [t("report.r.best_worst", lang, best=label_of(qn, "dimension", best.id, lang), best_score=num(best.score, lang),
                  worst=label_of(qn, "dimension", worst.id, lang), gap=num(worst.gap, lang)), ""]
    out += [f"{t('report.r.levels', lang)}: {level_bands(qn, lang)}.", ""]
    out += [comparison_text(r, lang, min_n), ""]
    return out


def _dimensions(r: RespondentAnalysis, lang: str, min_n: int, guide: LevelGuide | None, withheld: list[Withheld]) -> list[str]:
    qn, result = r.scored.questionnaire, r.scored.result
    compared = r.comparison.kind != "none"
    heads = [t(f"report.c.{k}", lang) for k in ("dimension", "score", "level", "target", "distance")]
    heads += [t("report.c.group", lang)] if compared else []
    rows, sections = [], []
    for d in result.dimensions.values():
        label = label_of(qn, "dimension", d.id, lang)
        mean = r.comparison.means.get(d.id)
        row = [label, num(d.score, lang) if d.score is not None else t("report.w.insufficient", lang),
               label_of(qn, "level", d.level, lang) if d.level else "–", num(d.target, lang),
               "–" if d.gap is None else (t("report.w.met", lang) if d.gap == 0 else num(d.gap, lang))]
        rows.append(row + ([_figure(mean, lang, min_n, withheld)] if compared else []))
        if d.score is None:
            dk = " " + _sentence([tn("report.r.dk", d.dont_know, lang)]) if d.dont_know else ""
            sections += [f"### {t('report.r.dim_head_none', lang, dim=label)}", "", t("report.r.dim_none", lang) + dk, ""]
            continue
        sections += [f"### {t('report.r.dim_head', lang, dim=label, score=num(d.score, lang), level=label_of(qn, 'level', d.level or '', lang))}", ""]
        text = _level_text(guide, d.level, d.id, lang)
        sections += [text, ""] if text else []
        target = (t("report.r.target_met", lang, target=num(d.target, lang)) if not d.gap
                  else t("report.r.target_gap", lang, target=num(d.target, lang), gap=num(d.gap, lang)))
        extra = [x for x in (_against_group(d.score, mean, lang, min_n, withheld) if compared else "",
                             tn("report.r.dk", d.dont_know, lang) if d.dont_know else "",
                             t("report.r.coverage", lang, share=num(100 * d.coverage, lang, 0))
                             if d.coverage is not None and d.coverage < 1 else "") if x]
        sections += [target + (" " + _sentence(extra) if extra else ""), ""]
    align = "lrlrr" + ("r" if compared else "")
    return [f"## {t('report.r.dimensions', lang)}", "", table(heads, rows, align), ""] + sections


def _sentence(parts: Sequence[str]) -> str:
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


# ---------------------------------------------------------------- needs, barriers, actions


def _needs(r: RespondentAnalysis, lang: str, services: ServiceCatalogue | None) -> list[str]:
    qn, answers = r.scored.questionnaire, r.scored.response.answers
    parts: list[str] = []
    needs = answers.get(NEEDS_QUESTION)
    if NEEDS_QUESTION in qn.questions_by_id and isinstance(needs, list) and needs:
        lines = []
        for value in needs:
            service = services.by_id.get(value) if services else None
            lines.append(f"- **{pick(service.label, lang)}**: {pick(service.description, lang)}" if service
                         else f"- {choice_label(qn, NEEDS_QUESTION, value, lang)}")
        parts += [f"### {t('report.r.needs_top', lang)}", "", *lines, ""]
    for qid in BARRIER_QUESTIONS:
        given = answers.get(qid)
        if qid not in qn.questions_by_id or not isinstance(given, list) or not given:
            continue
        exclusive = {c.value for c in qn.choices_of(qn.question(qid)) if c.exclusive}
        lines = []
        for value in given:
            answer = choice_label(qn, qid, value, lang)
            if value in exclusive:
                lines.append(f"- {answer}")
                continue
            found = services.answering(qid, value) if services else []
            names = "; ".join(pick(sv.label, lang) for sv in found)
            lines.append("- " + (t("report.r.answered_by", lang, answer=answer, services=names) if found
                                 else t("report.r.no_service", lang, answer=answer)))
        parts += [f"### {t(f'report.r.barriers.{qid}', lang)}", "", *lines, ""]
    head = [f"## {t('report.r.needs', lang)}", ""]
    if not parts:
        has_questions = NEEDS_QUESTION in qn.questions_by_id or any(q in qn.questions_by_id for q in BARRIER_QUESTIONS)
        return head + [t("report.r.no_needs", lang), ""] if has_questions else []
    return head + [t("report.r.needs_intro", lang), ""] + parts


def _actions(r: RespondentAnalysis, lang: str) -> list[str]:
    qn = r.scored.questionnaire
    out = [f"## {t('report.r.actions', lang)}", ""]
    if not r.actions:
        return out + [t("report.r.no_actions", lang), ""]
    out += [t("report.r.actions_intro", lang, top=10), ""]
    groups: dict[str, list[str]] = {h: [] for h in HORIZON_ORDER}
    catalogue = qn.service_catalogue
    for a in r.actions:  # already in priority order, at most ten, min_size respected
        q = qn.question(a.question_id)
        groups[horizon(q.effort)].append(a.question_id)
    number = 0
    for h in HORIZON_ORDER:
        if not groups[h]:
            continue
        out += [f"### {t(f'report.r.h.{h}', lang)}", ""]
        for qid in groups[h]:
            number += 1
            q = qn.question(qid)
            text = t("report.r.action", lang, action=pick(q.action, lang), dim=label_of(qn, "dimension", q.dimension or "", lang))
            service = catalogue.by_id.get(q.service or "") if catalogue else None
            if service:
                text += " " + t("report.r.action_service", lang, service=pick(service.label, lang))
            out.append(f"{number}. {text}")
        out.append("")
    return out


def _strengths(r: RespondentAnalysis, lang: str) -> list[str]:
    qn, result = r.scored.questionnaire, r.scored.result
    out = [f"## {t('report.r.strengths', lang)}", ""]
    if r.strengths:
        for d in r.strengths:
            dim = result.dimensions[d]
            out.append("- " + t("report.r.strength", lang, dim=label_of(qn, "dimension", d, lang), score=num(dim.score, lang),
                                target=num(dim.target, lang)))
        out.append("")
    else:
        out += [t("report.r.no_strengths", lang), ""]
    if r.full_items:
        out += [f"{t('report.r.full_items', lang)}:", ""]
        out += [f"- {label_of(qn, 'question', q, lang)}" for q in r.full_items] + [""]
    return out
