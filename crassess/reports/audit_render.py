"""Rendering the questionnaire audit: ``audit.md`` (a plain reading first) and ``audit.xlsx`` (every figure)."""

from __future__ import annotations

from typing import Any

from crassess.i18n import fmt_number, pick, register, t
from crassess.reports.audit import (
    ALPHA_OK,
    CEILING_SHARE,
    DK_SHARE,
    REST_R,
    SPREAD,
    VARIANCE_SHARE,
    CampaignAudit,
    ItemAudit,
    QuestionnaireAudit,
    _score_range,
    alpha_n,
)
from crassess.reports.disclosure import (
    Key,
    Protection,
    Publication,
    Withheld,
    mark_label,
    notes,
)
from crassess.reports.markdown import md_text, sector_name, table
from crassess.sheets import SheetTable

STABLE = 0.9  # an order kept in 90% of draws does not depend on the weights

register({
    "audit.title": {"it": "Verifica dei questionari: {name}", "en": "Questionnaire audit: {name}"},
    "audit.meta": {"it": "Risposte complete analizzate; bozze escluse. Estrazioni Monte Carlo: {draws} (seme {seed}). Minimo di rispondenti per una cifra: {min_n}.",
                   "en": "Complete responses analysed; drafts left out. Monte Carlo draws: {draws} (seed {seed}). Minimum respondents per figure: {min_n}."},
    "audit.reading": {"it": "Lettura in breve", "en": "The reading in brief"},
    "audit.r.items": {"it": "**Domande da riformulare o togliere**: {list}.", "en": "**Questions to reword or drop**: {list}."},
    "audit.r.items_none": {"it": "**Domande**: nessuna segnalata.", "en": "**Questions**: none flagged."},
    "audit.r.dims": {"it": "**Dimensioni poco affidabili** (alfa di Cronbach sotto {ok}): {list}.",
                     "en": "**Unreliable dimensions** (Cronbach's alpha below {ok}): {list}."},
    "audit.r.dims_none": {"it": "**Dimensioni**: tutte con alfa di almeno {ok} dove calcolabile.",
                          "en": "**Dimensions**: all with alpha of at least {ok} where it can be computed."},
    "audit.r.dims_withheld": {"it": "Alfa non calcolabile (meno di {n} rispondenti con tutte le risposte, o una sola domanda): {list}.",
                              "en": "Alpha not computed (fewer than {n} respondents with every answer, or a single question): {list}."},
    "audit.r.weights_ok": {"it": "**Pesi**: le conclusioni non dipendono dai pesi scelti: con pesi variati del ±{spread}% l'ordine dei settori e delle dimensioni resta lo stesso in almeno il {stable}% delle estrazioni e il livello di pochi rispondenti cambia.",
                           "en": "**Weights**: the conclusions do not depend on the chosen weights: with weights varied by ±{spread}% the order of sectors and dimensions stays the same in at least {stable}% of draws and few respondents change level."},
    "audit.r.weights_depend": {"it": "**Pesi**: alcune conclusioni dipendono dai pesi scelti (pesi variati del ±{spread}%): {list}. Presentarle come indicative.",
                               "en": "**Weights**: some conclusions depend on the chosen weights (weights varied by ±{spread}%): {list}. Present them as indicative."},
    "audit.r.sector_order": {"it": "l'ordine dei settori ({order}) resta uguale solo nel {kept}% delle estrazioni",
                             "en": "the order of the sectors ({order}) holds in only {kept}% of draws"},
    "audit.r.dim_order": {"it": "{qn}: l'ordine delle dimensioni per divario resta uguale solo nel {kept}% delle estrazioni",
                          "en": "{qn}: the order of the dimensions by gap holds in only {kept}% of draws"},
    "audit.r.levels": {"it": "{qn}: il livello del {share}% dei rispondenti cambia in almeno il 5% delle estrazioni",
                       "en": "{qn}: {share}% of respondents change level in at least 5% of draws"},
    "audit.method": {"it": "Metodo", "en": "Method"},
    "audit.method_text": {
        "it": "Per ogni domanda con punteggio: risposte, media e deviazione standard del punteggio (0-100), quote di «Non so», «Non applicabile», mancanti e non pertinenti sul totale delle risposte complete, quote al punteggio minimo e massimo possibile, correlazione della domanda con la somma delle altre domande della sua dimensione (correlazione domanda-resto). Segnalazioni: più di {var} risposte su 100 uguali (poca varietà); correlazione domanda-resto sotto {rest}; «Non so» in più di {dk} casi su 100 tra chi doveva rispondere; più di {ceil} risposte su 100 al punteggio massimo (effetto tetto). L'alfa di Cronbach (e l'alfa togliendo ogni domanda) è calcolato sui rispondenti che hanno risposto a tutte le domande della dimensione, con almeno {min_alpha} di essi; le correlazioni tra dimensioni con almeno {min_alpha} coppie. I pesi delle dimensioni e delle domande sono variati a caso, in modo uniforme entro ±{spread}% e riportati al totale originale, {draws} volte (seme {seed}); per ogni estrazione si ricalcolano i punteggi complessivi (le dimensioni senza punteggio restano escluse come nel calcolo di base). Riferimenti: OECD/JRC, *Handbook on Constructing Composite Indicators* (2008); JRC-COIN, *Ten-step guide* (passi 4 e 8); Saisana, Saltelli, Tarantola, *JRSS A* 168 (2005). Nessuna cifra descrive meno di {min_n} rispondenti; i risultati per rispondente sono riportati solo come distribuzione.",
        "en": "For each scored question: answers, mean and standard deviation of the score (0-100), shares of «Don't know», «Not applicable», missing and not relevant over all complete responses, shares at the lowest and highest possible score, correlation of the question with the sum of the other questions of its dimension (item-rest correlation). Flags: more than {var} answers in 100 the same (little variance); item-rest correlation below {rest}; «Don't know» in more than {dk} cases in 100 among those who should answer; more than {ceil} answers in 100 at the top score (ceiling effect). Cronbach's alpha (and alpha with each question deleted) uses the respondents who answered every question of the dimension, at least {min_alpha} of them; correlations between dimensions at least {min_alpha} pairs. Dimension and question weights are varied at random, uniformly within ±{spread}% and rescaled to the original total, {draws} times (seed {seed}); each draw recomputes the overall scores (dimensions without a score stay out, as in the baseline). References: OECD/JRC, *Handbook on Constructing Composite Indicators* (2008); JRC-COIN, *Ten-step guide* (steps 4 and 8); Saisana, Saltelli, Tarantola, *JRSS A* 168 (2005). No figure describes fewer than {min_n} respondents; per-respondent results are reported only as a distribution.",
    },
    "audit.qn": {"it": "{title} ({id} {version}): risposte complete {n}, bozze {drafts}", "en": "{title} ({id} {version}): complete responses {n}, drafts {drafts}"},
    "audit.items": {"it": "Domande", "en": "Questions"},
    "audit.dimensions": {"it": "Affidabilità delle dimensioni", "en": "Reliability of the dimensions"},
    "audit.correlations": {"it": "Correlazioni tra dimensioni", "en": "Correlations between dimensions"},
    "audit.weights": {"it": "Pesi e aggregazione", "en": "Weights and aggregation"},
    "audit.unpublished": {"it": "Tabella non pubblicata: con così poche risposte ogni sua cifra descriverebbe meno di {n} rispondenti.",
                          "en": "Table not published: with so few responses each of its figures would describe fewer than {n} respondents."},
    "audit.none": {"it": "Nessuna risposta completa.", "en": "No complete response."},
    "audit.c.question": {"it": "Domanda", "en": "Question"},
    "audit.c.dimension": {"it": "Dimensione", "en": "Dimension"},
    "audit.c.n": {"it": "Risposte", "en": "Answers"},
    "audit.c.mean": {"it": "Media", "en": "Mean"},
    "audit.c.sd": {"it": "DS", "en": "SD"},
    "audit.c.dk": {"it": "Non so", "en": "Don't know"},
    "audit.c.na": {"it": "Non appl.", "en": "Not appl."},
    "audit.c.missing": {"it": "Mancanti", "en": "Missing"},
    "audit.c.not_relevant": {"it": "Non pert.", "en": "Not relevant"},
    "audit.c.floor": {"it": "Al minimo", "en": "At floor"},
    "audit.c.ceiling": {"it": "Al massimo", "en": "At ceiling"},
    "audit.c.rest": {"it": "r domanda-resto", "en": "Item-rest r"},
    "audit.c.flags": {"it": "Segnalazioni", "en": "Flags"},
    "audit.c.items": {"it": "Domande", "en": "Questions"},
    "audit.c.complete": {"it": "Completi", "en": "Complete"},
    "audit.c.alpha": {"it": "Alfa di Cronbach", "en": "Cronbach's alpha"},
    "audit.c.best_drop": {"it": "Alfa senza la più debole", "en": "Alpha without the weakest"},
    "audit.c.note": {"it": "Nota", "en": "Note"},
    "audit.c.alpha_without": {"it": "Alfa senza la domanda", "en": "Alpha without the question"},
    "audit.c.pairs": {"it": "Coppie", "en": "Pairs"},
    "audit.c.r": {"it": "r", "en": "r"},
    "audit.c.figure": {"it": "Cifra", "en": "Figure"},
    "audit.c.value": {"it": "Valore", "en": "Value"},
    "audit.c.questionnaire": {"it": "Questionario", "en": "Questionnaire"},
    "audit.flag.variance": {"it": "poca varietà", "en": "little variance"},
    "audit.flag.rest": {"it": "poco legata alla dimensione", "en": "weakly tied to its dimension"},
    "audit.flag.dk": {"it": "molti «Non so»", "en": "many «Don't know»"},
    "audit.flag.ceiling": {"it": "effetto tetto", "en": "ceiling effect"},
    "audit.why.n": {"it": "meno di {n} rispondenti con tutte le risposte", "en": "fewer than {n} respondents with every answer"},
    "audit.why.one_item": {"it": "una sola domanda", "en": "a single question"},
    "audit.why.no_variance": {"it": "punteggi senza variabilità", "en": "scores without variance"},
    "audit.w.n": {"it": "Rispondenti con punteggio complessivo", "en": "Respondents with an overall score"},
    "audit.w.width": {"it": "Ampiezza dell'intervallo 5°-95° percentile del punteggio complessivo di un rispondente: mediana", "en": "Width of a respondent's 5th-95th percentile interval of the overall score: median"},
    "audit.w.width_p90": {"it": "… e 90° percentile delle ampiezze", "en": "… and 90th percentile of the widths"},
    "audit.w.level_sensitive": {"it": "Rispondenti il cui livello cambia in almeno il 5% delle estrazioni (%)", "en": "Respondents whose level changes in at least 5% of draws (%)"},
    "audit.w.level_change": {"it": "Quota media di estrazioni con un livello diverso (%)", "en": "Mean share of draws with another level (%)"},
    "audit.w.spearman": {"it": "Correlazione di Spearman mediana tra ordine base e ordine con pesi variati", "en": "Median Spearman correlation between baseline and perturbed ranks"},
    "audit.w.dim_order": {"it": "Estrazioni che mantengono l'ordine delle dimensioni per divario (%)", "en": "Draws keeping the order of the dimensions by gap (%)"},
    "audit.w.equal_mean": {"it": "Differenza media tra punteggio pesato e media semplice delle dimensioni (come il DMA)", "en": "Mean difference between the weighted score and the plain mean of the dimensions (as in the DMA)"},
    "audit.w.equal_p10": {"it": "… 10° percentile della differenza", "en": "… 10th percentile of the difference"},
    "audit.w.equal_p90": {"it": "… 90° percentile della differenza", "en": "… 90th percentile of the difference"},
    "audit.w.equal_level": {"it": "Rispondenti con un altro livello usando la media semplice (%)", "en": "Respondents with another level under the plain mean (%)"},
    "audit.w.withheld": {"it": "Meno di {n} rispondenti con punteggio complessivo: analisi dei pesi non pubblicata.", "en": "Fewer than {n} respondents with an overall score: weight analysis not published."},
    "audit.sectors": {"it": "Ordine dei settori", "en": "Order of the sectors"},
    "audit.sectors_text": {"it": "Settori per punteggio complessivo medio: {order}. Con i pesi variati l'ordine resta lo stesso nel {kept}% delle estrazioni.",
                           "en": "Sectors by mean overall score: {order}. With varied weights the order holds in {kept}% of draws."},
    "audit.sectors_none": {"it": "Meno di due settori con almeno {n} rispondenti: ordine non calcolato.", "en": "Fewer than two sectors with at least {n} respondents: no order computed."},
    "audit.synthetic": {"it": "> **Dati sintetici**: verifica su una rilevazione dimostrativa generata con un seme fisso.", "en": "> **Synthetic data**: audit of a demonstration survey generated with a fixed seed."},
})


