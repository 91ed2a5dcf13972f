"""One returned workbook or CSV -> a validated response, or every problem with its sheet, cell and question id.

Pure: reads the file (never writes it), returns a picklable :class:`FileResult`. Writing into the
campaign, duplicates and parallelism are in :mod:`crassess.import_campaign`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from crassess.comuni import load_territory
from crassess.errors import CrassessError, InvalidInput, Problem
from crassess.i18n import get_language, register, t
from crassess.loading import load_questionnaire
from crassess.models import Questionnaire
from crassess.responses import check_answers, is_missing, relevance
from crassess.workbook_layout import (
    CSV_PREFIX,
    FORMAT,
    HEADER_ALIASES,
    NO_WORDS,
    PROFILE_FIELDS,
    REQUIRED_PROFILE_FIELDS,
    SHEETS,
    YES_WORDS,
    Row,
    checksum,
    expected,
    norm,
    question_rows,
    unaccent,
)
from crassess.workbook_read import (
    CSV_SUFFIXES,
    MAX_FILE_BYTES,
    WORKBOOK_SUFFIXES,
    ReadBook,
    Rejected,
    Table,
    a1,
    parse_ref,
    read_csv,
    read_workbook,
)

register({
    "imp.no_meta": {"it": "metadati nascosti mancanti: il file non viene da 'crassess template', o è stato salvato da un programma che ha tolto i fogli nascosti", "en": "hidden metadata missing: the file was not made by 'crassess template', or a program dropped its hidden sheets"},
    "imp.meta_key": {"it": "metadato '{key}' mancante o non valido", "en": "metadata '{key}' missing or invalid"},
    "imp.tampered": {"it": "metadati nascosti alterati o righe ID aggiunte, tolte o rinominate (il controllo non corrisponde): usare un modello nuovo di 'crassess template'", "en": "hidden metadata altered or ID rows added, removed or renamed (the checksum does not match): use a fresh 'crassess template' workbook"},
    "imp.csv_meta": {"it": "il CSV deve avere le righe {rows} (colonna ID) con questionario e versione", "en": "the CSV needs the rows {rows} (ID column) with questionnaire and version"},
    "imp.other_questionnaire": {"it": "il file è per il questionario '{found}', ma questa importazione accetta: {accepted}", "en": "the file is for questionnaire '{found}', but this import accepts: {accepted}"},
    "imp.unknown_questionnaire": {"it": "il file è per il questionario '{found}', che non è disponibile; indicarlo con -q", "en": "the file is for questionnaire '{found}', which is not available; give it with -q"},
    "imp.version": {"it": "il file è per {id} versione {found}, ma è caricata la versione {loaded}", "en": "the file is for {id} version {found}, but version {loaded} is loaded"},
    "imp.content_changed": {"it": "il questionario {id} {version} è cambiato da quando il modello è stato creato (contenuto diverso, stessa versione)", "en": "questionnaire {id} {version} has changed since the workbook was made (different content, same version)"},
    "imp.no_sheet": {"it": "manca il foglio '{sheet}'", "en": "sheet '{sheet}' is missing"},
    "imp.no_header": {"it": "intestazione non trovata: servono le colonne 'ID' e '{answer}'", "en": "header not found: the columns 'ID' and '{answer}' are needed"},
    "imp.formula": {"it": "formula senza valore calcolato: scrivere il valore, non una formula", "en": "formula without a computed value: write the value, not a formula"},
    "imp.merged": {"it": "celle unite {range} nella zona delle risposte: separarle", "en": "merged cells {range} in the answer area: unmerge them"},
    "imp.unknown_row": {"it": "'{id}' non è una domanda del questionario {qid} {version}", "en": "'{id}' is not a question of questionnaire {qid} {version}"},
    "imp.duplicate_row": {"it": "la riga '{id}' compare più volte (prima in {first})", "en": "row '{id}' appears more than once (first at {first})"},
    "imp.not_a_choice": {"it": "'{value}' non è una risposta ammessa", "en": "'{value}' is not an allowed answer"},
    "imp.not_yes_no": {"it": "'{value}' non è Sì o No", "en": "'{value}' is not Yes or No"},
    "imp.multi_head": {"it": "qui si può scrivere solo {labels}; le voci si indicano nelle righe sotto", "en": "only {labels} can be written here; the items are answered in the rows below"},
    "imp.multi_head_none": {"it": "questa riga non prende risposta: indicare Sì o No nelle righe sotto", "en": "this row takes no answer: answer Yes or No in the rows below"},
    "imp.special_and_choices": {"it": "'{special}' insieme a voci indicate con Sì: scegliere l'una o le altre", "en": "'{special}' together with items marked Yes: choose one or the other"},
    "imp.required": {"it": "dato obbligatorio mancante", "en": "required data missing"},
    "imp.size": {"it": "atteso un numero intero non negativo, trovato '{value}'", "en": "expected a whole number, not negative, found '{value}'"},
    "imp.date": {"it": "data non valida '{value}'", "en": "invalid date '{value}'"},
    "imp.unknown_profile": {"it": "campo del profilo '{id}' sconosciuto; ammessi: {known}", "en": "unknown profile field '{id}'; allowed: {known}"},
    "imp.no_answers": {"it": "nessuna risposta compilata", "en": "no answer filled in"},
    "imp.unanswered": {"it": "domande obbligatorie senza risposta: {ids} (risposta importata come bozza)", "en": "required questions unanswered: {ids} (response imported as a draft)"},
})

_SPECIAL_WORDS = {
    "dk": {"dk", "non so", "don't know", "dont know", "do not know", "n.s.", "ns"},
    "na": {"na", "n/a", "n.a.", "non applicabile", "not applicable", "non pertinente"},
}
_SPECIAL_KEYS = {word: special for special, words in _SPECIAL_WORDS.items() for word in words}
_INTEGRAL_TEXT = re.compile(r"^[+-]?\d+\.0+$")
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%y")

# The order in which a file's reasons are reported: the first that applies names the file's rejection.
REASONS = ("not_found", "unreadable", "empty", "too_big", "unsupported", "unsafe", "corrupted", "metadata",
           "questionnaire", "version", "layout", "formula", "merged", "invalid")


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


@dataclass
class _Entry:
    id: str
    value: Any
    note: str
    sheet: str
    cell: str


@dataclass
class _Extract:
    meta: dict[str, str]
    entries: list[_Entry]
    profile: list[_Entry]
    problems: list[CellProblem] = field(default_factory=list)
    checksum_ok: bool | None = None


# ------------------------------------------------------------ cells -> text


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without '.0', dates as ISO, surrounding and non-breaking spaces dropped."""
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


