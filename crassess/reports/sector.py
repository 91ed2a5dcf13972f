"""The sector report (Markdown): one sector of the campaign, aggregated, without names (unless the campaign
publishes public bodies by name)."""

from __future__ import annotations

from collections.abc import Mapping

from crassess.i18n import pick, register, t
from crassess.questionnaire.models import Questionnaire
from crassess.reports.disclosure import Withheld, notes
from crassess.reports.markdown import (
    SIZE_UNIT,
    cell,
    choice_label,
    fibre_table,
    grouped,
    header,
    image,
    label_of,
    md_text,
    num,
    pct,
    sector_name,
    size_label,
    stat,
    subsector_label,
    table,
)
from crassess.reports.programme_md import sector_programme_section
from crassess.reports.results import (
    Counts,
    Frequency,
    SectorAnalysis,
    Summary,
    TerritoryAnalysis,
)
from crassess.reports.summary import dimension_gaps, sector_summary
from crassess.reports.tally import CONTEXT_QUESTIONS, UNKNOWN

register({
    "report.s.title": {"it": "{sector}: maturità digitale del settore", "en": "{sector}: digital maturity of the sector"},
    "report.s.n": {"it": "Rispondenti: **{n}**", "en": "Respondents: **{n}**"},
    "report.s.rate": {"it": "su {N} ({rate}%)", "en": "of {N} ({rate}%)"},
    "report.s.drafts": {"it": "bozze non conteggiate: {n}", "en": "drafts not counted: {n}"},
    "report.s.none": {"it": "Nessun rispondente in questo settore.", "en": "No respondent in this sector."},
    "report.s.too_few": {
        "it": "Il settore ha meno di {n} rispondenti: le sue cifre sono omesse.",
        "en": "The sector has fewer than {n} respondents: its figures are withheld.",
    },
    "report.s.summary": {
        "it": "Il punteggio medio complessivo è {mean} (mediana {median}; IC 95% {ci}), livello {level}.",
        "en": "The mean overall score is {mean} (median {median}; 95% CI {ci}), level {level}.",
    },
    "report.s.gaps": {
        "it": "Rispetto agli obiettivi, la dimensione più vicina è {best} (media {best_mean}, obiettivo {best_target}), la più lontana {worst} (media {worst_mean}, obiettivo {worst_target}).",
        "en": "Against the targets, the closest dimension is {best} (mean {best_mean}, target {best_target}), the furthest {worst} (mean {worst_mean}, target {worst_target}).",
    },
    "report.s.respondents": {"it": "Chi ha risposto", "en": "Who responded"},
    "report.s.by_size": {"it": "Per classe dimensionale ({unit})", "en": "By size class ({unit})"},
    "report.s.by_subsector": {"it": "Per sottosettore", "en": "By sub-sector"},
    "report.s.by_comune": {"it": "Per comune", "en": "By municipality"},
    "report.s.comuni_covered": {
        "it": "Hanno risposto {n} comuni su {total}. Per riservatezza non sono pubblicati né i loro nomi né la loro distribuzione per classe di abitanti: con l'elenco pubblico dei comuni e della loro popolazione direbbe quali comuni hanno risposto.",
        "en": "{n} of {total} municipalities responded. For confidentiality neither their names nor their distribution by population class are published: with the public list of municipalities and their population it would tell which ones responded.",
    },
    "report.s.named": {"it": "Risultati per comune", "en": "Results by municipality"},
    "report.s.levels": {"it": "Livelli di maturità", "en": "Maturity levels"},
    "report.s.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
    "report.s.ci_note": {
        "it": "Dimensioni dalla più lontana alla più vicina all'obiettivo. Divario: obiettivo meno media (negativo: obiettivo raggiunto). IC 95%: intervallo t di Student sulla media{fpc}; omesso dove il numero di rispondenti è riservato, perché lo permetterebbe di ricalcolare. Mediana, deviazione standard, P10 e P90 sono nel foglio «Dimensioni» della cartella di lavoro.",
        "en": "Dimensions from the furthest from its target to the closest. Gap: target minus mean (below zero: target reached). 95% CI: Student t interval of the mean{fpc}; left out where the number of respondents is withheld, since it would give it back. Median, standard deviation, P10 and P90 are in the workbook's «Dimensions» sheet.",
    },
    "report.s.by_place": {"it": "Per classe di abitanti del comune della sede", "en": "By inhabitants class of the comune of the premises"},
    "report.s.by_comune_sheet": {"it": "Il dettaglio per comune è nel foglio «Copertura» della cartella di lavoro.",
                                 "en": "The detail by comune is in the workbook's «Coverage» sheet."},
    "report.s.questions_sheet": {"it": "Punteggio medio 0-100; tutte le domande, con «non so» e «non applicabile», sono nel foglio «Domande» della cartella di lavoro.",
                                 "en": "Mean score 0-100; every question, with 'don't know' and 'not applicable', is in the workbook's «Questions» sheet."},
    "report.s.action_line": {"it": "{i}. {dim}: {action} Rispondenti interessati: {reach}; orizzonte {horizon}.",
                             "en": "{i}. {dim}: {action} Respondents concerned: {reach}; {horizon} horizon."},
    "report.s.fpc": {
        "it": ", con correzione per popolazione finita (N = {N}); la correzione presuppone che i rispondenti siano un campione casuale degli N",
        "en": ", with finite-population correction (N = {N}); the correction assumes the respondents are a random sample of the N",
    },
    "report.s.weakest": {"it": "Le domande più deboli", "en": "The weakest questions"},
    "report.s.barriers": {"it": "Ostacoli", "en": "Barriers"},
    "report.s.needs": {"it": "Esigenze", "en": "Needs"},
    "report.s.freq_note_single": {
        "it": "Quota dei {n} rispondenti del settore (una sola risposta ciascuno).",
        "en": "Share of the sector's {n} respondents (one answer each).",
    },
    "report.s.freq_note_multiple": {
        "it": "Quota dei {n} rispondenti del settore che indicano la voce (più risposte possibili: le quote non sommano a 100).",
        "en": "Share of the sector's {n} respondents naming the item (several answers allowed: the shares do not add up to 100).",
    },
    "report.s.freq_small": {
        "it": "Hanno risposto alla domanda {n} rispondenti: la tabella non è pubblicata.",
        "en": "{n} respondents answered the question: the table is not published.",
    },
    "report.s.unpublished": {
        "it": "Tabella non pubblicata: anche omettendo altre cifre, quelle mostrate permetterebbero di ricalcolare le cifre su meno di {n} rispondenti.",
        "en": "Table not published: even with more figures withheld, those shown would let a reader work out figures about fewer than {n} respondents.",
    },
    "report.s.roadmap": {"it": "Piano d'azione del settore", "en": "Sector road-map"},
    "report.s.roadmap_note": {
        "it": "In ordine di priorità: quanti rispondenti hanno meno di 50 sulla domanda, quanto sono lontani e quanto la dimensione è sotto l'obiettivo (i valori sono nel foglio «Azioni» della cartella di lavoro). Sono elencate le azioni che riguardano almeno {n} rispondenti.",
        "en": "By priority: how many respondents score under 50 on the question, how far below they are and how far the dimension is below its target (the values are in the workbook's «Actions» sheet). Actions concerning at least {n} respondents are listed.",
    },
    "report.s.roadmap_more": {
        "it": "Sono mostrate le prime {shown} di {total}; l'elenco completo è nel foglio Azioni del file Excel.",
        "en": "The first {shown} of {total} are shown; the full list is in the Actions sheet of the workbook.",
    },
    "report.s.no_actions": {"it": "Nessuna azione riguarda almeno {n} rispondenti.", "en": "No action concerns at least {n} respondents."},
    "report.s.connectivity": {"it": "Connettività", "en": "Connectivity"},
})

