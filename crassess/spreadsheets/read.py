"""Reading returned spreadsheets safely (python-calamine) and CSV files, as rows with their A1 positions.

Untrusted input, in this order: the container (:mod:`crassess.spreadsheets.container`: size, zip bombs,
DTDs, old or encrypted Office files), then the cost of every sheet calamine would build
(:mod:`crassess.spreadsheets.bounds`: rows, columns, repeated cells), then calamine reads only the sheets
asked for, one of each kind. Formulas, cached errors, percentage cells and merged cells come from the
scans, as calamine does not report them.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import iterparse

from crassess.csvfile import sniff_separator
from crassess.i18n import register, t
from crassess.spreadsheets.bounds import (
    MAX_COLS,
    MAX_ROWS,
    SheetScan,
    a1,
    check_sheet_count,
    check_total,
    col_number,
    percent_styles,
    scan_ods,
    scan_worksheet,
)
from crassess.spreadsheets.container import (
    MAX_CSV_BYTES,
    MAX_FILE_BYTES,
    Rejected,
    check_size,
    open_zip,
    read_member,
    reject,
    unpack,
)

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv",)
__all__ = ["MAX_FILE_BYTES", "Rejected", "ReadBook", "Table", "a1", "check_size", "open_zip", "parse_ref", "read_csv",
           "read_workbook", "unpack"]

register({
    "read.unsupported": {"it": "tipo di file non gestito ({suffix}); ammessi: .xlsx, .xlsm, .ods, .csv", "en": "unsupported file type ({suffix}); allowed: .xlsx, .xlsm, .ods, .csv"},
    "read.encoding": {"it": "codifica del testo non riconosciuta: salvare come CSV UTF-8", "en": "unknown text encoding: save as CSV UTF-8"},
    "read.csv": {"it": "CSV non leggibile: {detail}", "en": "unreadable CSV: {detail}"},
    "read.csv_rows": {"it": "troppe righe: al massimo {limit}", "en": "too many lines: at most {limit}"},
    "read.csv_cells": {"it": "troppe celle: al massimo {limit}", "en": "too many cells: at most {limit}"},
    "read.csv_cols": {"it": "troppe colonne ({n}): al massimo {limit}", "en": "too many columns ({n}): at most {limit}"},
    "read.same_sheet": {"it": "più fogli con lo stesso nome: {names}; lasciarne uno solo", "en": "several sheets with the same name: {names}; keep only one"},
})

SheetKey = Callable[[str], "str | bool | None"]  # the kind of a sheet wanted, True for one wanted on its own


@dataclass(frozen=True)
class Table:
    """The cells of one sheet: ``rows[r][c]`` is the cell of row ``r + 1``, column ``c + 1`` (from A1)."""

    name: str
    rows: list[list[Any]]

    def cell(self, row: int, col: int) -> Any:
        """The value at 0-based ``row``, ``col`` ("" when outside the used area)."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


@dataclass(frozen=True)
class ReadBook:
    """The sheets asked for, by name, with what the scans found in them (formulas, errors, percentages, merges)."""

    sheets: dict[str, Table]
    scans: dict[str, SheetScan] = field(default_factory=dict)

    def scan(self, sheet: str) -> SheetScan:
        return self.scans.get(sheet) or SheetScan()

    @property
    def formulas(self) -> dict[str, list[str]]:
        """The cells with a formula but no computed value, by sheet."""
        return {name: refs for name, scan in self.scans.items() if (refs := [r for r, cached in scan.formulas.items() if not cached])}


def parse_ref(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref.upper())
    if not m:
        return 0, 0
    return int(m.group(2)) - 1, col_number(m.group(1)) - 1


# ------------------------------------------------------------------ xlsx parts

_XML_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_XML_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _tags(data: bytes, tag: bytes) -> Iterator[dict[bytes, bytes]]:
    """Attributes of every ``tag`` element (namespace prefixes dropped): enough for these two small parts."""
    for match in _XML_TAG.finditer(data):
        if match.group(1) == tag:
            yield {k.rpartition(b":")[2]: v for k, v in _XML_ATTR.findall(match.group(2))}


