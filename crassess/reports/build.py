"""Building the whole report set of a campaign (Markdown, charts, workbook) and writing it atomically."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crassess.campaign.scored import Campaign, load_campaign
from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import pick, register, t
from crassess.reports.analysis import analyse, slug
from crassess.reports.disclosure import Withheld, mark_label
from crassess.reports.results import (
    Counts,
    RespondentAnalysis,
    SectorAnalysis,
    Summary,
    TerritoryAnalysis,
)
from crassess.reports.tally import SECTORS
from crassess.sources import atomic_write_bytes

if TYPE_CHECKING:
    from crassess.questionnaire.models import LevelGuide, ServiceCatalogue
    from crassess.reports.fibre import IndicatorJoin
    from crassess.reports.mapset import MapContext

register({
    "report.bad_format": {"it": "formato '{value}' sconosciuto; ammessi: {allowed}", "en": "unknown format '{value}'; allowed: {allowed}"},
    "xlsx.sheet.indicators": {"it": "Indicatori", "en": "Indicators"},
    "report.cannot_write": {"it": "impossibile scrivere il file: {error}", "en": "cannot write the file: {error}"},
})

FORMATS = ("md", "xlsx")

FILE_NAMES: dict[str, dict[str, str]] = {
    "it": {"territory": "territorio.md", "comune": "settore-comuni.md", "associazione": "settore-associazioni.md",
           "impresa": "settore-imprese.md", "respondents": "rispondenti", "charts": "grafici", "workbook": "dati.xlsx",
           "levels": "livelli", "dimensions": "dimensioni", "compare": "territorio-settori", "radar": "radar"},
    "en": {"territory": "territory.md", "comune": "sector-municipalities.md", "associazione": "sector-associations.md",
           "impresa": "sector-businesses.md", "respondents": "respondents", "charts": "charts", "workbook": "data.xlsx",
           "levels": "levels", "dimensions": "dimensions", "compare": "territory-sectors", "radar": "radar"},
}


@dataclass(frozen=True)
class ReportOptions:
    lang: str = "it"
    formats: tuple[str, ...] = FORMATS
    min_n: int | None = None  # None: the campaign's (campaign.yaml min_n, default 5)
    date: str | None = None
    charts: str = "svg"
    draw_charts: bool = True  # False: the Markdown still links the charts, the images are not drawn
    html: bool = False  # --html: each Markdown report also as a self-contained .html page
    indicators: Path | None = None  # --indicators FILE.csv: open data per comune joined to the territory report


@dataclass(frozen=True)
class ReportRun:
    out: Path
    files: tuple[Path, ...]
    campaign: Campaign
    analysis: TerritoryAnalysis
    problems: tuple[Problem, ...] = field(default=())


def parse_formats(text: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.strip().lower() for v in text.split(",") if v.strip()))
    for v in values:
        if v not in FORMATS:
            raise UsageError(t("report.bad_format", value=v, allowed=", ".join(FORMATS)))
    return values or FORMATS


def analyse_campaign(campaign: Campaign, options: ReportOptions) -> TerritoryAnalysis:
    """``options.min_n`` (``--min-n``) wins over the campaign's ``min_n``."""
    return analyse(list(campaign.responses), campaign.territory, name=campaign.name,
                   min_n=options.min_n or campaign.min_n, synthetic=campaign.synthetic,
                   drafts=campaign.drafts_by_sector(), excluded=len({p.file for p in campaign.problems}), date=options.date,
                   population=campaign.population, public_bodies=campaign.publish_public_bodies,
                   indicators=options.indicators is not None)


def join_indicators(campaign: Campaign, path: Path) -> IndicatorJoin:
    """Read ``--indicators`` (every error with its line) and find its fibre-coverage column, if any."""
    from crassess.reports.fibre import IndicatorJoin
    from crassess.territory.indicators import (
        check_percent,
        fibre_column,
        load_indicators,
    )

    table = load_indicators(path, campaign.territory)
    try:
        column = fibre_column(table)
    except InvalidInput:
        return IndicatorJoin(table, campaign.territory, None)
    check_percent(table, column)
    return IndicatorJoin(table, campaign.territory, column)


