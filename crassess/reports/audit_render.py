"""Rendering the questionnaire audit: ``audit.md`` (a plain reading first) and ``audit.xlsx`` (every figure)."""

from __future__ import annotations

from typing import Any

from crassess.i18n import fmt_number, pick, register, t
from crassess.reports.audit import (
    ALPHA_OK,
    CEILING_SHARE,
    DK_SHARE,
    MIN_ALPHA_N,
    REST_R,
    SPREAD,
    VARIANCE_SHARE,
    CampaignAudit,
    ItemAudit,
    QuestionnaireAudit,
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
    "audit.c.complete": {"it": "Rispondenti completi", "en": "Complete respondents"},
    "audit.c.alpha": {"it": "Alfa di Cronbach", "en": "Cronbach's alpha"},
    "audit.c.best_drop": {"it": "Alfa senza la domanda più debole", "en": "Alpha without the weakest question"},
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
    "audit.withheld_n": {"it": "n<{n}", "en": "n<{n}"},
    "audit.w.n": {"it": "Rispondenti con punteggio complessivo", "en": "Respondents with an overall score"},
    "audit.w.width": {"it": "Ampiezza dell'intervallo 5°-95° percentile del punteggio complessivo di un rispondente: mediana", "en": "Width of a respondent's 5th-95th percentile interval of the overall score: median"},
    "audit.w.width_p90": {"it": "… e 90° percentile delle ampiezze", "en": "… and 90th percentile of the widths"},
    "audit.w.level_sensitive": {"it": "Rispondenti il cui livello cambia in almeno il 5% delle estrazioni (%)", "en": "Respondents whose level changes in at least 5% of draws (%)"},
    "audit.w.level_change": {"it": "Quota media di estrazioni con un livello diverso (%)", "en": "Mean share of draws with another level (%)"},
    "audit.w.spearman": {"it": "Correlazione di Spearman mediana tra ordine base e ordine con pesi variati", "en": "Median Spearman correlation between baseline and perturbed ranks"},
    "audit.w.dim_order": {"it": "Estrazioni che mantengono l'ordine delle dimensioni per divario (%)", "en": "Draws keeping the order of the dimensions by gap (%)"},
    "audit.w.equal_mean": {"it": "Differenza media tra punteggio pesato e media semplice delle dimensioni (come il DMA)", "en": "Mean difference between the weighted score and the plain mean of the dimensions (as in the DMA)"},
    "audit.w.equal_range": {"it": "… 10° e 90° percentile della differenza", "en": "… 10th and 90th percentile of the difference"},
    "audit.w.equal_level": {"it": "Rispondenti con un altro livello usando la media semplice (%)", "en": "Respondents with another level under the plain mean (%)"},
    "audit.w.withheld": {"it": "Meno di {n} rispondenti con punteggio complessivo: analisi dei pesi non pubblicata.", "en": "Fewer than {n} respondents with an overall score: weight analysis not published."},
    "audit.sectors": {"it": "Ordine dei settori", "en": "Order of the sectors"},
    "audit.sectors_text": {"it": "Settori per punteggio complessivo medio: {order}. Con i pesi variati l'ordine resta lo stesso nel {kept}% delle estrazioni.",
                           "en": "Sectors by mean overall score: {order}. With varied weights the order holds in {kept}% of draws."},
    "audit.sectors_none": {"it": "Meno di due settori con almeno {n} rispondenti: ordine non calcolato.", "en": "Fewer than two sectors with at least {n} respondents: no order computed."},
    "audit.synthetic": {"it": "> **Dati sintetici**: verifica su una rilevazione dimostrativa generata con un seme fisso.", "en": "> **Synthetic data**: audit of a demonstration survey generated with a fixed seed."},
})


def _protect_partition(counts: dict[str, int], total: int, min_n: int) -> dict[str, bool]:
    """TEMPORARY until crassess.reports.disclosure lands: which cells of a partition of ``total`` may be shown."""
    hide = {k for k, v in counts.items() if 0 < v < min_n}
    if len(hide) == 1:
        rest = sorted((v, k) for k, v in counts.items() if k not in hide and v > 0)
        if rest:
            hide.add(rest[0][1])
    return {k: k not in hide for k in counts}


def _pct(share: float | None, lang: str) -> str:
    return "–" if share is None else fmt_number(100 * share, lang, 0) + "%"


