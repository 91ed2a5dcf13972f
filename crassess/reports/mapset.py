"""The maps of a campaign: which maps a report set shows (files, Markdown sections, workbook images), and one
map on demand (``crassess map``). Without boundaries (another territory without ``boundaries:``) there are no
maps, only a note."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crassess.campaign.config import load_campaign_config
from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import register, t
from crassess.reports.map_layers import (
    KINDS,
    MapLayer,
    asks_availability,
    fibre_layer,
    gap_layer,
    parse_sector,
    respondents_layer,
    score_layer,
)
from crassess.reports.markdown import image, md_text
from crassess.reports.results import TerritoryAnalysis
from crassess.reports.tally import SECTORS
from crassess.safe_text import md_cell
from crassess.territory.comuni import DEFAULT_TERRITORY, Territory
from crassess.territory.geography import (
    Boundaries,
    Zones,
    boundaries_for,
    load_population,
    load_zones,
)
from crassess.territory.indicators import IndicatorTable, load_indicators

register({
    "maps.title": {"it": "Mappe", "en": "Maps"},
    "maps.intro": {
        "it": "Grigio tratteggiato: dati non pubblicabili (`n<{n}` o `riservato`); bianco: nessun dato. Nei file SVG il "
              "puntatore mostra comune, codice ISTAT e valore.",
        "en": "Hatched grey: data that cannot be published (`n<{n}` or `suppressed`); white: no data. In the SVG files, "
              "hovering shows the comune, its ISTAT code and value.",
    },
    "maps.none": {"it": "Mappe non disponibili: nessun file dei confini per questo territorio (campaign.yaml, boundaries:).",
                  "en": "No maps: no boundaries file for this territory (campaign.yaml, boundaries:)."},
    "maps.private": {"it": "Nessuna mappa indica quali comuni hanno risposto al questionario dei comuni: non sono contati tra i rispondenti per comune (campaign.yaml, publish_public_bodies: false).",
                     "en": "No map tells which comuni answered the comuni questionnaire: they are not counted among the respondents by comune (campaign.yaml, publish_public_bodies: false)."},
    "maps.zones": {"it": "Zone dal file {file}: {names}; comuni senza zona: {without}. Una zona è una scelta della campagna, non una suddivisione ufficiale.",
                   "en": "Zones from the file {file}: {names}; comuni without a zone: {without}. A zone is the campaign's choice, not an official division."},
    "maps.no_zones": {"it": "Con un file di zone (campaign.yaml, zones:) le mappe mostrano anche il punteggio medio e la fibra non attivata per zona.",
                      "en": "With a zones file (campaign.yaml, zones:) the maps also show the mean score and fibre not adopted by zone."},
    "maps.gap_note": {"it": "Fibra disponibile ma non attivata: quota dei rispondenti che dichiarano la fibra disponibile all'indirizzo senza averla attivata (la domanda è posta ad associazioni e imprese, non ai comuni).",
                      "en": "Fibre available but not adopted: share of respondents who report fibre available at their address without having adopted it (associations and businesses are asked, comuni are not)."},
    "maps.bad_show": {"it": "mappa '{value}' sconosciuta; ammesse: {allowed}", "en": "unknown map '{value}'; allowed: {allowed}"},
    "maps.bad_format": {"it": "formato dell'immagine dal nome del file: attesi .svg o .png", "en": "image format from the file name: .svg or .png expected"},
    "maps.needs_indicators": {"it": "--show fibra richiede --indicators FILE.csv", "en": "--show fibra needs --indicators FILE.csv"},
    "maps.needs_zones": {"it": "--show {show} richiede le zone: --zones FILE.csv o zones: in campaign.yaml",
                         "en": "--show {show} needs zones: --zones FILE.csv or zones: in campaign.yaml"},
    "maps.needs_sector": {"it": "--show punteggio richiede --sector ({allowed})", "en": "--show punteggio needs --sector ({allowed})"},
    "maps.no_option": {"it": "{option} non si applica a --show {show}", "en": "{option} does not apply to --show {show}"},
    "maps.skipped": {"it": "{campaign}: nessun file dei confini per questo territorio (boundaries: in campaign.yaml o --boundaries): mappa non disegnata",
                     "en": "{campaign}: no boundaries file for this territory (boundaries: in campaign.yaml or --boundaries): no map drawn"},
    "xlsx.sheet.maps": {"it": "Mappe", "en": "Maps"},
    "xlsx.maps_note": {"it": "Le mappe del rapporto sul territorio. In grigio tratteggiato i dati non pubblicabili, in bianco dove non ci sono dati.",
                       "en": "The maps of the territory report. Hatched grey: data that cannot be published; white: no data."},
})

MAP_NAMES = {
    "it": {"map": "mappa", "fibra": "fibra", "rispondenti": "rispondenti", "punteggio": "punteggio", "divario": "fibra-non-attivata",
           "comune": "comuni", "associazione": "associazioni", "impresa": "imprese"},
    "en": {"map": "map", "fibra": "fibre", "rispondenti": "respondents", "punteggio": "score", "divario": "fibre-not-adopted",
           "comune": "municipalities", "associazione": "associations", "impresa": "businesses"},
}


@dataclass(frozen=True)
class MapContext:
    """What a campaign's maps are drawn on: boundaries (``None``: no maps), zones, population, and whether the
    comuni that answered may be shown."""

    boundaries: Boundaries | None
    zones: Zones | None = None
    population: Mapping[str, int] | None = None
    public_bodies: bool = False
    campaign: str = ""
    synthetic: bool = False


def map_context(folder: Path, territory: Territory, zones: Path | None = None, boundaries: Path | None = None) -> MapContext:
    """The campaign's boundaries and zones (``zones``/``boundaries`` win over ``campaign.yaml``); every file checked."""
    config = load_campaign_config(folder)
    land = boundaries_for(territory, boundaries or config.boundaries_path)
    zone_file = zones or config.zones_path
    shipped = Path(territory.source).resolve() == DEFAULT_TERRITORY.resolve()
    return MapContext(land, load_zones(zone_file, territory) if zone_file else None, load_population() if shipped else None,
                      # the key is added by the disclosure work (issue 12); until then comuni are never shown
                      bool(getattr(config.config, "publish_public_bodies", False)), config.label, config.config.synthetic)


