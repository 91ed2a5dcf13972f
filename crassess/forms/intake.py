"""``crassess import``: returned workbooks and the submission exports of online forms, into one campaign.

Workbooks and crassess CSV files go through :mod:`crassess.spreadsheets.batch` as they always did; a file
it refuses for missing metadata or header is read again as a KoboToolbox/ODK Central export, and ``.zip``
files (or every file, with ``--source``) are exports. Each submission row becomes one ordinary response
in ``responses/`` through the same campaign writer, so duplicates and conflicts follow the same rules:

- the response id is the submission's instance id (ODK Central ``KEY``, KoboToolbox ``meta/rootUuid``,
  else ``_uuid``): the same row imported again is *unchanged*, changed content under the same id a *conflict*;
- an edited submission (a newer version of one already imported: more ``Edits`` on ODK Central, a later
  ``end`` on KoboToolbox) *replaces* it, keeping a copy of the old file in ``replaced/``; an older version
  than the one in the campaign is left out (*older*);
- a submission rejected by a reviewer (KoboToolbox "Not approved", ODK Central "rejected") is *skipped*;
- a row with any problem is *rejected*; the problems of all rows of an export go to one errors report,
  ``errors/<export name>-<8 hex digits>.errors.csv``, with row, column, question id and submission id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from crassess.campaign.store import Record, response_digest
from crassess.errors import Problem
from crassess.forms.exports import ZIP_SUFFIXES, Export, Source, read_export
from crassess.forms.layout import FormLayout, form_layout
from crassess.forms.rows import (
    Refused,
    RowProblem,
    Submission,
    check_row,
    map_columns,
    response_id,
    sort_cells,
    submission,
)
from crassess.i18n import register, t
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.responses import unanswered_required
from crassess.spreadsheets.batch import (
    SUFFIXES,
    FileOutcome,
    ImportStart,
    ImportSummary,
    Prepared,
    batches,
    read_all,
    report_csv,
    report_name,
    start_import,
)
from crassess.spreadsheets.extract import REASONS
from crassess.spreadsheets.inputs import Skipped
from crassess.spreadsheets.read import Rejected
from crassess.spreadsheets.workers import Isolated
from crassess.territory.validate import territory_for

register({
    "forms.report.head": {"it": "File;Riga;Colonna;Domanda;Invio;Problema;Atteso", "en": "File;Row;Column;Question;Submission;Problem;Expected"},
    "forms.skipped_present": {"it": "invio rifiutato su {platform}, ma la risposta {id} è già nella campagna ({file}): toglierla a mano se non deve contare", "en": "submission rejected on {platform}, but response {id} is already in the campaign ({file}): remove it by hand if it must not count"},
    "forms.replaced": {"it": "invio modificato su {platform}: sostituisce la versione importata prima ({file}); la precedente è copiata in {copy}", "en": "submission edited on {platform}: it replaces the version imported before ({file}); the previous one is copied to {copy}"},
    "forms.older": {"it": "versione precedente di un invio modificato: nella campagna c'è già quella più recente ({file})", "en": "earlier version of an edited submission: the campaign already holds the later one ({file})"},
})

PLATFORMS = {"kobo": "KoboToolbox", "odk": "ODK Central"}
DIVERTED = ("metadata", "layout")  # why a workbook import refuses a file that may be an export
NOT_AN_EXPORT = ("layout", "empty")  # why the export reader refuses a diverted file that is not one
REPLACED_DIR = "replaced"


@dataclass(frozen=True)
class ImportResult:
    """The files (returned workbooks, and exports refused as a whole) and the submission rows, counted apart."""

    files: ImportSummary
    submissions: ImportSummary
    exports: int

    @property
    def ok(self) -> bool:
        return self.files.ok and self.submissions.ok


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _moment(text: Any) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else None


def version_order(sub: Submission, provenance: dict[str, Any]) -> int:
    """1 when ``sub`` is a later version than the one imported with ``provenance``, -1 earlier, 0 unknown."""
    if not provenance.get("instance_id") or provenance["instance_id"] == sub.instance:
        return 0
    if sub.edits is not None and isinstance(provenance.get("edits"), int):
        return _sign(sub.edits - provenance["edits"])
    new, old = _moment(sub.end), _moment(provenance.get("end"))
    return _sign((new - old).total_seconds()) if new and old else 0


class _Exports:
    """Imports submission exports into the campaign of one run, caching questionnaires and forms."""

    def __init__(self, start: ImportStart, summary: ImportSummary, on_row: Callable[[FileOutcome], None] | None):
        self.setup, self.target, self.summary, self.on_row = start.setup, start.target, summary, on_row
        self.questionnaires = start.setup.questionnaires()
        self.territory = territory_for(start.setup.territory)
        self.layouts: dict[tuple[str, str], FormLayout] = {}

    def layout(self, qn: Questionnaire) -> FormLayout:
        key = (qn.id, qn.version)
        if key not in self.layouts or self.layouts[key].questionnaire is not qn:
            self.layouts[key] = form_layout(qn, self.territory)
        return self.layouts[key]

    def questionnaire(self, export: Export, row: int, cells: Sequence[Any]) -> Questionnaire:
        qid, version = (export.value(cells, name) for name in ("crassess_questionnaire", "crassess_version"))
        if not qid or not version:
            raise Refused([RowProblem("metadata", row, "", "", t("forms.no_questionnaire"))])
        explicit = self.questionnaires.explicit
        if explicit and qid not in explicit:
            accepted = ", ".join(f"{q.id} {q.version}" for q in explicit.values())
            raise Refused([RowProblem("questionnaire", row, "crassess_questionnaire", "",
                                      t("forms.other_questionnaire", found=f"{qid} {version}", accepted=accepted))])
        try:
            qn = self.questionnaires(qid, version)
        except Rejected:
            raise Refused([RowProblem("questionnaire", row, "crassess_questionnaire", "", t("forms.unknown_questionnaire", found=qid))]) from None
        if version != qn.version:
            raise Refused([RowProblem("version", row, "crassess_version", "", t("forms.version", id=qn.id, found=version, loaded=qn.version))])
        content = export.value(cells, "crassess_content")
        if content and content != self.layout(qn).content_tag():
            raise Refused([RowProblem("version", row, "crassess_content", "", t("forms.content", id=qn.id, version=qn.version))])
        return qn

    def response(self, export: Export, row: int, cells: Sequence[Any], sub: Submission) -> tuple[dict[str, Any] | None, list[RowProblem], list[RowProblem]]:
        qn = self.questionnaire(export, row, cells)
        layout = self.layout(qn)
        columns = map_columns(export.header, layout)
        name = next(f for f in layout.fields if f.kind == "profile" and f.key == "name")
        if not any(c.field is name for c in columns):
            raise Refused([RowProblem("layout", 0, "", "", t("forms.labels", column=name.name))])
        raw = sort_cells(columns, cells)
        answers, respondent, problems, warnings = check_row(qn, layout, raw, sub, self.territory, self.setup.lang, export.file)
        if problems:
            return None, problems, warnings
        missing = unanswered_required(qn, answers)
        if missing:
            warnings.append(RowProblem("", row, "", "", t("imp.unanswered", ids=", ".join(missing))))
        provenance: dict[str, Any] = {"source_file": Path(export.file).name, "source_sha256": export.sha256,
                                      "platform": export.source, "instance_id": sub.instance, "row": row}
        if sub.edits is not None:
            provenance["edits"] = sub.edits
        if sub.end:
            provenance["end"] = sub.end
        response = {"id": response_id(sub.identity), "questionnaire": {"id": qn.id, "version": qn.version},
                    "respondent": respondent, "answers": answers, "notes": {},
                    "status": "draft" if missing else "complete", "provenance": provenance}
        return response, problems, warnings

    def import_export(self, export: Export) -> FileOutcome | None:
        """Every row of ``export`` into the campaign; a :class:`FileOutcome` when the file is refused as a whole.

        Rows are checked outside the campaign's lock and written in batches under it."""
        if export.formulas:
            cells = ", ".join(export.formulas)
            return self.refuse(export.file, export.sha256, [RowProblem("formula", 0, "", "", t("forms.formula", cell=cells))])
        rejected: list[RowProblem] = []
        report = self.target.root / "errors" / report_name(export.file, export.sha256)
        try:
            for batch in batches(self.results(export, rejected, report)):
                with self.target.store.locked():
                    outcomes = [item if isinstance(item, FileOutcome) else self.store_row(export, item) for item in batch]
                for outcome in outcomes:
                    self.summary.add(outcome)
                    if self.on_row:
                        self.on_row(outcome)
        except Refused as exc:  # a problem of the whole file, found on a row (headers of another kind)
            return self.refuse(export.file, export.sha256, exc.problems)
        if rejected:
            self.target.store.write_file(report, self.report(export.file, rejected))
        return None

    def results(self, export: Export, rejected: list[RowProblem], report: Path) -> Iterator[FileOutcome | _Pending]:
        """Each row checked: an outcome (skipped, rejected) or a response to store; raises :class:`Refused`
        for a problem of the whole file."""
        for row, cells in export.rows:
            label = t("forms.row", file=export.file, row=row)
            sub = submission(export, row, cells)
            if sub.rejected:
                yield self.skipped(label, export, sub)
                continue
            try:
                if sub.problems:
                    raise Refused(sub.problems)
                response, problems, warnings = self.response(export, row, cells, sub)
            except Refused as exc:
                if any(p.row == 0 for p in exc.problems):
                    raise
                response, problems, warnings = None, list(exc.problems), []
            shown = tuple(w.problem(export.file) for w in warnings)
            if response is None:
                problems = [p if p.submission else replace(p, submission=sub.instance) for p in problems]
                rejected += problems
                reason = next(r for r in REASONS if r in {p.reason for p in problems})
                yield FileOutcome(label, "rejected", reason, str(report), tuple(p.problem(export.file) for p in problems), shown)
            else:
                response["provenance"]["imported_at"] = self.setup.stamp
                yield _Pending(label, sub, Record.of(response), shown)

    def store_row(self, export: Export, item: _Pending) -> FileOutcome:
        """Store one response (under the lock): a later version of one already there replaces it, an earlier
        one is left out, anything else goes through the campaign writer (written, unchanged or a conflict)."""
        record, label = item.record, item.label
        path = self.target.store.find(record.id)
        existing = _read(path) if path is not None else None
        if path is not None and existing is not None and existing.get("id") == record.id and response_digest(existing) != record.digest:
            provenance = existing.get("provenance")
            order = version_order(item.sub, provenance if isinstance(provenance, dict) else {})
            if order > 0:
                copy = self.target.root / REPLACED_DIR / f"{path.stem}-{response_digest(existing)[:8]}.json"
                self.target.store.write_file(copy, path.read_bytes())
                self.target.store.save(record, path)
                note = Problem(label, "", t("forms.replaced", platform=PLATFORMS[export.source], file=path, copy=copy))
                return FileOutcome(label, "replaced", None, str(path), (), (*item.warnings, note))
            if order < 0:
                return FileOutcome(label, "older", None, str(path), (), (*item.warnings, Problem(label, "", t("forms.older", file=path))))
        return self.target.write([Prepared(label, export.sha256, None, record, b"", (), item.warnings)])[0]

    def skipped(self, label: str, export: Export, sub: Submission) -> FileOutcome:
        rid = response_id(sub.identity) if sub.identity else ""
        path = self.target.store.find(rid) if rid else None
        warnings: tuple[Problem, ...] = ()
        if path is not None:
            message = t("forms.skipped_present", platform=PLATFORMS[export.source], id=rid, file=path)
            warnings = (Problem(label, "", message),)
        return FileOutcome(label, "skipped", None, None, (), warnings)

    def report(self, file: str, problems: Sequence[RowProblem]) -> bytes:
        name = Path(file).name
        rows = [(name, str(p.row) if p.row else "", p.column, p.question, p.submission, p.message, p.expected) for p in problems]
        return report_csv(t("forms.report.head", self.setup.lang).split(";"), rows, self.setup.style)

    def refuse(self, file: str, sha256: str, problems: Sequence[RowProblem]) -> FileOutcome:
        """A file refused as a whole: one errors report, one outcome."""
        report = self.target.root / "errors" / report_name(file, sha256)
        self.target.store.write_file(report, self.report(file, problems))
        reason = next((r for r in REASONS if r in {p.reason for p in problems}), "layout")
        return FileOutcome(file, "rejected", reason, str(report), tuple(p.problem(file) for p in problems))


