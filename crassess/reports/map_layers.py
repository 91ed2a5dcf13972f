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
from crassess.reports.disclosure import (
    SECONDARY,
    DisclosureError,
    Protection,
    Publication,
    Withheld,
)
from crassess.reports.fibre_rules import FIBRE_RULES
from crassess.reports.markdown import num, sector_name
from crassess.reports.results import RespondentAnalysis, TerritoryAnalysis
from crassess.reports.tally import FIBRE_CATEGORIES, SECTORS, UNKNOWN, fibre
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
        # the same protected cells as the coverage table (a sector too small to break down: withheld)
        cells = [(1 if c in own else 0) if s == "comune" else 0 if not ta.sectors[s].n else ta.coverage.get(c, {}).get(s, 0)
                 for s in sectors]
        if any(not isinstance(v, int) for v in cells):  # withheld in the published table (None or a mark)
            areas[c] = Area("withheld", None, t("map.withheld", lang))
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


def _zone_groups(respondents: Sequence[RespondentAnalysis], zones: Zones) -> dict[str, list[RespondentAnalysis]]:
    groups: dict[str, list[RespondentAnalysis]] = {z: [] for z in zones.names}
    groups[REST] = []
    for r in respondents:
        groups[zones.zone_of.get(r.comune or UNKNOWN, REST)].append(r)
    return groups


ALL = "\x00all"


def zone_mean_publication(scores: Mapping[str, list[float]], min_n: int) -> Publication | None:
    """The zones' mean scores for disclosure control: the zones and the respondents outside them (``REST``,
    never shown) are the parts of the sector's published mean and n; a zone's n is not published."""
    groups = {g: v for g, v in scores.items() if v}
    every = [x for v in groups.values() for x in v]
    if not every:
        return None
    pub = Publication(min_n)
    pub.count(("n", ALL), len(every), public=len(every) >= min_n)  # the reports publish n unless it is small
    for g, values in groups.items():
        pub.count(("n", g), len(values), hidden=True)
    pub.line(("n", ALL), [("n", g) for g in groups])
    pub.mean(("mean", ALL), sum(every) / len(every), ("n", ALL))
    for g, values in groups.items():
        pub.mean(("mean", g), sum(values) / len(values), ("n", g), hidden=g == REST)
    pub.mean_line(("mean", ALL), [("mean", g) for g in groups])
    pub.table("map", [("mean", g) for g in groups if g != REST])
    return pub


def _zone_means(scores: Mapping[str, list[float]], min_n: int) -> dict[str, float | Withheld]:
    pub = zone_mean_publication(scores, min_n)
    if pub is None:
        return {}
    zones = [g for g in scores if scores[g] and g != REST]
    solved = _solve(pub)
    if solved is None:
        return dict.fromkeys(zones, SECONDARY)
    return {g: solved.mean(("mean", g)) for g in zones}


def zone_share_publication(counts: Mapping[str, Mapping[str, tuple[int, int]]], min_n: int) -> Publication | None:
    """The zones' shares part/base (e.g. fibre available but not adopted over those who answered) for
    disclosure control. ``counts[sector][group] = (base, part)``: the sectors' bases and parts are known to a
    reader (the connectivity tables publish them unless small); a zone's base and part follow from its share."""
    groups = list(dict.fromkeys(g for by_group in counts.values() for g in by_group))
    total = {g: tuple(sum(c[g][i] for c in counts.values() if g in c) for i in (0, 1)) for g in groups}
    groups = [g for g in groups if total[g][0]]
    if not groups:
        return None
    pub = Publication(min_n)

    def known(key: tuple[str, str], base: int, part: int) -> None:
        """A sector's base and part as the connectivity tables publish them: known unless small cells are near."""
        pub.count(("base", key), base, public=not 0 < base < min_n)
        pub.count(("part", key), part, public=not (0 < part < min_n or 0 < base - part < min_n))
        pub.complement(("base", key), ("part", key), ("other", key))

    known(ALL, sum(total[g][0] for g in groups), sum(total[g][1] for g in groups))
    if len(counts) > 1:
        for sector, by_group in counts.items():
            known(sector, sum(b for b, _ in by_group.values()), sum(p for _, p in by_group.values()))
        pub.line(("base", ALL), [("base", s) for s in counts])
        pub.line(("part", ALL), [("part", s) for s in counts])
    for g in groups:
        pub.count(("base", g), total[g][0], hidden=g == REST)
        pub.count(("part", g), total[g][1], hidden=g == REST)
        pub.complement(("base", g), ("part", g), ("other", g))
    pub.line(("base", ALL), [("base", g) for g in groups])
    pub.line(("part", ALL), [("part", g) for g in groups])
    pub.table("map", [(kind, g) for g in groups if g != REST for kind in ("base", "part")])
    return pub