def build_reports(ta: TerritoryAnalysis, options: ReportOptions, join: IndicatorJoin | None = None,
                  maps: MapContext | None = None) -> dict[str, bytes]:
    """Every output file as ``{relative path: content}`` (nothing written)."""
    from crassess.reports.mapset import ReportMaps, report_maps
    from crassess.reports.respondent import respondent_report
    from crassess.reports.sector import sector_report
    from crassess.reports.territory import territory_report

    lang = options.lang
    names = FILE_NAMES[lang]
    ext = None if options.charts == "none" else options.charts
    files: dict[str, bytes] = {}
    pending: dict[str, Callable[[], bytes]] = {}

    def chart(path: str, draw: Callable[[], bytes]) -> str | None:
        if ext is None:
            return None
        pending[path] = draw
        return path

    plan = ReportMaps() if maps is None else report_maps(ta, maps, lang, ext, names["charts"], join.table if join else None,
                                                         join.territory if join else None)
    markdown: dict[str, str] = {}
    if "md" in options.formats or options.html:
        for path, draw in plan.files.items():
            chart(path, draw)
        sector_files = {s: names[s] for s in SECTORS}
        for s in SECTORS:
            sa = ta.sectors[s]
            stem = names[s].removesuffix(".md")
            links: dict[str, str] = {}
            if sa.reportable and sa.questionnaire is not None and ext:
                links = _sector_charts(sa, stem, names, ext, lang, chart)
            text = sector_report(sa, ta, lang=lang, charts=links)
            markdown[names[s]] = text + ("\n" + plan.sectors[s] if s in plan.sectors else "")
        links = {}
        if ext and any(ta.sectors[s].reportable for s in SECTORS):
            links["compare"] = chart(f"{names['charts']}/{names['compare']}.{ext}", lambda: _compare_chart(ta, lang, ext)) or ""
        extra = [plan.territory] if plan.territory else []
        from crassess.reports.programme_md import programme_sentences, twin_sentences

        markdown[names["territory"]] = territory_report(ta, lang=lang, charts=links, sector_files=sector_files,
                                                        extra_sections=extra, join=join,
                                                        summary_extra=[*programme_sentences(ta, lang), *(f"**{t('report.tw.title', lang)}.** {x}" for x in twin_sentences(ta, lang))])
        guide, services = _reading_aids() if ta.respondents else (None, None)
        for r in ta.respondents:
            radar_rel = None
            if ext and len(r.scored.result.dimensions) >= 3:
                radar_rel = f"{r.key}-{names['radar']}.{ext}"
                chart(f"{names['respondents']}/{radar_rel}", lambda r=r: _radar(r, ta, lang, ext))
            markdown[f"{names['respondents']}/{r.key}.md"] = respondent_report(
                r, ta.name, ta.comuni_names, lang=lang, min_n=ta.min_n, synthetic=ta.synthetic, date=ta.date,
                radar=radar_rel, guide=guide, services=services)
        if options.draw_charts and pending:
            from crassess.reports.charts import close_all

            try:
                for path, draw in pending.items():
                    files[path] = draw()
            finally:
                close_all()
    if "md" in options.formats:
        files.update({rel: text.encode() for rel, text in markdown.items()})
    if options.html:
        from crassess.reports.html import markdown_to_html

        for rel, text in markdown.items():
            folder = posixpath.dirname(rel)
            page = markdown_to_html(text, lambda src, folder=folder: files.get(posixpath.normpath(posixpath.join(folder, src))), lang)
            files[rel.removesuffix(".md") + ".html"] = page.encode()
    if "xlsx" in options.formats:
        from crassess.reports.workbook import build_workbook
        from crassess.sheets import workbook_bytes

        wb = build_workbook(ta, lang)
        if join is not None:
            from crassess.reports.fibre import indicators_rows
            from crassess.reports.workbook import add_table_sheet

            add_table_sheet(wb, t("xlsx.sheet.indicators", lang), *indicators_rows(join, ta, lang))
        if plan.images and options.draw_charts:
            from crassess.reports.workbook import add_images_sheet

            add_images_sheet(wb, t("xlsx.sheet.maps", lang), t("xlsx.maps_note", lang),
                             [draw() for draw in plan.images])
        files[names["workbook"]] = workbook_bytes(wb)
    return files


def _reading_aids() -> tuple[LevelGuide, ServiceCatalogue]:
    """The level guide and the shipped service catalogue (for questionnaires without their own)."""
    from crassess.questionnaire.load import load_level_guide, load_services

    return load_level_guide(), load_services()


def _chart_value(value: float | int | Withheld | None, min_n: int, lang: str) -> float | str | None:
    """A bar's value, or the mark of a withheld one (drawn as text, never as a bar of 0)."""
    if isinstance(value, Withheld):
        return mark_label(value, min_n, lang)
    return None if value is None else float(value)


def _mean(s: Summary, min_n: int, lang: str) -> float | str | None:
    return _chart_value(s.withheld if s.withheld is not None else s.mean, min_n, lang)