def _entries(table: Table, header: int, cols: dict[str, int]) -> list[_Entry]:
    out = []
    for r in range(header + 1, len(table.rows)):
        rid = cell_text(table.cell(r, cols["id"]))
        if not rid:
            continue
        note = cell_text(table.cell(r, cols["note"])) if "note" in cols else ""
        out.append(_Entry(rid, table.cell(r, cols["answer"]), note, table.name, a1(r, cols["answer"])))
    return out


_SHEET_NAMES = {key: {norm(name) for name in names.values()} for key, names in SHEETS.items()}


def _sheet(book: ReadBook, key: str) -> Table | None:
    return next((table for name, table in book.sheets.items() if norm(name) in _SHEET_NAMES[key]), None)


def _merged_problems(book: ReadBook, table: Table, header: int, cols: dict[str, int]) -> list[CellProblem]:
    watched = {cols["id"], cols["answer"]}
    out = []
    for r1, c1, r2, c2 in book.merged.get(table.name, []):
        if r2 > header and any(c1 <= c <= c2 for c in watched):
            rng = f"{a1(r1, c1)}:{a1(r2, c2)}"
            out.append(CellProblem("merged", table.name, rng, "", t("imp.merged", range=rng)))
    return out


def _extract_workbook(book: ReadBook) -> _Extract:
    problems: list[CellProblem] = []
    meta_sheet = _sheet(book, "meta")
    if meta_sheet is None:
        raise Rejected("metadata", [Problem("", "", t("imp.no_meta"))])
    meta = {cell_text(row[0]): cell_text(row[1]) for row in meta_sheet.rows if len(row) >= 2 and cell_text(row[0])}
    parts: dict[str, list[_Entry]] = {}
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
        parts[key] = _entries(table, header, cols)
        problems += _merged_problems(book, table, header, cols)
    watched = {meta_sheet.name} | {table.name for table in (_sheet(book, "questions"), _sheet(book, "profile")) if table}
    for sheet, refs in book.formulas.items():
        if sheet in watched:
            problems += [CellProblem("formula", sheet, ref, "", t("imp.formula")) for ref in refs]
    ok = meta.get("checksum") == checksum(meta, [e.id for e in parts["questions"]], [e.id for e in parts["profile"]])
    return _Extract(meta, parts["questions"], parts["profile"], problems, ok)


