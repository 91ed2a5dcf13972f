"""The cost of a returned workbook, measured before python-calamine materialises anything.

calamine builds each sheet it reads as a dense grid from A1 to the last cell, and expands the repeated rows
and cells of an OpenDocument file (of every sheet, when the file is opened): a 16 KB file holding one cell at
XFD1048576, or a repeat count of a million, would ask for hundreds of gigabytes. These scans read the XML
as bytes (worksheets) or as a stream of events (OpenDocument ``content.xml``), never as a tree, and refuse a
file whose sheets exceed :data:`MAX_ROWS`, :data:`MAX_COLS` or :data:`MAX_CELLS`. On the way they note what
calamine does not say: formulas, cached errors (``#VALUE!``), cells formatted as percentages, merged cells.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field

from crassess.i18n import register, t
from crassess.spreadsheets.container import reject

MAX_SHEETS = 50
MAX_ROWS = 10_000
MAX_COLS = 256
MAX_CELLS = 200_000  # rows x columns of one sheet's grid
MAX_TOTAL_CELLS = 300_000  # of all the grids calamine builds for one file
MAX_SPACES = 10_000  # an OpenDocument run of spaces (text:s text:c="...") in one cell

register({
    "bounds.sheets": {"it": "troppi fogli ({n}; al massimo {limit})", "en": "too many sheets ({n}; at most {limit})"},
    "bounds.extent": {
        "it": "il foglio '{sheet}' usa celle fino a {cell} ({rows} righe x {cols} colonne): se ne leggono al massimo {max_rows} righe, {max_cols} colonne e {max_cells} celle; cancellare le celle fuori dalla tabella",
        "en": "sheet '{sheet}' uses cells up to {cell} ({rows} rows x {cols} columns): at most {max_rows} rows, {max_cols} columns and {max_cells} cells are read; delete the cells outside the table",
    },
    "bounds.total": {"it": "i fogli usano in tutto {cells} celle: se ne leggono al massimo {limit}", "en": "the sheets use {cells} cells in all: at most {limit} are read"},
    "bounds.spaces": {"it": "il foglio '{sheet}' ripete uno spazio {n} volte in una cella", "en": "sheet '{sheet}' repeats a space {n} times in one cell"},
})


def col_letters(col: int) -> str:
    """0-based column as letters (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """0-based ``row``, ``col`` as an A1 reference."""
    return f"{col_letters(col)}{row + 1}"


def col_number(letters: str | bytes) -> int:
    """Column letters as a 1-based number (A -> 1, AA -> 27)."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return col


@dataclass
class SheetScan:
    """What one sheet holds beyond its values: by A1 reference, formulas (True when a value is cached), cached
    errors, cells formatted as percentages; merged ranges (0-based rows and columns); the grid's extent."""

    rows: int = 0
    cols: int = 0
    formulas: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    percent: set[str] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


def check_extent(sheet: str, rows: int, cols: int, file: str) -> None:
    if rows > MAX_ROWS or cols > MAX_COLS or rows * cols > MAX_CELLS:
        raise reject("too_big", file, t("bounds.extent", sheet=sheet, cell=a1(rows - 1, cols - 1), rows=rows, cols=cols,
                                         max_rows=MAX_ROWS, max_cols=MAX_COLS, max_cells=MAX_CELLS))


def check_total(scans: dict[str, SheetScan], file: str) -> None:
    """The grids of every sheet calamine builds for one file, together (an OpenDocument file: all its sheets)."""
    total = sum(scan.rows * scan.cols for scan in scans.values())
    if total > MAX_TOTAL_CELLS:
        raise reject("too_big", file, t("bounds.total", cells=total, limit=MAX_TOTAL_CELLS))


def check_sheet_count(n: int, file: str) -> None:
    if n > MAX_SHEETS:
        raise reject("too_big", file, t("bounds.sheets", n=n, limit=MAX_SHEETS))


# ------------------------------------------------------------------ xlsx worksheets

_FIRST_REF = re.compile(rb'<c r="([A-Z]{1,4})(\d{1,8})"')
# a cell that is not "<c r=" with a column A-Z and a row under 1000: a prefixed tag, a cell without its
# reference first, or a reference beyond Z999 (the usual returned sheet has none: one pass settles it)
_NOT_SMALL = re.compile(rb'<c(?:[>/]|\s(?!r=")| r="(?:[A-Z][A-Z]|[A-Z]\d{4}))')
SMALL_ROWS, SMALL_COLS = 999, 26
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_ATTR = re.compile(rb'\b(r|s|t)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,40})</")
_XF_BLOCK = re.compile(rb"<(?:\w+:)?cellXfs\b.*?</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(rb"<(?:\w+:)?xf\b([^>]*)>")
_NUM_FMT = re.compile(rb'<(?:\w+:)?numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"')
_FMT_ID = re.compile(rb'numFmtId="(\d+)"')
_QUOTED = re.compile(rb'"[^"]*"|\\.|&quot;.*?&quot;')
PERCENT_FORMATS = {9, 10}  # the built-in 0% and 0.00%


def percent_styles(styles: bytes | None) -> frozenset[int]:
    """Indexes of the cell formats (``s`` of a cell) that show a number as a percentage."""
    if not styles or b"%" not in styles and b'numFmtId="9"' not in styles and b'numFmtId="10"' not in styles:
        return frozenset()
    custom = {int(i) for i, code in _NUM_FMT.findall(styles) if b"%" in _QUOTED.sub(b"", code)}
    block = _XF_BLOCK.search(styles)
    if block is None:
        return frozenset()
    found = set()
    for index, attrs in enumerate(_XF.findall(block.group())):
        fmt = _FMT_ID.search(attrs)
        number = int(fmt.group(1)) if fmt else 0
        if number in PERCENT_FORMATS or number in custom:
            found.add(index)
    return frozenset(found)


def scan_worksheet(data: bytes, sheet: str, file: str, percent: frozenset[int] = frozenset()) -> SheetScan:
    """Extent (refused beyond the limits), cached errors and percentage cells of one worksheet part.

    The usual file (every cell with its ``r`` first, within Z999, no namespace prefix, no error, no percentage
    style) costs one regular-expression search and its extent is taken as 999 x 26 (an upper bound, within every
    limit); a larger one has every reference read, and any other file is walked tag by tag, cells without ``r``
    placed as calamine places them (after the previous one).
    """
    scan = SheetScan()
    if b":c" not in data and _NOT_SMALL.search(data) is None:
        # every cell has its reference first, before column AA and row 1000: the grid is at most 999 x 26
        scan.rows, scan.cols = SMALL_ROWS, SMALL_COLS
    else:
        refs = _FIRST_REF.findall(data)
        if refs and b":c" not in data and len(refs) == data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/"):
            letters, digits = zip(*refs)
            scan.rows = max(map(int, digits))
            longest = max(map(len, letters))
            scan.cols = col_number(max(letters) if longest == 1 else max(x for x in letters if len(x) == longest))
        else:
            scan.rows, scan.cols = _placed_extent(data)
    check_extent(sheet, scan.rows, scan.cols, file)
    if b't="e"' in data or percent:
        for match in _CELL_TAG.finditer(data):
            attrs = dict(_ATTR.findall(match.group(1)))
            ref = attrs.get(b"r", b"").decode("ascii", "replace")
            if attrs.get(b"t") == b"e" and match.group(2) != b"/":
                value = _VALUE.search(data, match.end(), match.end() + 200)
                scan.errors[ref] = value.group(1).decode("utf-8", "replace") if value else "#?"
            elif percent and attrs.get(b"s", b"").isdigit() and int(attrs[b"s"]) in percent:
                scan.percent.add(ref)
    return scan


_ROW_OR_CELL = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*?)>")
_REF = re.compile(rb'\br="([A-Za-z]{0,4})(\d{1,8})"')


def _placed_extent(data: bytes) -> tuple[int, int]:
    """The extent when some rows or cells have no ``r``: each is placed after the previous one."""
    rows = cols = 0
    row = col = 0
    for match in _ROW_OR_CELL.finditer(data):
        ref = _REF.search(match.group(2))
        if match.group(1) == b"row":
            row = int(ref.group(2)) if ref else row + 1
            col = 0
        else:
            col = col_number(ref.group(1)) if ref and ref.group(1) else col + 1
            rows, cols = max(rows, row), max(cols, col)
    return rows, cols


# ------------------------------------------------------------------ OpenDocument content.xml

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0 "
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0 "
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0 "
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0 "
_VALUE_ATTRS = tuple(_OFFICE + a for a in ("value", "string-value", "boolean-value", "date-value", "time-value"))


class _OdsScanner:
    """Walks ``content.xml`` as a stream of events, following repeated rows and cells as calamine does."""

    def __init__(self, file: str):
        self.file = file
        self.sheets: dict[str, SheetScan] = {}
        self.sheet = ""
        self.scan = SheetScan()
        self.row = self.row_repeat = self.col = 0
        self.cell: dict[str, str] | None = None
        self.text = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE + "table":
            self.sheet = attrs.get(_TABLE + "name", "")
            self.scan = self.sheets.setdefault(self.sheet, SheetScan())
            self.row = 0
        elif name == _TABLE + "table-row":
            self.row_repeat, self.col = _count(attrs.get(_TABLE + "number-rows-repeated")), 0
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            self.cell, self.text = attrs, ""
        elif name == _TEXT + "s" and self.cell is not None:
            spaces = _count(attrs.get(_TEXT + "c"))
            if spaces > MAX_SPACES:
                raise reject("too_big", self.file, t("bounds.spaces", sheet=self.sheet, n=spaces))
            self.text += " "

    def data(self, text: str) -> None:
        if self.cell is not None and len(self.text) < 64:
            self.text += text

    def end(self, name: str) -> None:
        if name == _TABLE + "table-row":
            self.row += self.row_repeat
        elif name in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and self.cell is not None:
            self._cell(self.cell, self.text.strip())
            self.cell = None

    def _cell(self, attrs: dict[str, str], text: str) -> None:
        repeat = _count(attrs.get(_TABLE + "number-columns-repeated"))
        kind = attrs.get(_OFFICE + "value-type")
        formula = attrs.get(_TABLE + "formula")
        if kind or formula or text:
            scan, ref = self.scan, a1(self.row, self.col)
            scan.rows = max(scan.rows, self.row + self.row_repeat)
            scan.cols = max(scan.cols, self.col + repeat)
            check_extent(self.sheet, scan.rows, scan.cols, self.file)
            if formula:
                scan.formulas[ref] = bool(text or any(attrs.get(a) for a in _VALUE_ATTRS))
            if attrs.get(_CALCEXT + "value-type") == "error":
                scan.errors[ref] = text or "#?"
            elif kind == "percentage":
                scan.percent.add(ref)
        rows_span = _count(attrs.get(_TABLE + "number-rows-spanned"))
        cols_span = _count(attrs.get(_TABLE + "number-columns-spanned"))
        if rows_span > 1 or cols_span > 1:
            self.scan.merged.append((self.row, self.col, self.row + rows_span - 1, self.col + cols_span - 1))
        self.col += repeat


def _count(value: str | None) -> int:
    try:
        return max(1, int(value)) if value else 1
    except ValueError:
        return 1


def scan_ods(content: bytes, file: str) -> dict[str, SheetScan]:
    """Every sheet of an OpenDocument spreadsheet (calamine reads them all when it opens the file)."""
    scanner = _OdsScanner(file)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    parser.CharacterDataHandler = scanner.data
    try:
        parser.Parse(content, True)
    except xml.parsers.expat.ExpatError as exc:
        raise reject("corrupted", file, t("read.corrupted", detail=f"content.xml: {exc}")) from None
    check_sheet_count(len(scanner.sheets), file)
    check_total(scanner.sheets, file)
    return scanner.sheets
