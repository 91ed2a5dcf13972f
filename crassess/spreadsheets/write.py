"""Writing blank or pre-filled workbooks: the respondents list, safe file names, atomic saves."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crassess.csvfile import CsvStyle, csv_bytes
from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import pick, register, t
from crassess.numbers import read_number
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import (
    Questionnaire,
    Respondent,
    respondent_key,
    valid_respondent_id,
)
from crassess.questionnaire.responses import new_response_id
from crassess.sources import atomic_write_bytes
from crassess.spreadsheets.layout import (
    CSV_PREFIX,
    PROFILE_FIELDS,
    QUESTION_COLUMNS,
    expected,
    norm,
    profile_label,
    question_rows,
    safe_stem,
)
from crassess.spreadsheets.read import Rejected, read_csv
from crassess.territory.comuni import load_territory

register({
    "tpl.columns": {"it": "colonne obbligatorie mancanti: {missing} (trovate: {found})", "en": "required columns missing: {missing} (found: {found})"},
    "tpl.unknown_column": {"it": "colonna '{column}' sconosciuta; ammesse: {known}", "en": "unknown column '{column}'; allowed: {known}"},
    "tpl.no_name": {"it": "nome mancante", "en": "name missing"},
    "tpl.size": {"it": "dimensione '{value}' non valida: atteso un numero intero non negativo", "en": "invalid size '{value}': a whole number, not negative, expected"},
    "tpl.duplicate_id": {"it": "codice del rispondente '{id}' ripetuto (già a riga {first})", "en": "respondent code '{id}' repeated (already on line {first})"},
    "tpl.not_in_register": {"it": "il codice '{code}' non è nel registro dei rispondenti{close}", "en": "code '{code}' is not in the respondents' register{close}"},
    "tpl.close": {"it": "; forse: {codes}?", "en": "; did you mean: {codes}?"},
    "tpl.no_register": {"it": "--respondent richiede una campagna con il registro dei rispondenti (campaign.yaml: respondents: FILE.csv)",
                        "en": "--respondent needs a campaign with a respondents' register (campaign.yaml: respondents: FILE.csv)"},
    "tpl.no_rows": {"it": "nessun rispondente nel file", "en": "no respondent in the file"},
    "tpl.out_is_dir": {"it": "con --respondents, -o deve essere una cartella", "en": "with --respondents, -o must be a folder"},
})

REQUIRED_COLUMNS = ("name", "comune", "size")
RESPONDENT_COLUMNS = ("id", *PROFILE_FIELDS)  # id: the respondent's stable code across waves (optional)


@dataclass(frozen=True)
class Written:
    path: Path
    response_id: str
    respondent: str


def read_respondents(path: Path) -> list[Respondent]:
    """The respondents CSV (``name``, ``comune``, ``size``, optional ``id`` and profile columns); all problems at once.

    ``id`` is the respondent's stable code (tax code, REA number...): it must be unique in the file.
    """
    file = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(problems=[Problem(file, "", t("file.unreadable", error=exc.strerror or exc))]) from None
    try:
        table = read_csv(data, file)
    except Rejected as exc:
        raise InvalidInput(problems=exc.problems) from None
    rows = [r for r in table.rows]
    header_at = next((i for i, r in enumerate(rows) if any(str(c).strip() for c in r)), None)
    if header_at is None:
        raise InvalidInput(problems=[Problem(file, "", t("tpl.no_rows"))])
    header = [norm(c) for c in rows[header_at]]
    problems: list[Problem] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(Problem(file, t("place.line", line=header_at + 1), t("tpl.columns", missing=", ".join(missing), found=", ".join(header))))
    for column in header:
        if column and column not in RESPONDENT_COLUMNS:
            problems.append(Problem(file, t("place.line", line=header_at + 1), t("tpl.unknown_column", column=column, known=", ".join(RESPONDENT_COLUMNS))))
    if problems:
        raise InvalidInput(problems=problems)
    territory = load_territory()
    out: list[Respondent] = []
    ids: dict[str, int] = {}
    for i in range(header_at + 1, len(rows)):
        record = rows[i]
        if not any(str(c).strip() for c in record):
            continue
        place = t("place.line", line=i + 1)
        values: dict[str, Any] = {k: str(v).strip() for k, v in zip(header, record, strict=False) if k and str(v).strip()}
        count = len(problems)
        if not values.get("name"):
            problems.append(Problem(file, place, t("tpl.no_name")))
        if "id" in values:
            key = respondent_key(values["id"])
            if not valid_respondent_id(values["id"]):
                problems.append(Problem(file, place, "id: " + t("pyd.respondent_id")))
            elif key in ids:
                problems.append(Problem(file, place, t("tpl.duplicate_id", id=values["id"], first=ids[key])))
            else:
                ids[key] = i + 1
        if values.get("comune"):
            try:
                values["comune"] = territory.resolve(values["comune"], file, place).istat
            except InvalidInput as exc:
                problems += exc.problems
        if "size" in values:
            size, error = read_number(values["size"], integer=True)
            if error is None and size is not None and size >= 0:
                values["size"] = size
            else:
                problems.append(Problem(file, place, t("tpl.size", value=values["size"])))
        if len(problems) == count:
            out.append(Respondent(**values))
    if problems:
        raise InvalidInput(problems=problems)
    if not out:
        raise InvalidInput(problems=[Problem(file, "", t("tpl.no_rows"))])
    return out


def register_entry(path: Path, code: str) -> Respondent:
    """The respondent with stable ``code`` in a register (the respondents CSV), compared without case, spaces and
    punctuation; every problem of the file, or the code's absence with the closest codes, as :class:`InvalidInput`."""
    import difflib

    people = read_respondents(path)
    codes = {respondent_key(p.id): p for p in people if p.id}
    if respondent_key(code) in codes:
        return codes[respondent_key(code)]
    near = difflib.get_close_matches(respondent_key(code), list(codes), n=3, cutoff=0.6)
    close = t("tpl.close", codes=", ".join(str(codes[k].id) for k in near)) if near else ""
    raise InvalidInput(problems=[Problem(str(path), "", t("tpl.not_in_register", code=code, close=close))])