def _pct(share: float | None, lang: str) -> str:
    return "–" if share is None else fmt_number(100 * share, lang, 0) + "%"


def _num(value: float | None, lang: str, decimals: int = 1) -> str:
    return fmt_number(value, lang, decimals)


STATUSES = ("scored", "dk", "na", "missing", "not_relevant")


def _end_keys(qa: QuestionnaireAudit, item: ItemAudit) -> tuple[Key, Key] | None:
    """The floor and ceiling counts of an item, unless its lowest and highest score coincide."""
    lo, hi = _score_range(qa.questionnaire, qa.questionnaire.question(item.question))
    qid = qa.questionnaire.id
    return None if lo == hi else (("end", qid, item.question, "floor"), ("end", qid, item.question, "ceiling"))


def protect(audit: CampaignAudit) -> Protection:
    """Register every count the audit publishes (both files are one report set) and solve the suppression."""
    pub = Publication(audit.min_n)
    for qa in audit.questionnaires:
        qid = qa.questionnaire.id
        total = pub.count(("n", qid), qa.n, public=True)
        for item in qa.items:
            parts = {("st", qid, item.question, s): item.counts[s] for s in STATUSES}
            pub.partition(total, parts, public_total=True)
            scored = ("st", qid, item.question, "scored")
            ends = _end_keys(qa, item)
            if ends:
                middle = item.n - item.floor - item.ceiling
                pub.count(ends[0], item.floor)
                pub.count(ends[1], item.ceiling)
                pub.count(("end", qid, item.question, "middle"), middle, hidden=True)
                pub.line(scored, [ends[0], ends[1], ("end", qid, item.question, "middle")])
            pub.table(f"items-{qid}", [*parts, *(ends or ())])
            if item.mean is not None:
                pub.mean(("mean", qid, item.question), item.mean, scored)
                pub.table(f"items-{qid}", [("mean", qid, item.question)])
        for d in qa.dimensions:
            pub.count(("complete", qid, d.id), d.n_complete)
            pub.complement(total, ("complete", qid, d.id), ("incomplete", qid, d.id))
            pub.table(f"dims-{qid}", [("complete", qid, d.id)])
        w = qa.weights
        rated = ("rated", qid)
        pub.count(rated, w.n)
        pub.complement(total, rated, ("unrated", qid))
        pub.table(f"weights-{qid}", [rated])
        if not w.withheld:
            for name, count in (("sensitive", w.level_sensitive), ("equal-differs", w.equal_weight_level_differs)):
                pub.count((name, qid), count or 0)
                pub.complement(rated, (name, qid), ("not-" + name, qid))
                pub.table(f"weights-{qid}", [(name, qid)])
    return pub.solve()


