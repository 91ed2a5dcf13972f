"""Markdown reports (respondent, sector, territory): strings only, tables via tabulate.

Every text that comes from respondents goes through :func:`md_text`; every number through
:func:`num` (decimal comma in Italian); suppressed figures show as ``n<5``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tabulate import tabulate

from crassess.analysis import (
    INSUFFICIENT,
    SECTORS,
    UNKNOWN,
    FibreCounts,
    Frequency,
    RespondentAnalysis,
    SectorAction,
    SectorAnalysis,
    TerritoryAnalysis,
)
from crassess.campaign_data import sector_label
from crassess.i18n import fmt_number, pick, register, t
from crassess.models import Questionnaire
from crassess.safe_text import md_cell, strip_control
from crassess.statistics import Summary

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
    # respondent
    "report.r.title": {"it": "Rapporto di maturità digitale: {name}", "en": "Digital maturity report: {name}"},
    "report.r.profile": {"it": "Profilo", "en": "Profile"},
    "report.r.name": {"it": "Nome", "en": "Name"},
    "report.r.sector": {"it": "Settore", "en": "Sector"},
    "report.r.comune": {"it": "Comune", "en": "Municipality"},
    "report.r.size": {"it": "Dimensione", "en": "Size"},
    "report.r.subsector": {"it": "Sottosettore", "en": "Sub-sector"},
    "report.r.contact": {"it": "Contatto", "en": "Contact"},
    "report.r.interviewer": {"it": "Intervistatore", "en": "Interviewer"},
    "report.r.interview_date": {"it": "Data dell'intervista", "en": "Interview date"},
    "report.r.overall": {"it": "Punteggio complessivo", "en": "Overall score"},
    "report.r.overall_text": {"it": "**{score} / 100**: livello **{level}**.", "en": "**{score} / 100**: level **{level}**."},
    "report.r.overall_none": {"it": "Dati insufficienti per un punteggio complessivo.", "en": "Not enough data for an overall score."},
    "report.r.levels": {"it": "Livelli", "en": "Levels"},
    "report.r.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
    "report.r.strengths": {"it": "Punti di forza", "en": "Strengths"},
    "report.r.no_strengths": {"it": "Nessuna dimensione raggiunge ancora l'obiettivo.", "en": "No dimension meets its target yet."},
    "report.r.strength": {"it": "{dim}: {score} (obiettivo {target})", "en": "{dim}: {score} (target {target})"},
    "report.r.full_items": {"it": "Risposte al massimo del punteggio", "en": "Answers at the top score"},
    "report.r.actions": {"it": "Azioni prioritarie", "en": "Priority actions"},
    "report.r.no_actions": {"it": "Nessuna azione urgente: gli obiettivi sono raggiunti.", "en": "No urgent action: the targets are met."},
    "report.r.actions_note": {
        "it": "Ordinate per priorità = peso della dimensione × divario della dimensione × peso della domanda × (100 − punteggio della domanda).",
        "en": "Ordered by priority = dimension weight × dimension gap × question weight × (100 − question score).",
    },
    "report.r.position": {"it": "Posizione nel settore", "en": "Position in the sector"},
    "report.r.position_none": {
        "it": "Il settore ha meno di {n} rispondenti: il confronto non è disponibile.",
        "en": "The sector has fewer than {n} respondents: no comparison is available.",
    },
    "report.r.position_note": {"it": "Confronto con {n} rispondenti del settore.", "en": "Compared with {n} respondents of the sector."},
    "report.r.radar": {"it": "Profilo delle dimensioni", "en": "Dimension profile"},
    "report.r.notes": {"it": "Note", "en": "Notes"},
    # columns
    "report.c.dimension": {"it": "Dimensione", "en": "Dimension"},
    "report.c.score": {"it": "Punteggio", "en": "Score"},
    "report.c.level": {"it": "Livello", "en": "Level"},
    "report.c.target": {"it": "Obiettivo", "en": "Target"},
    "report.c.gap": {"it": "Divario", "en": "Gap"},
    "report.c.coverage": {"it": "Copertura", "en": "Coverage"},
    "report.c.action": {"it": "Azione", "en": "Action"},
    "report.c.question": {"it": "Domanda", "en": "Question"},
    "report.c.question_score": {"it": "Punteggio della domanda", "en": "Question score"},
    "report.c.priority": {"it": "Priorità", "en": "Priority"},
    "report.c.sector_mean": {"it": "Media del settore", "en": "Sector mean"},
    "report.c.sector_median": {"it": "Mediana del settore", "en": "Sector median"},
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
    "report.w.staff": {"it": "addetti", "en": "staff"},
    "report.w.members": {"it": "soci", "en": "members"},
    "report.h.short": {"it": "breve (entro 12 mesi)", "en": "short (within 12 months)"},
    "report.h.medium": {"it": "medio (12-24 mesi)", "en": "medium (12-24 months)"},
    "report.h.long": {"it": "lungo (oltre 24 mesi)", "en": "long (beyond 24 months)"},
    "report.sector1.comune": {"it": "comune", "en": "municipality"},
    "report.sector1.associazione": {"it": "associazione", "en": "association"},
    "report.sector1.impresa": {"it": "impresa", "en": "business"},
})

SECTOR_ACTIONS = 10
RESISTANCE_DIMENSION = "atteggiamento"
CONTEXT_PLACE = {"copertura_territorio": "connectivity", "motivo_no_fibra": "connectivity",
                 "ostacoli_associati": "barriers", "esigenze_associati": "needs"}
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


def _choice_label(qn: Questionnaire | None, qid: str, value: str, lang: str) -> str:
    if qn and qid in qn.questions_by_id:
        for c in qn.choices_of(qn.question(qid)):
            if c.value == value:
                return pick(c.label, lang)
    return md_text(value)


def subsector_label(sector: str, value: str, lang: str) -> str:
    """The label of a profile sub-sector code (ATECO section, type of association), else the value."""
    from crassess.profile import SUBSECTORS  # the interview's lists of codes

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


def _header(title: str, synthetic: bool, lines: Sequence[str], lang: str) -> list[str]:
    out = [f"# {title}", ""]
    if synthetic:
        out += [t("report.synthetic", lang), ""]
    if lines:
        out += [f"- {line}" for line in lines] + [""]
    return out


def _image(alt: str, path: str | None) -> list[str]:
    return [f"![{alt}]({path})", ""] if path else []


# ---------------------------------------------------------------- respondent


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
    out = _header(t("report.r.title", lang, name=name), synthetic, meta, lang)

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
    out += _image(t("report.r.radar", lang), radar)

    notes = [(qid, text) for qid, text in s.response.notes.items() if str(text).strip()]
    notes += [(q.id, s.response.answers[q.id]) for q in qn.questions
              if q.type == "text" and isinstance(s.response.answers.get(q.id), str) and s.response.answers[q.id].strip()]
    if notes:
        out += [f"## {t('report.r.notes', lang)}", ""]
        out += [f"- {md_text(label_of(qn, 'question', qid, lang))}: {md_text(text)}" for qid, text in notes] + [""]
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- sector


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
    rows = [(_choice_label(qn, freq.question_id, row.value, lang), count(row.count, min_n),
             pct(row.share, lang, True, min_n)) for row in freq.rows]
    if not rows:
        return ["–", ""]
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), "",
            t("report.s.freq_note", lang, n=count(freq.answered if freq.answered >= min_n else None, min_n)), ""]


def _counts_table(head: str, counts: Mapping[str, int | None], labels: Mapping[str, str], n: int, lang: str, min_n: int) -> list[str]:
    rows = [(labels.get(k, md_text(k)), count(v, min_n), pct(None if v is None else 100 * v / n, lang, True, min_n))
            for k, v in counts.items()]
    return [table([head, t("report.c.respondents", lang), t("report.c.share", lang)], rows), ""]


def _actions_table(acts: Sequence[SectorAction], qns: Mapping[str, Questionnaire | None], lang: str, with_sector: bool) -> str:
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
    out = _header(t("report.s.title", lang, sector=sector_name(sa.sector, lang)), ta.synthetic, meta, lang)
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
    out += _image(t("report.s.chart_levels", lang), charts.get("levels"))

    out += [f"## {t('report.s.dimensions', lang)}", ""]
    heads = [t(f"report.c.{k}", lang) for k in ("dimension", "respondents", "mean", "median", "sd", "ci", "min", "max", "target")]
    rows = [_summary_row(label_of(qn, "dimension", d, lang), s, lang, min_n, qn.target_of(qn.dimensions_by_id[d]))
            for d, s in sa.dimensions.items()]
    rows.append(_summary_row(f"**{t('report.c.overall', lang)}**", sa.overall, lang, min_n, qn.target))
    fpc = t("report.s.fpc", lang, N=sa.population) if sa.population else ""
    out += [table(heads, rows), "", t("report.s.ci_note", lang, fpc=fpc), ""]
    out += _image(t("report.s.chart_dimensions", lang), charts.get("dimensions"))

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
        out += _fibre_table({sa.sector: sa}, lang, min_n)
        out += context("connectivity")

    out += [f"## {t('report.s.roadmap', lang)}", ""]
    if sa.actions:
        out += [_actions_table(sa.actions[:SECTOR_ACTIONS], {sa.sector: qn}, lang, False), "",
                t("report.s.roadmap_note", lang, n=min_n)]
        if len(sa.actions) > SECTOR_ACTIONS:
            out[-1] += " " + t("report.s.roadmap_more", lang, shown=SECTOR_ACTIONS, total=len(sa.actions))
        out.append("")
    else:
        out += [t("report.s.no_actions", lang, n=min_n), ""]
    return "\n".join(out).rstrip() + "\n"


def _fibre_table(sectors: Mapping[str, SectorAnalysis], lang: str, min_n: int) -> list[str]:
    present = {s: sa.fibre for s, sa in sectors.items() if sa.fibre is not None}
    if not present:
        return [t("report.t.no_fibre_data", lang), ""]
    heads = [t("report.c.sector", lang), t("report.c.respondents", lang)] + [t(k, lang) for k in FIBRE_COLUMNS]
    rows = [[sector_name(s, lang)] + _fibre_cells(f, lang, min_n) for s, f in present.items()]  # type: ignore[arg-type]
    return [table(heads, rows), ""]


FIBRE_COLUMNS = ("report.c.no_fibre", "report.c.not_adopted", "report.c.not_adopted_unknown", "report.c.adopted")


def _fibre_cells(f: FibreCounts, lang: str, min_n: int) -> list[str]:
    if f.n < min_n:
        return [count(f.n if f.n == 0 else None, min_n)] + [(f"n<{min_n}" if f.n else "–") if a else "–" for a in f.asked]
    return [str(f.n)] + [pct(v, lang, True, min_n) if a else "–" for v, a in zip(f.shares(), f.asked)]


# ---------------------------------------------------------------- territory


def _cross_frequency(ta: TerritoryAnalysis, attr: str, lang: str, head: str) -> list[str]:
    qid = {"barriers": "ostacoli", "needs": "esigenze"}[attr]
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
                labels[row.value] = _choice_label(ta.sectors[s].questionnaire, qid, row.value, lang)
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
    qid = {"barriers": "ostacoli", "needs": "esigenze"}[attr]
    out = []
    for s in SECTORS:
        freq: Frequency | None = getattr(ta.sectors[s], attr)
        rows = [r for r in freq.rows if r.share and r.count] if freq else []
        if not rows:
            continue
        best = max(r.share for r in rows)  # type: ignore[type-var]
        labels = [_choice_label(ta.sectors[s].questionnaire, qid, r.value, lang) for r in rows if r.share == best]
        out.append(t("report.t.top_item", lang, sector=sector_name(s, lang), items=", ".join(f"«{x}»" for x in labels),
                     share=num(best, lang)))
    return [" ".join(out), ""] if out else []


def _cell(s: Summary, lang: str, min_n: int) -> str:
    if s.n == 0:
        return "–"
    if s.mean is None:
        return f"n<{min_n}"
    return f"{num(s.mean, lang)} ({s.n})"


def territory_report(ta: TerritoryAnalysis, *, lang: str, charts: Mapping[str, str] | None = None,
                     sector_files: Mapping[str, str] | None = None, extra_sections: Sequence[str] = ()) -> str:
    """"Stato digitale del territorio": sectors side by side, coverage, connectivity, barriers, needs, road-map."""
    charts = charts or {}
    min_n = ta.min_n
    meta = [f"{t('report.campaign', lang)}: {md_text(ta.name)}"]
    if ta.date:
        meta.append(f"{t('report.date', lang)}: {md_text(ta.date)}")
    out = _header(t("report.t.title", lang, name=md_text(ta.name)), ta.synthetic, meta, lang)
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
            row.append(_cell(sa.dimensions[dim_id], lang, min_n) if dim_id in sa.dimensions else "–")
        rows.append(row)
    rows.append([f"**{t('report.c.overall', lang)}**"] + [_cell(ta.sectors[s].overall, lang, min_n) for s in SECTORS])
    out += [table(heads, rows), "", t("report.t.compare_note", lang), ""]
    out += _image(t("report.t.chart_compare", lang), charts.get("compare"))

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
    out += _fibre_table(ta.sectors, lang, min_n)
    if any(ta.sectors[s].fibre is not None for s in SECTORS):
        out += [t("report.t.connectivity_note", lang), ""]
        out += [f"### {t('report.t.fibre_by_comune', lang, n=min_n)}", ""]
        if ta.fibre_by_comune:
            heads = [t("report.r.comune", lang), t("report.c.respondents", lang)] + [t(k, lang) for k in FIBRE_COLUMNS]
            rows = [[ta.comuni_names[c]] + _fibre_cells(f, lang, min_n) for c, f in ta.fibre_by_comune.items()]
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
        out += [_actions_table(ta.actions, qns, lang, True), "", t("report.t.roadmap_note", lang), ""]
    else:
        out += [t("report.t.no_actions", lang, n=min_n), ""]

    for section in extra_sections:
        out += [section.rstrip(), ""]
    out += [f"## {t('report.t.method', lang)}", ""]
    qn = next((ta.sectors[s].questionnaire for s in SECTORS if ta.sectors[s].questionnaire), None)
    bands = level_bands(qn, lang) if qn else "–"
    out += [t("report.t.method_text", lang, levels=bands, suppression=t("report.suppression", lang, n=min_n)), ""]
    return "\n".join(out).rstrip() + "\n"