def _num(value: float | None, lang: str, decimals: int = 1) -> str:
    return fmt_number(value, lang, decimals)


STATUS_KEYS = ("dk", "na", "missing", "not_relevant")


def _partition_shown(item: ItemAudit, total: int, min_n: int) -> dict[str, bool]:
    """Answers with a score plus the four other statuses add up to the complete responses: protect them together."""
    return _protect_partition({"scored": item.counts["scored"], **{k: item.counts[k] for k in STATUS_KEYS}}, total, min_n)


def _status_cells(item: ItemAudit, total: int, min_n: int, lang: str) -> list[str]:
    """The shares of each status over the complete responses; small counts withheld with their row partners."""
    keys = STATUS_KEYS
    shown = _partition_shown(item, total, min_n)
    return [_pct(item.counts[k] / total, lang) if shown[k] else t("audit.withheld_n", lang, n=min_n) for k in keys]


def _end_share(count: int, n: int, min_n: int) -> float | None:
    """The share of answers at the floor or ceiling; None (withheld) when it counts 1..min_n-1 respondents."""
    return None if 0 < count < min_n or not n else count / n


def _item_row(item: ItemAudit, total: int, min_n: int, lang: str) -> list[str]:
    hidden = t("audit.withheld_n", lang, n=min_n)
    ends = [_end_share(c, item.n, min_n) for c in (item.floor, item.ceiling)]
    figures = ([hidden] * 6 if item.withheld else
               [_num(item.mean, lang), _num(item.sd, lang), *(hidden if e is None else _pct(e, lang) for e in ends),
                _num(item.rest_r, lang, 2), ", ".join(t(f"audit.flag.{f}", lang) for f in item.flags)])
    shown = _partition_shown(item, total, min_n)
    n = str(item.n) if shown["scored"] and not item.withheld else hidden
    return [md_text(item.question), md_text(item.dimension), n, *figures[:2], *_status_cells(item, total, min_n, lang),
            *figures[2:]]


def _items_md(qa: QuestionnaireAudit, min_n: int, lang: str) -> list[str]:
    heads = [t(f"audit.c.{k}", lang) for k in ("question", "dimension", "n", "mean", "sd", "dk", "na", "missing",
                                                 "not_relevant", "floor", "ceiling", "rest", "flags")]
    rows = [_item_row(item, qa.n, min_n, lang) for item in qa.items]
    return [table(heads, rows, "ll" + "r" * 10 + "l"), ""]


def _dimension_label(qa: QuestionnaireAudit, dim: str, lang: str) -> str:
    return pick(qa.questionnaire.dimensions_by_id[dim].label, lang)


def _dimensions_md(qa: QuestionnaireAudit, lang: str) -> list[str]:
    heads = [t(f"audit.c.{k}", lang) for k in ("dimension", "items", "complete", "alpha", "best_drop", "note")]
    rows = []
    for d in qa.dimensions:
        best = max(((a, q) for q, a in d.alpha_if_deleted.items() if a is not None), default=None)
        best_text = f"{_num(best[0], lang, 2)} ({md_text(best[1])})" if best and d.alpha is not None and best[0] > d.alpha else "–"
        note = t(f"audit.why.{d.withheld}", lang, n=MIN_ALPHA_N) if d.withheld else ""
        rows.append([_dimension_label(qa, d.id, lang), str(len(d.items)), str(d.n_complete), _num(d.alpha, lang, 2),
                     best_text, note])
    return [table(heads, rows, "lrrrll"), ""]


def _correlations_md(qa: QuestionnaireAudit, lang: str) -> list[str]:
    """A matrix with short heads (D1, D2, ...) so that its lines stay readable; the legend names them."""
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
            "–: " + t("audit.why.n", lang, n=MIN_ALPHA_N) + ".", ""]