def _count(p: Protection, key: Key, lang: str) -> str:
    value = p.count(key)
    return mark_label(value, p.min_n, lang) if isinstance(value, Withheld) else str(value)


def _share(p: Protection, part: Key, base: Key, lang: str) -> str:
    value = p.share(part, base)
    if isinstance(value, Withheld):
        return mark_label(value, p.min_n, lang)
    return "–" if value is None else fmt_number(value, lang, 0) + "%"


def _share_value(p: Protection, part: Key, base: Key) -> tuple[float | None, str]:
    """A share for the workbook: (the number, or None when withheld, the mark's label)."""
    value = p.share(part, base)
    if isinstance(value, Withheld):
        return None, mark_label(value, p.min_n)
    return (None if value is None else round(value, 4)), ""


def _item_row(qa: QuestionnaireAudit, item: ItemAudit, p: Protection, lang: str) -> list[str]:
    qid = qa.questionnaire.id
    scored = ("st", qid, item.question, "scored")
    mean = p.mean(("mean", qid, item.question)) if item.mean is not None else None
    if isinstance(mean, Withheld) or mean is None:
        label = mark_label(mean, p.min_n, lang) if isinstance(mean, Withheld) else "–"
        stats = [label, label]
    else:
        stats = [_num(mean, lang), _num(item.sd, lang)]
    ends = _end_keys(qa, item)
    end_cells = [_share(p, k, scored, lang) for k in ends] if ends else ["–", "–"]
    statuses = [_share(p, ("st", qid, item.question, s), ("n", qid), lang) for s in STATUSES[1:]]
    flags = "" if isinstance(mean, Withheld) else ", ".join(t(f"audit.flag.{f}", lang) for f in item.flags)
    rest = "–" if isinstance(mean, Withheld) else _num(item.rest_r, lang, 2)
    return [md_text(item.question), md_text(item.dimension), _count(p, scored, lang), *stats, *statuses, *end_cells,
            rest, flags]