def draw(layer: MapLayer, ctx: MapContext, fmt: str, lang: str) -> bytes:
    from crassess.reports.maps import render_map

    assert ctx.boundaries is not None
    return render_map(layer, ctx.boundaries, fmt, lang, campaign=ctx.campaign, synthetic=ctx.synthetic, population=ctx.population)


# ---------------------------------------------------------------- maps of a report set


@dataclass(frozen=True)
class ReportMaps:
    """The maps of a report set: files to draw, the territory's and each sector's Markdown section, the
    workbook's images (PNG drawers)."""

    files: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)
    territory: str = ""
    sectors: Mapping[str, str] = field(default_factory=dict)
    images: tuple[Callable[[], bytes], ...] = ()


def report_maps(ta: TerritoryAnalysis, ctx: MapContext, lang: str, ext: str | None, folder: str,
                indicators: IndicatorTable | None = None, territory: Territory | None = None) -> ReportMaps:
    """Territory: (a) fibre coverage per comune (with ``indicators``), (b) respondents per comune, (c) with zones,
    the mean score per zone of each sector and fibre not adopted per zone. Sectors: (b) and (c) for the sector.
    ``ext`` ``None`` (``--charts none``): no maps."""
    if ext is None:
        return ReportMaps()
    if ctx.boundaries is None:
        note = f"## {t('maps.title', lang)}\n\n{t('maps.none', lang)}\n"
        return ReportMaps(territory=note)
    names = MAP_NAMES[lang]
    files: dict[str, Callable[[], bytes]] = {}
    images: list[Callable[[], bytes]] = []

    def add(layer: MapLayer, *parts: str, workbook: bool = False) -> list[str]:
        path = f"{folder}/" + "-".join([names["map"], *parts]) + f".{ext}"
        files[path] = lambda: draw(layer, ctx, ext, lang)
        if workbook:
            images.append(lambda: draw(layer, ctx, "png", lang))
        return image(md_text(layer.title), path)  # the title is drawn on the map and is the alt text

    head = [f"## {t('maps.title', lang)}", "", t("maps.intro", lang, n=ta.min_n), ""]
    if not ctx.public_bodies:
        head += [t("maps.private", lang), ""]
    if ctx.zones is not None:
        listed = ", ".join(md_cell(z) for z in ctx.zones.names)
        head += [t("maps.zones", lang, file=md_cell(Path(ctx.zones.source).name), names=listed,
                   without=len(ta.comuni_names) - len(ctx.zones.zone_of)), ""]
    else:
        head += [t("maps.no_zones", lang), ""]
    body: list[str] = []
    if indicators is not None and territory is not None:
        try:
            body += add(fibre_layer(indicators, territory, lang), names["fibra"], workbook=True)
        except InvalidInput:  # no fibre column: the indicators section already says so
            pass
    body += add(respondents_layer(ta, lang, public_bodies=ctx.public_bodies), names["rispondenti"], workbook=True)
    sectors: dict[str, list[str]] = {s: [] for s in SECTORS}
    for s in SECTORS:
        if ta.sectors[s].reportable and (s != "comune" or ctx.public_bodies):
            sectors[s] += add(respondents_layer(ta, lang, s, ctx.public_bodies), names["rispondenti"], names[s])
    if ctx.zones is not None:
        for s in SECTORS:
            if ta.sectors[s].reportable and ta.sectors[s].questionnaire is not None:
                part = add(score_layer(ta, ctx.zones, s, lang), names["punteggio"], names[s], workbook=True)
                body += part
                sectors[s] += part
        body += add(gap_layer(ta, ctx.zones, lang), names["divario"], workbook=True) + [t("maps.gap_note", lang), ""]
        for s in SECTORS:
            if ta.sectors[s].reportable and asks_availability(ta, s):
                sectors[s] += add(gap_layer(ta, ctx.zones, lang, s), names["divario"], names[s]) + [t("maps.gap_note", lang), ""]
    sections = {s: "\n".join(head + part) for s, part in sectors.items() if part}
    return ReportMaps(files, "\n".join(head + body), sections, tuple(images))