def _weight_rows(qa: QuestionnaireAudit, lang: str) -> list[tuple[str, str]]:
    w = qa.weights
    pct = lambda v: fmt_number(None if v is None else 100 * v, lang, 0)  # noqa: E731
    return [
        (t("audit.w.n", lang), str(w.n)),
        (t("audit.w.width", lang), _num(w.width_median, lang)),
        (t("audit.w.width_p90", lang), _num(w.width_p90, lang)),
        (t("audit.w.level_sensitive", lang), pct(w.level_sensitive)),
        (t("audit.w.level_change", lang), pct(w.level_change_mean)),
        (t("audit.w.spearman", lang), _num(w.spearman_median, lang, 3)),
        (t("audit.w.dim_order", lang), pct(w.dimension_order_kept)),
        (t("audit.w.equal_mean", lang), _num(w.equal_weight_diff_mean, lang)),
        (t("audit.w.equal_range", lang), f"{_num(w.equal_weight_diff_p10, lang)} / {_num(w.equal_weight_diff_p90, lang)}"),
        (t("audit.w.equal_level", lang), pct(w.equal_weight_level_differs)),
    ]


def _weights_md(qa: QuestionnaireAudit, min_n: int, lang: str) -> list[str]:
    if qa.weights.withheld:
        return [t("audit.w.withheld", lang, n=min_n), ""]
    return [table([t("audit.c.figure", lang), t("audit.c.value", lang)], _weight_rows(qa, lang), "lr"), ""]


def _reading(audit: CampaignAudit, lang: str) -> list[str]:
    flagged = [f"{md_text(qa.questionnaire.id)}: {md_text(i.question)} ({', '.join(t(f'audit.flag.{f}', lang) for f in i.flags)})"
               for qa in audit.questionnaires for i in qa.items if i.flags and not i.withheld]
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
        if w.level_sensitive is not None and w.level_sensitive > 1 - STABLE:
            depends.append(t("audit.r.levels", lang, qn=md_text(qa.questionnaire.id), share=fmt_number(100 * w.level_sensitive, lang, 0)))
    ok = fmt_number(ALPHA_OK, lang, 1)
    lines = [f"## {t('audit.reading', lang)}", "",
             "- " + (t("audit.r.items", lang, list="; ".join(flagged)) if flagged else t("audit.r.items_none", lang)),
             "- " + (t("audit.r.dims", lang, ok=ok, list="; ".join(low)) if low else t("audit.r.dims_none", lang, ok=ok))]
    if withheld:
        lines.append("- " + t("audit.r.dims_withheld", lang, n=MIN_ALPHA_N, list="; ".join(withheld)))
    spread = fmt_number(100 * SPREAD, lang, 0)
    lines.append("- " + (t("audit.r.weights_depend", lang, spread=spread, list="; ".join(depends)) if depends
                         else t("audit.r.weights_ok", lang, spread=spread, stable=fmt_number(100 * STABLE, lang, 0))))
    return lines + [""]


