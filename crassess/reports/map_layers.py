"""What the maps show (pure, frozen, no drawing): one value per comune or per zone, shown or withheld.

Privacy lives here, as in :mod:`crassess.reports.analysis`: a withheld area has no value, so the renderer
cannot colour it. The respondents map reuses the per-comune counts the sector reports publish (already
suppressed), so a map never says more than the tables; zone means and shares are withheld below min_n.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import pick, register, t
from crassess.reports.analysis import FIBRE_RULES, SECTORS, UNKNOWN, RespondentAnalysis, TerritoryAnalysis, _fibre
from crassess.reports.markdown import num, sector_name
from crassess.reports.statistics import mean
from crassess.territory.comuni import Territory
from crassess.territory.geography import Zones
from crassess.territory.indicators import IndicatorTable, fibre_column, fibre_comparison

KINDS = ("fibra", "rispondenti", "punteggio", "divario")
PERCENT_CLASSES = (0.0, 20.0, 40.0, 60.0, 80.0)
REST = "\x00rest"  # respondents outside every zone: a hidden group of its own

register({
    "map.title.fibra": {"it": "Copertura in fibra per comune", "en": "Fibre coverage by comune"},
    "map.title.rispondenti": {"it": "Rispondenti per comune", "en": "Respondents by comune"},
    "map.title.rispondenti_public": {"it": "Rispondenti per comune (tutti i settori)", "en": "Respondents by comune (all sectors)"},
    "map.title.rispondenti_private": {"it": "Rispondenti per comune (associazioni e imprese)", "en": "Respondents by comune (associations and businesses)"},
    "map.title.punteggio": {"it": "Punteggio medio per zona", "en": "Mean score by zone"},
    "map.title.divario": {"it": "Fibra disponibile ma non attivata, per zona", "en": "Fibre available but not adopted, by zone"},
    "map.legend.fibra": {"it": "Copertura in fibra (%)", "en": "Fibre coverage (%)"},
    "map.legend.rispondenti": {"it": "Rispondenti", "en": "Respondents"},
    "map.legend.punteggio": {"it": "Livello (punteggio medio 0–100)", "en": "Level (mean score 0–100)"},
    "map.legend.divario": {"it": "Rispondenti con fibra disponibile\nma non attivata (%)", "en": "Respondents with fibre available\nbut not adopted (%)"},
    "map.under": {"it": "meno di {hi}", "en": "under {hi}"},
    "map.between": {"it": "da {lo} a meno di {hi}", "en": "{lo} to under {hi}"},
    "map.over": {"it": "{lo} e oltre", "en": "{lo} or more"},
    "map.range": {"it": "{lo}–{hi}", "en": "{lo}–{hi}"},
    "map.answered": {"it": "ha risposto", "en": "answered"},
    "map.not_answered": {"it": "non ha risposto", "en": "did not answer"},
    "map.no_respondents": {"it": "nessun rispondente", "en": "no respondents"},
    "map.no_data": {"it": "dato non disponibile", "en": "no data"},
    "map.withheld": {"it": "dati non pubblicabili", "en": "data not publishable"},
    "map.withheld_n": {"it": "dati non pubblicabili (n<{n})", "en": "data not publishable (n<{n})"},
    "map.no_zone": {"it": "senza zona", "en": "no zone"},
    "map.respondents_n": {"it": "{n} rispondenti", "en": "{n} respondents"},
    "map.source_indicators": {"it": "Copertura: {file}, colonna «{column}»", "en": "Coverage: {file}, column «{column}»"},
    "map.source_zones": {"it": "Zone: {file}", "en": "Zones: {file}"},
    "map.gap_definition": {"it": "Quota dei rispondenti di associazioni e imprese con fibra disponibile all'indirizzo ma non attivata",
                           "en": "Share of responding associations and businesses with fibre available at the address but not adopted"},
    "map.bad_sector": {"it": "settore '{value}' sconosciuto; ammessi: {allowed}", "en": "unknown sector '{value}'; allowed: {allowed}"},
    "map.bad_dimension": {"it": "dimensione '{value}' sconosciuta per il settore {sector}; dimensioni: {allowed}",
                          "en": "unknown dimension '{value}' for sector {sector}; dimensions: {allowed}"},
    "map.no_sector_data": {"it": "nessun rispondente del settore {sector}: nessuna mappa", "en": "no respondents in sector {sector}: no map"},
    "map.public_bodies": {"it": "quali comuni hanno risposto non è pubblicato (campaign.yaml: publish_public_bodies: false)",
                          "en": "which comuni answered is not published (campaign.yaml: publish_public_bodies: false)"},
    "map.gap_not_asked": {"it": "al settore {sector} non si chiede se la fibra è disponibile: nessuna mappa del divario",
                          "en": "sector {sector} is not asked whether fibre is available: no gap map"},
})


@dataclass(frozen=True)
class Area:
    """One comune or zone: ``value`` when shown; ``state`` is "value", "withheld" or "empty"; ``text`` for
    hovering and labels."""

    state: str
    value: float | None
    text: str


@dataclass(frozen=True)
class MapLayer:
    """A choropleth: classes (lower bounds and labels), a palette, and the areas by ISTAT code or zone name."""

    kind: str
    title: str
    legend_title: str
    lower: tuple[float, ...]
    labels: tuple[str, ...]
    palette: str  # "blue" (more is better or neutral) or "red" (more is worse)
    areas: Mapping[str, Area]
    empty_label: str
    sources: tuple[str, ...] = ()
    zones: Zones | None = None  # set for zone layers: ``areas`` is then keyed by zone name

    def class_of(self, value: float) -> int:
        """The class of a value: the last class whose lower bound it reaches."""
        index = 0
        for i, lower in enumerate(self.lower):
            if value >= lower:
                index = i
        return index


def parse_sector(value: str | None) -> str | None:
    if value is None or value in SECTORS:
        return value
    raise UsageError(problems=[Problem("--sector", "", t("map.bad_sector", value=value, allowed=", ".join(SECTORS)))])


def _bound(value: float, lang: str) -> str:
    return num(value, lang, 0 if float(value).is_integer() else 1)


def class_labels(lower: Sequence[float], lang: str, unit: str = "", top: float | None = None) -> tuple[str, ...]:
    """"meno di 20 %", "da 20 a meno di 40 %", ..., "80 % e oltre" (or "80–100 %" when ``top`` closes the scale)."""
    out = []
    for i, lo in enumerate(lower):
        if i + 1 < len(lower):
            hi = _bound(lower[i + 1], lang) + unit
            out.append(t("map.under", lang, hi=hi) if i == 0 and lo == 0 else t("map.between", lang, lo=_bound(lo, lang), hi=hi))
        elif top is not None:
            out.append(t("map.range", lang, lo=_bound(lo, lang), hi=_bound(top, lang) + unit))
        else:
            out.append(t("map.over", lang, lo=_bound(lo, lang) + unit))
    return tuple(out)


def pct_text(value: float, lang: str) -> str:
    return num(value, lang) + "%"


# ---------------------------------------------------------------- (a) fibre coverage per comune


def fibre_layer(table: IndicatorTable, territory: Territory, lang: str, column: str | None = None) -> MapLayer:
    """Open-data coverage (percent) of every comune of the territory; a comune without a value is "no data".

    ``column`` defaults to the file's fibre column; an unknown column or values outside 0-100 are errors."""
    name = column or fibre_column(table)
    coverage = {row.istat: row.coverage for row in fibre_comparison(table, {}, name, territory=territory)}
    areas = {}
    for c in territory.comuni:
        value = coverage.get(c.istat)
        areas[c.istat] = Area("empty", None, t("map.no_data", lang)) if value is None else Area("value", value, pct_text(value, lang))
    return MapLayer("fibra", t("map.title.fibra", lang), t("map.legend.fibra", lang), PERCENT_CLASSES,
                    class_labels(PERCENT_CLASSES, lang, "%", top=100), "blue", MappingProxyType(areas), t("map.no_data", lang),
                    (t("map.source_indicators", lang, file=Path(table.source).name, column=name),))