def _extract_csv(table: Table) -> _Extract:
    found = _find_header(table, HEADER_ALIASES["answer"])
    if found is None:
        raise Rejected("layout", [Problem("", f"{table.name}!A1", t("imp.no_header", answer="Risposta"))])
    header, cols = found
    meta: dict[str, str] = {}
    entries: list[_Entry] = []
    profile: list[_Entry] = []
    for entry in _entries(table, header, cols):
        if isinstance(entry.value, str) and entry.value[:1] == "'" and entry.value[1:2] in ("=", "+", "-", "@"):
            entry.value = entry.value[1:]  # the apostrophe crassess (and Excel users) put before formula-like text
        if entry.id.startswith(CSV_PREFIX):
            key = entry.id[len(CSV_PREFIX):].strip().lower()
            if key in ("questionnaire", "version", "response_id", "content_hash"):
                meta[key] = cell_text(entry.value)
            else:
                profile.append(_Entry(key, entry.value, entry.note, entry.sheet, entry.cell))
        else:
            entries.append(entry)
    return _Extract(meta, entries, profile)


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


def _check_meta(ex: _Extract, is_csv: bool, sha: str, get_questionnaire: QuestionnaireSource) -> tuple[Questionnaire, str]:
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
            raise Rejected("metadata", [Problem("", "_meta", t("imp.meta_key", key=k)) for k in bad])
        if not ex.checksum_ok:
            raise Rejected("metadata", [Problem("", "_meta", t("imp.tampered"))])
    response_id = meta.get("response_id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"crassess:{sha}"))
    try:
        uuid.UUID(response_id)
    except ValueError:
        raise Rejected("metadata", [Problem("", "_meta", t("imp.meta_key", key="response_id"))]) from None
    qn = get_questionnaire(meta["questionnaire"], meta["version"])
    if meta["version"] != qn.version:
        raise Rejected("version", [Problem("", "", t("imp.version", id=qn.id, found=meta["version"], loaded=qn.version))])
    if meta.get("content_hash") and meta["content_hash"] != qn.content_hash:
        raise Rejected("version", [Problem("", "", t("imp.content_changed", id=qn.id, version=qn.version))])
    return qn, response_id


# ------------------------------------------------------------ answers


_CACHE: dict[tuple[int, str], tuple[Questionnaire, Any]] = {}


def _cached(qn: Questionnaire, key: str, build: Callable[[], Any]) -> Any:
    """Per-questionnaire derived data, built once per process (many files share one questionnaire)."""
    slot = (id(qn), key)
    if slot not in _CACHE or _CACHE[slot][0] is not qn:
        _CACHE[slot] = (qn, build())
    return _CACHE[slot][1]


def _rows_by_id(qn: Questionnaire) -> dict[str, Row]:
    return _cached(qn, "rows", lambda: {row.id: row for row in question_rows(qn)})


def _choice_keys(qn: Questionnaire, row: Row) -> dict[str, str]:
    return _cached(qn, "keys:" + row.id, lambda: _build_choice_keys(qn, row))


def _build_choice_keys(qn: Questionnaire, row: Row) -> dict[str, str]:
    """Tolerant key -> choice value (or 'na'/'dk'): values, labels in every language, accents optional."""
    keys: dict[str, str] = dict(_SPECIAL_KEYS)
    for lang in ("it", "en"):
        keys[norm(t("special.dk", lang))] = "dk"
        keys[norm(t("special.na", lang))] = "na"
    if row.question.type == "select_one":
        plain: dict[str, set[str]] = {}
        for c in qn.choices_of(row.question):
            names = {norm(c.value), *(norm(label) for label in c.label.values())}
            for name in names:
                keys[name] = c.value
                plain.setdefault(unaccent(name), set()).add(c.value)
        for name, values in plain.items():
            if len(values) == 1:
                keys.setdefault(name, next(iter(values)))
    return keys


def _special(value: Any) -> str | None:
    key = norm(cell_text(value))
    for lang in ("it", "en"):
        if key == norm(t("special.dk", lang)):
            return "dk"
        if key == norm(t("special.na", lang)):
            return "na"
    return _SPECIAL_KEYS.get(key)


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    key = norm(cell_text(value))
    if key in YES_WORDS or unaccent(key) in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    return None


class _AnswerReader:
    """Turns the question rows of a file into raw answers, collecting every problem with its cell."""

    def __init__(self, qn: Questionnaire, lang: str):
        self.qn, self.lang = qn, lang
        self.rows = _rows_by_id(qn)
        self.problems: list[CellProblem] = []
        self.answers: dict[str, Any] = {}
        self.notes: dict[str, list[str]] = {}
        self.cells: dict[str, _Entry] = {}
        self.multi: dict[str, dict[str, bool]] = {}
        self.multi_special: dict[str, str] = {}

    def problem(self, entry: _Entry, row: Row | None, message: str, reason: str = "invalid") -> None:
        want = expected(self.qn, row, self.lang) if row else ""
        self.problems.append(CellProblem(reason, entry.sheet, entry.cell, entry.id, message, want))

    def read(self, entries: list[_Entry]) -> None:
        seen: dict[str, _Entry] = {}
        for entry in entries:
            row = self.rows.get(entry.id)
            if row is None:
                self.problem(entry, None, t("imp.unknown_row", id=entry.id, qid=self.qn.id, version=self.qn.version))
                continue
            if entry.id in seen:
                self.problem(entry, row, t("imp.duplicate_row", id=entry.id, first=seen[entry.id].cell), "layout")
                continue
            seen[entry.id] = entry
            if entry.note:
                label = f"{row.choice}: " if row.choice else ""
                self.notes.setdefault(row.question.id, []).append(label + entry.note)
            if row.kind != "choice":
                self.cells[row.question.id] = entry
            getattr(self, f"_{row.kind}")(entry, row)
        self._close_multi()

    def _question(self, entry: _Entry, row: Row) -> None:
        if not cell_text(entry.value):
            return
        _BY_TYPE[row.question.type](self, entry, row)

    def _select_one(self, entry: _Entry, row: Row) -> None:
        keys = _choice_keys(self.qn, row)
        key = norm(cell_text(entry.value))
        found = keys.get(key) or keys.get(unaccent(key)) or keys.get(unaccent(key).rstrip("'"))  # "si'" typed for "sì"
        if found is None:
            self.problem(entry, row, t("imp.not_a_choice", value=cell_text(entry.value)))
        else:
            self.answers[row.question.id] = found

    def _number(self, entry: _Entry, row: Row) -> None:
        value, qid = entry.value, row.question.id
        special = _special(value)
        if special:
            self.answers[qid] = special  # check_answers says whether this question allows it
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self.answers[qid] = value
        elif isinstance(value, str):
            text = cell_text(value).replace(" ", "")
            self.answers[qid] = text[: text.index(".")] if _INTEGRAL_TEXT.match(text) else text
        else:
            self.problem(entry, row, t("r.expected_number", value=cell_text(value)))

    def _text(self, entry: _Entry, row: Row) -> None:
        q, special = row.question, _special(entry.value)
        allowed = {"dk": q.allow_dk, "na": q.allow_na}
        self.answers[q.id] = special if special and allowed[special] else cell_text(entry.value)

    def _multi(self, entry: _Entry, row: Row) -> None:
        self.multi.setdefault(row.question.id, {})
        text = cell_text(entry.value)
        if not text:
            return
        special = _special(entry.value)
        allowed = [s for s, ok in (("dk", row.question.allow_dk), ("na", row.question.allow_na)) if ok]
        if special in allowed:
            self.multi_special[row.question.id] = special
        elif special:
            self.answers[row.question.id] = special  # check_answers names the special that is not allowed
        elif allowed:
            labels = " / ".join(t(f"special.{s}", self.lang) for s in allowed)
            self.problem(entry, row, t("imp.multi_head", labels=labels))
        else:
            self.problem(entry, row, t("imp.multi_head_none"))

    def _choice(self, entry: _Entry, row: Row) -> None:
        selected = self.multi.setdefault(row.question.id, {})
        if not cell_text(entry.value):
            return
        answer = _yes_no(entry.value)
        if answer is None:
            self.problem(entry, row, t("imp.not_yes_no", value=cell_text(entry.value)))
            return
        assert row.choice is not None
        selected[row.choice] = answer

    def _close_multi(self) -> None:
        for qid, selected in self.multi.items():
            if qid in self.answers:
                continue
            chosen = [c.value for c in self.qn.choices_of(self.qn.question(qid)) if selected.get(c.value)]
            special = self.multi_special.get(qid)
            if special and chosen:
                entry = self.cells[qid]
                self.problem(entry, self.rows[qid], t("imp.special_and_choices", special=t(f"special.{special}", self.lang)))
            elif special:
                self.answers[qid] = special
            elif selected:
                self.answers[qid] = chosen


_BY_TYPE: dict[str, Callable[[_AnswerReader, _Entry, Row], None]] = {
    "select_one": _AnswerReader._select_one,
    "integer": _AnswerReader._number,
    "decimal": _AnswerReader._number,
    "text": _AnswerReader._text,
}


def _profile(entries: list[_Entry], file: str, territory: Path | None) -> tuple[dict[str, Any], list[CellProblem]]:
    values: dict[str, Any] = {}
    problems: list[CellProblem] = []
    where: dict[str, _Entry] = {}
    for entry in entries:
        key = entry.id.strip().lower()
        if key not in PROFILE_FIELDS:
            problems.append(CellProblem("invalid", entry.sheet, entry.cell, entry.id,
                                        t("imp.unknown_profile", id=entry.id, known=", ".join(PROFILE_FIELDS))))
            continue
        where[key] = entry
        value = entry.value
        if not cell_text(value):
            continue
        parse = _PROFILE_PARSERS.get(key, _parse_text)
        try:
            values[key] = parse(value, entry, file, territory)
        except InvalidInput as exc:
            message = "; ".join(p.message for p in exc.problems)
            problems.append(CellProblem("invalid", entry.sheet, entry.cell, key, message, _profile_expected(key)))
    for key in REQUIRED_PROFILE_FIELDS:
        if key not in values and not any(p.question == key for p in problems):
            entry = where.get(key)
            problems.append(CellProblem("invalid", entry.sheet if entry else "", entry.cell if entry else "", key,
                                        t("imp.required"), _profile_expected(key)))
    return values, problems


def _profile_expected(key: str) -> str:
    return t(f"wb.expect.{key}") if key in ("name", "comune", "size", "date") else ""


def _parse_text(value: Any, entry: _Entry, file: str, territory: Path | None) -> str:
    return cell_text(value)


@lru_cache(maxsize=1024)
def _comune_code(text: str, territory: Path | None) -> str | None:
    found = load_territory(territory).find(text)
    return found.istat if found else None


def _parse_comune(value: Any, entry: _Entry, file: str, territory: Path | None) -> str:
    text = cell_text(value)
    return _comune_code(text, territory) or load_territory(territory).resolve(text, file, entry.cell).istat


def _parse_size(value: Any, entry: _Entry, file: str, territory: Path | None) -> int:
    text = cell_text(value).replace(".", "") if isinstance(value, str) else cell_text(value)
    if not text.isdigit():
        raise InvalidInput(problems=[Problem(file, entry.cell, t("imp.size", value=cell_text(value)))])
    return int(text)


def _parse_date(value: Any, entry: _Entry, file: str, territory: Path | None) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    text = cell_text(value)
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise InvalidInput(problems=[Problem(file, entry.cell, t("imp.date", value=text))])


_PROFILE_PARSERS: dict[str, Callable[[Any, _Entry, str, Path | None], Any]] = {
    "comune": _parse_comune,
    "size": _parse_size,
    "date": _parse_date,
}


def _validate(qn: Questionnaire, ex: _Extract, file: str, lang: str, territory: Path | None) -> tuple[dict[str, Any], dict[str, str], dict[str, Any], list[CellProblem], list[CellProblem]]:
    reader = _AnswerReader(qn, lang)
    reader.read(ex.entries)
    problems = list(reader.problems)
    checked = check_answers(qn, reader.answers, file)
    by_place = {t("place.question", id=q.id): q.id for q in qn.questions}
    rows = _rows_by_id(qn)

    def locate(p: Problem, reason: str) -> CellProblem:
        qid = by_place.get(p.place, p.place)
        entry = reader.cells.get(qid)
        want = expected(qn, rows[qid], lang) if qid in rows else ""
        return CellProblem(reason, entry.sheet if entry else "", entry.cell if entry else "", qid, p.message, want)

    problems += [locate(p, "invalid") for p in checked.problems]
    warnings = [replace(locate(Problem(p.file, p.place, t("r.not_relevant")), ""), expected="") for p in checked.warnings]
    respondent, profile_problems = _profile(ex.profile, file, territory)
    problems += profile_problems
    notes = {qid: " | ".join(texts) for qid, texts in reader.notes.items()}
    return checked.answers, notes, respondent, problems, warnings


_SHEET_RANK = {norm(name): rank for rank, key in enumerate(("meta", "profile", "questions")) for name in SHEETS[key].values()}


def _position(problem: CellProblem) -> tuple[int, int, int]:
    """Sort key: profile before questions, then by row and column, as the respondent reads the file."""
    row, col = parse_ref(problem.cell.split(":")[0]) if problem.cell else (-1, -1)
    return _SHEET_RANK.get(norm(problem.sheet), 3), row, col


def _unanswered(qn: Questionnaire, answers: Mapping[str, Any]) -> list[str]:
    applies = relevance(qn, answers)
    return [q.id for q in qn.questions if q.required and applies[q.id] and is_missing(answers.get(q.id))]


def _read(path: Path) -> bytes:
    with path.open("rb") as fh:  # read-only: a returned file is never modified
        return fh.read(MAX_FILE_BYTES + 1)  # enough to reject a huge file without loading it all


_WANTED = {norm(name) for key in ("meta", "profile", "questions") for name in SHEETS[key].values()}


def _wanted(sheet: str) -> bool:
    return norm(sheet) in _WANTED


def _extract(path: Path, data: bytes, file: str) -> tuple[_Extract, bool]:
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _extract_csv(read_csv(data, file)), True
    if suffix in WORKBOOK_SUFFIXES:
        return _extract_workbook(read_workbook(data, suffix, file, _wanted)), False
    raise Rejected("unsupported", [Problem(file, "", t("read.unsupported", suffix=suffix or "-"))])


def read_returned(path: Path, get_questionnaire: QuestionnaireSource, lang: str | None = None,
                  territory: Path | None = None) -> FileResult:
    """Read and fully validate one returned file; never raises for a bad file (the result says why).

    ``territory`` is the comuni list (CSV) the profile's comune is checked against; default: the shipped one.
    """
    file = str(path)
    lang = lang or get_language()
    try:
        data = _read(path)
    except FileNotFoundError:
        return FileResult(file, "", None, (CellProblem("not_found", "", "", "", t("file.not_found")),))
    except OSError as exc:
        return FileResult(file, "", None, (CellProblem("unreadable", "", "", "", t("file.unreadable", error=exc.strerror or exc)),))
    sha = hashlib.sha256(data).hexdigest()
    try:
        ex, is_csv = _extract(path, data, file)
        layout = [p for p in ex.problems if p.reason == "layout"]
        if layout:  # a missing sheet or header explains more than the checksum it also breaks
            return FileResult(file, sha, None, tuple(layout))
        qn, response_id = _check_meta(ex, is_csv, sha, get_questionnaire)
        if any(p.reason != "invalid" for p in ex.problems):
            return FileResult(file, sha, None, tuple(sorted(ex.problems, key=_position)))
        answers, notes, respondent, problems, warnings = _validate(qn, ex, file, lang, territory)
    except Rejected as exc:
        return FileResult(file, sha, None, tuple(CellProblem(exc.reason, "", p.place, "", p.message) for p in exc.problems))
    except CrassessError as exc:
        return FileResult(file, sha, None, tuple(CellProblem("questionnaire", "", p.place, "", p.message) for p in exc.problems))
    except Exception as exc:  # an untrusted file must never stop the batch: whatever breaks, the file is refused
        detail = f"{type(exc).__name__}: {str(exc)[:200]}"
        return FileResult(file, sha, None, (CellProblem("corrupted", "", "", "", t("read.corrupted", detail=detail)),))
    problems = sorted(ex.problems + problems, key=_position)
    if not answers and not problems:
        problems.append(CellProblem("empty", "", "", "", t("imp.no_answers")))
    if problems:
        return FileResult(file, sha, None, tuple(problems), tuple(warnings))
    missing = _unanswered(qn, answers)
    if missing:
        warnings.append(CellProblem("", "", "", "", t("imp.unanswered", ids=", ".join(missing))))
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
