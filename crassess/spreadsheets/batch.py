"""Importing returned files into a campaign: in worker processes, streaming, duplicates, errors reports.

Layout written under the campaign folder (through :mod:`crassess.campaign.store`, under its lock):

- ``responses/<name>-<id>.json``: one ordinary response file per imported workbook, with provenance;
- ``errors/<file name>-<hash8>.errors.csv``: for each rejected file, every problem (to send back to the respondent);
- ``conflicts/<name>-<id>-<digest8>.json``: a returned response whose id is already in the campaign with
  other answers; the existing response is left untouched for a human to decide.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from crassess.campaign.config import load_campaign_config
from crassess.campaign.store import ResponseStore
from crassess.errors import Problem, UsageError
from crassess.i18n import get_language, register, t
from crassess.questionnaire.load import load_questionnaire
from crassess.spreadsheets.inputs import SUFFIXES, Skipped, collect_paths
from crassess.spreadsheets.report import errors_report, report_csv, report_name
from crassess.spreadsheets.workers import ImportSetup, Prepared, read_all

__all__ = ["SUFFIXES", "CampaignWriter", "FileOutcome", "ImportSetup", "ImportStart", "ImportSummary", "Prepared",
           "batches", "errors_report", "import_files", "read_all", "report_csv", "report_name", "start_import"]

register({
    "imp.conflict": {"it": "la risposta {id} è già nella campagna ({existing}) con risposte diverse: entrambe lasciate intatte; copia in {copy}", "en": "response {id} is already in the campaign ({existing}) with different answers: both left untouched; copy in {copy}"},
    "imp.no_inputs": {"it": "nessun file da importare ({suffixes}) trovato in {paths}", "en": "no file to import ({suffixes}) found in {paths}"},
    "imp.campaign_file": {"it": "la campagna '{path}' non è una cartella", "en": "the campaign '{path}' is not a folder"},
})

Status = Literal["imported", "unchanged", "conflict", "rejected"]
MAX_KEPT_PROBLEMS = 20  # per file in the summary: the errors report has them all


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input file, and where its response or errors report was written."""

    file: str
    status: Status
    reason: str | None = None
    written: str | None = None
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    omitted: int = 0  # problems left out of ``problems`` (all are in the errors report)

    def trimmed(self, keep: int = MAX_KEPT_PROBLEMS) -> FileOutcome:
        """The outcome with at most ``keep`` problems and warnings (the rest counted in ``omitted``)."""
        if len(self.problems) <= keep and len(self.warnings) <= keep:
            return self
        more = len(self.problems) - keep if len(self.problems) > keep else 0
        return replace(self, problems=self.problems[:keep], warnings=self.warnings[:keep], omitted=self.omitted + more)


@dataclass
class ImportSummary:
    """Counts by status and by rejection reason; the files that were not imported (with their first problems)
    and the files skipped in the input folders. Its size does not grow with the problems of a file."""

    counts: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    attention: list[FileOutcome] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: int = 0

    def add(self, outcome: FileOutcome) -> None:
        self.counts[outcome.status] += 1
        self.warnings += len(outcome.warnings)
        if outcome.reason:
            self.reasons[outcome.reason] += 1
        if outcome.status in ("rejected", "conflict"):
            self.attention.append(outcome.trimmed())

    @property
    def ok(self) -> bool:
        return not (self.counts["rejected"] or self.counts["conflict"])


# ------------------------------------------------------------ writing into the campaign


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
    """An import ready to run: the files found (and those skipped, with the reason), what the readers need and
    the campaign writer."""

    paths: list[Path]
    setup: ImportSetup
    target: CampaignWriter
    skipped: list[Skipped] = field(default_factory=list)


def start_import(inputs: Sequence[Path], campaign: Path, questionnaires: Sequence[str] = (),
                 now: dt.datetime | None = None, suffixes: tuple[str, ...] = SUFFIXES, sep: str | None = None) -> ImportStart:
    """Check ``-q`` and ``campaign.yaml`` and find the files, before any file is read."""
    for spec in questionnaires:
        load_questionnaire(spec)  # a bad -q stops the run before any file is read
    config = load_campaign_config(campaign) if campaign.is_dir() else None  # campaign.yaml: its questionnaires, territory
    local = tuple(str(p) for p in config.questionnaire_paths()) if config else ()
    for spec in local:
        load_questionnaire(spec)
    territory = str(config.territory_path) if config and config.territory_path else None
    found = collect_paths(inputs, campaign, suffixes)
    if not found.paths:
        skipped = [Problem(s.path, "", t("in.skipped", reason=s.reason)) for s in found.skipped]
        no_inputs = t("imp.no_inputs", suffixes=", ".join(suffixes), paths=", ".join(map(str, inputs)))
        raise UsageError(problems=[*skipped, Problem("", "", no_inputs)])
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat()
    setup = ImportSetup(tuple(str(q) for q in questionnaires), local, territory, get_language(), stamp, sep)
    return ImportStart(found.paths, setup, CampaignWriter(campaign), found.skipped)


def import_files(
    inputs: Sequence[Path],
    campaign: Path,
    questionnaires: Sequence[str] = (),
    workers: int = 2,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    now: dt.datetime | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    sep: str | None = None,
) -> ImportSummary:
    """Import returned workbooks/CSV files (or folders of them) into ``campaign``.

    Every file is validated fully; a file with any problem is not imported and gets an errors report.
    ``sep`` is the errors reports' separator (``--sep``; default by language). ``on_start(n)`` and
    ``on_file(outcome)`` let a caller show progress. Memory stays bounded: results
    are consumed as they come and only files needing attention are kept in the summary.
    """
    run = start_import(inputs, campaign, questionnaires, now, sep=sep)
    summary = ImportSummary(skipped=run.skipped)
    for item in run.skipped:
        if on_skip:
            on_skip(item)
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
