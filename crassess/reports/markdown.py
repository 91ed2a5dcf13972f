"""Markdown reports (respondent, sector, territory): strings only, tables via tabulate.

Every text that comes from respondents goes through :func:`md_text`; every number through
:func:`num` (decimal comma in Italian); suppressed figures show as ``n<5``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tabulate import tabulate

from crassess.campaign.data import sector_label
from crassess.i18n import fmt_number, pick, register, t
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.vocabulary import SUBSECTORS
from crassess.reports.analysis import (
    INSUFFICIENT,
    UNKNOWN,
    FibreCounts,
    SectorAction,
    SectorAnalysis,
)
from crassess.reports.statistics import Summary
from crassess.safe_text import md_cell

register({
    "report.synthetic": {
        "it": "> **Dati sintetici**: questa rilevazione è generata a scopo dimostrativo con un seme fisso; non descrive organizzazioni reali.",
        "en": "> **Synthetic data**: this survey is generated for demonstration with a fixed seed; it does not describe real organisations.",
    },
    "report.campaign": {"it": "Campagna", "en": "Campaign"},
    "report.questionnaire": {"it": "Questionario", "en": "Questionnaire"},
    "report.date": {"it": "Data del rapporto", "en": "Report date"},
    "report.suppression": {
        "it": "Le cifre che descrivono meno di {n} rispondenti sono omesse e indicate con `n<{n}`.",
        "en": "Figures describing fewer than {n} respondents are withheld and shown as `n<{n}`.",
    },
    # respondent (shared with the other reports and the workbook)
    "report.r.comune": {"it": "Comune", "en": "Municipality"},
    "report.r.size": {"it": "Dimensione", "en": "Size"},
    "report.r.subsector": {"it": "Sottosettore", "en": "Sub-sector"},
    "report.r.radar": {"it": "Profilo delle dimensioni", "en": "Dimension profile"},
    # columns
    "report.c.dimension": {"it": "Dimensione", "en": "Dimension"},
    "report.c.score": {"it": "Punteggio", "en": "Score"},
    "report.c.level": {"it": "Livello", "en": "Level"},
    "report.c.target": {"it": "Obiettivo", "en": "Target"},
    "report.c.gap": {"it": "Divario", "en": "Gap"},
    "report.c.coverage": {"it": "Copertura", "en": "Coverage"},
    "report.c.action": {"it": "Azione", "en": "Action"},
    "report.c.question": {"it": "Domanda", "en": "Question"},
    "report.c.priority": {"it": "Priorità", "en": "Priority"},
    "report.c.respondents": {"it": "Rispondenti", "en": "Respondents"},
    "report.c.share": {"it": "Quota", "en": "Share"},
    "report.c.mean": {"it": "Media", "en": "Mean"},
    "report.c.median": {"it": "Mediana", "en": "Median"},
    "report.c.sd": {"it": "Dev. std.", "en": "SD"},
    "report.c.ci": {"it": "IC 95%", "en": "95% CI"},
    "report.c.min": {"it": "Min", "en": "Min"},
    "report.c.max": {"it": "Max", "en": "Max"},
    "report.c.class": {"it": "Classe", "en": "Class"},
    "report.c.reached": {"it": "Rispondenti sotto 50", "en": "Respondents below 50"},
    "report.c.reached_mean": {"it": "Punteggio medio dei raggiunti", "en": "Mean score of those reached"},
    "report.c.mean_gap": {"it": "Divario medio della dimensione", "en": "Mean dimension gap"},
    "report.c.horizon": {"it": "Orizzonte", "en": "Horizon"},
    "report.c.sector": {"it": "Settore", "en": "Sector"},
    "report.c.total": {"it": "Totale", "en": "Total"},
    "report.c.overall": {"it": "Complessivo", "en": "Overall"},
    "report.c.no_fibre": {"it": "Fibra non disponibile", "en": "No fibre available"},
    "report.c.not_adopted": {"it": "Fibra disponibile non attivata", "en": "Fibre available, not adopted"},
    "report.c.adopted": {"it": "Fibra attiva", "en": "Fibre adopted"},
    "report.c.not_adopted_unknown": {"it": "Fibra non attiva, disponibilità non rilevata", "en": "No fibre line, availability not asked"},
    "report.c.answer": {"it": "Risposta", "en": "Answer"},
    "report.c.barrier": {"it": "Ostacolo", "en": "Barrier"},
    "report.c.need": {"it": "Esigenza", "en": "Need"},
    # sector
    "report.s.title": {"it": "{sector}: maturità digitale del settore", "en": "{sector}: digital maturity of the sector"},
    "report.s.n": {"it": "Rispondenti: **{n}**", "en": "Respondents: **{n}**"},
    "report.s.drafts": {"it": "bozze non conteggiate: {n}", "en": "drafts not counted: {n}"},
    "report.s.none": {"it": "Nessun rispondente in questo settore.", "en": "No respondent in this sector."},
    "report.s.too_few": {
        "it": "Il settore ha meno di {n} rispondenti: le sue cifre sono omesse.",
        "en": "The sector has fewer than {n} respondents: its figures are withheld.",
    },
    "report.s.summary": {
        "it": "Il punteggio medio complessivo è {mean} (mediana {median}; IC 95% {ci}), livello {level}. La dimensione più forte è {best} ({best_mean}), la più debole {worst} ({worst_mean}).",
        "en": "The mean overall score is {mean} (median {median}; 95% CI {ci}), level {level}. The strongest dimension is {best} ({best_mean}), the weakest {worst} ({worst_mean}).",
    },
    "report.s.respondents": {"it": "Chi ha risposto", "en": "Who responded"},
    "report.s.by_size": {"it": "Per classe dimensionale ({unit})", "en": "By size class ({unit})"},
    "report.s.by_subsector": {"it": "Per sottosettore", "en": "By sub-sector"},
    "report.s.by_comune": {"it": "Per comune", "en": "By municipality"},
    "report.s.comuni_covered": {
        "it": "Hanno risposto {n} comuni su {total}. Per riservatezza i loro nomi non sono elencati.",
        "en": "{n} of {total} municipalities responded. For confidentiality their names are not listed.",
    },
    "report.s.levels": {"it": "Livelli di maturità", "en": "Maturity levels"},
    "report.s.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
    "report.s.ci_note": {
        "it": "IC 95%: intervallo t di Student sulla media{fpc}. Mediana, minimo e massimo descrivono la distribuzione dei punteggi (0-100).",
        "en": "95% CI: Student t interval of the mean{fpc}. Median, minimum and maximum describe the distribution of the scores (0-100).",
    },
    "report.s.fpc": {
        "it": ", con correzione per popolazione finita (N = {N})",
        "en": ", with finite-population correction (N = {N})",
    },
    "report.s.questions": {"it": "Domande", "en": "Questions"},
    "report.s.weakest": {"it": "Le domande più deboli", "en": "The weakest questions"},
    "report.s.barriers": {"it": "Ostacoli", "en": "Barriers"},
    "report.s.needs": {"it": "Esigenze", "en": "Needs"},
    "report.s.freq_note": {
        "it": "Quota dei {n} rispondenti che hanno risposto alla domanda (più risposte possibili).",
        "en": "Share of the {n} respondents who answered the question (several answers allowed).",
    },
    "report.s.roadmap": {"it": "Piano d'azione del settore", "en": "Sector road-map"},
    "report.s.roadmap_note": {
        "it": "Priorità = rispondenti sotto 50 sulla domanda × divario medio della dimensione × pesi × (100 − punteggio medio dei raggiunti)/100. Sono elencate le azioni che riguardano almeno {n} rispondenti.",
        "en": "Priority = respondents below 50 on the question × mean dimension gap × weights × (100 − mean score of those reached)/100. Actions concerning at least {n} respondents are listed.",
    },
    "report.s.roadmap_more": {
        "it": "Sono mostrate le prime {shown} di {total}; l'elenco completo è nel foglio Azioni del file Excel.",
        "en": "The first {shown} of {total} are shown; the full list is in the Actions sheet of the workbook.",
    },
    "report.t.resistance": {
        "it": "Atteggiamento verso il digitale e resistenza al cambiamento (dimensione «{dim}», media 0-100): {values}.",
        "en": "Attitude towards digital tools and resistance to change (dimension '{dim}', mean 0-100): {values}.",
    },
    "report.s.no_actions": {"it": "Nessuna azione riguarda almeno {n} rispondenti.", "en": "No action concerns at least {n} respondents."},
    "report.s.connectivity": {"it": "Connettività", "en": "Connectivity"},
    "report.s.chart_levels": {"it": "Distribuzione per livello", "en": "Distribution by level"},
    "report.s.chart_dimensions": {"it": "Media per dimensione", "en": "Mean by dimension"},
    # territory
    "report.t.title": {"it": "Stato digitale del territorio: {name}", "en": "Digital state of the territory: {name}"},
    "report.t.intro": {
        "it": "La rilevazione conta **{n}** rispondenti: {comune} comuni, {associazione} associazioni e {impresa} imprese.",
        "en": "The survey counts **{n}** respondents: {comune} municipalities, {associazione} associations and {impresa} businesses.",
    },
    "report.t.excluded": {
        "it": "Non sono conteggiate {drafts} bozze e {excluded} file non validi.",
        "en": "{drafts} drafts and {excluded} invalid files are not counted.",
    },
    "report.t.compare": {"it": "I settori a confronto", "en": "The sectors side by side"},
    "report.t.compare_note": {
        "it": "Media per dimensione (0-100) e, tra parentesi, numero di rispondenti; le dimensioni con lo stesso identificativo sono confrontabili tra settori. «–»: dimensione non rilevata nel settore.",
        "en": "Mean per dimension (0-100) with the number of respondents in brackets; dimensions with the same id are comparable across sectors. '–': dimension not surveyed in the sector.",
    },
    "report.t.rank": {
        "it": "Il punteggio medio complessivo più alto è quello del settore {best} ({best_mean}), il più basso quello del settore {worst} ({worst_mean}).",
        "en": "The highest mean overall score is that of {best} ({best_mean}), the lowest that of {worst} ({worst_mean}).",
    },
    "report.t.overlap": {
        "it": "Gli intervalli di confidenza al 95% si sovrappongono: la differenza non è conclusiva.",
        "en": "The 95% confidence intervals overlap: the difference is not conclusive.",
    },
    "report.t.no_overlap": {
        "it": "Gli intervalli di confidenza al 95% non si sovrappongono.",
        "en": "The 95% confidence intervals do not overlap.",
    },
    "report.t.different_questionnaires": {
        "it": "I punteggi complessivi vengono da questionari diversi per settore: il confronto più solido è quello sulle dimensioni comuni, qui sotto.",
        "en": "The overall scores come from a different questionnaire per sector: the sounder comparison is on the shared dimensions, below.",
    },
    "report.t.coverage": {"it": "Copertura della rilevazione", "en": "Survey coverage"},
    "report.t.coverage_text": {
        "it": "Comuni con almeno un rispondente: **{covered}** su {total}.",
        "en": "Municipalities with at least one respondent: **{covered}** of {total}.",
    },
    "report.t.coverage_sectors": {
        "it": "Comuni raggiunti per settore: {comune} dal questionario dei comuni, {associazione} da associazioni, {impresa} da imprese.",
        "en": "Municipalities reached per sector: {comune} through the municipal questionnaire, {associazione} through associations, {impresa} through businesses.",
    },
    "report.t.coverage_note": {
        "it": "Rispondenti per comune della sede; il totale comprende il Comune stesso, che non è indicato a parte.",
        "en": "Respondents by municipality of the premises; the total includes the municipality itself, not shown separately.",
    },
    "report.t.without": {"it": "Comuni senza rispondenti ({n})", "en": "Municipalities without respondents ({n})"},
    "report.t.unknown_comune": {"it": "comune non indicato o non del territorio", "en": "municipality not given or outside the territory"},
    "report.t.connectivity": {"it": "Connettività", "en": "Connectivity"},
    "report.t.connectivity_note": {
        "it": "Quote dei rispondenti che hanno risposto alle domande sulla fibra.",
        "en": "Shares of the respondents who answered the fibre questions.",
    },
    "report.t.fibre_sentence": {"it": "{sector} ({n} risposte): {parts}.", "en": "{sector} ({n} answers): {parts}."},
    "report.t.fibre_none": {"it": "fibra non disponibile {share}%", "en": "no fibre available {share}%"},
    "report.t.fibre_not_adopted": {"it": "disponibile ma non attivata {share}%", "en": "available but not adopted {share}%"},
    "report.t.fibre_unknown": {"it": "sede non collegata in fibra {share}%", "en": "premises not on fibre {share}%"},
    "report.t.fibre_adopted": {"it": "fibra attiva {share}%", "en": "fibre adopted {share}%"},
    "report.t.top_item": {"it": "{sector}: la voce più indicata è {items} ({share}%).", "en": "{sector}: the item named most often is {items} ({share}%)."},
    "report.t.fibre_by_comune": {"it": "Per comune (comuni con almeno {n} rispondenti)", "en": "By municipality (municipalities with at least {n} respondents)"},
    "report.t.fibre_no_comune": {"it": "Nessun comune ha almeno {n} rispondenti alle domande sulla fibra.", "en": "No municipality has at least {n} respondents to the fibre questions."},
    "report.t.no_fibre_data": {"it": "Nessun dato sulla fibra.", "en": "No fibre data."},
    "report.t.barriers": {"it": "Ostacoli e resistenze", "en": "Barriers and resistance"},
    "report.t.needs": {"it": "Esigenze verso il Digital Center", "en": "Needs toward the Digital Center"},
    "report.t.freq_note": {"it": "Quota dei rispondenti di ciascun settore che indicano la voce.", "en": "Share of each sector's respondents naming the item."},
    "report.t.roadmap": {"it": "Piano d'azione del territorio", "en": "Territory road-map"},
    "report.t.roadmap_note": {
        "it": "Le azioni dei piani di settore con la priorità più alta, al massimo due per settore e dimensione. Orizzonte suggerito, prima le basi: breve dove la pratica manca quasi del tutto (punteggio medio dei raggiunti sotto 20) o il settore è al livello più basso della dimensione; lungo dove il settore ha già superato il livello intermedio; medio negli altri casi.",
        "en": "The highest-priority actions of the sector road-maps, at most two per sector and dimension. Suggested horizon, foundations first: short where the practice is almost entirely missing (mean score of those reached under 20) or the sector is at the lowest level of the dimension; long where the sector is already past the middle level; medium otherwise.",
    },
    "report.t.no_actions": {"it": "Nessuna azione riguarda almeno {n} rispondenti di un settore.", "en": "No action concerns at least {n} respondents of a sector."},
    "report.t.method": {"it": "Metodo", "en": "Method"},
    "report.t.method_text": {
        "it": "Ogni risposta è valutata da 0 a 100; la dimensione è la media pesata delle sue domande (se la copertura è sufficiente) e il punteggio complessivo la media pesata delle dimensioni. Livelli: {levels}. Gli intervalli di confidenza sono intervalli t di Student (con correzione per popolazione finita quando la popolazione è nota). {suppression}",
        "en": "Each answer is scored 0 to 100; a dimension is the weighted mean of its questions (when coverage is sufficient) and the overall score the weighted mean of the dimensions. Levels: {levels}. Confidence intervals are Student t intervals (with finite-population correction when the population is known). {suppression}",
    },
    "report.t.reports": {"it": "Rapporti di settore", "en": "Sector reports"},
    "report.t.chart_compare": {"it": "Media per settore e dimensione", "en": "Mean by sector and dimension"},
    # words
    "report.w.insufficient": {"it": "dati insufficienti", "en": "insufficient data"},
    "report.w.unknown": {"it": "non indicato", "en": "not given"},
    "report.w.and_more": {"it": "{n} e oltre", "en": "{n} or more"},
    "report.w.inhabitants": {"it": "abitanti", "en": "inhabitants"},
    "report.w.inhabitants.one": {"it": "abitante", "en": "inhabitant"},
    "report.w.staff": {"it": "addetti", "en": "staff"},
    "report.w.staff.one": {"it": "addetto", "en": "staff member"},
    "report.w.members": {"it": "soci", "en": "members"},
    "report.w.members.one": {"it": "socio", "en": "member"},
    "report.h.short": {"it": "breve (entro 12 mesi)", "en": "short (within 12 months)"},
    "report.h.medium": {"it": "medio (12-24 mesi)", "en": "medium (12-24 months)"},
    "report.h.long": {"it": "lungo (oltre 24 mesi)", "en": "long (beyond 24 months)"},
    "report.sector1.comune": {"it": "comune", "en": "municipality"},
    "report.sector1.associazione": {"it": "associazione", "en": "association"},
    "report.sector1.impresa": {"it": "impresa", "en": "business"},
})

SIZE_UNIT = {"comune": "report.w.inhabitants", "associazione": "report.w.members", "impresa": "report.w.staff"}


# ---------------------------------------------------------------- neutralising and formatting

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")

md_text = md_cell


def num(value: float | None, lang: str, decimals: int = 1) -> str:
    return fmt_number(value, lang, decimals)


def pct(value: float | None, lang: str, suppressed: bool, min_n: int) -> str:
    if value is None:
        return f"n<{min_n}" if suppressed else "–"
    return fmt_number(value, lang, 1) + "%"


def count(value: int | None, min_n: int) -> str:
    return f"n<{min_n}" if value is None else str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A pipe table; ``align`` is one letter per column (l, r), default: first left, rest right."""
    align = align or "l" + "r" * (len(headers) - 1)
    colalign = tuple({"l": "left", "r": "right", "c": "center"}[a] for a in align)
    rows = [[_UNESCAPED_PIPE.sub(r"\\|", " ".join(str(c).split())) for c in r] for r in rows]
    return tabulate(rows, headers=list(headers), tablefmt="pipe", colalign=colalign,
                    disable_numparse=True)


