"""The public layout of crassess workbooks and CSV files, shared by the template writer and the importer.

No third-party imports here: this module is the contract (sheet names, headers, row ids, metadata keys
and the metadata checksum) that ``workbook_template`` writes and ``importing`` reads.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from crassess.i18n import pick, register, t
from crassess.questionnaire.models import Question, Questionnaire
from crassess.safe_text import safe_filename

FORMAT = "crassess-workbook/1"

SHEETS = {
    "instructions": {"it": "Istruzioni", "en": "Instructions"},
    "profile": {"it": "Profilo", "en": "Profile"},
    "questions": {"it": "Domande", "en": "Questions"},
    "lists": {"it": "_liste", "en": "_lists"},
    "meta": {"it": "_meta", "en": "_meta"},
}

# Question sheet columns, in order: key -> header per language. Only ID and answer are required on import.
QUESTION_COLUMNS = {
    "id": {"it": "ID", "en": "ID"},
    "dimension": {"it": "Dimensione", "en": "Dimension"},
    "question": {"it": "Domanda", "en": "Question"},
    "answer": {"it": "Risposta", "en": "Answer"},
    "note": {"it": "Note", "en": "Notes"},
    "help": {"it": "Aiuto", "en": "Help"},
}
PROFILE_COLUMNS = {
    "id": {"it": "ID", "en": "ID"},
    "field": {"it": "Campo", "en": "Field"},
    "answer": {"it": "Valore", "en": "Value"},
    "help": {"it": "Aiuto", "en": "Help"},
}
# Headers accepted on import for each column key (normalised with :func:`norm`).
HEADER_ALIASES = {
    "id": {"id"},
    "answer": {"risposta", "answer", "valore", "value"},
    "note": {"note", "notes", "nota"},
}

PROFILE_FIELDS = ("name", "comune", "size", "subsector", "contact", "date")
REQUIRED_PROFILE_FIELDS = ("name", "comune")
# In CSV files (no hidden sheets) metadata and profile are rows whose ID starts with "#":
# "#questionnaire", "#version", "#response_id", "#name", "#comune", ... ("#" cannot start a question id).
CSV_PREFIX = "#"
META_KEYS = ("format", "questionnaire", "version", "content_hash", "response_id", "lang", "checksum")
# Optional metadata: covered by the checksum only when present, so workbooks made before it still import.
# respondent_id is the respondent's stable code across waves (from the respondents list of ``template``).
OPTIONAL_META_KEYS = ("respondent_id",)

YES_WORDS = frozenset({"si", "sì", "si'", "s", "x", "yes", "y", "true", "vero", "1", "✓", "✔", "ok"})
NO_WORDS = frozenset({"no", "n", "false", "falso", "0", "-"})

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "´": "'", "`": "'",
                         "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"'})


def norm(value: object) -> str:
    """Tolerant comparison key: NFKC (non-breaking spaces become spaces), straight quotes, one space, casefold."""
    if type(value) is str and len(value) <= 80:
        return _norm_short(value)  # labels, sheet names and headers repeat in every file of a batch
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).translate(_QUOTES)
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=4096)
def _norm_short(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()


def unaccent(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


RowKind = Literal["question", "multi", "choice"]


@dataclass(frozen=True)
class Row:
    """One row of the questions sheet: a question, the head row of a select_multiple, or one of its choices."""

    id: str
    kind: RowKind
    question: Question
    choice: str | None = None


def question_rows(questionnaire: Questionnaire) -> list[Row]:
    """The rows of the questions sheet, in questionnaire order.

    A select_multiple gives a head row (ID = question id; answer only "Non so"/"Non applicabile" where
    allowed) followed by one row per choice (ID = ``question_id.choice_value``, answer Sì/No).
    """
    rows: list[Row] = []
    for q in questionnaire.questions:
        if q.type == "select_multiple":
            rows.append(Row(q.id, "multi", q))
            rows += [Row(f"{q.id}.{c.value}", "choice", q, c.value) for c in questionnaire.choices_of(q)]
        else:
            rows.append(Row(q.id, "question", q))
    return rows


def checksum(meta: dict[str, str], question_ids: Iterable[str], profile_ids: Iterable[str]) -> str:
    """sha256 over the metadata values and the sets of row ids of the questions and profile sheets.

    Not a secret signature (anyone can recompute it): it detects hand edits of the hidden metadata and
    rows added, removed or renamed in the ID columns, which is the realistic risk. Row order is not
    covered, so sorting rows does not break a file; every answer is validated anyway.
    """
    parts = [f"{key}={meta.get(key, '')}" for key in META_KEYS if key != "checksum"]
    parts += [f"{key}={meta[key]}" for key in OPTIONAL_META_KEYS if meta.get(key)]
    parts.append("Q=" + ",".join(sorted(question_ids)))
    parts.append("P=" + ",".join(sorted(profile_ids)))
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def safe_stem(text: str, fallback: str = "rispondente", limit: int = 50) -> str:
    """A file-name stem derived from untrusted text: ASCII letters, digits and single dashes only."""
    return safe_filename(text, fallback, limit)


def answer_cells(questionnaire: Questionnaire, answers: dict[str, object], lang: str) -> dict[str, object]:
    """Response-format answers as a respondent writes them in the questions sheet: row ID -> cell value
    (choice labels, "Sì"/"No" per choice of a select_multiple, "Non so"/"Non applicabile")."""
    cells: dict[str, object] = {}
    for qid, value in answers.items():
        q = questionnaire.question(qid)
        if value in ("na", "dk"):
            cells[qid] = t(f"special.{value}", lang)
        elif q.type == "select_one":
            cells[qid] = next(pick(c.label, lang) for c in questionnaire.choices_of(q) if c.value == value)
        elif q.type == "select_multiple" and isinstance(value, list):
            for c in questionnaire.choices_of(q):
                cells[f"{qid}.{c.value}"] = t("yes" if c.value in value else "no", lang)
        else:
            cells[qid] = value
    return cells


# ------------------------------------------------------------ texts shared by the template and the importer

register({
    "wb.profile.name": {"it": "Nome dell'organizzazione", "en": "Name of the organisation"},
    "wb.profile.comune": {"it": "Comune (nome o codice ISTAT)", "en": "Comune (name or ISTAT code)"},
    "wb.profile.size.comune": {"it": "Abitanti", "en": "Inhabitants"},
    "wb.profile.size.associazione": {"it": "Numero di soci", "en": "Number of members"},
    "wb.profile.size.impresa": {"it": "Numero di addetti", "en": "Number of employees"},
    "wb.profile.subsector.comune": {"it": "Tipo di ente", "en": "Type of body"},
    "wb.profile.subsector.associazione": {"it": "Tipo di associazione", "en": "Type of association"},
    "wb.profile.subsector.impresa": {"it": "Settore di attività (sezione ATECO)", "en": "Line of business (ATECO section)"},
    "wb.profile.contact": {"it": "Referente e contatto (facoltativo)", "en": "Contact person (optional)"},
    "wb.profile.date": {"it": "Data di compilazione", "en": "Date filled in"},
    "wb.expect.one_of": {"it": "una tra: {labels}", "en": "one of: {labels}"},
    "wb.expect.yes_no": {"it": "Sì o No", "en": "Yes or No"},
    "wb.expect.multi": {"it": "Sì o No su ogni voce qui sotto", "en": "Yes or No on each item below"},
    "wb.expect.multi_special": {"it": "vuota, oppure {labels} (allora nessun Sì qui sotto)", "en": "empty, or {labels} (then no Yes below)"},
    "wb.expect.integer": {"it": "un numero intero", "en": "a whole number"},
    "wb.expect.decimal": {"it": "un numero", "en": "a number"},
    "wb.expect.unit": {"it": "{main} in {unit}", "en": "{main} in {unit}"},
    "wb.expect.text": {"it": "un testo", "en": "a text"},
    "wb.expect.or": {"it": "{main}, oppure {labels}", "en": "{main}, or {labels}"},
    "wb.expect.name": {"it": "il nome dell'organizzazione", "en": "the organisation's name"},
    "wb.expect.comune": {"it": "un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove", "en": "a comune of the territory (name or ISTAT code), or «Outside the territory» for a seat elsewhere"},
    "wb.expect.size": {"it": "un numero intero non negativo", "en": "a whole number, not negative"},
    "wb.expect.date": {"it": "una data (gg/mm/aaaa)", "en": "a date (dd/mm/yyyy)"},
})


def special_labels(question: Question, lang: str) -> list[str]:
    """The labels of the special answers this question allows ("Non so", "Non applicabile")."""
    out = []
    if question.allow_dk:
        out.append(t("special.dk", lang))
    if question.allow_na:
        out.append(t("special.na", lang))
    return out


def choice_labels(questionnaire: Questionnaire, question: Question, lang: str) -> list[str]:
    return [pick(c.label, lang) for c in questionnaire.choices_of(question)]


def expected(questionnaire: Questionnaire, row: Row, lang: str) -> str:
    """What the answer cell of ``row`` accepts, in words (for help texts and error reports)."""
    q = row.question
    specials = special_labels(q, lang)
    if row.kind == "choice":
        return t("wb.expect.yes_no", lang)
    if row.kind == "multi":
        main = t("wb.expect.multi", lang)
        return main + ("; " + t("wb.expect.multi_special", lang, labels=" / ".join(specials)) if specials else "")
    if q.type == "select_one":
        return t("wb.expect.one_of", lang, labels=", ".join(choice_labels(questionnaire, q, lang) + specials))
    main = t(f"wb.expect.{q.type}", lang)
    if q.unit:
        main = t("wb.expect.unit", lang, main=main, unit=q.unit)
    if q.constraint_message:
        main += f" ({pick(q.constraint_message, lang)})"
    return t("wb.expect.or", lang, main=main, labels=", ".join(specials)) if specials else main


def profile_label(field: str, sector: str, lang: str) -> str:
    key = f"wb.profile.{field}.{sector}" if field in ("size", "subsector") else f"wb.profile.{field}"
    return t(key, lang)
