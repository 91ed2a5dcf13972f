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
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from crassess.campaign.config import load_campaign_config
from crassess.campaign.store import Record, ResponseStore
from crassess.errors import Problem, UsageError
from crassess.i18n import get_language, register, set_language, t
from crassess.questionnaire.load import load_questionnaire
from crassess.safe_text import neutralise_formula, strip_control
from crassess.spreadsheets.extract import CellProblem
from crassess.spreadsheets.layout import safe_stem
from crassess.spreadsheets.read import CSV_SUFFIXES, WORKBOOK_SUFFIXES
from crassess.spreadsheets.validate import FileResult, Questionnaires, read_returned

register({
    "imp.conflict": {"it": "la risposta {id} è già nella campagna ({existing}) con risposte diverse: entrambe lasciate intatte; copia in {copy}", "en": "response {id} is already in the campaign ({existing}) with different answers: both left untouched; copy in {copy}"},
    "imp.no_inputs": {"it": "nessun file da importare ({suffixes}) trovato in {paths}", "en": "no file to import ({suffixes}) found in {paths}"},
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


def collect_paths(inputs: Sequence[Path], campaign: Path, suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    """Files as given, and those with ``suffixes`` inside folders (sorted; lock files and the campaign skipped)."""
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
                      if Path(f).suffix.lower() in suffixes and not f.startswith(("~$", ".~lock", "."))]
        out += sorted(found)
    return out


# ------------------------------------------------------------ workers

_WORKER: dict[str, Any] = {}


@dataclass(frozen=True)
class Prepared:
    """A file read, validated and serialised in a worker: the main process only decides and writes.

    ``record`` is the response to store; a rejected file has none, and ``report`` is its errors report.
    """

    file: str
    sha256: str
    reason: str | None
    record: Record | None
    report: bytes
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportSetup:
    """What every worker needs, picklable: questionnaire files, campaign territory, language, import time."""

    explicit: tuple[str, ...]
    local: tuple[str, ...]
    territory: str | None
    lang: str
    stamp: str

    def questionnaires(self) -> Questionnaires:
        return Questionnaires([load_questionnaire(s) for s in self.explicit], [load_questionnaire(s) for s in self.local])


def _init_worker(setup: ImportSetup) -> None:
    set_language(setup.lang)
    territory = Path(setup.territory) if setup.territory else None
    _WORKER.update(source=setup.questionnaires(), lang=setup.lang, stamp=setup.stamp, territory=territory)


def prepare(result: FileResult, lang: str, stamp: str) -> Prepared:
    """The response record (with its import time) or the errors report of one file, ready to write."""
    warnings = tuple(w.problem(result.file) for w in result.warnings)
    if result.response is None:
        problems = tuple(p.problem(result.file) for p in result.problems)
        report = errors_report(result.file, result.problems, lang) if result.reason != "not_found" else b""
        return Prepared(result.file, result.sha256, result.reason, None, report, problems, warnings)
    response = result.response
    response["provenance"]["imported_at"] = stamp
    return Prepared(result.file, result.sha256, None, Record.of(response), b"", (), warnings)


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


def read_all(paths: Sequence[Path], setup: ImportSetup, workers: int) -> Iterator[Prepared]:
    """Read, validate and serialise every file: in ``workers`` processes when there are many, else here."""
    if workers <= 1 or len(paths) < PARALLEL_MIN_FILES:
        _init_worker(setup)
        for path in paths:
            yield from _read_chunk([str(path)])
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(setup,)) as pool:
        yield from _bounded(pool, _chunks(paths, CHUNK), WINDOW * workers)


# ------------------------------------------------------------ writing into the campaign


def report_csv(head: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """A report as a CSV for Excel: UTF-8 with BOM, ';', CRLF, no cell ever read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    for row in rows:
        writer.writerow([neutralise_formula(strip_control(x)) for x in row])
    return out.getvalue().encode("utf-8-sig")


def errors_report(file: str, problems: Sequence[CellProblem], lang: str) -> bytes:
    """The errors of one file as a CSV for Excel (UTF-8 with BOM, ';'): file, sheet, cell, question, problem, expected."""
    name = Path(file).name
    rows = [(name, p.sheet, p.cell, p.question, p.message, p.expected) for p in problems]
    return report_csv(t("imp.report.head", lang).split(";"), rows)


class CampaignWriter:
    """Writes outcomes into the campaign folder through its response store, in batches under its lock."""

    def __init__(self, root: Path):
        if root.exists() and not root.is_dir():
            raise UsageError(problems=[Problem(str(root), "", t("imp.campaign_file", path=root))])
        self.root = root
        self.store = ResponseStore(root, "crassess import")

    def write(self, items: Sequence[Prepared]) -> list[FileOutcome]:
        """Decide what each item becomes (imported, unchanged, conflict, rejected) and write its file, holding
        the campaign's lock only for these writes."""
        with self.store.locked():
            return [self._write_one(item) for item in items]

    def sync(self) -> None:
        self.store.sync()

    def _write_one(self, item: Prepared) -> FileOutcome:
        if item.record is None:
            return self._reject(item)
        stored = self.store.add(item.record)
        if stored.outcome == "written":
            return FileOutcome(item.file, "imported", None, str(stored.path), (), item.warnings)
        if stored.outcome == "unchanged":
            return FileOutcome(item.file, "unchanged", None, str(stored.path), (), item.warnings)
        problem = Problem(item.file, "", t("imp.conflict", id=item.record.id, existing=stored.path, copy=stored.copy))
        return FileOutcome(item.file, "conflict", "conflict", str(stored.copy), (problem,), item.warnings)

    def _reject(self, item: Prepared) -> FileOutcome:
        if item.reason == "not_found":
            return FileOutcome(item.file, "rejected", item.reason, None, item.problems, item.warnings)
        report = self.root / "errors" / report_name(item.file, item.sha256)
        self.store.write_file(report, item.report)
        return FileOutcome(item.file, "rejected", item.reason, str(report), item.problems, item.warnings)


def report_name(file: str, sha256: str) -> str:
    """``<file name>-<8 hex digits of the name and content>.errors.csv``: two rejected files never share a
    report (``a/risposta.xlsx`` and ``b/risposta.xlsx`` differ in content), the same file re-imported keeps its own."""
    name = Path(file).name
    tag = hashlib.sha256(f"{name}\0{sha256}".encode()).hexdigest()[:8]
    return f"{safe_stem(Path(file).stem, fallback='file')}-{tag}.errors.csv"


FLUSH_ITEMS = 64
FLUSH_SECONDS = 0.2  # the lock is taken per batch of results: other writers (an interview) get in between


def batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    """Items in batches of at most ``FLUSH_ITEMS`` or ``FLUSH_SECONDS``: the campaign's lock is taken per batch."""
    batch: list[Any] = []
    started = 0.0
    for item in items:
        if not batch:
            started = time.monotonic()
        batch.append(item)
        if len(batch) >= FLUSH_ITEMS or time.monotonic() - started >= FLUSH_SECONDS:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass(frozen=True)
class ImportStart:
    """An import ready to run: the files found, what the readers need and the campaign writer."""

    paths: list[Path]
    setup: ImportSetup
    target: CampaignWriter


def start_import(inputs: Sequence[Path], campaign: Path, questionnaires: Sequence[str] = (),
                 now: dt.datetime | None = None, suffixes: tuple[str, ...] = SUFFIXES) -> ImportStart:
    """Check ``-q`` and ``campaign.yaml`` and find the files, before any file is read."""
    for spec in questionnaires:
        load_questionnaire(spec)  # a bad -q stops the run before any file is read
    config = load_campaign_config(campaign) if campaign.is_dir() else None  # campaign.yaml: its questionnaires, territory
    local = tuple(str(p) for p in config.questionnaire_paths()) if config else ()
    for spec in local:
        load_questionnaire(spec)
    territory = str(config.territory_path) if config and config.territory_path else None
    paths = collect_paths(inputs, campaign, suffixes)
    if not paths:
        raise UsageError(problems=[Problem("", "", t("imp.no_inputs", suffixes=", ".join(suffixes), paths=", ".join(map(str, inputs))))])
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    setup = ImportSetup(tuple(str(q) for q in questionnaires), local, territory, get_language(), stamp)
    return ImportStart(paths, setup, CampaignWriter(campaign))


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
    run = start_import(inputs, campaign, questionnaires, now)
    summary = ImportSummary()
    if on_start:
        on_start(len(run.paths))
    try:
        for batch in batches(read_all(run.paths, run.setup, workers)):
            for outcome in run.target.write(batch):
                summary.add(outcome)
                if on_file:
                    on_file(outcome)
    finally:
        run.target.sync()
    return summary