@dataclass(frozen=True)
class _Pending:
    """A valid row's response, waiting to be stored with the next batch."""

    label: str
    sub: Submission
    record: Record
    warnings: tuple[Problem, ...]


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def import_paths(
    inputs: Sequence[Path],
    campaign: Path,
    questionnaires: Sequence[str] = (),
    workers: int = 2,
    source: Source | None = None,
    on_start: Callable[[int], None] | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_row: Callable[[FileOutcome], None] | None = None,
    now: dt.datetime | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
    sep: str | None = None,
) -> ImportResult:
    """Import returned workbooks and submission exports (files or folders) into ``campaign``.

    ``source`` (``kobo``/``odk``) treats every file as an export of that platform; ``sep`` is the errors
    reports' separator (default by language). ``on_file`` sees each
    file's outcome (an export read row by row gives status ``export``), ``on_row`` each submission's.
    """
    start = start_import(inputs, campaign, questionnaires, now, SUFFIXES + ZIP_SUFFIXES, sep)
    files, rows = ImportSummary(skipped=start.skipped), ImportSummary()
    for item in start.skipped:  # every file of the folders that is not read, with the reason
        if on_skip:
            on_skip(item)
    exports = _Exports(start, rows, on_row)
    direct = [p for p in start.paths if source or p.suffix.lower() in ZIP_SUFFIXES]
    books = [p for p in start.paths if p not in set(direct)]
    read = 0
    if on_start:
        on_start(len(start.paths))

    def run_export(path: Path, diverted: bool = False) -> FileOutcome | None:
        """The outcome of reading ``path`` as an export (in a worker process, as workbooks are read); ``None``
        for a diverted file that is not one."""
        nonlocal read
        try:
            export = isolated.read(str(path), read_export, path, source)
        except Rejected as exc:
            if diverted and exc.reason in NOT_AN_EXPORT:
                return None  # not an export either: the workbook import's own reason stands
            problems = [RowProblem(exc.reason, 0, "", "", f"{p.place}: {p.message}" if p.place else p.message) for p in exc.problems]
            return exports.refuse(str(path), hashlib.sha256(str(path).encode()).hexdigest(), problems)
        read += 1
        return exports.import_export(export) or FileOutcome(str(path), "export")

    try:
        with Isolated(start.setup) as isolated:  # exports are read in a worker, as workbooks are
            for batch in batches(read_all(books, start.setup, workers)):
                diverted = [item.record is None and item.reason in DIVERTED for item in batch]
                written = iter(start.target.write([item for item, other in zip(batch, diverted) if not other]))
                for item, other in zip(batch, diverted):
                    outcome = (run_export(Path(item.file), diverted=True) or start.target.write([item])[0]) if other else next(written)
                    _count(files, outcome, on_file)
            for path in direct:
                outcome = run_export(path)
                assert outcome is not None
                _count(files, outcome, on_file)
    finally:
        start.target.sync()
    return ImportResult(files, rows, read)


def _count(summary: ImportSummary, outcome: FileOutcome, on_file: Callable[[FileOutcome], None] | None) -> None:
    if outcome.status != "export":
        summary.add(outcome)
    if on_file:
        on_file(outcome)