SECTOR_ACTIONS = 10


def response_rate(n: int, population: int | None, lang: str) -> str:
    """``su 113 (15,9%)`` when the population is known, else nothing."""
    if not population:
        return ""
    return " " + t("report.s.rate", lang, N=grouped(population, lang), rate=num(100.0 * n / population, lang))


def sector_summary_text(sa: SectorAnalysis, lang: str) -> str | None:
    """The overall mean, then the dimensions closest to and furthest from their targets (target - mean:
    the dimensions have different targets and weights, so their raw means do not rank them)."""
    qn = sa.questionnaire
    if qn is None or sa.overall.mean is None:
        return None
    ci = f"{num(sa.overall.ci[0], lang)}–{num(sa.overall.ci[1], lang)}" if sa.overall.ci else "–"
    level = qn.level_of(sa.overall.mean)
    text = t("report.s.summary", lang, mean=num(sa.overall.mean, lang), median=num(sa.overall.median, lang), ci=ci,
             level=pick(level.label, lang) if level else "–")
    gaps = [(sa.targets[d] - s.mean, d) for d, s in sa.dimensions.items() if s.mean is not None]
    if len(gaps) >= 2:
        (_, best), (_, worst) = min(gaps), max(gaps)
        text += " " + t("report.s.gaps", lang, best=label_of(qn, "dimension", best, lang),
                        best_mean=num(sa.dimensions[best].mean, lang), best_target=num(sa.targets[best], lang),
                        worst=label_of(qn, "dimension", worst, lang), worst_mean=num(sa.dimensions[worst].mean, lang),
                        worst_target=num(sa.targets[worst], lang))
    return text


