"""One returned workbook or CSV -> a validated response, or every problem with its sheet, cell and question id.

Pure: reads the file (never writes it), returns a picklable :class:`FileResult`. Writing into the
campaign, duplicates and parallelism are in :mod:`crassess.spreadsheets.batch`.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from crassess.errors import CrassessError, Problem
from crassess.i18n import get_language, register, t
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire, valid_respondent_id
from crassess.questionnaire.responses import check_answers, unanswered_required
from crassess.spreadsheets.answers import AnswerReader, read_profile, rows_by_id
from crassess.spreadsheets.extract import (
    REASONS,
    CellProblem,
    Extract,
    NotRegular,
    extract_file,
    read_limited,
)
from crassess.spreadsheets.layout import (
    CSV_PREFIX,
    FORMAT,
    PROFILE_FIELDS,
    SHEETS,
    checksum,
    expected,
    norm,
    question_rows,
)
from crassess.spreadsheets.read import (
    Rejected,
    parse_ref,
)

register({
    "imp.meta_key": {"it": "metadato '{name}' mancante o non valido", "en": "metadata '{name}' missing or invalid"},
    "imp.row_added": {"it": "riga '{id}' aggiunta al modello (righe inserite o ID cambiati non sono ammessi): toglierla", "en": "row '{id}' added to the workbook (inserted rows or changed IDs are not allowed): remove it"},
    "imp.row_removed": {"it": "riga della domanda '{id}' tolta dal modello: rimetterla (o usare un modello nuovo)", "en": "row of question '{id}' removed from the workbook: put it back (or use a fresh workbook)"},
    "imp.memory": {"it": "il file richiede troppa memoria per essere letto", "en": "the file needs too much memory to be read"},
    "imp.not_regular": {"it": "non è un file normale (FIFO, dispositivo o socket)", "en": "not a regular file (a FIFO, a device or a socket)"},
    "imp.tampered": {"it": "metadati nascosti alterati o righe ID aggiunte, tolte o rinominate (il controllo non corrisponde): usare un modello nuovo di 'crassess template'", "en": "hidden metadata altered or ID rows added, removed or renamed (the checksum does not match): use a fresh 'crassess template' workbook"},
    "imp.csv_meta": {"it": "il CSV deve avere le righe {rows} (colonna ID) con questionario e versione", "en": "the CSV needs the rows {rows} (ID column) with questionnaire and version"},
    "imp.other_questionnaire": {"it": "il file è per il questionario '{found}', ma questa importazione accetta: {accepted}", "en": "the file is for questionnaire '{found}', but this import accepts: {accepted}"},
    "imp.unknown_questionnaire": {"it": "il file è per il questionario '{found}', che non è disponibile; indicarlo con -q", "en": "the file is for questionnaire '{found}', which is not available; give it with -q"},
    "imp.version": {"it": "il file è per {id} versione {found}, ma è caricata la versione {loaded}", "en": "the file is for {id} version {found}, but version {loaded} is loaded"},
    "imp.content_changed": {"it": "il questionario {id} {version} è cambiato da quando il modello è stato creato (contenuto diverso, stessa versione)", "en": "questionnaire {id} {version} has changed since the workbook was made (different content, same version)"},
    "imp.no_answers": {"it": "nessuna risposta compilata", "en": "no answer filled in"},
    "imp.unanswered": {"it": "domande obbligatorie senza risposta: {ids} (risposta importata come bozza)", "en": "required questions unanswered: {ids} (response imported as a draft)"},
})


@dataclass(frozen=True)
class FileResult:
    """The outcome of reading one file: a JSON-ready response, or the problems that reject it."""

    file: str
    sha256: str
    response: dict[str, Any] | None
    problems: tuple[CellProblem, ...] = ()
    warnings: tuple[CellProblem, ...] = ()

    @property
    def reason(self) -> str | None:
        if not self.problems:
            return None
        reasons = {p.reason for p in self.problems}
        return next(r for r in REASONS if r in reasons)


# ------------------------------------------------------------ cells -> text


# ------------------------------------------------------------ metadata -> questionnaire

QuestionnaireSource = Callable[[str, str], Questionnaire]


class Questionnaires:
    """The questionnaires an import accepts.

    With explicit ones (``-q``) only those, by id. Otherwise a file's (id, version) is looked up among the
    campaign's own questionnaires (``local``), then by id in the catalogue.
    """

    def __init__(self, explicit: Sequence[Questionnaire] = (), local: Sequence[Questionnaire] = ()):
        self.explicit = {q.id: q for q in explicit}
        self.local = {(q.id, q.version): q for q in local}
        self.loaded: dict[str, Questionnaire] = {}

    def __call__(self, qid: str, version: str = "") -> Questionnaire:
        if self.explicit:
            if qid not in self.explicit:
                accepted = ", ".join(f"{q.id} {q.version}" for q in self.explicit.values())
                raise Rejected("questionnaire", [Problem("", "", t("imp.other_questionnaire", found=qid, accepted=accepted))])
            return self.explicit[qid]
        if (qid, version) in self.local:
            return self.local[(qid, version)]
        if qid not in self.loaded:
            try:
                self.loaded[qid] = load_questionnaire(qid)
            except CrassessError:
                raise Rejected("questionnaire", [Problem("", "", t("imp.unknown_questionnaire", found=qid))]) from None
        return self.loaded[qid]


def _check_meta(ex: Extract, is_csv: bool, sha: str, get_questionnaire: QuestionnaireSource) -> tuple[Questionnaire, str]:
    meta = ex.meta
    if is_csv:
        if not meta.get("questionnaire") or not meta.get("version"):
            rows = f"{CSV_PREFIX}questionnaire, {CSV_PREFIX}version"
            raise Rejected("metadata", [Problem("", "", t("imp.csv_meta", rows=rows))])
    else:
        bad = [k for k in ("format", "questionnaire", "version", "content_hash", "response_id", "checksum") if not meta.get(k)]
        if meta.get("format") and meta["format"] != FORMAT:
            bad.append("format")
        if bad:
            raise Rejected("metadata", [Problem("", "_meta", t("imp.meta_key", name=k)) for k in bad])
        if not ex.checksum_ok:
            raise _checksum_failure(ex, get_questionnaire)
    response_id = meta.get("response_id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"crassess:{sha}"))
    try:
        uuid.UUID(response_id)
    except ValueError:
        raise Rejected("metadata", [Problem("", "_meta", t("imp.meta_key", name="response_id"))]) from None
    if meta.get("respondent_id") and not valid_respondent_id(meta["respondent_id"]):
        raise Rejected("metadata", [Problem("", "_meta", t("imp.meta_key", name="respondent_id"))])
    qn = get_questionnaire(meta["questionnaire"], meta["version"])
    if meta["version"] != qn.version:
        raise Rejected("version", [Problem("", "", t("imp.version", id=qn.id, found=meta["version"], loaded=qn.version))])
    if meta.get("content_hash") and meta["content_hash"] != qn.content_hash:
        raise Rejected("version", [Problem("", "", t("imp.content_changed", id=qn.id, version=qn.version))])
    return qn, response_id


def _checksum_failure(ex: Extract, get_questionnaire: QuestionnaireSource) -> Rejected:
    """Why the checksum fails: rows added or removed (named, with the question id), when the metadata still
    matches the questionnaire's own rows; else the metadata was altered."""
    tampered = Rejected("metadata", [Problem("", "_meta", t("imp.tampered"))])
    try:
        qn = get_questionnaire(ex.meta["questionnaire"], ex.meta["version"])
    except Rejected:
        return tampered
    expected = [row.id for row in question_rows(qn)]
    if checksum(ex.meta, expected, PROFILE_FIELDS) != ex.meta.get("checksum"):
        return tampered
    found: dict[str, Any] = {}
    problems: list[CellProblem] = []
    for e in ex.entries:
        if e.id in found:
            problems.append(CellProblem("rows", e.sheet, e.cell, e.id, t("imp.duplicate_row", id=e.id, first=found[e.id].cell)))
        elif e.id not in expected:
            problems.append(CellProblem("rows", e.sheet, e.cell, e.id, t("imp.row_added", id=e.id)))
        found.setdefault(e.id, e)
    sheet = ex.entries[0].sheet if ex.entries else SHEETS["questions"][get_language()]
    problems += [CellProblem("rows", sheet, "", rid, t("imp.row_removed", id=rid)) for rid in expected if rid not in found]
    profile = {e.id for e in ex.profile}
    problems += [CellProblem("rows", e.sheet, e.cell, e.id, t("imp.row_added", id=e.id)) for e in ex.profile if e.id not in PROFILE_FIELDS]
    problems += [CellProblem("rows", SHEETS["profile"][get_language()], "", key, t("imp.row_removed", id=key))
                 for key in PROFILE_FIELDS if key not in profile]
    return _RowsChanged(problems) if problems else tampered