def _items_md(qa: QuestionnaireAudit, p: Protection, lang: str) -> list[str]:
    if not p.published(f"items-{qa.questionnaire.id}"):
        return [t("audit.unpublished", lang, n=p.min_n), ""]
    heads = [t(f"audit.c.{k}", lang) for k in ("question", "dimension", "n", "mean", "sd", "dk", "na", "missing",
                                                 "not_relevant", "floor", "ceiling", "rest", "flags")]
    rows = [_item_row(qa, item, p, lang) for item in qa.items]
    return [table(heads, rows, "ll" + "r" * 10 + "l"), ""]


def _dimension_label(qa: QuestionnaireAudit, dim: str, lang: str) -> str:
    return pick(qa.questionnaire.dimensions_by_id[dim].label, lang)


def _dimensions_md(qa: QuestionnaireAudit, p: Protection, lang: str) -> list[str]:
    if not p.published(f"dims-{qa.questionnaire.id}"):
        return [t("audit.unpublished", lang, n=p.min_n), ""]
    heads = [t(f"audit.c.{k}", lang) for k in ("dimension", "items", "complete", "alpha", "best_drop", "note")]
    rows = []
    for d in qa.dimensions:
        best = max(((a, q) for q, a in d.alpha_if_deleted.items() if a is not None), default=None)
        best_text = f"{_num(best[0], lang, 2)} ({md_text(best[1])})" if best and d.alpha is not None and best[0] > d.alpha else "–"
        note = t(f"audit.why.{d.withheld}", lang, n=alpha_n(p.min_n)) if d.withheld else ""
        rows.append([_dimension_label(qa, d.id, lang), str(len(d.items)), _count(p, ("complete", qa.questionnaire.id, d.id), lang),
                     _num(d.alpha, lang, 2), best_text, note])
    return [table(heads, rows, "lrrrll"), ""]


