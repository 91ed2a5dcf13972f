"""Importing returned files into a campaign: in parallel when many, streaming, duplicates, errors reports.

Layout written under the campaign folder:

- ``responses/<name>-<id8>.json``: one ordinary response file per imported workbook, with provenance;
- ``errors/<file-stem>.errors.csv``: for each rejected file, every problem (to send back to the respondent);
- ``conflicts/<name>-<id8>-<sha8>.json``: a returned response whose id is already in the campaign with
  other answers; the existing response is left untouched for a human to decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from crassess.campaign.config import load_campaign_config
from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import get_language, register, set_language, t
from crassess.questionnaire.load import load_questionnaire
from crassess.sources import atomic_write_bytes, dump_json
from crassess.spreadsheets.layout import safe_stem
from crassess.spreadsheets.read import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from crassess.spreadsheets.extract import CellProblem
from crassess.spreadsheets.validate import FileResult, Questionnaires, read_returned

register({
    "imp.conflict": {"it": "la risposta {id} è già nella campagna ({existing}) con risposte diverse: entrambe lasciate intatte; copia in {copy}", "en": "response {id} is already in the campaign ({existing}) with different answers: both left untouched; copy in {copy}"},
    "imp.write_failed": {"it": "scrittura non riuscita: {error}", "en": "write failed: {error}"},
    "imp.no_inputs": {"it": "nessun file .xlsx, .xlsm, .ods o .csv trovato in {paths}", "en": "no .xlsx, .xlsm, .ods or .csv file found in {paths}"},
    "imp.campaign_file": {"it": "la campagna '{path}' non è una cartella", "en": "the campaign '{path}' is not a folder"},
    "imp.report.head": {"it": "File;Foglio;Cella;Domanda;Problema;Atteso", "en": "File;Sheet;Cell;Question;Problem;Expected"},
})

Status = Literal["imported", "unchanged", "conflict", "rejected"]
SUFFIXES = WORKBOOK_SUFFIXES + CSV_SUFFIXES
PARALLEL_MIN_FILES = 40
CHUNK = 16
WINDOW = 4  # chunks in flight per worker: bounds memory whatever the number of files


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file, and where its response or errors report was written."""

    file: str
    status: Status
    reason: str | None = None
    written: str | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()


@dataclass
class ImportSummary:
    """Counts by status and by rejection reason; the outcomes of files that were not imported."""

    counts: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    attention: list[FileOutcome] = field(default_factory=list)
    warnings: int = 0

    def add(self, outcome: FileOutcome) -> None:
        self.counts[outcome.status] += 1
        self.warnings += len(outcome.warnings)
        if outcome.reason:
            self.reasons[outcome.reason] += 1
        if outcome.status in ("rejected", "conflict"):
            self.attention.append(outcome)

    @property
    def ok(self) -> bool:
        return not (self.counts["rejected"] or self.counts["conflict"])


# ------------------------------------------------------------ inputs


def collect_paths(inputs: Sequence[Path], campaign: Path) -> list[Path]:
    """Files as given, and the spreadsheets inside folders (sorted; lock files and the campaign skipped)."""
    out: list[Path] = []
    skip = campaign.resolve()
    for path in inputs:
        if not path.is_dir():
            out.append(path)
            continue
        found = []
        for root, dirs, files in os.walk(path):
            rootp = Path(root)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (rootp / d).resolve() != skip)
            found += [rootp / f for f in files
                      if Path(f).suffix.lower() in SUFFIXES and not f.startswith(("~$", ".~lock", "."))]
        out += sorted(found)
    return out


# ------------------------------------------------------------ workers

_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class Prepared:
    """A file read, validated and serialised in a worker: the main process only decides and writes."""

    file: str
    sha256: str
    reason: str | None
    response_id: str | None
    stem: str
    digest: str | None
    data: bytes
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class _Setup:
    """What every worker needs, picklable: questionnaire files, campaign territory, language, import time."""

    explicit: tuple[str, ...]
    local: tuple[str, ...]
    territory: str | None
    lang: str
    stamp: str