def _summary_row(label: str, s: Summary, lang: str, min_n: int, target: float) -> list[str]:
    """Dimension, respondents, mean, 95% CI, target and gap (target - mean; under 0: the target is reached)."""
    if s.n == 0:
        return [label, "0", "–", "–", num(target, lang), "–"]
    if s.withheld is not None:
        return [label, cell(s.n, min_n, lang)] + [stat(s.withheld, lang, min_n)] * 2 + [num(target, lang), stat(s.withheld, lang, min_n)]
    ci = f"{num(s.ci[0], lang)}–{num(s.ci[1], lang)}" if s.ci else "–"
    gap = None if s.mean is None else target - s.mean
    return [label, cell(s.n, min_n, lang), num(s.mean, lang), ci, num(target, lang), num(gap, lang)]


def frequency_table(freq: Frequency, qn: Questionnaire | None, lang: str, min_n: int, head: str) -> list[str]:
    """The table of a question's answers, with those who gave none, captioned by the question's type; or
    why it is not published."""
    if freq.answered is not None:
        return [t("report.s.freq_small", lang, n=cell(freq.answered, min_n, lang)), ""]
    if not freq.published:
        return [t("report.s.unpublished", lang, n=min_n), ""]
    rows = [(choice_label(qn, freq.question_id, row.value, lang), cell(row.count, min_n, lang), pct(row.share, lang, min_n))
            for row in freq.rows]
    if freq.unanswered is not None:
        u = freq.unanswered
        rows.append((f"*{t('report.w.no_answer', lang)}*", cell(u.count, min_n, lang), pct(u.share, lang, min_n)))
    note = "report.s.freq_note_single" if freq.single else "report.s.freq_note_multiple"
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), "",
            t(note, lang, n=freq.base), ""]


def _counts_table(head: str, counts: Counts | None, labels: Mapping[str, str], lang: str, min_n: int) -> list[str]:
    if counts is None:
        return []
    if not counts.published:
        return [t("report.s.unpublished", lang, n=min_n), ""]
    rows = [(labels.get(k, md_text(k)), cell(v, min_n, lang), pct(counts.shares[k], lang, min_n)) for k, v in counts.cells.items()]
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), ""]


def _named(sa: SectorAnalysis, lang: str) -> list[str]:
    qn = sa.questionnaire
    assert qn is not None
    dims = [d.id for d in qn.dimensions]
    heads = [t("report.r.comune", lang), t("report.c.overall", lang), t("report.c.level", lang)]
    heads += [label_of(qn, "dimension", d, lang) for d in dims]
    rows = [[md_text(c.name), num(c.overall, lang), label_of(qn, "level", c.level, lang) if c.level else "–"]
            + [num(c.dimensions.get(d), lang) for d in dims] for c in sa.named]
    return [f"## {t('report.s.named', lang)}", "", table(heads, rows, "lrl" + "r" * len(dims)), ""]


