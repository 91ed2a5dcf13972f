"""Representativeness: response rates, who responded against the population, and the rule-based caveat
when the sample is skewed. Reads the protected results only (a withheld share is never compared)."""

from __future__ import annotations

from dataclasses import dataclass

from crassess.i18n import register, t
from crassess.reports.markdown import (
    SIZE_UNIT,
    grouped,
    num,
    pct,
    sector_name,
    size_label,
    table,
)
from crassess.reports.results import TerritoryAnalysis
from crassess.reports.tally import SECTORS, UNKNOWN

register({
    "rep.title": {"it": "Rappresentatività", "en": "Representativeness"},
    "rep.population": {"it": "Popolazione", "en": "Population"},
    "rep.rate": {"it": "Tasso di risposta", "en": "Response rate"},
    "rep.unknown": {"it": "non nota", "en": "unknown"},
    "rep.rates_note": {
        "it": "Popolazione: i comuni del territorio; per gli altri settori `population:` in campaign.yaml.",
        "en": "Population: the territory's comuni; for the other sectors `population:` in campaign.yaml.",
    },
    "rep.place": {"it": "Comuni per abitanti", "en": "Comuni by inhabitants"},
    "rep.inhabitants": {"it": "Residenti del territorio", "en": "Territory's residents"},
    "rep.places_note": {
        "it": "Quota dei residenti (ISTAT) e dei rispondenti con sede nei comuni di ogni classe di abitanti; i Comuni stessi non sono suddivisi (direbbe quali hanno risposto).",
        "en": "Share of the residents (ISTAT) and of the respondents based in the comuni of each inhabitants class; the comuni themselves are not broken down (it would tell which ones responded).",
    },
    "rep.sizes": {"it": "{sector} per classe dimensionale ({unit}): {parts}.", "en": "{sector} by size class ({unit}): {parts}."},
    "rep.caveat": {"it": "**Attenzione al campione.** {parts} Le cifre descrivono soprattutto questi rispondenti, non l'intero territorio.",
                   "en": "**Mind the sample.** {parts} The figures mostly describe these respondents, not the whole territory."},
    "rep.skew.place": {"it": "{sector}: {share}% con sede in comuni di {cls} abitanti (residenti: {pop}%).",
                       "en": "{sector}: {share}% based in comuni of {cls} inhabitants (residents: {pop}%)."},
    "rep.skew.size": {"it": "{sector}: {share}% nella classe {cls} {unit}.", "en": "{sector}: {share}% in the {cls} {unit} class."},
    "rep.skew.rate": {"it": "{sector}: tasso di risposta {rate}%.", "en": "{sector}: response rate {rate}%."},
    "rep.no_skew": {"it": "Nessuno squilibrio marcato per classe dimensionale o di abitanti rispetto a quanto noto della popolazione.",
                    "en": "No marked imbalance by size or inhabitants class against what is known of the population."},
})

PLACE_SKEW = 20.0  # points: a class of comuni this much over its share of the residents skews the sample
SIZE_SKEW = 2 / 3 * 100  # % of a sector's respondents in one size class
LOW_RATE = 5.0  # % of a known population


@dataclass(frozen=True)
class Skew:
    """One reason the sample is skewed: ``kind`` place (comuni of a class over their residents' share), size
    (most respondents of one size class) or rate (few of a known population)."""

    sector: str
    kind: str
    key: str
    share: float
    population: float | None = None


