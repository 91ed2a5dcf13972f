"""Reading returned spreadsheets safely (python-calamine) and CSV files, as rows with their A1 positions.

Untrusted input: size limits, zip-bomb checks before any parsing, no DTDs, formulas without a cached
value and merged cells reported with their cells. calamine does not expand XML entities; the few XML
parts parsed here (only when they contain formulas or merges) are size-checked and refused with a DTD.
"""

from __future__ import annotations

import csv
import html
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import iterparse

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t

MAX_FILE_BYTES = 20 * 2**20
MAX_UNZIPPED_BYTES = 50 * 2**20
MAX_RATIO = 100
MAX_MEMBERS = 1000
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")
CSV_SUFFIXES = (".csv",)

register({
    "read.empty": {"it": "il file è vuoto", "en": "the file is empty"},
    "read.too_big": {"it": "file troppo grande ({size} MB; massimo {limit} MB)", "en": "file too large ({size} MB; at most {limit} MB)"},
    "read.unsupported": {"it": "tipo di file non gestito ({suffix}); ammessi: .xlsx, .xlsm, .ods, .csv", "en": "unsupported file type ({suffix}); allowed: .xlsx, .xlsm, .ods, .csv"},
    "read.old_excel": {"it": "vecchio formato Excel (.xls) o file protetto da password: salvarlo come .xlsx senza password", "en": "old Excel format (.xls) or password-protected file: save it as .xlsx without a password"},
    "read.corrupted": {"it": "file danneggiato o non è un foglio di calcolo ({detail})", "en": "corrupted file, or not a spreadsheet ({detail})"},
    "read.bomb": {"it": "file sospetto: decompresso sarebbe troppo grande ({detail})", "en": "suspicious file: too large once decompressed ({detail})"},
    "read.dtd": {"it": "file sospetto: contiene una dichiarazione DOCTYPE/ENTITY in {part}", "en": "suspicious file: it has a DOCTYPE/ENTITY declaration in {part}"},
    "read.lying": {"it": "più grande di quanto dichiarato", "en": "larger than declared"},
    "read.encoding": {"it": "codifica del testo non riconosciuta: salvare come CSV UTF-8", "en": "unknown text encoding: save as CSV UTF-8"},
    "read.csv": {"it": "CSV non leggibile: {detail}", "en": "unreadable CSV: {detail}"},
})


class Rejected(InvalidInput):
    """A file refused as a whole; ``reason`` is a short key for the summary (``empty``, ``corrupted``...)."""

    def __init__(self, reason: str, problems: list[Problem] | tuple[Problem, ...]):
        self.reason = reason
        super().__init__(problems=problems)


def _reject(reason: str, file: str, message: str, place: str = "") -> Rejected:
    return Rejected(reason, [Problem(file, place, message)])


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
    """The sheets asked for, the formulas without a cached value and the merged ranges, per sheet."""

    sheets: dict[str, Table]
    formulas: dict[str, list[str]] = field(default_factory=dict)
    merged: dict[str, list[tuple[int, int, int, int]]] = field(default_factory=dict)


def a1(row: int, col: int) -> str:
    """0-based ``row``, ``col`` as an A1 reference."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def parse_ref(ref: str) -> tuple[int, int]:
    m = re.match(r"([A-Z]+)(\d+)", ref.upper())
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def check_size(data: bytes, file: str) -> None:
    if not data:
        raise _reject("empty", file, t("read.empty"))
    if len(data) > MAX_FILE_BYTES:
        raise _reject("too_big", file, t("read.too_big", size=round(len(data) / 2**20, 1), limit=MAX_FILE_BYTES // 2**20))


def open_zip(data: bytes, file: str) -> zipfile.ZipFile:
    """The zip container, refused when corrupted or when it would decompress beyond the limits."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _reject("corrupted", file, t("read.old_excel"))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # zipfile raises many kinds (BadZipFile, NotImplementedError, struct.error...)
        raise _reject("corrupted", file, t("read.corrupted", detail=str(exc) or type(exc).__name__)) from None
    total = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS:
        raise _reject("unsafe", file, t("read.bomb", detail=f"{len(infos)} parts"))
    if total > MAX_UNZIPPED_BYTES:
        raise _reject("unsafe", file, t("read.bomb", detail=f"{total // 2**20} MB"))
    for info in infos:
        if info.file_size > 2**20 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _reject("unsafe", file, t("read.bomb", detail=f"{info.filename} x{info.file_size // max(info.compress_size, 1)}"))
    return zf


