"""From a returned file to its cells: the metadata, profile and answer entries with their places (no validation)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crassess.errors import Problem
from crassess.i18n import get_language, register, t
from crassess.spreadsheets.container import MAX_CSV_BYTES, MAX_FILE_BYTES, reject
from crassess.spreadsheets.layout import (
    CSV_PREFIX,
    HEADER_ALIASES,
    SHEETS,
    checksum,
    norm,
)
from crassess.spreadsheets.read import (
    CSV_SUFFIXES,
    WORKBOOK_SUFFIXES,
    ReadBook,
    Rejected,
    Table,
    a1,
    read_csv,
    read_workbook,
)

register({
    "imp.no_meta": {"it": "metadati nascosti mancanti: il file non viene da 'crassess template', o è stato salvato da un programma che ha tolto i fogli nascosti", "en": "hidden metadata missing: the file was not made by 'crassess template', or a program dropped its hidden sheets"},
    "imp.no_sheet": {"it": "manca il foglio '{sheet}'", "en": "sheet '{sheet}' is missing"},
    "imp.no_header": {"it": "intestazione non trovata: servono le colonne 'ID' e '{answer}'", "en": "header not found: the columns 'ID' and '{answer}' are needed"},
    "imp.formula": {"it": "formula senza valore calcolato: scrivere il valore, non una formula", "en": "formula without a computed value: write the value, not a formula"},
    "imp.formula_answer": {"it": "formula nella cella della risposta: scrivere il valore, non una formula", "en": "formula in the answer cell: write the value, not a formula"},
    "imp.cell_error": {"it": "la cella contiene l'errore {error} (di una formula): scrivere il valore", "en": "the cell holds the error {error} (of a formula): write the value"},
    "imp.no_id": {"it": "riga {row}: risposta '{value}' in una riga senza ID (riga inserita?), ignorata", "en": "row {row}: answer '{value}' on a row without an ID (an inserted row?), ignored"},
    "imp.merged": {"it": "celle unite {range} nella zona delle risposte: separarle", "en": "merged cells {range} in the answer area: unmerge them"},
})


# The order in which a file's reasons are reported: the first that applies names the file's rejection.
REASONS = ("not_found", "unreadable", "empty", "too_big", "unsupported", "password", "unsafe", "corrupted", "crashed",
           "metadata", "rows", "questionnaire", "version", "layout", "formula", "cell_error", "merged", "invalid")


@dataclass(frozen=True)
class CellProblem:
    """One problem of a file, located for the errors report; ``reason`` is a key of :data:`REASONS`."""

    reason: str
    sheet: str
    cell: str
    question: str
    message: str
    expected: str = ""

    def problem(self, file: str) -> Problem:
        place = f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.sheet or self.cell
        if self.question:
            place = f"{place} ({self.question})" if place else self.question
        message = self.message + (f" — {self.expected}" if self.expected else "")
        return Problem(file, place, message)


@dataclass
class Entry:
    """One row of a file: its ID, the answer cell's value and place; ``percent`` when the cell is formatted as
    a percentage (its value is then the fraction, 0.5 for 50%)."""

    id: str
    value: Any
    note: str
    sheet: str
    cell: str
    percent: bool = False


@dataclass
class Extract:
    meta: dict[str, str]
    entries: list[Entry]
    profile: list[Entry]
    problems: list[CellProblem] = field(default_factory=list)
    checksum_ok: bool | None = None
    warnings: list[CellProblem] = field(default_factory=list)


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates as ISO, surrounding and non-breaking spaces dropped."""
    if type(value) is str:
        return value.replace("\u00a0", " ").replace("\u202f", " ").strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) and not value.time() else value.isoformat()
    return str(value).replace("\u00a0", " ").replace("\u202f", " ").strip()


def _find_header(table: Table, answer_keys: set[str]) -> tuple[int, dict[str, int]] | None:
    for r in range(min(len(table.rows), 10)):
        keys = {norm(cell_text(v)): c for c, v in enumerate(table.rows[r])}
        cols = {}
        for key, aliases in HEADER_ALIASES.items():
            wanted = aliases if key != "answer" else answer_keys
            found = next((keys[a] for a in wanted if a in keys), None)
            if found is not None:
                cols[key] = found
        if "id" in cols and "answer" in cols:
            return r, cols
    return None


def _entries(table: Table, header: int, cols: dict[str, int], warnings: list[CellProblem] | None = None) -> list[Entry]:
    out = []
    for r in range(header + 1, len(table.rows)):
        rid = cell_text(table.cell(r, cols["id"]))
        if not rid:
            answer = cell_text(table.cell(r, cols["answer"]))
            if answer and warnings is not None:
                place = a1(r, cols["answer"])
                warnings.append(CellProblem("", table.name, place, "", t("imp.no_id", row=r + 1, value=answer[:40])))
            continue
        note = cell_text(table.cell(r, cols["note"])) if "note" in cols else ""
        out.append(Entry(rid, table.cell(r, cols["answer"]), note, table.name, a1(r, cols["answer"])))
    return out


_SHEET_NAMES = {key: {norm(name) for name in names.values()} for key, names in SHEETS.items()}


def _sheet(book: ReadBook, key: str) -> Table | None:
    return next((table for name, table in book.sheets.items() if norm(name) in _SHEET_NAMES[key]), None)