def sector_report(sa: SectorAnalysis, ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None) -> str:
    """The report of one sector: no names or contacts, figures below min-n withheld."""
    charts = charts or {}
    min_n, qn = sa.min_n, sa.questionnaire
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if qn:
        meta.append(f"{t('report.questionnaire', lang)}: {md_text(pick(qn.title, lang))} ({md_text(qn.id)} {md_text(qn.version)})")
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    n_line = t("report.s.n", lang, n=sa.n) + response_rate(sa.n, sa.population, lang)
    if sa.drafts:
        n_line += f" ({t('report.s.drafts', lang, n=sa.drafts)})"
    meta.append(n_line)
    out = header(t("report.s.title", lang, sector=sector_name(sa.sector, lang)), ta.synthetic, meta, lang)
    if sa.public:
        out += [t("report.public_bodies", lang), ""]
    out += [notes(min_n, lang), ""]
    if sa.n == 0:
        return "\n".join(out + [t("report.s.none", lang)]) + "\n"
    if not sa.reportable or qn is None:
        return "\n".join(out + [t("report.s.too_few", lang, n=min_n)]) + "\n"

    out += sector_summary(sa, lang, sector_summary_text(sa, lang))

    out += [f"## {t('report.s.respondents', lang)}", ""]
    if sa.size_classes is not None:
        sizes = {k: size_label(k, lang) for k in sa.size_classes.cells}
        out += [f"### {t('report.s.by_size', lang, unit=t(SIZE_UNIT[sa.sector], lang))}", ""]
        out += _counts_table(t("report.c.class", lang), sa.size_classes, sizes, lang, min_n)
    if sa.subsectors is not None:
        out += [f"### {t('report.s.by_subsector', lang)}", ""]
        labels = {k: md_text(subsector_label(sa.sector, k, lang)) for k in sa.subsectors.cells}
        labels[UNKNOWN] = t("report.w.unknown", lang)
        out += _counts_table(t("report.r.subsector", lang), sa.subsectors, labels, lang, min_n)
    if sa.sector == "comune" and not sa.public:  # a comune is its own respondent: never named, nor sized
        out += [t("report.s.comuni_covered", lang, n=sa.n, total=ta.comuni_total), ""]
    elif sa.places is not None:
        places = {k: size_label(k, lang) for k in sa.places.cells}
        out += [f"### {t('report.s.by_place', lang)}", ""]
        out += _counts_table(t("report.c.class", lang), sa.places, places, lang, min_n)
        out += [t("report.s.by_comune_sheet", lang), ""]
    elif sa.comuni is not None:
        names = dict(ta.comuni_names)
        names[UNKNOWN] = t("report.t.unknown_comune", lang)
        out += [f"### {t('report.s.by_comune', lang)}", ""]
        out += _counts_table(t("report.r.comune", lang), sa.comuni, names, lang, min_n)
    if sa.named:
        out += _named(sa, lang)

    out += [f"## {t('report.s.levels', lang)}", ""]
    if sa.levels is not None:
        levels = {k: label_of(qn, "level", k, lang) for k in sa.levels.cells}
        out += _counts_table(t("report.c.level", lang), sa.levels, levels, lang, min_n)
    out += image(t("report.s.chart_levels", lang), charts.get("levels"))

    out += [f"## {t('report.s.dimensions', lang)}", ""]
    heads = [t(f"report.c.{k}", lang) for k in ("dimension", "respondents", "mean", "ci", "target", "gap")]
    ranked = [g.dimension for g in dimension_gaps(sa)]
    order = ranked + [d for d in sa.dimensions if d not in ranked]
    rows = [_summary_row(label_of(qn, "dimension", d, lang), sa.dimensions[d], lang, min_n, sa.targets[d]) for d in order]
    rows.append(_summary_row(f"**{t('report.c.overall', lang)}**", sa.overall, lang, min_n, sa.targets[""]))
    fpc = t("report.s.fpc", lang, N=grouped(sa.population, lang)) if sa.population else ""
    out += [table(heads, rows), "", t("report.s.ci_note", lang, fpc=fpc), "", t("report.selection", lang), ""]
    out += image(t("report.s.chart_dimensions", lang), charts.get("dimensions"))

    if sa.weakest:
        out += [f"## {t('report.s.weakest', lang)}", ""]
        out += [f"{i}. {label_of(qn, 'question', q.question_id, lang)} ({label_of(qn, 'dimension', q.dimension, lang)}): "
                f"{stat(q.mean, lang, min_n)}" for i, q in enumerate(sa.weakest, 1)]
        out += ["", t("report.s.questions_sheet", lang), ""]

    def context(place: str) -> list[str]:
        part: list[str] = []
        for freq in sa.context:
            if CONTEXT_QUESTIONS.get(freq.question_id) == place:
                part += [f"### {label_of(qn, 'question', freq.question_id, lang)}", ""]
                part += frequency_table(freq, qn, lang, min_n, t("report.c.answer", lang))
        return part

    if sa.barriers is not None:
        out += [f"## {t('report.s.barriers', lang)}", ""]
        out += frequency_table(sa.barriers, qn, lang, min_n, t("report.c.barrier", lang))
        out += context("barriers")

    if sa.fibre is not None:
        out += [f"## {t('report.s.connectivity', lang)}", ""]
        out += fibre_table({sa.sector: sa}, lang, min_n)
        out += context("connectivity")

    if sa.needs is not None:
        out += [f"## {t('report.s.needs', lang)}", ""]
        out += frequency_table(sa.needs, qn, lang, min_n, t("report.c.need", lang))
        out += context("needs")
    out += sector_programme_section(sa, ta, lang)

    out += [f"## {t('report.s.roadmap', lang)}", ""]
    if sa.actions:
        for i, a in enumerate(sa.actions[:SECTOR_ACTIONS], 1):
            reach = cell(a.reach, min_n, lang) if isinstance(a.reach, Withheld) else f"{a.reach} ({pct(a.reach_share, lang, min_n)})"
            out.append(t("report.s.action_line", lang, i=i, dim=label_of(qn, "dimension", a.dimension, lang),
                         action=pick(qn.question(a.question_id).action, lang), reach=reach, horizon=t(f"report.h.{a.horizon}", lang)))
        out += ["", t("report.s.roadmap_note", lang, n=min_n)]
        if len(sa.actions) > SECTOR_ACTIONS:
            out[-1] += " " + t("report.s.roadmap_more", lang, shown=SECTOR_ACTIONS, total=len(sa.actions))
        out.append("")
    else:
        out += [t("report.s.no_actions", lang, n=min_n), ""]
    return "\n".join(out).rstrip() + "\n"
