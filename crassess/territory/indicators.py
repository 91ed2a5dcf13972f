"""Open territorial data per comune (CSV: ISTAT code, then numeric columns), and fibre availability vs adoption."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.numbers import Mark, NumberError, decimal_mark, parse_number
from crassess.sources import read_text
from crassess.territory.comuni import Comune, Territory, load_territory, normalise

register({
    "ind.empty": {"it": "file vuoto: attesa una riga di intestazione (codice ISTAT, poi colonne numeriche)",
                  "en": "empty file: expected a header line (ISTAT code, then numeric columns)"},
    "ind.no_header": {"it": "manca la riga di intestazione: la prima riga deve dare i nomi delle colonne (es. istat;ftth;popolazione)",
                      "en": "the header line is missing: the first line must name the columns (e.g. istat;ftth;population)"},
    "ind.no_columns": {"it": "attesa almeno una colonna numerica dopo il codice ISTAT", "en": "expected at least one numeric column after the ISTAT code"},
    "ind.empty_header": {"it": "la colonna {n} non ha nome", "en": "column {n} has no name"},
    "ind.duplicate_header": {"it": "colonna '{name}' ripetuta", "en": "column '{name}' repeated"},
    "ind.cells": {"it": "attese {expected} celle, trovate {found}", "en": "expected {expected} cells, found {found}"},
    "ind.unknown_code": {"it": "codice ISTAT '{code}' non è un comune del territorio ({territory})",
                         "en": "ISTAT code '{code}' is not a comune of the territory ({territory})"},
    "ind.name_not_code": {"it": "atteso il codice ISTAT, trovato il nome '{value}': usare {code}",
                          "en": "expected the ISTAT code, found the name '{value}': use {code}"},
    "ind.bad_code": {"it": "'{value}' non è un codice ISTAT (6 cifre)", "en": "'{value}' is not an ISTAT code (6 digits)"},
    "ind.duplicate_code": {"it": "codice ISTAT {code} ripetuto (già a riga {first})", "en": "ISTAT code {code} repeated (already on line {first})"},
    "ind.too_many": {"it": "troppe righe: al massimo {limit} comuni", "en": "too many lines: at most {limit} comuni"},
    "ind.number": {"it": "colonna '{column}': {message}", "en": "column '{column}': {message}"},
    "ind.not_number": {"it": "colonna '{column}': '{value}' non è un numero", "en": "column '{column}': '{value}' is not a number"},
    "ind.unknown_column": {"it": "colonna '{column}' assente; colonne: {known}", "en": "no column '{column}'; columns: {known}"},
    "ind.no_fibre_column": {"it": "nessuna colonna sulla fibra (nome con ftth, fibra, fibre o gbit); indicarla; colonne: {known}",
                            "en": "no fibre column (name with ftth, fibra, fibre or gbit); name it; columns: {known}"},
    "ind.valid": {"it": "{file}: valido: {rows} comuni, colonne: {columns}", "en": "{file}: valid: {rows} comuni, columns: {columns}"},
    "ind.missing": {"it": "comuni del territorio senza riga ({n}): {names}", "en": "comuni of the territory without a row ({n}): {names}"},
    "ind.percent_range": {"it": "colonna '{column}', comune {code}: {value} non è una percentuale (0-100)",
                          "en": "column '{column}', comune {code}: {value} is not a percentage (0-100)"},
})

MAX_ROWS = 10_000  # Italy has about 7,900 comuni
MISSING_MARKS = frozenset({"", "-", "–", "n.d.", "nd", "n/d", "n.a.", "n/a", "na"})
FIBRE_HINTS = ("ftth", "fibra", "fibre", "fiber", "gbit", "vhcn")


@dataclass(frozen=True)
class IndicatorTable:
    """Numeric indicators by ISTAT code (``None`` where a cell was empty)."""

    source: str
    columns: tuple[str, ...]
    rows: Mapping[str, tuple[float | None, ...]]

    def column(self, name: str) -> dict[str, float | None]:
        """The values of one column by ISTAT code (:class:`InvalidInput` if there is no such column)."""
        if name not in self.columns:
            raise InvalidInput(problems=[Problem(self.source, "", t("ind.unknown_column", column=name, known=", ".join(self.columns)))])
        i = self.columns.index(name)
        return {code: values[i] for code, values in self.rows.items()}

    def value(self, code: str, name: str) -> float | None:
        values = self.rows.get(code)
        return None if values is None else values[self.columns.index(name)]


def indicator_value(text: str, decimal: Mark | None = None) -> float | None:
    """One cell: ``None`` when empty or a missing mark ("n.d."), else the number read by
    :func:`crassess.numbers.parse_number` (a trailing % accepted; ``decimal``: the file's decimal mark).

    Raises :class:`crassess.numbers.NumberError` when it is not a number.
    """
    if text.strip().lower() in MISSING_MARKS:
        return None
    return float(parse_number(text, percent=True, decimal=decimal))


def sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def load_indicators(path: Path, territory: Territory | None = None) -> IndicatorTable:
    """Read and validate an indicators CSV; every problem is reported at once, each with its line.

    The delimiter is ``,``, ``;`` or tab (from the header); decimal comma is accepted; empty cells are missing.
    """
    path = Path(path)
    land = territory or load_territory()
    text = read_text(path)
    file = str(path)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InvalidInput(problems=[Problem(file, t("place.line", line=1), t("ind.empty"))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[first]))
    records: list[tuple[int, list[str]]] = []
    line_no = 1
    for cells in reader:
        start, line_no = line_no, reader.line_num + 1
        if any(c.strip() for c in cells):
            records.append((start, cells))
        if len(records) > MAX_ROWS:
            raise InvalidInput(problems=[Problem(file, t("place.line", line=start), t("ind.too_many", limit=MAX_ROWS))])
    if not records:
        raise InvalidInput(problems=[Problem(file, t("place.line", line=1), t("ind.empty"))])
    header = [c.strip() for c in records[0][1]]
    place = t("place.line", line=records[0][0])
    problems: list[Problem] = _check_header(header, file, place)
    # the file's decimal mark, from the cells that show it ("78,4"), settles "71.876" (71876, not 71.876)
    decimal = decimal_mark(cell for _, cells in records[1:] for cell in cells[1:])
    rows: dict[str, tuple[float | None, ...]] = {}
    first_line: dict[str, int] = {}
    for start, cells in records[1:]:
        problems += _read_row(cells, header, land, file, t("place.line", line=start), start, rows, first_line, decimal)
    if problems:
        raise InvalidInput(problems=problems)
    assert header is not None
    ordered = {code: rows[code] for code in sorted(rows)}
    return IndicatorTable(file, tuple(header[1:]), MappingProxyType(ordered))


@dataclass(frozen=True)
class IndicatorCheck:
    table: IndicatorTable
    territory: Territory

    @property
    def missing(self) -> tuple[Comune, ...]:
        """The comuni of the territory without a row (their indicators are unknown, not zero)."""
        return tuple(c for c in self.territory.comuni if c.istat not in self.table.rows)


def check_indicators(path: Path, territory: Territory | None = None) -> IndicatorCheck:
    """Load an indicators file (every problem raised at once) and tell which comuni it leaves out."""
    land = territory or load_territory()
    return IndicatorCheck(load_indicators(path, land), land)


def _check_header(header: list[str], file: str, place: str) -> list[Problem]:
    if _plain_code(header[0]) is not None:
        return [Problem(file, place, t("ind.no_header"))]
    problems = []
    if len(header) < 2:
        problems.append(Problem(file, place, t("ind.no_columns")))
    seen: set[str] = set()
    for n, name in enumerate(header[1:], start=2):
        if not name:
            problems.append(Problem(file, place, t("ind.empty_header", n=n)))
        elif name in seen:
            problems.append(Problem(file, place, t("ind.duplicate_header", name=name)))
        seen.add(name)
    return problems


def _read_row(
    cells: list[str],
    header: list[str],
    land: Territory,
    file: str,
    place: str,
    line: int,
    rows: dict[str, tuple[float | None, ...]],
    first_line: dict[str, int],
    decimal: Mark | None = None,
) -> list[Problem]:
    problems: list[Problem] = []
    if len(cells) != len(header):
        return [Problem(file, place, t("ind.cells", expected=len(header), found=len(cells)))]
    raw_code = cells[0].strip()
    code = istat_cell(raw_code, land, file, place, problems)
    values: list[float | None] = []
    for name, cell in zip(header[1:], cells[1:], strict=True):
        try:
            values.append(indicator_value(cell, decimal))
        except NumberError as exc:
            message = t("ind.not_number", column=name, value=cell.strip())
            problems.append(Problem(file, place, message if exc.reason == "not_number" else t("ind.number", column=name, message=exc.message)))
    if code is not None:
        if code in first_line:
            problems.append(Problem(file, place, t("ind.duplicate_code", code=code, first=first_line[code])))
        else:
            first_line[code] = line
            rows[code] = tuple(values)
    return problems


def _plain_code(value: str) -> str | None:
    """Digits of an ISTAT code, also as a spreadsheet wrote it ("19036", "19036.0")."""
    value = value.strip()
    if value.endswith(".0"):
        value = value[:-2]
    return value.zfill(6) if value.isdigit() and len(value) <= 6 else None


def istat_cell(value: str, land: Territory, file: str, place: str, problems: list[Problem]) -> str | None:
    """The ISTAT code of a CSV cell (leading zeros optional) if it is a comune of ``land``; else a located problem
    (a name gets "use the code" with the code)."""
    code = _plain_code(value)
    if code is not None:
        if code in land.by_code():
            return code
        problems.append(Problem(file, place, t("ind.unknown_code", code=code, territory=_territory_name(land))))
        return None
    found = land.find(value) if value else None
    if found is not None:
        problems.append(Problem(file, place, t("ind.name_not_code", value=value, code=found.istat)))
    else:
        problems.append(Problem(file, place, t("ind.bad_code", value=value)))
    return None


def _territory_name(land: Territory) -> str:
    return Path(land.source).name


# ------------------------------------------------------------------ fibre: available vs adopted


@dataclass(frozen=True)
class FibreRow:
    """One comune: fibre coverage (open data) beside the adoption its respondents report.

    ``coverage_above_adoption`` = coverage - adoption (points, at least 0), a comparison of two sources, not
    the reports' "available but not adopted" (always a respondent's own answer: fibre available at its address,
    line not in fibre); ``not_available`` = 100 - coverage. Raw figures: what a report publishes of the respondents'
    ones goes through ``crassess.reports.disclosure``.
    """

    istat: str
    nome: str
    coverage: float | None
    respondents: int
    adopted: int
    adoption: float | None
    coverage_above_adoption: float | None
    not_available: float | None


def fibre_column(indicators: IndicatorTable) -> str:
    """The first column whose name mentions fibre (ftth, fibra, fibre, fiber, gbit, vhcn)."""
    for name in indicators.columns:
        key = normalise(name).replace(" ", "")
        if any(h in key for h in FIBRE_HINTS):
            return name
    raise InvalidInput(problems=[Problem(indicators.source, "", t("ind.no_fibre_column", known=", ".join(indicators.columns)))])


def check_percent(indicators: IndicatorTable, column: str) -> dict[str, float | None]:
    """The column's values, every one a percentage (0-100); all bad values reported at once."""
    coverage = indicators.column(column)
    bad = [
        Problem(indicators.source, "", t("ind.percent_range", column=column, code=code, value=f"{value:g}"))
        for code, value in coverage.items()
        if value is not None and not 0 <= value <= 100
    ]
    if bad:
        raise InvalidInput(problems=bad)
    return coverage


def fibre_comparison(
    indicators: IndicatorTable,
    per_comune_adoption: Mapping[str, Sequence[bool]],
    column: str | None = None,
    territory: Territory | None = None,
) -> tuple[FibreRow, ...]:
    """Fibre availability per comune (``column``, percent 0-100) beside respondents' adoption.

    ``per_comune_adoption`` maps an ISTAT code to one boolean per respondent (adopted fibre or not).
    Rows: every comune with an indicator value or respondents, by ISTAT code.
    """
    name = column or fibre_column(indicators)
    coverage = check_percent(indicators, name)
    names = {c.istat: c.nome for c in (territory or load_territory()).comuni}
    rows = []
    for code in sorted(set(coverage) | set(per_comune_adoption)):
        answers = list(per_comune_adoption.get(code, ()))
        n, adopted = len(answers), sum(1 for a in answers if a)
        cov = coverage.get(code)
        adoption = 100.0 * adopted / n if n else None
        gap = None if adoption is None or cov is None else max(0.0, cov - adoption)
        rows.append(FibreRow(code, names.get(code, code), cov, n, adopted, adoption, gap, None if cov is None else 100.0 - cov))
    return tuple(rows)