def _correlations_md(qa: QuestionnaireAudit, min_n: int, lang: str) -> list[str]:
    """A matrix with short heads (D1, D2, ...) so that its lines stay readable; the rows name them."""
    dims = [d.id for d in qa.questionnaire.dimensions]
    value = {(c.a, c.b): c for c in qa.correlations}
    rows = []
    for i, a in enumerate(dims, start=1):
        row = [f"D{i} {_dimension_label(qa, a, lang)[:40]}"]
        for b in dims:
            c = value.get((a, b)) or value.get((b, a))
            row.append("1" if a == b else "–" if c is None or c.r is None else _num(c.r, lang, 2))
        rows.append(row)
    return [table(["", *[f"D{i}" for i in range(1, len(dims) + 1)]], rows), "",
            "–: " + t("audit.why.n", lang, n=alpha_n(min_n)) + ".", ""]


def _weight_figures(qa: QuestionnaireAudit, p: Protection) -> list[tuple[str, float | int | None, str, int]]:
    """(text key, value, withheld mark label or "", decimals) of the weight analysis; shares in percent."""
    w = qa.weights
    qid = qa.questionnaire.id
    out: list[tuple[str, float | int | None, str, int]] = []
    rated = p.count(("rated", qid))
    out.append(("n", None if isinstance(rated, Withheld) else rated, mark_label(rated, p.min_n) if isinstance(rated, Withheld) else "", 0))
    for key, value, decimals in (("width", w.width_median, 1), ("width_p90", w.width_p90, 1)):
        out.append((key, value, "", decimals))
    share, mark = _share_value(p, ("sensitive", qid), ("rated", qid))
    out.append(("level_sensitive", share, mark, 0))
    out.append(("level_change", None if w.level_change_mean is None else 100 * w.level_change_mean, "", 0))
    out.append(("spearman", w.spearman_median, "", 3))
    out.append(("dim_order", None if w.dimension_order_kept is None else 100 * w.dimension_order_kept, "", 0))
    out.append(("equal_mean", w.equal_weight_diff_mean, "", 1))
    out.append(("equal_p10", w.equal_weight_diff_p10, "", 1))
    out.append(("equal_p90", w.equal_weight_diff_p90, "", 1))
    share, mark = _share_value(p, ("equal-differs", qid), ("rated", qid))
    out.append(("equal_level", share, mark, 0))
    return out