class _RowsChanged(Rejected):
    """Rows added to or removed from a workbook: each one located (cell problems, not whole-file problems)."""

    def __init__(self, problems: list[CellProblem]):
        self.cell_problems = problems
        super().__init__("rows", [p.problem("") for p in problems])


def _validate(qn: Questionnaire, ex: Extract, file: str, lang: str, territory: Path | None) -> tuple[dict[str, Any], dict[str, str], dict[str, Any], list[CellProblem], list[CellProblem]]:
    reader = AnswerReader(qn, lang)
    reader.read(ex.entries)
    problems = list(reader.problems)
    checked = check_answers(qn, reader.answers, file)
    by_place = {t("place.question", id=q.id): q.id for q in qn.questions}
    rows = rows_by_id(qn)

    def locate(p: Problem, reason: str) -> CellProblem:
        qid = by_place.get(p.place, p.place)
        entry = reader.cells.get(qid)
        want = expected(qn, rows[qid], lang) if qid in rows else ""
        return CellProblem(reason, entry.sheet if entry else "", entry.cell if entry else "", qid, p.message, want)

    problems += [locate(p, "invalid") for p in checked.problems]
    warnings = list(ex.warnings)
    warnings += [replace(locate(Problem(p.file, p.place, t("r.not_relevant")), ""), expected="") for p in checked.warnings]
    respondent, profile_problems = read_profile(ex.profile, file, territory)
    problems += profile_problems
    notes = {qid: " | ".join(texts) for qid, texts in reader.notes.items()}
    return checked.answers, notes, respondent, problems, warnings