def _zone_shares(counts: Mapping[str, Mapping[str, tuple[int, int]]], min_n: int) -> dict[str, float | Withheld | None]:
    pub = zone_share_publication(counts, min_n)
    if pub is None:
        return {}
    zones = list(dict.fromkeys(g for by_group in counts.values() for g, (base, _) in by_group.items() if base and g != REST))
    solved = _solve(pub)
    if solved is None:
        return dict.fromkeys(zones, SECONDARY)
    return {g: solved.share(("part", g), ("base", g)) for g in zones}


def _solve(pub: Publication) -> Protection | None:
    """The solved publication, or ``None`` when the map cannot be shown: it cannot be protected, or what the
    reports already publish determines a small group by itself (then no zone is shown: nothing added)."""
    try:
        solved = pub.solve()
    except DisclosureError:
        return None
    return solved if solved.published("map") else None


def _zone_areas(values: Mapping[str, float | Withheld | None], zones: Zones, min_n: int, lang: str, fmt: str) -> dict[str, Area]:
    areas = {}
    for z in zones.names:
        value = values.get(z)
        if value is None:
            areas[z] = Area("empty", None, t("map.no_respondents", lang))
        elif isinstance(value, Withheld):  # no mark: telling primary from secondary would help a reader subtract
            areas[z] = Area("withheld", None, t("map.withheld", lang))
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
    scores: dict[str, list[float]] = {}
    for z, members in _zone_groups([r for r in ta.respondents if r.sector == sector], zones).items():
        if dimension is None:
            scores[z] = [r.scored.result.overall for r in members if r.scored.result.overall is not None]
        else:
            dims = [r.scored.result.dimensions.get(dimension) for r in members]
            scores[z] = [d.score for d in dims if d is not None and d.score is not None]
    lower = tuple(lv.from_ for lv in qn.levels)
    ranges = [t("map.range", lang, lo=_bound(lo, lang), hi=_bound(lower[i + 1] if i + 1 < len(lower) else 100, lang))
              for i, lo in enumerate(lower)]
    labels = tuple(f"{pick(lv.label, lang)} ({r})" for lv, r in zip(qn.levels, ranges))
    title = f"{t('map.title.punteggio', lang)}: {sector_name(sector, lang)}"
    if dimension is not None:
        title += f", {pick(qn.dimensions_by_id[dimension].label, lang)}"
    return MapLayer("punteggio", title, t("map.legend.punteggio", lang), lower, labels, "blue",
                    MappingProxyType(_zone_areas(_zone_means(scores, ta.min_n), zones, ta.min_n, lang, "num")), t("map.no_respondents", lang),
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
    counts: dict[str, dict[str, tuple[int, int]]] = {}
    for s in [sector] if sector else asked:
        counts[s] = {}
        for z, members in _zone_groups([r for r in ta.respondents if r.sector == s], zones).items():
            found = fibre([r.scored for r in members])
            cells = found.cells if found else dict.fromkeys(FIBRE_CATEGORIES, 0)
            base = len(members)  # every respondent, as the connectivity tables: one definition
            if base:
                counts[s][z] = (base, cells["not_adopted"])
    title = t("map.title.divario", lang) + (f": {sector_name(sector, lang)}" if sector else "")
    return MapLayer("divario", title, t("map.legend.divario", lang), PERCENT_CLASSES,
                    class_labels(PERCENT_CLASSES, lang, "%", top=100), "red",
                    MappingProxyType(_zone_areas(_zone_shares(counts, ta.min_n), zones, ta.min_n, lang, "pct")), t("map.no_respondents", lang),
                    (t("map.gap_definition", lang), t("map.source_zones", lang, file=Path(zones.source).name)), zones)
