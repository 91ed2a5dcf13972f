"""Reading a submissions export of KoboToolbox or ODK Central: its table, header and platform.

Untrusted files, read only with the safe readers of :mod:`crassess.spreadsheets.read` (size limits, zip
checks, calamine): KoboToolbox CSV (``;`` or ``,``, any quoting, BOM or not) or XLSX (the first sheet; an
HXL tag row is skipped), ODK Central CSV or its ``.csv.zip``/``.zip`` (the root table ``<form id>.csv``).
The platform is told by the metadata columns (``_uuid``... for KoboToolbox, ``KEY`` with
``SubmissionDate``/``ReviewState`` for ODK Central) unless given.

Bounds, checked while reading, before anything more is materialised: the file (or the archive's table) at
most :data:`~crassess.spreadsheets.read.MAX_FILE_BYTES`; a workbook within the bounds of returned workbooks;
a CSV table at most :data:`MAX_EXPORT_ROWS` lines, :data:`MAX_EXPORT_COLS` columns (KoboToolbox adds one
column per choice of a multiple-choice question) and :data:`MAX_EXPORT_CELLS` cells. The import reads an
export in a worker process with the memory limit of :mod:`crassess.spreadsheets.workers`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from crassess.errors import Problem
from crassess.i18n import register, t
from crassess.spreadsheets.bounds import MAX_ROWS
from crassess.spreadsheets.extract import cell_text, read_limited
from crassess.spreadsheets.read import (
    CSV_SUFFIXES,
    MAX_FILE_BYTES,
    WORKBOOK_SUFFIXES,
    Rejected,
    Table,
    check_size,
    open_zip,
    read_csv,
    read_workbook,
    unpack,
)

register({
    "forms.no_header": {"it": "nessuna intestazione: il file è vuoto", "en": "no header row: the file is empty"},
    "forms.not_export": {"it": "non è un'esportazione di KoboToolbox o ODK Central (mancano le colonne _uuid o KEY); indicare --source kobo|odk se lo è", "en": "not a KoboToolbox or ODK Central export (no _uuid or KEY column); give --source kobo|odk if it is one"},
    "forms.zip_no_csv": {"it": "l'archivio non contiene la tabella CSV degli invii", "en": "the archive holds no CSV table of submissions"},
    "forms.unsupported": {"it": "tipo di file non gestito ({suffix}); ammessi: .csv, .xlsx, .zip", "en": "unsupported file type ({suffix}); allowed: .csv, .xlsx, .zip"},
})

Source = Literal["kobo", "odk"]
SOURCES: tuple[Source, ...] = ("kobo", "odk")
ZIP_SUFFIXES = (".zip",)
EXPORT_SUFFIXES = CSV_SUFFIXES + WORKBOOK_SUFFIXES + ZIP_SUFFIXES
ODK_COLUMNS = frozenset({"SubmissionDate", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
                         "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"})
KOBO_MARKERS = ("_uuid", "_submission_time", "_index", "_id")
MAX_EXPORT_ROWS = MAX_ROWS  # lines of a CSV table, as for a returned sheet
MAX_EXPORT_COLS = 1_000
MAX_EXPORT_CELLS = 1_000_000  # about 80 MB of cells: 5,000 submissions of 200 columns


@dataclass(frozen=True)
class Export:
    """The rows of one export: ``rows`` are ``(row number in the file, cells)``; ``sheet`` is the sheet or
    archive member read ("" for a plain CSV)."""

    file: str
    sha256: str
    source: Source
    sheet: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, list[Any]], ...]
    formulas: tuple[str, ...] = ()

    @cached_property
    def by_name(self) -> dict[str, tuple[int, ...]]:
        """Column indexes by header, and by the name at the end of a group path (``meta/rootUuid`` ->
        ``rootUuid``, ``meta-instanceID`` -> ``instanceID``; not for Kobo's own ``_`` columns)."""
        found: dict[str, list[int]] = {}
        for i, head in enumerate(self.header):
            keys = {head, re.split(r"[/-]", head)[-1]}
            for key in keys:
                if key and (key == head or not key.startswith("_")):
                    found.setdefault(key, []).append(i)
        return {key: tuple(indexes) for key, indexes in found.items()}

    def value(self, cells: tuple[Any, ...] | list[Any], *names: str) -> str:
        """The first non-empty cell among the columns called ``names``."""
        for name in names:
            for i in self.by_name.get(name, ()):
                text = cell_text(cells[i]) if i < len(cells) else ""
                if text:
                    return text
        return ""


def detect_source(header: tuple[str, ...] | list[str]) -> Source | None:
    names = set(header)
    if "KEY" in names and names & {"SubmissionDate", "ReviewState"}:
        return "odk"
    if names & set(KOBO_MARKERS):
        return "kobo"
    return None


def _root_member(members: dict[str, bytes]) -> str | None:
    """The root table of an ODK Central archive: a top-level CSV that is not a repeat or an audit log."""
    tables = sorted((n for n in members if n.lower().endswith(".csv") and "/" not in n.strip("/")), key=lambda n: (len(n), n))
    plain = [n for n in tables if not n.lower().endswith(" - audit.csv")]
    return plain[0] if plain else None


def _zip_table(data: bytes, file: str) -> Table:
    check_size(data, file)
    members = unpack(data, open_zip(data, file), file)
    name = _root_member(members)
    if name is None:
        raise Rejected("layout", [Problem(file, "", t("forms.zip_no_csv"))])
    return _csv(members[name], file, PurePosixPath(name).name)


def _csv(data: bytes, file: str, name: str) -> Table:
    return read_csv(data, file, name=name, limit=MAX_FILE_BYTES, max_rows=MAX_EXPORT_ROWS, max_cols=MAX_EXPORT_COLS,
                    max_cells=MAX_EXPORT_CELLS)


def _table(path: Path, data: bytes, file: str) -> tuple[Table, list[str]]:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _csv(data, file, ""), []
    if suffix in ZIP_SUFFIXES:
        return _zip_table(data, file), []
    if suffix in WORKBOOK_SUFFIXES:
        book = read_workbook(data, suffix, file, lambda name: True)
        if not book.sheets:
            raise Rejected("empty", [Problem(file, "", t("read.empty"))])
        name, table = next(iter(book.sheets.items()))
        return table, list(book.formulas.get(name, []))
    raise Rejected("unsupported", [Problem(file, "", t("forms.unsupported", suffix=suffix or "-"))])


def _is_empty(cells: list[Any] | tuple[Any, ...]) -> bool:
    return not any(cell_text(c) for c in cells)


def _is_hxl(cells: list[Any]) -> bool:
    texts = [cell_text(c) for c in cells if cell_text(c)]
    return bool(texts) and all(text.startswith("#") for text in texts)


def read_export(path: Path, source: Source | None = None, data: bytes | None = None) -> Export:
    """The export at ``path``; :class:`~crassess.spreadsheets.read.Rejected` when it cannot be one."""
    file = str(path)
    data = read_limited(path, MAX_FILE_BYTES) if data is None else data
    sha = hashlib.sha256(data).hexdigest()
    table, formulas = _table(path, data, file)
    start = next((i for i, cells in enumerate(table.rows) if not _is_empty(cells)), None)
    if start is None:
        raise Rejected("empty", [Problem(file, "", t("forms.no_header"))])
    header = tuple(cell_text(c) for c in table.rows[start])
    found = source or detect_source(header)
    if found is None:
        raise Rejected("layout", [Problem(file, t("place.line", line=start + 1), t("forms.not_export"))])
    body = list(enumerate(table.rows))[start + 1:]
    if body and _is_hxl(body[0][1]):
        body = body[1:]
    rows = tuple((i + 1, cells) for i, cells in body if not _is_empty(cells))  # the reader's lists: no second copy
    return Export(file, sha, found, table.name, header, rows, tuple(formulas))

