"""Markdown reports (respondent, sector, territory): shared texts and helpers; strings only, tables via tabulate.

Every text that comes from respondents goes through :func:`md_text`; every number through
:func:`num` (decimal comma in Italian); a withheld figure shows its mark (``n<5``, ``riservato``) through
:func:`cell`, :func:`pct` and :func:`stat`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tabulate import tabulate

from crassess.campaign.data import sector_label
from crassess.i18n import fmt_number, pick, register, t
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.vocabulary import SUBSECTORS
from crassess.reports.disclosure import Withheld, mark_label
from crassess.reports.results import (
    Cell,
    FibreCounts,
    SectorAnalysis,
    Share,
    Summary,
)
from crassess.reports.tally import FIBRE_CATEGORIES, INSUFFICIENT, UNKNOWN
from crassess.safe_text import md_cell

register({
    "report.synthetic": {
        "it": "> **Dati sintetici**: questa rilevazione è generata a scopo dimostrativo con un seme fisso; non descrive organizzazioni reali.",
        "en": "> **Synthetic data**: this survey is generated for demonstration with a fixed seed; it does not describe real organisations.",
    },
    "report.campaign": {"it": "Campagna", "en": "Campaign"},
    "report.questionnaire": {"it": "Questionario", "en": "Questionnaire"},
    "report.date": {"it": "Data del rapporto", "en": "Report date"},
    "report.selection": {
        "it": "I rispondenti hanno scelto di rispondere (autoselezione): gli intervalli di confidenza misurano solo l'errore di campionamento, non la distorsione dovuta a chi ha scelto di rispondere.",
        "en": "Respondents chose to answer (self-selection): confidence intervals measure sampling error only, not the bias of who chose to answer.",
    },
    "report.public_bodies": {
        "it": "**Enti pubblici per nome**: la campagna pubblica i risultati dei singoli Comuni con il loro nome (`publish_public_bodies: true` in campaign.yaml), come molte amministrazioni fanno per la propria maturità digitale; le cifre dei Comuni non sono omesse.",
        "en": "**Public bodies by name**: the campaign publishes each municipality's results under its name (`publish_public_bodies: true` in campaign.yaml), as many administrations do for their own digital maturity; the municipalities' figures are not withheld.",
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
    "report.c.p10": {"it": "P10", "en": "P10"},
    "report.c.p90": {"it": "P90", "en": "P90"},
    "report.c.class": {"it": "Classe", "en": "Class"},
    "report.c.reached": {"it": "Rispondenti sotto 50", "en": "Respondents below 50"},
    "report.c.reached_mean": {"it": "Punteggio medio dei raggiunti", "en": "Mean score of those reached"},
    "report.c.mean_gap": {"it": "Divario medio della dimensione", "en": "Mean dimension gap"},
    "report.c.horizon": {"it": "Orizzonte", "en": "Horizon"},
    "report.c.sector": {"it": "Settore", "en": "Sector"},
    "report.c.total": {"it": "Totale", "en": "Total"},
    "report.c.overall": {"it": "Complessivo", "en": "Overall"},
    "report.c.no_fibre": {"it": "Non disponibile", "en": "Not available"},
    "report.c.announced": {"it": "Lavori annunciati", "en": "Works announced"},
    "report.c.not_adopted": {"it": "Disponibile, non attivata", "en": "Available, not adopted"},
    "report.c.adopted": {"it": "Fibra attiva", "en": "Fibre adopted"},
    "report.c.not_adopted_unknown": {"it": "Non attiva (disponibilità non chiesta)", "en": "Not adopted (availability not asked)"},
    "report.c.no_answer": {"it": "Nessuna risposta", "en": "No answer"},
    "report.c.fibre_unpublished": {
        "it": "{sectors}: cifre sulla fibra non pubblicate (anche omettendone altre, permetterebbero di ricalcolare cifre su meno di {n} rispondenti).",
        "en": "{sectors}: fibre figures not published (even with more withheld, they would let a reader work out figures about fewer than {n} respondents).",
    },
    "report.w.no_answer": {"it": "Nessuna risposta (non so, non pertinente o mancante)", "en": "No answer (don't know, not applicable or missing)"},
    "report.c.answer": {"it": "Risposta", "en": "Answer"},
    "report.c.barrier": {"it": "Ostacolo", "en": "Barrier"},
    "report.c.need": {"it": "Esigenza", "en": "Need"},
    "report.place.centro": {"it": "Sede nel centro del comune", "en": "Premises in the main town"},
    "report.place.comune.centro": {"it": "Nessuna località senza copertura indicata", "en": "No locality without coverage given"},
    "report.place.comune.frazione": {"it": "Località senza fibra o buon segnale indicate", "en": "Localities without fibre or good signal given"},
    "report.place.frazione": {"it": "Sede in una frazione o zona industriale", "en": "Premises in a hamlet or industrial area"},
    "report.speed.under": {"it": "Meno di {n} Mbit/s", "en": "Under {n} Mbit/s"},
    "report.speed.band": {"it": "Da {lo} a {hi} Mbit/s", "en": "{lo} to {hi} Mbit/s"},
    "report.speed.over": {"it": "{n} Mbit/s e oltre", "en": "{n} Mbit/s or more"},
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
    "report.t.no_fibre_data": {"it": "Nessun dato sulla fibra.", "en": "No fibre data."},
    "report.t.unknown_comune": {"it": "comune non indicato o non del territorio", "en": "municipality not given or outside the territory"},
    "report.t.chart_compare": {"it": "Media per settore e dimensione", "en": "Mean by sector and dimension"},
    "report.s.chart_levels": {"it": "Distribuzione per livello", "en": "Distribution by level"},
    "report.s.chart_dimensions": {"it": "Media per dimensione", "en": "Mean by dimension"},
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


def cell(value: Cell | None, min_n: int, lang: str) -> str:
    """A count, or its mark when withheld; ``–`` when not applicable."""
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    return "–" if value is None else str(value)


def pct(value: Share, lang: str, min_n: int) -> str:
    """A percentage, or its mark when withheld; ``–`` when not applicable."""
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    return "–" if value is None else fmt_number(value, lang, 1) + "%"


def stat(value: float | Withheld | None, lang: str, min_n: int, decimals: int = 1) -> str:
    """A mean (or another statistic), or its mark when withheld; ``–`` when there is none."""
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    return fmt_number(value, lang, decimals)


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
    if qid == "localita":
        return t(f"report.place.{'comune.' if qn and qn.sector == 'comune' else ''}{value}", lang)
    if qid == "velocita_misurata":
        if value.startswith(">="):
            return t("report.speed.over", lang, n=value[2:])
        lo, hi = value.split("-")
        return t("report.speed.under", lang, n=int(hi) + 1) if lo == "0" else t("report.speed.band", lang, lo=lo, hi=hi)
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


# ---------------------------------------------------------------- shared tables


FIBRE_COLUMNS = ("report.c.no_fibre", "report.c.announced", "report.c.not_adopted", "report.c.not_adopted_unknown",
                 "report.c.adopted", "report.c.no_answer")
FIBRE_KEYS = (*FIBRE_CATEGORIES, "noans")


def fibre_cells(f: FibreCounts, lang: str, min_n: int) -> list[str]:
    """Respondents and the share of each fibre category (``–`` where the questionnaires do not tell it)."""
    return [cell(f.n, min_n, lang)] + [pct(f.shares[c], lang, min_n) if a else "–" for c, a in zip(FIBRE_KEYS, f.asked)]


def fibre_table(sectors: Mapping[str, SectorAnalysis], lang: str, min_n: int) -> list[str]:
    present = {s: sa.fibre for s, sa in sectors.items() if sa.fibre is not None}
    if not present:
        return [t("report.t.no_fibre_data", lang), ""]
    told = [any(f.asked[i] for f in present.values()) for i in range(len(FIBRE_COLUMNS))]  # type: ignore[union-attr]
    heads = [t("report.c.sector", lang), t("report.c.respondents", lang)] + [t(k, lang) for k, a in zip(FIBRE_COLUMNS, told) if a]
    rows = [[sector_name(s, lang)] + [c for c, a in zip(fibre_cells(f, lang, min_n), (True, *told)) if a]  # type: ignore[arg-type]
            for s, f in present.items()]
    hidden = [sector_name(s, lang) for s, f in present.items() if not f.published]  # type: ignore[union-attr]
    note = [t("report.c.fibre_unpublished", lang, sectors=", ".join(hidden), n=min_n), ""] if hidden else []
    return [table(heads, rows), ""] + note


def summary_cell(s: Summary, lang: str, min_n: int) -> str:
    """A group's mean with its respondents in brackets."""
    if s.n == 0:
        return "–"
    if s.withheld is not None or s.mean is None:
        return mark_label(s.withheld, min_n, lang) if s.withheld else "–"
    return f"{num(s.mean, lang)} ({cell(s.n, min_n, lang)})"