def _init_worker(setup: _Setup) -> None:
    set_language(setup.lang)
    source = Questionnaires([load_questionnaire(s) for s in setup.explicit], [load_questionnaire(s) for s in setup.local])
    territory = Path(setup.territory) if setup.territory else None
    _WORKER.update(source=source, lang=setup.lang, stamp=setup.stamp, territory=territory)


def prepare(result: FileResult, lang: str, stamp: str) -> Prepared:
    """The response JSON (with its import time) or the errors report of one file, ready to write."""
    warnings = tuple(w.problem(result.file) for w in result.warnings)
    if result.response is None:
        problems = tuple(p.problem(result.file) for p in result.problems)
        report = errors_report(result.file, result.problems, lang) if result.reason != "not_found" else b""
        stem = safe_stem(Path(result.file).stem, fallback="file")
        return Prepared(result.file, result.sha256, result.reason, None, stem, None, report, problems, warnings)
    response = result.response
    response["provenance"]["imported_at"] = stamp
    rid = response["id"]
    stem = f"{safe_stem(response['respondent'].get('name') or '')}-{rid[:8]}"
    data = dump_json(response).encode("utf-8")
    return Prepared(result.file, result.sha256, None, rid, stem, _digest(response), data, (), warnings)


def _read_chunk(paths: list[str]) -> list[Prepared]:
    source, lang, stamp, territory = _WORKER["source"], _WORKER["lang"], _WORKER["stamp"], _WORKER["territory"]
    return [prepare(read_returned(Path(p), source, lang, territory), lang, stamp) for p in paths]