# ---------------------------------------------------------------- one map: crassess map


@dataclass(frozen=True)
class MapRun:
    """``path`` written, or ``None`` with the ``note`` saying why no map was drawn."""

    path: Path | None
    note: str = ""


@dataclass(frozen=True)
class MapRequest:
    show: str
    sector: str | None = None
    dimension: str | None = None
    indicators: Path | None = None
    column: str | None = None
    zones: Path | None = None
    boundaries: Path | None = None
    lang: str = "it"


def _check_request(request: MapRequest, out: Path) -> str:
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("svg", "png"):
        raise UsageError(problems=[Problem(str(out), "", t("maps.bad_format"))])
    show = request.show
    if show not in KINDS:  # the command line's choice refuses it first
        raise UsageError(problems=[Problem("--show", "", t("maps.bad_show", value=show, allowed=", ".join(KINDS)))])
    parse_sector(request.sector)
    wrong = [("--sector", request.sector is not None and show == "fibra"), ("--dimension", request.dimension is not None and show != "punteggio"),
             ("--indicators", request.indicators is not None and show != "fibra"), ("--column", request.column is not None and show != "fibra"),
             ("--zones", request.zones is not None and show not in ("punteggio", "divario"))]
    for option, bad in wrong:
        if bad:
            raise UsageError(problems=[Problem(option, "", t("maps.no_option", option=option, show=show))])
    if show == "fibra" and request.indicators is None:
        raise UsageError(problems=[Problem("--show", "", t("maps.needs_indicators"))])
    if show == "punteggio" and request.sector is None:
        raise UsageError(problems=[Problem("--show", "", t("maps.needs_sector", allowed=", ".join(SECTORS)))])
    return fmt


def run_map(campaign_dir: Path, out: Path, request: MapRequest) -> MapRun:
    """Draw one map of a campaign into ``out`` (SVG or PNG by its suffix), with the reports' disclosure rules."""
    from crassess.campaign.scored import load_campaign
    from crassess.outputs import write_output
    from crassess.reports.build import ReportOptions, analyse_campaign
    from crassess.territory.validate import territory_for

    fmt = _check_request(request, out)
    lang = request.lang
    config = load_campaign_config(campaign_dir)
    if request.show == "fibra":  # open data only: the responses are not read
        territory = territory_for(config.territory_path)
        ctx = map_context(campaign_dir, territory, boundaries=request.boundaries)
        table = load_indicators(request.indicators, territory) if ctx.boundaries is not None else None  # type: ignore[arg-type]
        layer = fibre_layer(table, territory, lang, request.column) if table is not None else None
    else:
        campaign = load_campaign(campaign_dir)
        ctx = map_context(campaign_dir, campaign.territory, request.zones, request.boundaries)
        layer = _zone_or_comune_layer(analyse_campaign(campaign, ReportOptions(lang=lang)), ctx, request) if ctx.boundaries else None
    if layer is None or ctx.boundaries is None:
        return MapRun(None, t("maps.skipped", campaign=str(campaign_dir)))
    return MapRun(write_output(out, draw(layer, ctx, fmt, lang)))


def _zone_or_comune_layer(ta: TerritoryAnalysis, ctx: MapContext, request: MapRequest) -> MapLayer:
    if request.show == "rispondenti":
        return respondents_layer(ta, request.lang, request.sector, ctx.public_bodies)
    if ctx.zones is None:
        raise UsageError(problems=[Problem("--zones", "", t("maps.needs_zones", show=request.show))])
    if request.show == "punteggio":
        assert request.sector is not None
        return score_layer(ta, ctx.zones, request.sector, request.lang, request.dimension)
    return gap_layer(ta, ctx.zones, request.lang, request.sector)