def _weights_md(qa: QuestionnaireAudit, p: Protection, lang: str) -> list[str]:
    if qa.weights.withheld or not p.published(f"weights-{qa.questionnaire.id}"):
        return [t("audit.w.withheld", lang, n=p.min_n), ""]
    rows = [(t(f"audit.w.{key}", lang), mark or fmt_number(value, lang, decimals))
            for key, value, mark, decimals in _weight_figures(qa, p)]
    return [table([t("audit.c.figure", lang), t("audit.c.value", lang)], rows, "lr"), ""]


def _reading(audit: CampaignAudit, p: Protection, lang: str) -> list[str]:
    flagged = [f"{md_text(qa.questionnaire.id)}: {md_text(i.question)} ({', '.join(t(f'audit.flag.{f}', lang) for f in i.flags)})"
               for qa in audit.questionnaires if p.published(f"items-{qa.questionnaire.id}") for i in qa.items
               if i.flags and i.mean is not None and not isinstance(p.mean(("mean", qa.questionnaire.id, i.question)), Withheld)]
    low = [f"{md_text(qa.questionnaire.id)}: {_dimension_label(qa, d.id, lang)} ({_num(d.alpha, lang, 2)})"
           for qa in audit.questionnaires for d in qa.dimensions if d.alpha is not None and d.alpha < ALPHA_OK]
    withheld = [f"{md_text(qa.questionnaire.id)}: {_dimension_label(qa, d.id, lang)}"
                for qa in audit.questionnaires for d in qa.dimensions if d.withheld]
    depends = []
    if audit.sector_order_kept is not None and audit.sector_order_kept < STABLE:
        depends.append(t("audit.r.sector_order", lang, order=", ".join(sector_name(s, lang) for s in audit.sector_order),
                         kept=fmt_number(100 * audit.sector_order_kept, lang, 0)))
    for qa in audit.questionnaires:
        w = qa.weights
        if w.dimension_order_kept is not None and w.dimension_order_kept < STABLE:
            depends.append(t("audit.r.dim_order", lang, qn=md_text(qa.questionnaire.id), kept=fmt_number(100 * w.dimension_order_kept, lang, 0)))
        shown = not w.withheld and p.published(f"weights-{qa.questionnaire.id}")
        share = p.share(("sensitive", qa.questionnaire.id), ("rated", qa.questionnaire.id)) if shown else None
        if isinstance(share, float) and share > 100 * (1 - STABLE):
            depends.append(t("audit.r.levels", lang, qn=md_text(qa.questionnaire.id), share=fmt_number(share, lang, 0)))
    ok = fmt_number(ALPHA_OK, lang, 1)
    lines = [f"## {t('audit.reading', lang)}", "",
             "- " + (t("audit.r.items", lang, list="; ".join(flagged)) if flagged else t("audit.r.items_none", lang)),
             "- " + (t("audit.r.dims", lang, ok=ok, list="; ".join(low)) if low else t("audit.r.dims_none", lang, ok=ok))]
    if withheld:
        lines.append("- " + t("audit.r.dims_withheld", lang, n=alpha_n(audit.min_n), list="; ".join(withheld)))
    spread = fmt_number(100 * SPREAD, lang, 0)
    lines.append("- " + (t("audit.r.weights_depend", lang, spread=spread, list="; ".join(depends)) if depends
                         else t("audit.r.weights_ok", lang, spread=spread, stable=fmt_number(100 * STABLE, lang, 0))))
    return lines + [""]