# ---------------------------------------------------------------- (b) respondents per comune


def respondents_layer(ta: TerritoryAnalysis, lang: str, sector: str | None = None, public_bodies: bool = False) -> MapLayer:
    """Respondents per comune in classes, from the per-comune counts the reports publish (withheld cells stay
    withheld). Comuni respondents count only with ``public_bodies`` (``publish_public_bodies``): otherwise the
    map would tell which comuni answered."""
    min_n = ta.min_n
    if sector == "comune" and not public_bodies:
        raise InvalidInput(problems=[Problem("--sector", "comune", t("map.public_bodies", lang))])
    sectors = [sector] if sector else [s for s in SECTORS if s != "comune" or public_bodies]
    # the comuni themselves are public when public_bodies: 0 or 1 per comune, never suppressed
    own = {r.comune for r in ta.respondents if r.sector == "comune" and r.comune}
    lower: tuple[float, ...] = (min_n, 2 * min_n, 4 * min_n)
    labels = (t("map.range", lang, lo=min_n, hi=2 * min_n - 1), t("map.range", lang, lo=2 * min_n, hi=4 * min_n - 1),
              t("map.over", lang, lo=4 * min_n))
    if sectors == ["comune"]:
        lower, labels = (1.0,), (t("map.answered", lang),)
    areas = {}
    for c in ta.comuni_names:
        cells = [(1 if c in own else 0) if s == "comune" else ta.sectors[s].comuni.get(c, 0) for s in sectors]
        if any(v is None for v in cells):
            areas[c] = Area("withheld", None, t("map.withheld_n", lang, n=min_n))
        elif sum(cells) == 0:  # type: ignore[arg-type]
            areas[c] = Area("empty", None, t("map.not_answered" if sectors == ["comune"] else "map.no_respondents", lang))
        else:
            n = float(sum(cells))  # type: ignore[arg-type]
            text = t("map.answered", lang) if sectors == ["comune"] else t("map.respondents_n", lang, n=int(n))
            areas[c] = Area("value", n, text)
    if sector:
        title = f"{t('map.title.rispondenti', lang)}: {sector_name(sector, lang)}"
    else:
        title = t("map.title.rispondenti_public" if public_bodies else "map.title.rispondenti_private", lang)
    empty = t("map.not_answered" if sectors == ["comune"] else "map.no_respondents", lang)
    return MapLayer("rispondenti", title, t("map.legend.rispondenti", lang), lower, labels, "blue", MappingProxyType(areas), empty)