_SHEET_RANK = {norm(name): rank for rank, key in enumerate(("meta", "profile", "questions")) for name in SHEETS[key].values()}


def _position(problem: CellProblem) -> tuple[int, int, int]:
    """Sort key: profile before questions, then by row and column, as the respondent reads the file."""
    row, col = parse_ref(problem.cell.split(":")[0]) if problem.cell else (-1, -1)
    return _SHEET_RANK.get(norm(problem.sheet), 3), row, col


def read_returned(path: Path, get_questionnaire: QuestionnaireSource, lang: str | None = None,
                  territory: Path | None = None) -> FileResult:
    """Read and fully validate one returned file; never raises for a bad file (the result says why).

    ``territory`` is the comuni list (CSV) the profile's comune is checked against; default: the shipped one.
    """
    file = str(path)
    lang = lang or get_language()
    try:
        data = read_limited(path)
    except FileNotFoundError:
        return FileResult(file, "", None, (CellProblem("not_found", "", "", "", t("file.not_found")),))
    except NotRegular:
        return FileResult(file, "", None, (CellProblem("unreadable", "", "", "", t("imp.not_regular")),))
    except Rejected as exc:
        return FileResult(file, "", None, tuple(CellProblem(exc.reason, "", p.place, "", p.message) for p in exc.problems))
    except OSError as exc:
        return FileResult(file, "", None, (CellProblem("unreadable", "", "", "", t("file.unreadable", error=exc.strerror or exc)),))
    sha = hashlib.sha256(data).hexdigest()
    try:
        ex, is_csv = extract_file(path, data, file)
        layout = [p for p in ex.problems if p.reason == "layout"]
        if layout:  # a missing sheet or header explains more than the checksum it also breaks
            return FileResult(file, sha, None, tuple(layout))
        qn, response_id = _check_meta(ex, is_csv, sha, get_questionnaire)
        if any(p.reason != "invalid" for p in ex.problems):
            return FileResult(file, sha, None, tuple(sorted(ex.problems, key=_position)))
        answers, notes, respondent, problems, warnings = _validate(qn, ex, file, lang, territory)
    except _RowsChanged as exc:
        return FileResult(file, sha, None, tuple(sorted(exc.cell_problems, key=_position)))
    except Rejected as exc:
        return FileResult(file, sha, None, tuple(CellProblem(exc.reason, "", p.place, "", p.message) for p in exc.problems))
    except CrassessError as exc:
        return FileResult(file, sha, None, tuple(CellProblem("questionnaire", "", p.place, "", p.message) for p in exc.problems))
    except MemoryError:
        return FileResult(file, sha, None, (CellProblem("too_big", "", "", "", t("imp.memory")),))
    except Exception as exc:  # an untrusted file must never stop the batch: whatever breaks, the file is refused
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        return FileResult(file, sha, None, (CellProblem("corrupted", "", "", "", t("read.corrupted", detail=detail)),))
    problems = sorted(ex.problems + problems, key=_position)
    if not answers and not problems:
        problems.append(CellProblem("empty", "", "", "", t("imp.no_answers")))
    if problems:
        return FileResult(file, sha, None, tuple(problems), tuple(warnings))
    missing = unanswered_required(qn, answers)
    if missing:
        warnings.append(CellProblem("", "", "", "", t("imp.unanswered", ids=", ".join(missing))))
    if ex.meta.get("respondent_id"):  # the stable code from the respondents list, first in the profile
        respondent = {"id": ex.meta["respondent_id"], **respondent}
    response = {
        "id": response_id,
        "questionnaire": {"id": qn.id, "version": qn.version},
        "respondent": respondent,
        "answers": answers,
        "notes": notes,
        "status": "draft" if missing else "complete",
        "provenance": {"source_file": path.name, "source_sha256": sha},
    }
    return FileResult(file, sha, response, (), tuple(warnings))