def label_of(qn: Questionnaire | None, kind: str, ident: str, lang: str) -> str:
    if qn is None:
        return ident
    if kind == "dimension":
        d = qn.dimensions_by_id.get(ident)
        return pick(d.label, lang) if d else ident
    if kind == "question":
        q = qn.questions_by_id.get(ident)
        return pick(q.label, lang) if q else ident
    if kind == "level":
        if ident == INSUFFICIENT:
            return t("report.w.insufficient", lang)
        for lv in qn.levels:
            if lv.id == ident:
                return pick(lv.label, lang)
    return ident


def choice_label(qn: Questionnaire | None, qid: str, value: str, lang: str) -> str:
    if qn and qid in qn.questions_by_id:
        for c in qn.choices_of(qn.question(qid)):
            if c.value == value:
                return pick(c.label, lang)
    return md_text(value)


def subsector_label(sector: str, value: str, lang: str) -> str:
    """The label of a profile sub-sector code (ATECO section, type of association), else the value."""

    for code, it, en in SUBSECTORS.get(sector, ()):
        if code == value:
            return it if lang == "it" else en
    return value


def grouped(value: float, lang: str) -> str:
    """A whole number with thousands separators (7.267 in Italian, 7,267 in English)."""
    return f"{round(value):,}".replace(",", "." if lang == "it" else ",")