# ---------------------------------------------------------------- (c) zones: mean score and the fibre gap


def withheld_groups(counts: Mapping[str, int], min_n: int) -> frozenset[str]:
    """Groups whose figure is withheld: those of 1..min_n-1 respondents, then the smallest shown ones until the
    withheld groups together hold none or at least min_n respondents (else their pooled mean could be
    recovered from the published total)."""
    hidden = {k for k, n in counts.items() if 0 < n < min_n}
    shown = sorted((n, k) for k, n in counts.items() if n >= min_n)
    while shown and 0 < sum(counts[k] for k in hidden) < min_n:
        hidden.add(shown.pop(0)[1])
    return frozenset(hidden)


def _zone_groups(respondents: Sequence[RespondentAnalysis], zones: Zones) -> dict[str, list[RespondentAnalysis]]:
    groups: dict[str, list[RespondentAnalysis]] = {z: [] for z in zones.names}
    groups[REST] = []
    for r in respondents:
        groups[zones.zone_of.get(r.comune or UNKNOWN, REST)].append(r)
    return groups


def _zone_areas(values: Mapping[str, float | None], counts: Mapping[str, int], zones: Zones, min_n: int, lang: str,
                fmt: str) -> dict[str, Area]:
    hidden = withheld_groups(counts, min_n)
    areas = {}
    for z in zones.names:
        value = values.get(z)
        if counts.get(z, 0) == 0:
            areas[z] = Area("empty", None, t("map.no_respondents", lang))
        elif z in hidden or value is None:
            areas[z] = Area("withheld", None, t("map.withheld_n", lang, n=min_n))
        else:
            areas[z] = Area("value", value, pct_text(value, lang) if fmt == "pct" else num(value, lang))
    return areas


