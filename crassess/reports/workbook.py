"""The campaign workbook (openpyxl): the report figures as data, with native Excel charts.

Returns a Workbook; the caller saves it. Text from respondents can never become a formula. Numeric columns
stay numeric: a withheld figure is an empty cell, and the row's flag column ("Cifre omesse") says which
and why (``n<5``, ``riservato``), so sorting and sums still work.
The respondents sheet has one row per respondent under a pseudonymous code (no name, no contact;
for comuni not even the comune, which would name the respondent): a working document, not for publication.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from crassess.i18n import pick, register, t
from crassess.reports.disclosure import Withheld, mark_label, notes
from crassess.reports.markdown import sector_name, size_label, subsector_label
from crassess.reports.programme import HORIZONS
from crassess.reports.results import Summary, TerritoryAnalysis
from crassess.reports.tally import SECTORS, UNKNOWN, size_class
from crassess.safe_text import FORMULA_STARTS, strip_control
from crassess.sheets import header_text, print_setup

register({
    "xlsx.sheet.summary": {"it": "Sintesi", "en": "Summary"},
    "xlsx.sheet.respondents": {"it": "Rispondenti", "en": "Respondents"},
    "xlsx.sheet.dimensions": {"it": "Dimensioni", "en": "Dimensions"},
    "xlsx.sheet.questions": {"it": "Domande", "en": "Questions"},
    "xlsx.sheet.actions": {"it": "Azioni", "en": "Actions"},
    "xlsx.sheet.frequencies": {"it": "Ostacoli ed esigenze", "en": "Barriers and needs"},
    "xlsx.sheet.coverage": {"it": "Copertura", "en": "Coverage"},
    "xlsx.sheet.programme": {"it": "Programma", "en": "Programme"},
    "xlsx.service_id": {"it": "Id servizio", "en": "Service id"},
    "xlsx.service": {"it": "Servizio", "en": "Service"},
    "xlsx.title": {"it": "Stato digitale del territorio: {name}", "en": "Digital state of the territory: {name}"},
    "xlsx.private": {
        "it": "Documento di lavoro: il foglio Rispondenti contiene punteggi individuali (senza nomi né contatti); non pubblicarlo.",
        "en": "Working document: the Respondents sheet holds individual scores (no names or contacts); do not publish it.",
    },
    "xlsx.synthetic": {"it": "Dati sintetici generati a scopo dimostrativo.", "en": "Synthetic data generated for demonstration."},
    "xlsx.means": {"it": "Media per dimensione e settore", "en": "Mean by dimension and sector"},
    "xlsx.code": {"it": "Codice", "en": "Code"},
    "xlsx.questionnaire": {"it": "Questionario", "en": "Questionnaire"},
    "xlsx.ci_low": {"it": "IC 95% inf.", "en": "95% CI low"},
    "xlsx.ci_high": {"it": "IC 95% sup.", "en": "95% CI high"},
    "xlsx.question_id": {"it": "Id domanda", "en": "Question id"},
    "xlsx.scope": {"it": "Ambito", "en": "Scope"},
    "xlsx.territory": {"it": "territorio", "en": "territory"},
    "xlsx.kind": {"it": "Tipo", "en": "Kind"},
    "xlsx.value": {"it": "Valore", "en": "Value"},
    "xlsx.label": {"it": "Voce", "en": "Item"},
    "xlsx.istat": {"it": "Codice ISTAT", "en": "ISTAT code"},
    "xlsx.reach_share": {"it": "Quota raggiunta (%)", "en": "Share reached (%)"},
    "xlsx.page": {"it": "Pagina &P di &N", "en": "Page &P of &N"},
    "xlsx.flags": {"it": "Cifre omesse", "en": "Withheld figures"},
    "xlsx.sheet.differences": {"it": "Differenze", "en": "Differences"},
    "xlsx.difference": {"it": "Differenza (primo − secondo)", "en": "Difference (first − second)"},
    "xlsx.outcome": {"it": "Esito", "en": "Outcome"},
    "xlsx.conclusive": {"it": "conclusiva", "en": "conclusive"},
    "xlsx.not_conclusive": {"it": "non conclusiva", "en": "not conclusive"},
    "xlsx.sector_a": {"it": "Primo settore", "en": "First sector"},
    "xlsx.sector_b": {"it": "Secondo settore", "en": "Second sector"},
    "xlsx.sectors": {"it": "Sintesi per settore", "en": "Summary by sector"},
    "xlsx.population": {"it": "Popolazione", "en": "Population"},
    "xlsx.rate": {"it": "Tasso di risposta (%)", "en": "Response rate (%)"},
    "xlsx.fibre_adopted": {"it": "Fibra attiva (%)", "en": "Fibre adopted (%)"},
    "xlsx.fibre_not_adopted": {"it": "Fibra disponibile non attivata (%)", "en": "Fibre available, not adopted (%)"},
    "xlsx.top_need": {"it": "Esigenza più indicata", "en": "Need named most often"},
    "xlsx.top_need_share": {"it": "Quota esigenza (%)", "en": "Need share (%)"},
})

CHART_DATA_COLUMN = 30  # AD: hidden chart data of the summary sheet
WIDEST = 60  # characters: a wider column is capped and its long texts wrap
_HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write one cell; a text that looks like a formula is stored as plain text (quote prefix)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        value = strip_control(value)  # openpyxl refuses control characters
        cell.value = value
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, float):
            cell.number_format = "0.0"
    return cell


def _table(ws: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[Any]], start: int = 1, min_n: int = 0,
           lang: str | None = None) -> None:
    """Styled header, frozen panes, autofilter, widths (long texts wrap) and the printed page: A4 landscape,
    as wide as the page, the header row on every page, the campaign (the workbook's title) at the top and
    the page number at the bottom. With ``min_n``, a last column lists the row's withheld figures
    ("Media: n<5"), and each withheld cell is left empty, so numeric columns stay numeric."""
    if min_n:
        headers = [*headers, t("xlsx.flags", lang)]
        flagged = []
        for row in rows:
            marks = [f"{h}: {mark_label(v, min_n, lang)}" for h, v in zip(headers, row) if isinstance(v, Withheld)]
            flagged.append([None if isinstance(v, Withheld) else v for v in row] + ["; ".join(marks) or None])
        rows = flagged
    for c, head in enumerate(headers, 1):
        cell = put(ws, start, c, head)
        cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = []
    for c in range(1, len(headers) + 1):
        texts = [str(headers[c - 1])] + [f"{row[c - 1]:.1f}" if isinstance(row[c - 1], float) else str(row[c - 1])
                                         for row in rows if c - 1 < len(row) and row[c - 1] is not None]
        widths.append(min(WIDEST, max(8, max(len(x) for x in texts) + 2)))
        ws.column_dimensions[get_column_letter(c)].width = widths[-1]
    for r, row in enumerate(rows, start + 1):
        lines = 1
        for c, value in enumerate(row, 1):
            cell = put(ws, r, c, value)
            if isinstance(value, str) and c <= len(widths) and len(value) > widths[c - 1] - 2:
                cell.alignment = _WRAP
                lines = max(lines, math.ceil(len(value) / (widths[c - 1] - 2)))
        if lines > 1:  # spreadsheets do not grow a row for wrapped text by themselves
            ws.row_dimensions[r].height = 15 * lines
    ws.freeze_panes = ws.cell(row=start + 1, column=1)
    last = get_column_letter(max(1, len(headers)))
    ws.auto_filter.ref = f"A{start}:{last}{start + max(1, len(rows))}"
    props = ws.parent.properties
    print_setup(ws, title_rows=f"{start}:{start}", header=header_text(props.title or ""),
                footer=t("xlsx.page", props.language or None))


def _stats(s: Summary) -> list[Any]:
    """n, mean, median, SD, CI low and high, P10, P90: numbers, ``None`` where there is none, the mark
    where withheld."""
    if s.withheld is not None:
        return [s.n] + [s.withheld] * 7
    ci = s.ci or (None, None)
    return [s.n, s.mean, s.median, s.sd, ci[0], ci[1], s.p10, s.p90]


def build_workbook(ta: TerritoryAnalysis, lang: str) -> Workbook:
    """Summary (with native bar and radar charts), respondents, dimensions, questions, actions,
    barriers and needs, coverage, the Digital Center programme."""
    wb = Workbook()
    wb.properties.title, wb.properties.language = ta.name, lang  # the printed header of every sheet
    min_n = ta.min_n
    ws = wb.active
    ws.title = t("xlsx.sheet.summary", lang)
    _summary(ws, ta, lang)
    _respondents(wb.create_sheet(t("xlsx.sheet.respondents", lang)), ta, lang)

    heads = [t("report.c.sector", lang), t("report.c.dimension", lang), "n", t("report.c.mean", lang),
             t("report.c.median", lang), t("report.c.sd", lang), t("xlsx.ci_low", lang), t("xlsx.ci_high", lang),
             t("report.c.p10", lang), t("report.c.p90", lang), t("report.c.target", lang)]
    rows = []
    for s in SECTORS:
        sa, qn = ta.sectors[s], ta.sectors[s].questionnaire
        if qn is None or not sa.reportable:
            continue
        items = [(pick(qn.dimensions_by_id[d].label, lang), summary, sa.targets[d]) for d, summary in sa.dimensions.items()]
        items.append((t("report.c.overall", lang), sa.overall, sa.targets[""]))
        for label, m, target in items:
            rows.append([sector_name(s, lang), label, *_stats(m), float(target)])
    _table(wb.create_sheet(t("xlsx.sheet.dimensions", lang)), heads, rows, min_n=min_n, lang=lang)

    heads = [t("report.c.sector", lang), t("xlsx.question_id", lang), t("report.c.question", lang),
             t("report.c.dimension", lang), "n", t("report.c.mean", lang), t("special.dk", lang) + " (%)",
             t("special.na", lang) + " (%)"]
    rows = []
    for s in SECTORS:
        sa, qn = ta.sectors[s], ta.sectors[s].questionnaire
        if qn is None or not sa.reportable:
            continue
        for q in sa.questions:
            rows.append([sector_name(s, lang), q.question_id, pick(qn.question(q.question_id).label, lang),
                         pick(qn.dimensions_by_id[q.dimension].label, lang), q.n, q.mean, q.dk_share, q.na_share])
    _table(wb.create_sheet(t("xlsx.sheet.questions", lang)), heads, rows, min_n=min_n, lang=lang)

    heads = [t("xlsx.scope", lang), "#", t("report.c.sector", lang), t("xlsx.question_id", lang),
             t("report.c.action", lang), t("report.c.dimension", lang), t("report.c.reached", lang),
             t("xlsx.reach_share", lang), t("report.c.reached_mean", lang), t("report.c.mean_gap", lang),
             t("report.c.priority", lang), t("report.c.horizon", lang)]
    rows = []
    scopes = [(t("xlsx.territory", lang), ta.actions)] + [(sector_name(s, lang), ta.sectors[s].actions) for s in SECTORS]
    for scope, acts in scopes:
        for i, a in enumerate(acts, 1):
            qn = ta.sectors[a.sector].questionnaire
            assert qn is not None
            rows.append([scope, i, sector_name(a.sector, lang), a.question_id, pick(qn.question(a.question_id).action, lang),
                         pick(qn.dimensions_by_id[a.dimension].label, lang), a.reach, a.reach_share,
                         a.mean_item_score, a.mean_gap, float(a.priority), t(f"report.h.{a.horizon}", lang)])
    _table(wb.create_sheet(t("xlsx.sheet.actions", lang)), heads, rows, min_n=min_n, lang=lang)

    heads = [t("report.c.sector", lang), t("xlsx.kind", lang), t("xlsx.value", lang), t("xlsx.label", lang),
             t("report.c.respondents", lang), t("report.c.share", lang) + " (%)"]
    rows = []
    for s in SECTORS:
        sa, qn = ta.sectors[s], ta.sectors[s].questionnaire
        for kind, freq in (("report.c.barrier", sa.barriers), ("report.c.need", sa.needs)):
            if freq is None or not freq.published:
                continue
            for row in freq.rows:
                label = row.value
                if qn and freq.question_id in qn.questions_by_id:
                    label = next((pick(c.label, lang) for c in qn.choices_of(qn.question(freq.question_id)) if c.value == row.value), row.value)
                rows.append([sector_name(s, lang), t(kind, lang), row.value, label, row.count, row.share])
    _table(wb.create_sheet(t("xlsx.sheet.frequencies", lang)), heads, rows, min_n=min_n, lang=lang)

    # as in the Markdown: associations and businesses per comune, never the comuni themselves
    shown = [s for s in SECTORS if s != "comune"]
    heads = [t("xlsx.istat", lang), t("report.r.comune", lang)] + [sector_name(s, lang) for s in shown] + [t("report.c.total", lang)]
    rows = []
    for code, cells in ta.coverage.items():
        rows.append([code if code != UNKNOWN else "", ta.comuni_names.get(code, t("report.t.unknown_comune", lang))]
                    + [cells[s] for s in shown] + [ta.coverage_totals[code]])
    if ta.coverage_published:
        for code in ta.comuni_without:
            rows.append([code, ta.comuni_names[code]] + [0] * len(shown) + [0])
    _table(wb.create_sheet(t("xlsx.sheet.coverage", lang)), heads, rows, min_n=min_n, lang=lang)

    labels = dict(ta.dimensions)
    heads = [t("report.c.dimension", lang), t("xlsx.sector_a", lang), t("xlsx.sector_b", lang), t("xlsx.difference", lang),
             t("xlsx.ci_low", lang), t("xlsx.ci_high", lang), t("xlsx.outcome", lang)]
    rows = [[pick(labels[d.dimension], lang), sector_name(d.a, lang), sector_name(d.b, lang), d.difference, d.low, d.high,
             t("xlsx.conclusive" if d.conclusive else "xlsx.not_conclusive", lang)] for d in ta.differences]
    _table(wb.create_sheet(t("xlsx.sheet.differences", lang)), heads, rows)
    _programme(wb, ta, lang)
    return wb


def _programme(wb: Workbook, ta: TerritoryAnalysis, lang: str) -> None:
    """The services by organisations in need: per sector (count and share), the territory, and the first
    step per horizon (as in the territory report's programme)."""
    pr = ta.programme
    if pr is None or not pr.published:
        return
    sectors = [s for s in pr.sectors if pr.sector_published.get(s)]
    heads = [t("xlsx.service_id", lang), t("xlsx.service", lang)]
    for s in sectors:
        heads += [sector_name(s, lang), f"{sector_name(s, lang)} (%)"]
    heads += [t("report.c.total", lang)] + [t(f"report.h.{h}", lang) for h in HORIZONS]
    rows = []
    for svc in pr.ranked():
        row: list[Any] = [svc.service, pick(svc.label, lang)]
        for s in sectors:
            row += [svc.cells[s], svc.shares[s]]
        steps = pr.first_steps(svc)
        rows.append(row + [svc.total] + [pick(steps[h].action, lang) if h in steps else None for h in HORIZONS])
    _table(wb.create_sheet(t("xlsx.sheet.programme", lang)), heads, rows, min_n=ta.min_n, lang=lang)


def _summary(ws: Worksheet, ta: TerritoryAnalysis, lang: str) -> None:
    put(ws, 1, 1, t("xlsx.title", lang, name=ta.name)).font = Font(bold=True, size=14)
    lines = [t("xlsx.private", lang), notes(ta.min_n, lang).replace("`", "")]
    if ta.synthetic:
        lines.insert(0, t("xlsx.synthetic", lang))
    if ta.date:
        lines.append(f"{t('report.date', lang)}: {ta.date}")
    for i, note in enumerate(lines, 2):
        put(ws, i, 1, note)
    start = len(lines) + 3
    put(ws, start - 1, 1, t("xlsx.sectors", lang)).font = Font(bold=True)
    heads, rows = _sector_rows(ta, lang)
    _table(ws, heads, rows, start, min_n=ta.min_n, lang=lang)
    start += len(rows) + 3
    put(ws, start - 1, 1, t("xlsx.means", lang)).font = Font(bold=True)
    heads = [t("report.c.dimension", lang)] + [sector_name(s, lang) for s in SECTORS]
    rows = []
    for dim_id, label in ta.dimensions:
        row: list[Any] = [pick(label, lang)]
        for s in SECTORS:
            sa = ta.sectors[s]
            m = sa.dimensions.get(dim_id)
            row.append(None if m is None or m.n == 0 else m.withheld or m.mean)
        rows.append(row)
    _table(ws, heads, rows, start, min_n=ta.min_n, lang=lang)
    ws.column_dimensions["A"].width = 40
    if not rows:
        return
    # the charts read a hidden copy with withheld values left empty: a text "n<5" would plot as 0
    first = CHART_DATA_COLUMN
    for r, row in enumerate([heads] + rows, start):
        for c, value in enumerate(row):
            put(ws, r, first + c, value if r == start or c == 0 or isinstance(value, float) else None)
    # the flag column of the table is the last one: the charts read only the sectors
    for c in range(first, first + len(heads)):
        ws.column_dimensions[get_column_letter(c)].hidden = True
    data = Reference(ws, min_col=first + 1, max_col=first + len(SECTORS), min_row=start, max_row=start + len(rows))
    labels = Reference(ws, min_col=first, min_row=start + 1, max_row=start + len(rows))
    for n, chart in enumerate((BarChart(), RadarChart())):
        chart.type = "bar" if isinstance(chart, BarChart) else "marker"
        chart.visible_cells_only = False
        chart.title = t("xlsx.means", lang)
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(labels)
        chart.height, chart.width = 12, 18
        ws.add_chart(chart, f"F{start + 26 * n}")


def _sector_rows(ta: TerritoryAnalysis, lang: str) -> tuple[list[str], list[list[Any]]]:
    """Per sector: respondents, population and rate, the overall mean with its interval, fibre and the top need."""
    from crassess.reports.markdown import choice_label
    from crassess.reports.summary import top_row

    heads = [t("report.c.sector", lang), "n", t("xlsx.population", lang), t("xlsx.rate", lang), t("report.c.overall", lang),
             t("xlsx.ci_low", lang), t("xlsx.ci_high", lang), t("xlsx.fibre_adopted", lang), t("xlsx.fibre_not_adopted", lang),
             t("xlsx.top_need", lang), t("xlsx.top_need_share", lang)]
    rows: list[list[Any]] = []
    for s in SECTORS:
        sa = ta.sectors[s]
        population = ta.population.get(s)
        o = sa.overall
        mean = o.withheld if o.withheld is not None else o.mean
        ci = o.ci or (None, None)
        f = sa.fibre if sa.fibre is not None and sa.fibre.published else None
        need = top_row(sa.needs)
        rows.append([sector_name(s, lang), sa.n, population, 100.0 * sa.n / population if population else None,
                     mean if sa.reportable else None, ci[0], ci[1],
                     f.shares.get("adopted") if f else None, f.shares.get("not_adopted") if f and f.asked[2] else None,
                     choice_label(sa.questionnaire, sa.needs.question_id, need.value, lang) if need and sa.needs else None,
                     need.share if need else None])
    return heads, rows


def _respondents(ws: Worksheet, ta: TerritoryAnalysis, lang: str) -> None:
    dims = [d for d, _ in ta.dimensions]
    heads = [t("xlsx.code", lang), t("report.c.sector", lang), t("xlsx.questionnaire", lang), t("xlsx.istat", lang),
             t("report.r.comune", lang), t("report.r.size", lang), t("report.c.class", lang), t("report.r.subsector", lang),
             t("report.c.overall", lang), t("report.c.level", lang)] + [pick(label, lang) for _, label in ta.dimensions]
    rows = []
    for r in ta.respondents:
        s = r.scored
        who = s.response.respondent
        level = next((pick(lv.label, lang) for lv in s.questionnaire.levels if lv.id == s.result.level), "")
        # a comune is identified by its code, name and population: only the size class is kept
        named = r.sector != "comune" or ta.public_bodies
        row: list[Any] = [r.code, sector_name(r.sector, lang), f"{s.questionnaire.id} {s.questionnaire.version}",
                          (r.comune or "") if named else "",
                          ta.comuni_names.get(r.comune or "", who.comune or "") if named else "",
                          who.size if named else None, size_label(size_class(r.sector, who.size), lang) if named else "",
                          subsector_label(r.sector, who.subsector, lang) if who.subsector else "", s.result.overall, level]
        for d in dims:
            dim = s.result.dimensions.get(d)
            row.append(dim.score if dim else None)
        rows.append(row)
    rows.sort(key=lambda row: (SECTORS.index(next(k for k in SECTORS if sector_name(k, lang) == row[1])), row[0]))
    _table(ws, heads, rows)


def add_table_sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One more styled sheet (used for joined data such as territorial indicators)."""
    _table(wb.create_sheet(title), headers, rows)


def add_images_sheet(wb: Workbook, title: str, note: str, images: Sequence[bytes]) -> None:
    """One more sheet with a note and PNG images one below the other (e.g. the maps), printed landscape and
    fitted to the page width."""
    import io

    from openpyxl.drawing.image import Image

    ws = wb.create_sheet(title)
    put(ws, 1, 1, note)
    row = 3
    for png in images:
        picture = Image(io.BytesIO(png))
        ws.add_image(picture, f"A{row}")
        row += 1 + math.ceil(picture.height / 20)  # default row height: 20 px
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