class _Damaged(Exception):
    """A member that cannot be read as declared; ``reason`` is ``unsafe`` or ``corrupted``."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _inflate(view: memoryview, info: zipfile.ZipInfo) -> bytes:
    """One member, decompressed at most one byte past its declared size and checked against it and its CRC.

    calamine's zip reader is not relied upon to stop at the declared size: a member whose stream expands
    beyond it (a zip bomb with a lying header) is refused here, before calamine sees the file.
    """
    if info.flag_bits & 0x1:
        raise _Damaged("corrupted", "encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _Damaged("corrupted", f"compression {info.compress_type}")
    start = info.header_offset
    if bytes(view[start:start + 4]) != b"PK\x03\x04":
        raise _Damaged("corrupted", "local header")
    name_len, extra_len = struct.unpack("<HH", view[start + 26:start + 30])
    begin = start + 30 + name_len + extra_len
    chunk = view[begin:begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        data = bytes(chunk)
    else:
        try:
            data = zlib.decompressobj(-15).decompress(chunk, info.file_size + 1)
        except zlib.error as exc:
            raise _Damaged("corrupted", str(exc)) from None
    if len(data) > info.file_size:
        raise _Damaged("unsafe", t("read.lying"))
    if len(data) < info.file_size or zlib.crc32(data) != info.CRC:
        raise _Damaged("corrupted", "CRC")
    return data


def unpack(data: bytes, zf: zipfile.ZipFile, file: str) -> dict[str, bytes]:
    """Every member, verified (size, CRC) and refused when an XML part declares a DOCTYPE or ENTITY."""
    view = memoryview(data)
    members: dict[str, bytes] = {}
    for info in zf.infolist():
        try:
            content = _inflate(view, info)
        except _Damaged as exc:
            detail = f"{info.filename}: {exc}"
            message = t("read.bomb", detail=detail) if exc.reason == "unsafe" else t("read.corrupted", detail=detail)
            raise _reject(exc.reason, file, message) from None
        except (struct.error, ValueError) as exc:
            raise _reject("corrupted", file, t("read.corrupted", detail=f"{info.filename}: {exc}")) from None
        if info.filename.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in content or b"<!ENTITY" in content):
            raise _reject("unsafe", file, t("read.dtd", part=info.filename))
        members[info.filename] = content
    return members


def _member(members: dict[str, bytes], name: str, file: str) -> bytes:
    if name not in members:
        raise _reject("corrupted", file, t("read.corrupted", detail=f"{name}: missing"))
    return members[name]


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


_XML_TAG = re.compile(rb"<(?:\w+:)?(sheet|Relationship)\s([^>]*)>")
_XML_ATTR = re.compile(rb'(?:\w+:)?(\w+)\s*=\s*"([^"]*)"')


def _tags(data: bytes, tag: bytes) -> Iterator[dict[str, str]]:
    """Attributes of every ``tag`` element (namespace prefixes dropped): enough for these two small parts."""
    for match in _XML_TAG.finditer(data):
        if match.group(1) == tag:
            yield {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _XML_ATTR.findall(match.group(2))}


def _xlsx_sheet_parts(members: dict[str, bytes], file: str) -> dict[str, str]:
    """Worksheet part name -> sheet name, from workbook.xml and its relationships."""
    rels: dict[str, str] = {}
    for rel in _tags(_member(members, "xl/_rels/workbook.xml.rels", file), b"Relationship"):
        target = rel.get("Target", "").lstrip("/")
        rels[rel.get("Id", "")] = target if target.startswith("xl/") else "xl/" + target
    return {rels[s["id"]]: s.get("name", "") for s in _tags(_member(members, "xl/workbook.xml", file), b"sheet") if s.get("id") in rels}


def _xlsx_uncached_formulas(data: bytes) -> list[str]:
    found = []
    for _, el in iterparse(io.BytesIO(data)):
        if _local(el.tag) == "c":
            children = {_local(child.tag): child for child in el}
            value = children.get("v")
            if "f" in children and (value is None or not (value.text or "").strip()):
                found.append(el.get("r", "?"))
            el.clear()
    return found


def _xlsx_scan(members: dict[str, bytes], file: str, want: Callable[[str], bool]) -> dict[str, list[str]]:
    """Cells with a formula but no cached value, in the worksheets ``want`` accepts.

    Every worksheet part is searched for a formula element first; sheet names are resolved only
    when one is found (the usual returned file has no formula at all).
    """
    found: dict[str, list[str]] = {}
    for name in members:
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        data = _member(members, name, file)
        if not _may_have_formula(data):
            continue
        try:
            refs = _xlsx_uncached_formulas(data)
        except SyntaxError as exc:  # ParseError: a damaged part
            raise _reject("corrupted", file, t("read.corrupted", detail=f"{name}: {exc}")) from None
        if refs:
            found[name] = refs
    if not found:
        return {}
    parts = _xlsx_sheet_parts(members, file)
    return {parts.get(part, part): refs for part, refs in found.items() if want(parts.get(part, part))}


_ODS_NS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_NS_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_VALUE_ATTRS = tuple(f"{{{_ODS_NS_OFFICE}}}{a}" for a in ("value", "string-value", "boolean-value", "date-value", "time-value"))


def _ods_scan(members: dict[str, bytes], file: str) -> tuple[dict[str, list[str]], dict[str, list[tuple[int, int, int, int]]]]:
    """Formulas without a cached value and merged (spanned) cells in content.xml."""
    data = _member(members, "content.xml", file)
    if b"table:formula=" not in data and b"-spanned=" not in data:
        return {}, {}
    formulas: dict[str, list[str]] = {}
    merged: dict[str, list[tuple[int, int, int, int]]] = {}
    tab = f"{{{_ODS_NS_TABLE}}}"
    sheet, row, col = "", -1, 0
    for event, el in iterparse(io.BytesIO(data), events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag == tab + "table":
                sheet, row = el.get(tab + "name", ""), -1
            elif tag == tab + "table-row":
                row, col = row + 1, 0
            continue
        if tag == tab + "table-row":
            row += int(el.get(tab + "number-rows-repeated", "1")) - 1
            el.clear()
        elif tag in (tab + "table-cell", tab + "covered-table-cell"):
            repeat = int(el.get(tab + "number-columns-repeated", "1"))
            if el.get(tab + "formula") and not any(el.get(a) for a in _ODS_VALUE_ATTRS) and not "".join(el.itertext()).strip():
                formulas.setdefault(sheet, []).append(a1(row, col))
            rows_span = int(el.get(tab + "number-rows-spanned", "1"))
            cols_span = int(el.get(tab + "number-columns-spanned", "1"))
            if rows_span > 1 or cols_span > 1:
                merged.setdefault(sheet, []).append((row, col, row + rows_span - 1, col + cols_span - 1))
            col += repeat
    return formulas, merged


def read_workbook(data: bytes, suffix: str, file: str, want: Callable[[str], bool]) -> ReadBook:
    """The sheets whose name ``want`` accepts, from .xlsx/.xlsm/.ods bytes, after the safety checks."""
    from python_calamine import CalamineError, CalamineWorkbook

    check_size(data, file)
    members = unpack(data, open_zip(data, file), file)
    if suffix == ".ods":
        try:
            formulas, merged = _ods_scan(members, file)
        except SyntaxError as exc:
            raise _reject("corrupted", file, t("read.corrupted", detail=f"content.xml: {exc}")) from None
    else:
        formulas, merged = _xlsx_scan(members, file, want), {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets: dict[str, Table] = {}
        for name in book.sheet_names:
            if not want(name):
                continue
            sheet = book.get_sheet_by_name(name)
            sheets[name] = Table(name, sheet.to_python(skip_empty_area=False))
            ranges = getattr(sheet, "merged_cell_ranges", None) or []
            for (r1, c1), (r2, c2) in ranges:
                if (r1, c1, r2, c2) not in merged.get(name, []):
                    merged.setdefault(name, []).append((r1, c1, r2, c2))
    except (CalamineError, ValueError, OSError) as exc:
        raise _reject("corrupted", file, t("read.corrupted", detail=str(exc)[:200] or type(exc).__name__)) from None
    except Exception as exc:  # calamine raises its own error classes for every kind of damage
        raise _reject("corrupted", file, t("read.corrupted", detail=f"{type(exc).__name__}: {str(exc)[:200]}")) from None
    return ReadBook(sheets, formulas, merged)


def decode_text(data: bytes, file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel writes for "CSV" on Italian Windows)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _reject("corrupted", file, t("read.encoding"))


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ";"))


def read_csv(data: bytes, file: str, name: str = "CSV") -> Table:
    """A CSV file as one sheet; the row index is the line where the record starts (1-based - 1)."""
    check_size(data, file)
    text = decode_text(data, file)
    if not text.strip():
        raise _reject("empty", file, t("read.empty"))
    if "\x00" in text:
        raise _reject("corrupted", file, t("read.csv", detail="NUL"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[list[Any]] = []
    try:
        start = 1
        for record in reader:
            while len(rows) < start - 1:
                rows.append([])
            rows.append(record)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _reject("corrupted", file, t("read.csv", detail=str(exc)), place=t("place.line", line=reader.line_num)) from None
    return Table(name, rows)