def audit_markdown(audit: CampaignAudit, lang: str) -> str:
    """``audit.md``: the reading in brief, the method, then each questionnaire's tables."""
    out = [f"# {t('audit.title', lang, name=md_text(audit.name))}", ""]
    if audit.synthetic:
        out += [t("audit.synthetic", lang), ""]
    out += [t("audit.meta", lang, draws=audit.draws, seed=audit.seed, min_n=audit.min_n), ""]
    out += _reading(audit, lang)
    out += [f"## {t('audit.method', lang)}", "", t("audit.method_text", lang, var=round(100 * VARIANCE_SHARE),
            rest=fmt_number(REST_R, lang, 1), dk=round(100 * DK_SHARE), ceil=round(100 * CEILING_SHARE),
            min_alpha=MIN_ALPHA_N, spread=round(100 * SPREAD), draws=audit.draws, seed=audit.seed, min_n=audit.min_n), ""]
    for qa in audit.questionnaires:
        qn = qa.questionnaire
        out += [f"## {t('audit.qn', lang, title=md_text(pick(qn.title, lang)), id=qn.id, version=qn.version, n=qa.n, drafts=qa.drafts)}", ""]
        if not qa.n:
            out += [t("audit.none", lang), ""]
            continue
        out += [f"### {t('audit.items', lang)}", "", *_items_md(qa, audit.min_n, lang)]
        out += [f"### {t('audit.dimensions', lang)}", "", *_dimensions_md(qa, lang)]
        out += [f"### {t('audit.correlations', lang)}", "", *_correlations_md(qa, lang)]
        out += [f"### {t('audit.weights', lang)}", "", *_weights_md(qa, audit.min_n, lang)]
    out += [f"## {t('audit.sectors', lang)}", ""]
    if audit.sector_order_kept is None:
        out += [t("audit.sectors_none", lang, n=audit.min_n), ""]
    else:
        out += [t("audit.sectors_text", lang, order=", ".join(sector_name(s, lang) for s in audit.sector_order),
                  kept=fmt_number(100 * audit.sector_order_kept, lang, 0)), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _value(x: float | None, scale: float = 1.0) -> float | None:
    return None if x is None else round(x * scale, 4)


def audit_sheets(audit: CampaignAudit, lang: str) -> list[SheetTable]:
    """The workbook's tables: numbers stay numbers; a withheld figure is an empty cell with a note."""
    sheets: list[SheetTable] = []
    hidden = t("audit.withheld_n", lang, n=audit.min_n)
    item_heads = [t(f"audit.c.{k}", lang) for k in ("questionnaire", "question", "dimension", "n", "mean", "sd", "dk", "na",
                                                      "missing", "not_relevant", "floor", "ceiling", "rest", "flags", "note")]
    dim_heads = [t(f"audit.c.{k}", lang) for k in ("questionnaire", "dimension", "question", "complete", "alpha", "alpha_without", "note")]
    item_rows: list[list[Any]] = []
    dim_rows: list[list[Any]] = []
    corr_rows: list[list[Any]] = []
    weight_rows: list[list[Any]] = []
    for qa in audit.questionnaires:
        qid = qa.questionnaire.id
        for i in qa.items:
            shown = _partition_shown(i, qa.n, audit.min_n)
            shares = [_value(i.counts[k] / qa.n, 100) if shown[k] else None for k in STATUS_KEYS]
            ends = [_end_share(c, i.n, audit.min_n) for c in (i.floor, i.ceiling)]
            figures: list[Any] = ([None] * 5 if i.withheld else
                                  [_value(i.mean), _value(i.sd), _value(ends[0], 100), _value(ends[1], 100), _value(i.rest_r)])
            notes = [hidden] if i.withheld or not all(shown.values()) or None in ends else []
            n_cell = i.n if shown["scored"] and not i.withheld else None
            item_rows.append([qid, i.question, i.dimension, n_cell, *figures[:2], *shares,
                              *figures[2:], ", ".join(t(f"audit.flag.{f}", lang) for f in i.flags), "; ".join(notes)])
        for d in qa.dimensions:
            note = t(f"audit.why.{d.withheld}", lang, n=MIN_ALPHA_N) if d.withheld else ""
            dim_rows.append([qid, d.id, None, d.n_complete, _value(d.alpha), None, note])
            dim_rows += [[qid, d.id, q, d.n_complete, None, _value(a), ""] for q, a in d.alpha_if_deleted.items()]
        corr_rows += [[qid, c.a, c.b, c.n, _value(c.r), "" if c.r is not None else t("audit.why.n", lang, n=MIN_ALPHA_N)]
                      for c in qa.correlations]
        if qa.weights.withheld:
            weight_rows.append([qid, t("audit.w.n", lang), qa.weights.n, t("audit.w.withheld", lang, n=audit.min_n)])
        else:
            w = qa.weights
            for label, value in zip((r[0] for r in _weight_rows(qa, lang)),
                                    (w.n, w.width_median, w.width_p90, _value(w.level_sensitive, 100), _value(w.level_change_mean, 100),
                                     w.spearman_median, _value(w.dimension_order_kept, 100), w.equal_weight_diff_mean,
                                     w.equal_weight_diff_p10, _value(w.equal_weight_level_differs, 100))):
                weight_rows.append([qid, label, _value(value) if isinstance(value, float) else value, ""])
    sheets.append(SheetTable(t("audit.items", lang), item_heads, item_rows))
    sheets.append(SheetTable(t("audit.dimensions", lang)[:31], dim_heads, dim_rows))
    sheets.append(SheetTable(t("audit.correlations", lang)[:31],
                             [t("audit.c.questionnaire", lang), "A", "B", t("audit.c.pairs", lang), "r", t("audit.c.note", lang)], corr_rows))
    sheets.append(SheetTable(t("audit.weights", lang)[:31], [t("audit.c.questionnaire", lang), t("audit.c.figure", lang),
                                                             t("audit.c.value", lang), t("audit.c.note", lang)], weight_rows))
    return sheets