def _text(value: bytes) -> str:
    text = value.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _xlsx_sheet_parts(workbook: bytes, rels_data: bytes) -> dict[str, str]:
    """Sheet name -> worksheet part name, from workbook.xml and its relationships, in workbook order."""
    rels: dict[bytes, str] = {}
    for rel in _tags(rels_data, b"Relationship"):
        target = _text(rel.get(b"Target", b"")).lstrip("/")
        rels[rel.get(b"Id", b"")] = target if target.startswith("xl/") else "xl/" + target
    return {_text(s.get(b"name", b"")): rels[s[b"id"]] for s in _tags(workbook, b"sheet") if s.get(b"id") in rels}


def _may_have_formula(data: bytes) -> bool:
    """Whether the part has an ``<f>`` (or prefixed ``<x:f>``) element; substring search is far faster than a regex."""
    for needle in (b"<f", b":f"):
        at = data.find(needle)
        while at != -1:
            if data[at + 2:at + 3] in (b">", b" ", b"/", b"\t", b"\n", b"\r"):
                return True
            at = data.find(needle, at + 2)
    return False


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_formulas(data: bytes) -> dict[str, bool]:
    """Every cell with a formula, by A1 reference: True when it has a cached value."""
    found: dict[str, bool] = {}
    for _, el in iterparse(io.BytesIO(data)):
        if _local(el.tag) == "c":
            children = {_local(child.tag): child for child in el}
            if "f" in children:
                value = children.get("v")
                found[el.get("r", "?")] = value is not None and bool((value.text or "").strip())
            el.clear()
    return found


def _xlsx_uncached_formulas(data: bytes) -> list[str]:
    return [ref for ref, cached in _xlsx_formulas(data).items() if not cached]


def _one_each(names: list[str], key: SheetKey, file: str) -> list[str]:
    """The sheets wanted, refused when two of them would be read as the same sheet ("Domande", "DOMANDE ")."""
    by_key: dict[str, list[str]] = {}
    for name in names:
        k = key(name)
        if k is True:
            k = "\0" + name  # wanted on its own
        if k:
            by_key.setdefault(str(k), []).append(name)
    for same in by_key.values():
        if len(same) > 1:
            shown = ", ".join(f"'{n}'" for n in same[:5]) + (f" (+{len(same) - 5})" if len(same) > 5 else "")
            raise reject("layout", file, t("read.same_sheet", names=shown))
    return [same[0] for same in by_key.values()]


def _scan_xlsx(data: bytes, file: str, key: SheetKey) -> dict[str, SheetScan]:
    zf = open_zip(data, file)
    workbook = read_member(data, zf, "xl/workbook.xml", file)
    rels = read_member(data, zf, "xl/_rels/workbook.xml.rels", file)
    if workbook is None or rels is None:
        missing = "xl/workbook.xml" if workbook is None else "xl/_rels/workbook.xml.rels"
        raise reject("corrupted", file, t("read.corrupted", detail=f"{missing}: missing"))
    parts = _xlsx_sheet_parts(workbook, rels)
    check_sheet_count(len(parts), file)
    wanted = {name: parts[name] for name in _one_each(list(parts), key, file)}
    keep = {*wanted.values(), "xl/styles.xml"}
    members = unpack(data, zf, file, keep.__contains__, {"xl/workbook.xml": workbook, "xl/_rels/workbook.xml.rels": rels})
    percent = percent_styles(members.get("xl/styles.xml"))
    scans: dict[str, SheetScan] = {}
    for name, part in wanted.items():
        content = members.get(part)
        if content is None:
            raise reject("corrupted", file, t("read.corrupted", detail=f"{part}: missing"))
        scan = scan_worksheet(content, name, file, percent)
        if _may_have_formula(content):
            try:
                scan.formulas = _xlsx_formulas(content)
            except SyntaxError as exc:  # ParseError: a damaged part
                raise reject("corrupted", file, t("read.corrupted", detail=f"{part}: {exc}")) from None
        scans[name] = scan
    check_total(scans, file)
    return scans


def _scan_ods_file(data: bytes, file: str, key: SheetKey) -> dict[str, SheetScan]:
    zf = open_zip(data, file)
    members = unpack(data, zf, file, "content.xml".__eq__)
    if "content.xml" not in members:
        raise reject("corrupted", file, t("read.corrupted", detail="content.xml: missing"))
    scans = scan_ods(members.pop("content.xml"), file)
    return {name: scans[name] for name in _one_each(list(scans), key, file)}