def size_label(key: str, lang: str) -> str:
    if key == UNKNOWN:
        return t("report.w.unknown", lang)

    def n(x: str) -> str:
        return grouped(int(x), lang)

    if key.startswith(">="):
        return t("report.w.and_more", lang, n=n(key[2:]))
    lo, hi = key.split("-")
    return f"{n(lo)}–{n(hi)}"


def level_bands(qn: Questionnaire, lang: str) -> str:
    parts = []
    for i, lv in enumerate(qn.levels):
        upper = qn.levels[i + 1].from_ if i + 1 < len(qn.levels) else 100
        parts.append(f"{pick(lv.label, lang)} {num(lv.from_, lang, 0)}–{num(upper, lang, 0)}")
    return ", ".join(parts)


def sector_name(sector: str, lang: str) -> str:
    return sector_label(sector, lang)


def header(title: str, synthetic: bool, lines: Sequence[str], lang: str) -> list[str]:
    out = [f"# {title}", ""]
    if synthetic:
        out += [t("report.synthetic", lang), ""]
    if lines:
        out += [f"- {line}" for line in lines] + [""]
    return out


def image(alt: str, path: str | None) -> list[str]:
    return [f"![{alt}]({path})", ""] if path else []


# ---------------------------------------------------------------- sector


def actions_table(acts: Sequence[SectorAction], qns: Mapping[str, Questionnaire | None], lang: str, with_sector: bool) -> str:
    heads = ["#", t("report.c.action", lang)]
    heads += [t("report.c.sector", lang)] if with_sector else []
    heads += [t("report.c.dimension", lang), t("report.c.reached", lang), t("report.c.reached_mean", lang),
              t("report.c.mean_gap", lang), t("report.c.horizon", lang)]
    rows = []
    for i, a in enumerate(acts, 1):
        qn = qns[a.sector]
        assert qn is not None
        row = [str(i), pick(qn.question(a.question_id).action, lang)]
        row += [sector_name(a.sector, lang)] if with_sector else []
        row += [label_of(qn, "dimension", a.dimension, lang), f"{a.reach} ({num(a.reach_share, lang)}%)",
                num(a.mean_item_score, lang), num(a.mean_gap, lang), t(f"report.h.{a.horizon}", lang)]
        rows.append(row)
    return table(heads, rows, "rl" + ("l" if with_sector else "") + "lrrrl")