def score_layer(ta: TerritoryAnalysis, zones: Zones, sector: str, lang: str, dimension: str | None = None) -> MapLayer:
    """The mean overall (or ``dimension``) score of a sector per zone, classed by the questionnaire's levels."""
    sa = ta.sectors[sector]
    qn = sa.questionnaire
    if qn is None:
        raise InvalidInput(problems=[Problem("--sector", sector, t("map.no_sector_data", lang, sector=sector_name(sector, lang)))])
    if dimension is not None and dimension not in qn.dimensions_by_id:
        raise UsageError(problems=[Problem("--dimension", "", t("map.bad_dimension", lang, value=dimension, sector=sector,
                                                                allowed=", ".join(qn.dimensions_by_id)))])
    groups = _zone_groups([r for r in ta.respondents if r.sector == sector], zones)
    values: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for z, members in groups.items():
        if dimension is None:
            scores = [r.scored.result.overall for r in members if r.scored.result.overall is not None]
        else:
            dims = [r.scored.result.dimensions.get(dimension) for r in members]
            scores = [d.score for d in dims if d is not None and d.score is not None]
        counts[z], values[z] = len(scores), mean(scores)  # type: ignore[arg-type]
    lower = tuple(lv.from_ for lv in qn.levels)
    ranges = [t("map.range", lang, lo=_bound(lo, lang), hi=_bound(lower[i + 1] if i + 1 < len(lower) else 100, lang))
              for i, lo in enumerate(lower)]
    labels = tuple(f"{pick(lv.label, lang)} ({r})" for lv, r in zip(qn.levels, ranges))
    title = f"{t('map.title.punteggio', lang)}: {sector_name(sector, lang)}"
    if dimension is not None:
        title += f", {pick(qn.dimensions_by_id[dimension].label, lang)}"
    return MapLayer("punteggio", title, t("map.legend.punteggio", lang), lower, labels, "blue",
                    MappingProxyType(_zone_areas(values, counts, zones, ta.min_n, lang, "num")), t("map.no_respondents", lang),
                    (t("map.source_zones", lang, file=Path(zones.source).name),), zones)


def asks_availability(ta: TerritoryAnalysis, sector: str) -> bool:
    """Whether the sector's questionnaire asks if fibre is available at the address (not the comuni's)."""
    qn = ta.sectors[sector].questionnaire
    rule = FIBRE_RULES.get(qn.id if qn else sector)
    return rule is not None and rule.available is not None


def gap_layer(ta: TerritoryAnalysis, zones: Zones, lang: str, sector: str | None = None) -> MapLayer:
    """Per zone, the share of respondents with fibre available at their address but not adopted (the
    "available but not adopted" of the connectivity tables), over the sectors asked about availability."""
    asked = [s for s in SECTORS if asks_availability(ta, s)]
    if sector is not None and sector not in asked:
        raise InvalidInput(problems=[Problem("--sector", sector, t("map.gap_not_asked", lang, sector=sector_name(sector, lang)))])
    chosen = [sector] if sector else asked
    groups = _zone_groups([r for r in ta.respondents if r.sector in chosen], zones)
    values: dict[str, float | None] = {}
    counts: dict[str, int] = {}
    for z, members in groups.items():
        fibre = _fibre([r.scored for r in members], ta.min_n)
        counts[z] = fibre.n if fibre else 0
        share = fibre.shares()[1] if fibre else None
        values[z] = share
    title = t("map.title.divario", lang) + (f": {sector_name(sector, lang)}" if sector else "")
    return MapLayer("divario", title, t("map.legend.divario", lang), PERCENT_CLASSES,
                    class_labels(PERCENT_CLASSES, lang, "%", top=100), "red",
                    MappingProxyType(_zone_areas(values, counts, zones, ta.min_n, lang, "pct")), t("map.no_respondents", lang),
                    (t("map.gap_definition", lang), t("map.source_zones", lang, file=Path(zones.source).name)), zones)
