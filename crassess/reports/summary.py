"""The Sintesi of the territory and sector reports: findings with their numbers, templated from the protected
results only (a withheld figure is never named; a sentence without a figure to say is left out)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from crassess.i18n import pick, register, t
from crassess.reports.markdown import choice_label, label_of, num, sector_name
from crassess.reports.results import (
    Frequency,
    FrequencyRow,
    SectorAction,
    SectorAnalysis,
    TerritoryAnalysis,
)
from crassess.reports.tally import SECTORS

register({
    "sum.title": {"it": "Sintesi", "en": "Summary"},
    "sum.respondents": {"it": "Hanno risposto **{n}** organizzazioni: {parts}.", "en": "**{n}** organisations responded: {parts}."},
    "sum.coverage": {
        "it": "**Dove manca la fibra.** Secondo i dati aperti, {low} comuni su {total} hanno meno del {threshold}% degli indirizzi coperti in fibra; i meno coperti sono {worst}.",
        "en": "**Where fibre is missing.** According to the open data, {low} of {total} comuni have fewer than {threshold}% of addresses covered by fibre; the least covered are {worst}.",
    },
    "sum.fibre_lead": {"it": "**Fibra.**", "en": "**Fibre.**"},
    "sum.fibre": {"it": "{sector}: {parts}.", "en": "{sector}: {parts}."},
    "sum.fibre.adopted": {"it": "fibra attiva per il {v}%", "en": "fibre adopted by {v}%"},
    "sum.fibre.not_adopted": {"it": "disponibile ma non attivata per il {v}%", "en": "available but not adopted by {v}%"},
    "sum.fibre.announced": {"it": "lavori annunciati per il {v}%", "en": "works announced for {v}%"},
    "sum.fibre.none": {"it": "non disponibile per il {v}%", "en": "not available for {v}%"},
    "sum.fibre.not_adopted_unknown": {"it": "sede non collegata in fibra per il {v}%", "en": "premises not on fibre for {v}%"},
    "sum.gaps": {
        "it": "**Divari dagli obiettivi.** La dimensione più lontana dall'obiettivo è, per settore: {parts}.",
        "en": "**Gaps to target.** The dimension furthest from its target is, per sector: {parts}.",
    },
    "sum.gap": {"it": "{sector} {dim} ({mean} contro {target}, {gap} punti sotto)", "en": "{sector} {dim} ({mean} against {target}, {gap} points short)"},
    "sum.sector_gaps": {
        "it": "**Divari dagli obiettivi.** Le dimensioni più lontane dall'obiettivo: {parts}.",
        "en": "**Gaps to target.** The dimensions furthest from their targets: {parts}.",
    },
    "sum.sector_gap": {"it": "{dim} ({mean} contro {target})", "en": "{dim} ({mean} against {target})"},
    "sum.weakest": {"it": "La domanda con il punteggio medio più basso è «{q}» ({mean}).", "en": "The question with the lowest mean score is '{q}' ({mean})."},
    "sum.resistance_lead": {"it": "**Resistenza al cambiamento.**", "en": "**Resistance to change.**"},
    "sum.resistance": {"it": "Punteggio medio di «{dim}»: {values}.", "en": "Mean score of '{dim}': {values}."},
    "sum.reasons": {"it": "Motivo di resistenza più indicato: {parts}.", "en": "Reason for resistance named most often: {parts}."},
    "sum.reason": {"it": "{sector} «{label}» ({share}%)", "en": "{sector} '{label}' ({share}%)"},
    "sum.reason1": {"it": "«{label}» ({share}%)", "en": "'{label}' ({share}%)"},
    "sum.need": {"it": "**Esigenze.** Il servizio più richiesto al Digital Center è «{label}» ({share}%).",
                 "en": "**Needs.** The service most requested from the Digital Center is '{label}' ({share}%)."},
    "sum.steps": {"it": "**Primi passi** (dai piani d'azione). {steps}", "en": "**First steps** (from the road-maps). {steps}"},
    "sum.step": {"it": "{i}) {action} ({who}, {horizon}).", "en": "{i}) {action} ({who}, {horizon})."},
    "sum.h.short": {"it": "entro 12 mesi", "en": "within 12 months"},
    "sum.h.medium": {"it": "12-24 mesi", "en": "12-24 months"},
    "sum.h.long": {"it": "oltre 24 mesi", "en": "beyond 24 months"},
})

RESISTANCE_DIMENSION = "atteggiamento"
RESISTANCE_REASONS = "motivi_resistenza"
LOW_COVERAGE = 50.0  # % of addresses with fibre: a comune below it is named as lacking fibre
FIBRE_SAID = ("adopted", "not_adopted", "announced", "none", "not_adopted_unknown")


@dataclass(frozen=True)
class DimensionGap:
    sector: str
    dimension: str
    mean: float
    target: float

    @property
    def gap(self) -> float:
        return self.target - self.mean


def dimension_gaps(sa: SectorAnalysis) -> list[DimensionGap]:
    """The sector's dimensions with a published mean, furthest from their target first (target - mean:
    dimensions have different targets, so their raw means do not rank them)."""
    found = [DimensionGap(sa.sector, d, s.mean, sa.targets[d]) for d, s in sa.dimensions.items()
             if isinstance(s.mean, float) and s.withheld is None]
    order = list(sa.dimensions)
    return sorted(found, key=lambda g: (-g.gap, order.index(g.dimension)))


def top_row(freq: Frequency | None) -> FrequencyRow | None:
    """The choice named most often, when its share is shown and not 0 (ties: questionnaire order)."""
    if freq is None or not freq.published:
        return None
    rows = [r for r in freq.rows if isinstance(r.share, float) and isinstance(r.count, int) and r.count > 0]
    return max(rows, key=lambda r: r.share) if rows else None  # type: ignore[arg-type,return-value]


def context(sa: SectorAnalysis, question_id: str) -> Frequency | None:
    return next((f for f in sa.context if f.question_id == question_id), None)


def fibre_parts(sa: SectorAnalysis, lang: str) -> list[str]:
    f = sa.fibre
    if f is None or not f.published:
        return []
    return [t(f"sum.fibre.{c}", lang, v=num(f.shares[c], lang)) for c in FIBRE_SAID
            if isinstance(f.shares.get(c), float) and f.shares[c]]


def _steps(actions: Sequence[SectorAction], qns: Mapping[str, object], lang: str, with_sector: bool) -> list[str]:
    steps = []
    for i, a in enumerate(actions[:3], 1):
        qn = qns[a.sector]
        who = sector_name(a.sector, lang) if with_sector else label_of(qn, "dimension", a.dimension, lang)  # type: ignore[arg-type]
        steps.append(t("sum.step", lang, i=i, action=pick(qn.question(a.question_id).action, lang).rstrip("."),  # type: ignore[union-attr]
                       who=who, horizon=t(f"sum.h.{a.horizon}", lang)))
    return [t("sum.steps", lang, steps=" ".join(steps))] if steps else []


def _reasons(sectors: Sequence[SectorAnalysis], lang: str, with_sector: bool) -> str | None:
    parts = []
    for sa in sectors:
        row = top_row(context(sa, RESISTANCE_REASONS))
        if row is not None:
            label = choice_label(sa.questionnaire, RESISTANCE_REASONS, row.value, lang)
            key = "sum.reason" if with_sector else "sum.reason1"
            parts.append(t(key, lang, sector=sector_name(sa.sector, lang), label=label, share=num(row.share, lang)))  # type: ignore[arg-type]
    return t("sum.reasons", lang, parts="; ".join(parts)) if parts else None


def _resistance(sectors: Sequence[SectorAnalysis], label: str | None, lang: str, with_sector: bool) -> list[str]:
    values = [(sa, sa.dimensions[RESISTANCE_DIMENSION]) for sa in sectors if RESISTANCE_DIMENSION in sa.dimensions]
    values = [(sa, s) for sa, s in values if isinstance(s.mean, float) and s.withheld is None]
    targets = {sa.targets[RESISTANCE_DIMENSION] for sa, _ in values}
    each = len(targets) > 1  # one target for all: said once

    def target(sa: SectorAnalysis) -> str:
        return f"{t('report.c.target', lang).lower()} {num(sa.targets[RESISTANCE_DIMENSION], lang)}"

    shown = [f"{sector_name(sa.sector, lang) + ' ' if with_sector else ''}{num(s.mean, lang)}" + (f" ({target(sa)})" if each else "")
             for sa, s in values]
    if shown and not each:
        shown[-1] += f" ({target(values[0][0])})"
    said = [t("sum.resistance", lang, dim=label, values=", ".join(shown))] if shown and label else []
    said += [r for r in [_reasons(sectors, lang, with_sector)] if r]
    return [" ".join([t("sum.resistance_lead", lang), *said])] if said else []


def territory_summary(ta: TerritoryAnalysis, lang: str, coverage: Sequence[tuple[str, float]] = (),
                      caveats: Sequence[str] = (), extra: Sequence[str] = ()) -> list[str]:
    """The territory's Sintesi (Markdown lines). ``coverage``: every comune's open-data fibre coverage,
    lowest first; ``caveats``: the representativeness warnings; ``extra``: paragraphs appended as given (the
    Digital Center programme's services and first steps, which then replace the sector road-maps' steps)."""
    shown = [ta.sectors[s] for s in SECTORS if ta.sectors[s].reportable and ta.sectors[s].questionnaire is not None]
    out = [f"## {t('sum.title', lang)}", ""]
    counts = ", ".join(f"{ta.sectors[s].n} {sector_name(s, lang).lower()}" for s in SECTORS)
    first = t("sum.respondents", lang, n=sum(ta.sectors[s].n for s in SECTORS), parts=counts)
    out += [" ".join([first, *caveats]), ""]
    fibre = []
    if coverage:
        low = [c for c, v in coverage if v < LOW_COVERAGE]
        worst = ", ".join(f"{ta.comuni_names.get(c, c)} ({num(v, lang)}%)" for c, v in coverage[:3])
        fibre.append(t("sum.coverage", lang, low=len(low), total=len(coverage), threshold=num(LOW_COVERAGE, lang, 0), worst=worst))
    said = [t("sum.fibre", lang, sector=sector_name(sa.sector, lang), parts=", ".join(parts)) for sa in shown
            if (parts := fibre_parts(sa, lang))]
    if said:
        fibre.append(("" if coverage else t("sum.fibre_lead", lang) + " ") + " ".join(said))
    out += [" ".join(fibre), ""] if fibre else []
    worst_dims = [gaps[0] for sa in shown if (gaps := dimension_gaps(sa))]
    if worst_dims:
        worst_dims.sort(key=lambda g: (-g.gap, SECTORS.index(g.sector)))
        parts = [t("sum.gap", lang, sector=sector_name(g.sector, lang), dim=label_of(ta.sectors[g.sector].questionnaire, "dimension", g.dimension, lang),
                   mean=num(g.mean, lang), target=num(g.target, lang), gap=num(g.gap, lang)) for g in worst_dims]
        out += [t("sum.gaps", lang, parts="; ".join(parts)), ""]
    label = dict(ta.dimensions).get(RESISTANCE_DIMENSION)
    out += [*_resistance(shown, pick(label, lang) if label else None, lang, True), ""]
    qns = {s: ta.sectors[s].questionnaire for s in SECTORS}
    if not extra:
        out += [*_steps(ta.actions, qns, lang, True), ""]
    for paragraph in extra:
        out += [paragraph, ""]
    return _tidy(out)


def sector_summary(sa: SectorAnalysis, lang: str, overall: str | None) -> list[str]:
    """A sector's Sintesi: the overall score, the dimensions furthest from target, the weakest question,
    fibre, resistance, the most requested service and the first steps."""
    qn = sa.questionnaire
    out = [f"## {t('sum.title', lang)}", ""]
    if overall:
        out += [overall, ""]
    gaps = dimension_gaps(sa)[:2]
    if gaps:
        parts = [t("sum.sector_gap", lang, dim=label_of(qn, "dimension", g.dimension, lang), mean=num(g.mean, lang),
                   target=num(g.target, lang)) for g in gaps]
        text = t("sum.sector_gaps", lang, parts="; ".join(parts))
        if sa.weakest:
            q = sa.weakest[0]
            text += " " + t("sum.weakest", lang, q=label_of(qn, "question", q.question_id, lang), mean=num(q.mean, lang))  # type: ignore[arg-type]
        out += [text, ""]
    parts = fibre_parts(sa, lang)
    if parts:
        out += [f"{t('sum.fibre_lead', lang)} " + t("sum.fibre", lang, sector=sector_name(sa.sector, lang), parts=", ".join(parts)), ""]
    dim = qn.dimensions_by_id.get(RESISTANCE_DIMENSION) if qn else None
    out += [*_resistance([sa], pick(dim.label, lang) if dim else None, lang, False), ""]
    need = top_row(sa.needs)
    if need is not None:
        out += [t("sum.need", lang, label=choice_label(qn, sa.needs.question_id, need.value, lang), share=num(need.share, lang)), ""]  # type: ignore[union-attr,arg-type]
    out += [*_steps(sa.actions, {sa.sector: qn}, lang, False), ""]
    return _tidy(out)


def _tidy(lines: list[str]) -> list[str]:
    """No empty paragraph twice in a row."""
    out: list[str] = []
    for line in lines:
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return out