def _sector_charts(sa: SectorAnalysis, stem: str, names: Mapping[str, str], ext: str, lang: str,
                   chart: Callable[[str, Callable[[], bytes]], str | None]) -> dict[str, str]:
    from crassess.reports import charts
    from crassess.reports.markdown import label_of

    qn = sa.questionnaire
    assert qn is not None
    links: dict[str, str] = {}
    levels: Counts | None = sa.levels
    if levels is not None and levels.published:
        keys = list(levels.cells)
        path = chart(f"{names['charts']}/{stem}-{names['levels']}.{ext}", lambda: charts.bar_chart(
            [label_of(qn, "level", k, lang) for k in keys], [_chart_value(levels.cells[k], sa.min_n, lang) for k in keys],
            t("report.s.chart_levels", lang), ext, limit=None, decimals=0, lang=lang))
        links["levels"] = path or ""
    dims = list(sa.dimensions)
    path = chart(f"{names['charts']}/{stem}-{names['dimensions']}.{ext}", lambda: charts.bar_chart(
        [pick(qn.dimensions_by_id[d].label, lang) for d in dims], [_mean(sa.dimensions[d], sa.min_n, lang) for d in dims],
        t("report.s.chart_dimensions", lang), ext, lang=lang,
        targets=[qn.target_of(qn.dimensions_by_id[d]) for d in dims], target_label=t("report.c.target", lang)))
    links["dimensions"] = path or ""
    return links


def _compare_chart(ta: TerritoryAnalysis, lang: str, ext: str) -> bytes:
    from crassess.reports import charts
    from crassess.reports.markdown import sector_name

    series: dict[str, list[float | str | None]] = {}
    targets: dict[str, list[float | None]] = {}
    for s in SECTORS:
        sa, qn = ta.sectors[s], ta.sectors[s].questionnaire
        if sa.reportable and qn is not None:
            name = sector_name(s, lang)
            # a dimension the sector's questionnaire lacks shows nothing; a withheld one shows its mark
            series[name] = [_mean(sa.dimensions[d], ta.min_n, lang) if d in sa.dimensions else None
                            for d, _ in ta.dimensions]
            targets[name] = [qn.target_of(qn.dimensions_by_id[d]) if d in qn.dimensions_by_id else None for d, _ in ta.dimensions]
    return charts.grouped_bars([pick(label, lang) for _, label in ta.dimensions], series, t("report.t.chart_compare", lang), ext,
                               lang=lang, targets=targets, target_label=t("report.c.target", lang))


def _radar(r: RespondentAnalysis, ta: TerritoryAnalysis, lang: str, ext: str) -> bytes:
    from crassess.reports import charts

    qn, result = r.scored.questionnaire, r.scored.result
    dims = list(result.dimensions)
    series = {t("report.c.score", lang): [result.dimensions[d].score for d in dims]}
    if r.comparison.kind != "none":  # a withheld mean is not drawn
        means = [r.comparison.means.get(d) for d in dims]
        series[t("report.c.group", lang)] = [m if isinstance(m, float) else None for m in means]
    return charts.radar([pick(qn.dimensions_by_id[d].label, lang) for d in dims], series, t("report.r.radar", lang), ext,
                        target=[result.dimensions[d].target for d in dims], target_label=t("report.c.target", lang), lang=lang)


def write_reports(files: Mapping[str, bytes], out: Path) -> tuple[Path, ...]:
    """Write every file atomically; a file that cannot be written is named with the reason."""
    written = []
    for rel, data in sorted(files.items()):
        path = out / rel
        try:
            atomic_write_bytes(path, data)
        except OSError as exc:
            raise InvalidInput(problems=[Problem(str(path), "", t("report.cannot_write", error=exc.strerror or exc))]) from None
        written.append(path)
    return tuple(written)


def default_out(campaign_name: str) -> Path:
    return Path("reports") / slug(campaign_name, fallback="campagna")


def run_report(campaign_dir: Path, out: Path | None = None, options: ReportOptions = ReportOptions()) -> ReportRun:
    """Load and score a campaign, analyse it and write every report under ``out``."""
    campaign = load_campaign(campaign_dir)
    join = join_indicators(campaign, options.indicators) if options.indicators else None
    ta = analyse_campaign(campaign, options)
    from crassess.reports.mapset import map_context

    maps = map_context(campaign.folder, campaign.territory)
    target = out or default_out(campaign.name)
    files = write_reports(build_reports(ta, options, join, maps), target)
    return ReportRun(target, files, campaign, ta, campaign.problems)