def _merged_problems(book: ReadBook, table: Table, header: int, cols: dict[str, int]) -> list[CellProblem]:
    watched = {cols["id"], cols["answer"]}
    out = []
    for r1, c1, r2, c2 in book.scan(table.name).merged:
        if r2 > header and any(c1 <= c <= c2 for c in watched):
            rng = f"{a1(r1, c1)}:{a1(r2, c2)}"
            out.append(CellProblem("merged", table.name, rng, "", t("imp.merged", range=rng)))
    return out


def _cell_problems(book: ReadBook, watched: list[Table], entries: list[Entry]) -> list[CellProblem]:
    """Formulas and cached errors: in an answer cell, named with the question id; elsewhere a formula without a
    value (a sheet whose cells cannot be trusted). Marks the answer cells formatted as percentages."""
    answers = {(e.sheet, e.cell): e for e in entries}
    problems: list[CellProblem] = []
    for table in watched:
        scan = book.scan(table.name)
        for ref, cached in scan.formulas.items():
            entry = answers.get((table.name, ref))
            if entry is not None:
                problems.append(CellProblem("formula", table.name, ref, entry.id, t("imp.formula_answer")))
            elif not cached:
                problems.append(CellProblem("formula", table.name, ref, "", t("imp.formula")))
        for ref, error in scan.errors.items():
            entry = answers.get((table.name, ref))
            if entry is not None and ref not in scan.formulas:
                problems.append(CellProblem("cell_error", table.name, ref, entry.id, t("imp.cell_error", error=error)))
        for ref in scan.percent:
            if (table.name, ref) in answers:
                answers[(table.name, ref)].percent = True
    return problems


def _extract_workbook(book: ReadBook) -> Extract:
    problems: list[CellProblem] = []
    warnings: list[CellProblem] = []
    meta_sheet = _sheet(book, "meta")
    if meta_sheet is None:
        raise Rejected("metadata", [Problem("", "", t("imp.no_meta"))])
    meta = {cell_text(row[0]): cell_text(row[1]) for row in meta_sheet.rows if len(row) >= 2 and cell_text(row[0])}
    parts: dict[str, list[Entry]] = {}
    answer_heads = {"questions": HEADER_ALIASES["answer"] - {"valore", "value"}, "profile": {"valore", "value"}}
    for key in ("questions", "profile"):
        table = _sheet(book, key)
        lang_name = SHEETS[key][get_language()]
        if table is None:
            problems.append(CellProblem("layout", lang_name, "", "", t("imp.no_sheet", sheet=lang_name)))
            parts[key] = []
            continue
        found = _find_header(table, answer_heads[key])
        if found is None:
            answer = "Risposta" if key == "questions" else "Valore"
            problems.append(CellProblem("layout", table.name, "A1", "", t("imp.no_header", answer=answer)))
            parts[key] = []
            continue
        header, cols = found
        parts[key] = _entries(table, header, cols, warnings if key == "questions" else None)
        problems += _merged_problems(book, table, header, cols)
    watched = [meta_sheet, *(table for table in (_sheet(book, "questions"), _sheet(book, "profile")) if table)]
    problems += _cell_problems(book, watched, parts["questions"] + parts["profile"])
    ok = meta.get("checksum") == checksum(meta, [e.id for e in parts["questions"]], [e.id for e in parts["profile"]])
    return Extract(meta, parts["questions"], parts["profile"], problems, ok, warnings)


def _extract_csv(table: Table) -> Extract:
    found = _find_header(table, HEADER_ALIASES["answer"])
    if found is None:
        raise Rejected("layout", [Problem("", f"{table.name}!A1", t("imp.no_header", answer="Risposta"))])
    header, cols = found
    meta: dict[str, str] = {}
    entries: list[Entry] = []
    profile: list[Entry] = []
    for entry in _entries(table, header, cols):
        if isinstance(entry.value, str) and entry.value[:1] == "'" and entry.value[1:2] in ("=", "+", "-", "@"):
            entry.value = entry.value[1:]  # the apostrophe crassess (and Excel users) put before formula-like text
        if entry.id.startswith(CSV_PREFIX):
            key = entry.id[len(CSV_PREFIX):].strip().lower()
            if key in ("questionnaire", "version", "response_id", "content_hash", "respondent_id"):
                meta[key] = cell_text(entry.value)
            else:
                profile.append(Entry(key, entry.value, entry.note, entry.sheet, entry.cell))
        else:
            entries.append(entry)
    return Extract(meta, entries, profile)


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, a device, a socket): never opened for reading."""


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a returned file, read-only (``limit``: default the limit of its kind); a larger file is
    refused by its size, without reading it. A FIFO or a device is refused without blocking on it."""
    if limit is None:
        limit = MAX_CSV_BYTES if path.suffix.lower() in CSV_SUFFIXES else MAX_FILE_BYTES
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file")
        if info.st_size > limit:  # refused by its size on disk, without reading it
            raise reject("too_big", str(path), t("read.too_big", size=round(info.st_size / 2**20, 1), limit=limit // 2**20))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


_SHEET_KEYS = {norm(name): key for key in ("meta", "profile", "questions") for name in SHEETS[key].values()}


def sheet_key(sheet: str) -> str | None:
    """Which sheet of the layout a sheet name is ("meta", "profile", "questions"), in either language."""
    return _SHEET_KEYS.get(norm(sheet))


def extract_file(path: Path, data: bytes, file: str) -> tuple[Extract, bool]:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _extract_csv(read_csv(data, file)), True
    if suffix in WORKBOOK_SUFFIXES:
        return _extract_workbook(read_workbook(data, suffix, file, sheet_key)), False
    raise Rejected("unsupported", [Problem(file, "", t("read.unsupported", suffix=suffix or "-"))])
