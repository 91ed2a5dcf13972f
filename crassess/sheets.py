"""Plain tables as an openpyxl workbook; respondent text is always stored as text, never as a formula."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crassess.safe_text import strip_control

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class SheetTable:
    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet title (31 characters, no []:*?/\\)."""
    base = _BAD_TITLE.sub("_", text).strip("'")[:31] or "Foglio"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def build_workbook(sheets: Sequence[SheetTable]) -> Workbook:
    """One sheet per table: bold frozen header, then the rows. Call ``workbook_bytes`` to save.

    Write-only mode: tens of thousands of rows stay fast; the workbook can be saved once.
    """
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    for table in sheets:
        ws = wb.create_sheet(sheet_title(table.title, taken))
        ws.freeze_panes = "A2"
        print_setup(ws)
        for col, name in enumerate(table.header, start=1):
            width = max([len(str(name))] + [len(str(row[col - 1])) for row in table.rows[:200] if col - 1 < len(row) and row[col - 1] is not None])
            ws.column_dimensions[get_column_letter(col)].width = min(60, max(8, width + 2))
        header = []
        for name in table.header:
            cell = _cell(ws, name)
            cell.font = Font(bold=True)
            header.append(cell)
        ws.append(header)
        for row in table.rows:
            ws.append([_value(ws, v) for v in row])
    return wb


def print_setup(ws: Any, *, landscape: bool = True, title_rows: str | None = "1:1", header: str | None = None,
                footer: str | None = None) -> None:
    """How a sheet prints: A4 (landscape by default), as wide as the page, ``title_rows`` (the header rows)
    repeated on every page; ``header`` centred at the top, ``footer`` at the bottom (Excel's codes work:
    ``&P`` the page, ``&N`` the pages, ``&A`` the sheet; a text's own ``&`` must be written ``&&``)."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
    if header is not None:
        ws.oddHeader.center.text = header
    if footer is not None:
        ws.oddFooter.center.text = footer


def header_text(text: str, limit: int = 100) -> str:
    """Text for a printed header or footer: one line, at most ``limit`` characters, ``&`` escaped as ``&&``."""
    plain = " ".join(strip_control(text).split())
    return (plain[: limit - 1] + "…" if len(plain) > limit else plain).replace("&", "&&")


def _cell(ws: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=strip_control(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # a text starting with "=" stays text: never a formula
    return cell


def _value(ws: Any, value: Any) -> Any:
    if isinstance(value, str):
        text = strip_control(value)
        return _cell(ws, text) if text.startswith("=") else text
    return value


_EPOCH = datetime(2000, 1, 1)


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes, identical for identical content (fixed dates inside and in the zip)."""
    wb.properties.created = _EPOCH
    buffer = io.BytesIO()
    wb.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