def _chunks(paths: Iterable[Path], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for path in paths:
        chunk.append(str(path))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bounded(executor: Executor, chunks: Iterator[list[str]], window: int) -> Iterator[Prepared]:
    """Results in input order with at most ``window`` chunks pending (constant memory)."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(executor.submit(_read_chunk, chunk))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def read_all(paths: Sequence[Path], setup: _Setup, workers: int) -> Iterator[Prepared]:
    """Read, validate and serialise every file: in ``workers`` processes when there are many, else here."""
    if workers <= 1 or len(paths) < PARALLEL_MIN_FILES:
        _init_worker(setup)
        for path in paths:
            yield from _read_chunk([str(path)])
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(setup,)) as pool:
        yield from _bounded(pool, _chunks(paths, CHUNK), WINDOW * workers)


# ------------------------------------------------------------ writing into the campaign


def _digest(response: dict[str, Any]) -> str:
    """What makes two responses "the same": answers, notes and respondent (not provenance)."""
    key = {k: response.get(k) or {} for k in ("answers", "notes", "respondent")}
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _index(responses_dir: Path) -> dict[str, tuple[str, str]]:
    """Response id -> (file, digest) of the responses already in the campaign."""
    index: dict[str, tuple[str, str]] = {}
    if not responses_dir.is_dir():
        return index
    for path in sorted(responses_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            index[data["id"]] = (str(path), _digest(data))
    return index


_NEUTRAL = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """CSV cell safe to open in Excel: never read as a formula."""
    return "'" + text if text.startswith(_NEUTRAL) else text


def errors_report(file: str, problems: Sequence[CellProblem], lang: str) -> bytes:
    """The errors of one file as a CSV for Excel (UTF-8 with BOM, ';'): file, sheet, cell, question, problem, expected."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(t("imp.report.head", lang).split(";"))
    name = Path(file).name
    for p in problems:
        writer.writerow([_cell(x) for x in (name, p.sheet, p.cell, p.question, p.message, p.expected)])
    return out.getvalue().encode("utf-8-sig")


class _Campaign:
    """Writes outcomes into the campaign folder, keeping the id index in step within one run."""

    def __init__(self, root: Path):
        if root.exists() and not root.is_dir():
            raise UsageError(problems=[Problem(str(root), "", t("imp.campaign_file", path=root))])
        self.root = root
        self.responses = root / "responses"
        self.index = _index(self.responses)
        self.report_names: set[str] = set()
        self.written = 0

    def write(self, item: Prepared) -> FileOutcome:
        """Decide what ``item`` becomes (imported, unchanged, conflict, rejected) and write its file."""
        outcome, data = self._decide(item)
        if data is not None:
            assert outcome.written is not None
            _write(Path(outcome.written), data)
            self.written += 1
        return outcome

    def sync(self) -> None:
        """One sync for the whole batch instead of one fsync per file (each write is an atomic rename)."""
        if self.written and hasattr(os, "sync"):
            os.sync()

    def _decide(self, item: Prepared) -> tuple[FileOutcome, bytes | None]:
        if item.response_id is None:
            return self._reject(item)
        rid = item.response_id
        if rid in self.index:
            existing, known = self.index[rid]
            if known == item.digest:
                return FileOutcome(item.file, "unchanged", None, existing, (), item.warnings), None
            copy = self.root / "conflicts" / f"{item.stem}-{item.sha256[:8]}.json"
            problem = Problem(item.file, "", t("imp.conflict", id=rid, existing=existing, copy=copy))
            return FileOutcome(item.file, "conflict", "conflict", str(copy), (problem,), item.warnings), item.data
        target = self.responses / f"{item.stem}.json"
        assert item.digest is not None
        self.index[rid] = (str(target), item.digest)
        return FileOutcome(item.file, "imported", None, str(target), (), item.warnings), item.data

    def _reject(self, item: Prepared) -> tuple[FileOutcome, bytes | None]:
        if item.reason == "not_found":
            return FileOutcome(item.file, "rejected", item.reason, None, item.problems, item.warnings), None
        name = item.stem
        if name in self.report_names:
            name = f"{name}-{(item.sha256 or hashlib.sha256(item.file.encode()).hexdigest())[:8]}"
        self.report_names.add(name)
        report = self.root / "errors" / f"{name}.errors.csv"
        return FileOutcome(item.file, "rejected", item.reason, str(report), item.problems, item.warnings), item.data


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data, durable=False)
    except OSError as exc:
        raise InvalidInput(problems=[Problem(str(path), "", t("imp.write_failed", error=exc.strerror or exc))]) from None


def import_files(
    inputs: Sequence[Path],
    campaign: Path,
    questionnaires: Sequence[str] = (),
    workers: int = 2,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    now: dt.datetime | None = None,
) -> ImportSummary:
    """Import returned workbooks/CSV files (or folders of them) into ``campaign``.

    Every file is validated fully; a file with any problem is not imported and gets an errors report.
    ``on_start(n)`` and ``on_file(outcome)`` let a caller show progress. Memory stays bounded: results
    are consumed as they come and only files needing attention are kept in the summary.
    """
    for spec in questionnaires:
        load_questionnaire(spec)  # a bad -q stops the run before any file is read
    config = load_campaign_config(campaign) if campaign.is_dir() else None  # campaign.yaml: its questionnaires, territory
    local = tuple(str(p) for p in config.questionnaire_paths()) if config else ()
    for spec in local:
        load_questionnaire(spec)
    territory = str(config.territory_path) if config and config.territory_path else None
    paths = collect_paths(inputs, campaign)
    if not paths:
        raise UsageError(problems=[Problem("", "", t("imp.no_inputs", paths=", ".join(map(str, inputs))))])
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    summary = ImportSummary()
    if on_start:
        on_start(len(paths))
    target = _Campaign(campaign)
    try:
        setup = _Setup(tuple(str(q) for q in questionnaires), local, territory, get_language(), stamp)
        for item in read_all(paths, setup, workers):
            outcome = target.write(item)
            summary.add(outcome)
            if on_file:
                on_file(outcome)
    finally:
        target.sync()
    return summary