def skews(ta: TerritoryAnalysis) -> list[Skew]:
    """The rules, on published shares only: place over ``PLACE_SKEW`` points; size over ``SIZE_SKEW``%
    (the unknown class aside); a response rate under ``LOW_RATE``% of a known population."""
    found = []
    for s in SECTORS:
        sa = ta.sectors[s]
        if not sa.reportable:
            continue
        population = ta.population.get(s)
        if population and 100.0 * sa.n / population < LOW_RATE:
            found.append(Skew(s, "rate", "", 100.0 * sa.n / population))
        places = sa.places
        if places is not None and places.published and ta.inhabitants:
            for k, share in places.shares.items():
                pop = ta.inhabitants.get(k)
                if isinstance(share, float) and pop is not None and share - pop >= PLACE_SKEW:
                    found.append(Skew(s, "place", k, share, pop))
        sizes = sa.size_classes
        if sizes is not None and sizes.published:
            for k, share in sizes.shares.items():
                if k != UNKNOWN and isinstance(share, float) and share >= SIZE_SKEW:
                    found.append(Skew(s, "size", k, share))
    return found


def caveat(found: list[Skew], lang: str) -> str | None:
    """One plain paragraph naming every skew; ``None`` when there is none."""
    if not found:
        return None
    parts = []
    for k in found:
        name = sector_name(k.sector, lang)
        if k.kind == "place":
            parts.append(t("rep.skew.place", lang, sector=name, share=num(k.share, lang), cls=size_label(k.key, lang),
                           pop=num(k.population, lang)))
        elif k.kind == "size":
            parts.append(t("rep.skew.size", lang, sector=name, share=num(k.share, lang), cls=size_label(k.key, lang),
                           unit=t(SIZE_UNIT[k.sector], lang)))
        else:
            parts.append(t("rep.skew.rate", lang, sector=name, rate=num(k.share, lang)))
    return t("rep.caveat", lang, parts=" ".join(parts))


def representation_section(ta: TerritoryAnalysis, lang: str) -> list[str]:
    """Response rate per sector, respondents by inhabitants class of their comune against the residents,
    size classes, and the caveat."""
    min_n = ta.min_n
    out = [f"## {t('rep.title', lang)}", ""]
    rows = []
    for s in SECTORS:
        n, population = ta.sectors[s].n, ta.population.get(s)
        rate = pct(100.0 * n / population, lang, min_n) if population else "–"
        rows.append([sector_name(s, lang), str(n), grouped(population, lang) if population else t("rep.unknown", lang), rate])
    heads = [t("report.c.sector", lang), t("report.c.respondents", lang), t("rep.population", lang), t("rep.rate", lang)]
    out += [table(heads, rows), "", t("rep.rates_note", lang), ""]
    located = [s for s in SECTORS if ta.sectors[s].places is not None and ta.sectors[s].places.published]  # type: ignore[union-attr]
    if ta.inhabitants and located:
        rows = []
        for k, share in ta.inhabitants.items():
            row = [size_label(k, lang), pct(share, lang, min_n)]
            row += [pct(ta.sectors[s].places.shares.get(k), lang, min_n) for s in located]  # type: ignore[union-attr]
            rows.append(row)
        unknown = [ta.sectors[s].places.cells.get(UNKNOWN) for s in located]  # type: ignore[union-attr]
        if any(unknown):
            rows.append([t("report.w.unknown", lang), "–"] + [pct(ta.sectors[s].places.shares.get(UNKNOWN), lang, min_n)  # type: ignore[union-attr]
                                                              for s in located])
        heads = [t("rep.place", lang), t("rep.inhabitants", lang)] + [sector_name(s, lang) for s in located]
        out += [table(heads, rows), "", t("rep.places_note", lang), ""]
    sizes = []
    for s in SECTORS:
        counts = ta.sectors[s].size_classes
        if ta.sectors[s].reportable and counts is not None and counts.published:
            parts = [f"{size_label(k, lang)} {pct(v, lang, min_n)}" for k, v in counts.shares.items()
                     if not (k == UNKNOWN and not counts.cells.get(k))]
            sizes.append(t("rep.sizes", lang, sector=sector_name(s, lang), unit=t(SIZE_UNIT[s], lang), parts=", ".join(parts)))
    out += [" ".join(sizes), ""] if sizes else []
    out += [caveat(skews(ta), lang) or t("rep.no_skew", lang), ""]
    return out