_SCANNERS: dict[str, Callable[[bytes, str, SheetKey], dict[str, SheetScan]]] = {
    ".xlsx": _scan_xlsx, ".xlsm": _scan_xlsx, ".ods": _scan_ods_file,
}


def read_workbook(data: bytes, suffix: str, file: str, key: SheetKey) -> ReadBook:
    """The sheets ``key`` names (one of each kind it returns; ``True``: a sheet wanted on its own), from
    .xlsx/.xlsm/.ods bytes, after the checks and bounds."""
    from python_calamine import CalamineError, CalamineWorkbook

    check_size(data, file)
    scans = _SCANNERS[suffix](data, file, key)
    sheets: dict[str, Table] = {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            if name not in scans:
                continue
            sheet = book.get_sheet_by_name(name)
            sheets[name] = Table(name, sheet.to_python(skip_empty_area=False))
            merged = scans[name].merged
            for (r1, c1), (r2, c2) in getattr(sheet, "merged_cell_ranges", None) or []:
                if (r1, c1, r2, c2) not in merged:
                    merged.append((r1, c1, r2, c2))
    except (CalamineError, ValueError, OSError) as exc:
        raise reject("corrupted", file, t("read.corrupted", detail=str(exc)[:200] or type(exc).__name__)) from None
    except Exception as exc:  # calamine raises its own error classes for every kind of damage
        raise reject("corrupted", file, t("read.corrupted", detail=f"{type(exc).__name__}: {str(exc)[:200]}")) from None
    return ReadBook(sheets, {name: scans[name] for name in sheets})


# ------------------------------------------------------------------ CSV


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM); UTF-16 (Excel's "Unicode text", with a BOM or by its zero bytes); else
    Windows-1252 (what Excel writes for "CSV" on Italian Windows)."""
    encodings = ["utf-8-sig"]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings = ["utf-16"]
    elif len(data) >= 4 and data[1:200:2].count(0) > 0.9 * len(data[1:200:2]):
        encodings = ["utf-16-le"]
    elif len(data) >= 4 and data[0:200:2].count(0) > 0.9 * len(data[0:200:2]):
        encodings = ["utf-16-be"]
    for encoding in [*encodings, "cp1252"]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise reject("corrupted", file, t("read.encoding"))


def read_csv(data: bytes, file: str, name: str = "CSV", limit: int | None = MAX_CSV_BYTES,
             max_rows: int = MAX_ROWS, max_cols: int = MAX_COLS, max_cells: int | None = None) -> Table:
    """A CSV file as one sheet; the row index is the line where the record starts (1-based - 1).

    A returned file: at most :data:`MAX_CSV_BYTES` (``limit``), ``max_rows`` lines and ``max_cols`` columns
    (:data:`~crassess.spreadsheets.bounds.MAX_ROWS`, :data:`~crassess.spreadsheets.bounds.MAX_COLS`), and
    ``max_cells`` cells in all when given: refused beyond, before reading further. A cell is at most the csv
    module's field limit (131,072 characters).
    """
    check_size(data, file, limit)
    text = decode_text(data, file)
    if not text.strip():
        raise reject("empty", file, t("read.empty"))
    if "\x00" in text:
        raise reject("corrupted", file, t("read.csv", detail="NUL"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    rows: list[list[Any]] = []
    try:
        start, cells = 1, 0
        for record in reader:
            if reader.line_num > max_rows:
                raise reject("too_big", file, t("read.csv_rows", limit=max_rows), place=t("place.line", line=reader.line_num))
            if len(record) > max_cols and any(c.strip() for c in record[max_cols:]):
                raise reject("too_big", file, t("read.csv_cols", n=len(record), limit=max_cols), place=t("place.line", line=start))
            cells += min(len(record), max_cols)
            if max_cells is not None and cells > max_cells:
                raise reject("too_big", file, t("read.csv_cells", limit=max_cells), place=t("place.line", line=start))
            while len(rows) < start - 1:
                rows.append([])
            rows.append(record[:max_cols])
            start = reader.line_num + 1
    except csv.Error as exc:
        raise reject("corrupted", file, t("read.csv", detail=str(exc)), place=t("place.line", line=reader.line_num)) from None
    return Table(name, rows)