def sector_summary_text(sa: SectorAnalysis, lang: str) -> str | None:
    qn = sa.questionnaire
    dims = [(d, s.mean) for d, s in sa.dimensions.items() if s.mean is not None]
    if qn is None or sa.overall.mean is None or not dims:
        return None
    best = max(dims, key=lambda x: x[1])
    worst = min(dims, key=lambda x: x[1])
    ci = f"{num(sa.overall.ci[0], lang)}–{num(sa.overall.ci[1], lang)}" if sa.overall.ci else "–"
    level = qn.level_of(sa.overall.mean)
    return t("report.s.summary", lang, mean=num(sa.overall.mean, lang), median=num(sa.overall.median, lang), ci=ci,
             level=pick(level.label, lang) if level else "–",
             best=label_of(qn, "dimension", best[0], lang), best_mean=num(best[1], lang),
             worst=label_of(qn, "dimension", worst[0], lang), worst_mean=num(worst[1], lang))


def fibre_table(sectors: Mapping[str, SectorAnalysis], lang: str, min_n: int) -> list[str]:
    present = {s: sa.fibre for s, sa in sectors.items() if sa.fibre is not None}
    if not present:
        return [t("report.t.no_fibre_data", lang), ""]
    heads = [t("report.c.sector", lang), t("report.c.respondents", lang)] + [t(k, lang) for k in FIBRE_COLUMNS]
    rows = [[sector_name(s, lang)] + fibre_cells(f, lang, min_n) for s, f in present.items()]  # type: ignore[arg-type]
    return [table(heads, rows), ""]


FIBRE_COLUMNS = ("report.c.no_fibre", "report.c.not_adopted", "report.c.not_adopted_unknown", "report.c.adopted")


def fibre_cells(f: FibreCounts, lang: str, min_n: int) -> list[str]:
    if f.n < min_n:
        return [count(f.n if f.n == 0 else None, min_n)] + [(f"n<{min_n}" if f.n else "–") if a else "–" for a in f.asked]
    return [str(f.n)] + [pct(v, lang, True, min_n) if a else "–" for v, a in zip(f.shares(), f.asked)]


# ---------------------------------------------------------------- territory


def summary_cell(s: Summary, lang: str, min_n: int) -> str:
    if s.n == 0:
        return "–"
    if s.mean is None:
        return f"n<{min_n}"
    return f"{num(s.mean, lang)} ({s.n})"