def audit_markdown(audit: CampaignAudit, lang: str, protection: Protection | None = None) -> str:
    """``audit.md``: the reading in brief, the method, then each questionnaire's tables."""
    p = protection or protect(audit)
    out = [f"# {t('audit.title', lang, name=md_text(audit.name))}", ""]
    if audit.synthetic:
        out += [t("audit.synthetic", lang), ""]
    out += [t("audit.meta", lang, draws=audit.draws, seed=audit.seed, min_n=audit.min_n), "", notes(audit.min_n, lang), ""]
    out += _reading(audit, p, lang)
    out += [f"## {t('audit.method', lang)}", "", t("audit.method_text", lang, var=round(100 * VARIANCE_SHARE),
            rest=fmt_number(REST_R, lang, 1), dk=round(100 * DK_SHARE), ceil=round(100 * CEILING_SHARE),
            min_alpha=alpha_n(audit.min_n), spread=round(100 * SPREAD), draws=audit.draws, seed=audit.seed,
            min_n=audit.min_n), ""]
    for qa in audit.questionnaires:
        qn = qa.questionnaire
        out += [f"## {t('audit.qn', lang, title=md_text(pick(qn.title, lang)), id=qn.id, version=qn.version, n=qa.n, drafts=qa.drafts)}", ""]
        if not qa.n:
            out += [t("audit.none", lang), ""]
            continue
        out += [f"### {t('audit.items', lang)}", "", *_items_md(qa, p, lang)]
        out += [f"### {t('audit.dimensions', lang)}", "", *_dimensions_md(qa, p, lang)]
        out += [f"### {t('audit.correlations', lang)}", "", *_correlations_md(qa, audit.min_n, lang)]
        out += [f"### {t('audit.weights', lang)}", "", *_weights_md(qa, p, lang)]
    out += [f"## {t('audit.sectors', lang)}", ""]
    if audit.sector_order_kept is None:
        out += [t("audit.sectors_none", lang, n=audit.min_n), ""]
    else:
        out += [t("audit.sectors_text", lang, order=", ".join(sector_name(s, lang) for s in audit.sector_order),
                  kept=fmt_number(100 * audit.sector_order_kept, lang, 0)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _value(x: float | None, scale: float = 1.0) -> float | None:
    return None if x is None else round(x * scale, 4)


def audit_sheets(audit: CampaignAudit, lang: str, protection: Protection | None = None) -> list[SheetTable]:
    """The workbook's tables: numbers stay numbers; a withheld figure is an empty cell with its mark in the note."""
    p = protection or protect(audit)
    item_heads = [t(f"audit.c.{k}", lang) for k in ("questionnaire", "question", "dimension", "n", "mean", "sd", "dk", "na",
                                                      "missing", "not_relevant", "floor", "ceiling", "rest", "flags", "note")]
    dim_heads = [t(f"audit.c.{k}", lang) for k in ("questionnaire", "dimension", "question", "complete", "alpha", "alpha_without", "note")]
    item_rows: list[list[Any]] = []
    dim_rows: list[list[Any]] = []
    corr_rows: list[list[Any]] = []
    weight_rows: list[list[Any]] = []
    for qa in audit.questionnaires:
        qid = qa.questionnaire.id
        unpublished = t("audit.unpublished", lang, n=p.min_n)
        if not p.published(f"items-{qid}"):
            item_rows.append([qid, *[None] * 13, unpublished])
        for i in qa.items if p.published(f"items-{qid}") else ():
            scored = ("st", qid, i.question, "scored")
            marks: list[str] = []
            n = p.count(scored)
            mean = p.mean(("mean", qid, i.question)) if i.mean is not None else None
            stats: list[Any] = [None, None] if isinstance(mean, Withheld) else [mean, _value(i.sd)]
            shares = [_share_value(p, ("st", qid, i.question, s), ("n", qid)) for s in STATUSES[1:]]
            ends = _end_keys(qa, i)
            end_values = [_share_value(p, k, scored) for k in ends] if ends else [(None, ""), (None, "")]
            marks += [m for _, m in shares + end_values if m]
            if isinstance(n, Withheld):
                marks.append(mark_label(n, p.min_n, lang))
            if isinstance(mean, Withheld):
                marks.append(mark_label(mean, p.min_n, lang))
            item_rows.append([qid, i.question, i.dimension, None if isinstance(n, Withheld) else n,
                              _value(stats[0]), stats[1], *(v for v, _ in shares), *(v for v, _ in end_values),
                              None if isinstance(mean, Withheld) else _value(i.rest_r),
                              "" if isinstance(mean, Withheld) else ", ".join(t(f"audit.flag.{f}", lang) for f in i.flags),
                              ", ".join(dict.fromkeys(marks))])
        if not p.published(f"dims-{qid}"):
            dim_rows.append([qid, None, None, None, None, None, unpublished])
        for d in qa.dimensions if p.published(f"dims-{qid}") else ():
            note = t(f"audit.why.{d.withheld}", lang, n=alpha_n(audit.min_n)) if d.withheld else ""
            complete = p.count(("complete", qid, d.id))
            if isinstance(complete, Withheld):
                note = "; ".join(filter(None, (note, mark_label(complete, p.min_n, lang))))
                complete = None
            dim_rows.append([qid, d.id, None, complete, _value(d.alpha), None, note])
            dim_rows += [[qid, d.id, q, complete, None, _value(a), ""] for q, a in d.alpha_if_deleted.items()]
        corr_rows += [[qid, c.a, c.b, c.n if c.r is not None else None, _value(c.r),
                       "" if c.r is not None else t("audit.why.n", lang, n=alpha_n(audit.min_n))] for c in qa.correlations]
        if qa.weights.withheld or not p.published(f"weights-{qid}"):
            weight_rows.append([qid, t("audit.w.n", lang), None, t("audit.w.withheld", lang, n=audit.min_n)])
        else:
            weight_rows += [[qid, t(f"audit.w.{key}", lang), _value(value) if isinstance(value, float) else value, mark]
                            for key, value, mark, _ in _weight_figures(qa, p)]
    return [
        SheetTable(t("audit.items", lang), item_heads, item_rows),
        SheetTable(t("audit.dimensions", lang)[:31], dim_heads, dim_rows),
        SheetTable(t("audit.correlations", lang)[:31], [t("audit.c.questionnaire", lang), "A", "B",
                                                        t("audit.c.pairs", lang), "r", t("audit.c.note", lang)], corr_rows),
        SheetTable(t("audit.weights", lang)[:31], [t("audit.c.questionnaire", lang), t("audit.c.figure", lang),
                                                    t("audit.c.value", lang), t("audit.c.note", lang)], weight_rows),
    ]