def campaign_respondent(campaign: Path | None, code: str) -> Respondent:
    """``interview --respondent CODE``: the entry of the campaign's register (``campaign.yaml`` ``respondents:``)."""
    from crassess.campaign.config import load_campaign_config

    register = load_campaign_config(campaign).respondents_path if campaign is not None and campaign.is_dir() else None
    if register is None:
        raise UsageError(problems=[Problem("--respondent", "", t("tpl.no_register"))])
    return register_entry(register, code)


def _xlsx(qn: Questionnaire, lang: str, rid: str, person: Respondent | None, comuni: list[tuple[str, str]],
          style: CsvStyle | None = None) -> bytes:
    from crassess.spreadsheets.template import build_template

    buffer = io.BytesIO()
    build_template(qn, lang, rid, person, comuni).save(buffer)
    return buffer.getvalue()


def csv_template(qn: Questionnaire, lang: str, rid: str, person: Respondent | None = None,
                 comuni: list[tuple[str, str]] | None = None, style: CsvStyle | None = None) -> bytes:
    """The same layout as one CSV (default ';' in Italian, ',' in English): "#" rows for metadata and profile,
    then the questions."""
    rows: list[list[Any]] = []
    meta = {"questionnaire": qn.id, "version": qn.version, "content_hash": qn.content_hash, "response_id": rid}
    if person is not None and person.id:
        meta["respondent_id"] = person.id
    for key, value in meta.items():
        rows.append([CSV_PREFIX + key, "", "", value, "", ""])
    names = dict(comuni or [])
    for field in PROFILE_FIELDS:
        value = getattr(person, field, None) if person else None
        value = names.get(str(value), value) if field == "comune" else value
        rows.append([CSV_PREFIX + field, "", profile_label(field, qn.sector, lang), value, "", ""])
    for row in question_rows(qn):
        dim = qn.dimensions_by_id.get(row.question.dimension or "")
        if row.kind == "choice":
            choice = next(c for c in qn.choices_of(row.question) if c.value == row.choice)
            text = "– " + pick(choice.label, lang)
        else:
            text = pick(row.question.label, lang)
        hint = pick(row.question.hint, lang) if row.question.hint and row.kind != "choice" else ""
        help_text = " ".join(x for x in (hint, expected(qn, row, lang)) if x)
        rows.append([row.id, pick(dim.label, lang) if dim else "", text, "", "", help_text])
    header = [heads[lang] for heads in QUESTION_COLUMNS.values()]
    return csv_bytes(header, rows, style or CsvStyle.for_language(lang))


FORMATS = {"xlsx": _xlsx, "csv": csv_template}


def write_templates(questionnaire: str | Path, out: Path, lang: str, respondents: Path | None = None,
                    fmt: str = "xlsx", sep: str | None = None) -> list[Written]:
    """One blank workbook (or CSV, separator ``sep`` or the language's) at ``out``, or one pre-filled per
    respondent in the folder ``out``."""
    qn = load_questionnaire(questionnaire)
    comuni = [(c.istat, c.nome) for c in load_territory().comuni]
    build = FORMATS[fmt]
    style = CsvStyle.for_language(lang, sep)
    suffix = "." + fmt
    if respondents is None:
        path = out / f"{qn.id}-{qn.version}-{lang}{suffix}" if out.is_dir() else out
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        rid = new_response_id()
        atomic_write_bytes(path, build(qn, lang, rid, None, comuni, style))
        return [Written(path, rid, "")]
    people = read_respondents(respondents)
    if out.exists() and not out.is_dir():
        raise UsageError(problems=[Problem(str(out), "", t("tpl.out_is_dir"))])
    written = []
    for person in people:
        rid = new_response_id()
        path = out / f"{safe_stem(person.name or '')}-{rid[:8]}{suffix}"
        atomic_write_bytes(path, build(qn, lang, rid, person, comuni, style))
        written.append(Written(path, rid, person.name or ""))
    return written
