"""Reading returned workbooks and CSV files: round trip, tolerant parsing, every rejection reason."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crassess.questionnaire.load import (
    load_questionnaire,
    shipped_files,
    validate_questionnaire,
)
from crassess.questionnaire.models import Questionnaire
from crassess.questionnaire.responses import (
    check_answers,
    load_response,
    validate_response,
)
from crassess.scoring.engine import result_to_dict, score
from crassess.spreadsheets.validate import Questionnaires, read_returned
from tests.spreadsheet_fixtures import (
    RID,
    fill,
    json_to_cells,
    ods_from_xlsx,
    template_bytes,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "responses").glob("*.json"))


def read(path: Path, *qns):
    return read_returned(path, Questionnaires(list(qns)))


def problems(result) -> list[tuple[str, str, str, str]]:
    return [(p.reason, f"{p.sheet}!{p.cell}" if p.sheet and p.cell else p.sheet or p.cell, p.question, p.message)
            for p in result.problems]


# ------------------------------------------------------------ round trip


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip_scores_like_json(tmp_path, esempio, example):
    response = load_response(example)
    checked, _ = validate_response(response, esempio)
    path = fill(tmp_path / "filled.xlsx", esempio, json_to_cells(esempio, checked.answers))
    result = read(path, esempio)
    assert result.problems == ()
    assert result.response["answers"] == checked.answers
    assert result_to_dict(score(esempio, result.response["answers"])) == result_to_dict(score(esempio, checked.answers))


def test_round_trip_rossi_hand_computed(tmp_path, esempio):
    cells = {
        "fibra_disponibile": "Sì", "fibra_sede": "Sì", "velocita": 100, "wifi": "In parte",
        "strumenti.cloud": "Sì", "strumenti.erp": "Sì", "strumenti.crm": "No", "strumenti.nessuno": "No",
        "fatturazione": "Sì", "addetti_formati": 25, "ore_perse": 5, "formazione": "Non so",
    }
    result = read(fill(tmp_path / "r.xlsx", esempio, cells, notes={"wifi": "solo in ufficio"}), esempio)
    response = result.response
    assert response["id"] == RID
    assert response["respondent"] == {"name": "Rossi Meccanica srl", "comune": "019036", "size": 12}
    assert response["notes"] == {"wifi": "solo in ufficio"}
    assert response["status"] == "complete"
    assert response["provenance"]["source_file"] == "r.xlsx"
    scored = score(esempio, response["answers"])
    # connettivita (2*100 + 70 + 50) / 4 = 80; strumenti (2*75 + 100) / 3; competenze coverage 2/3 < 0.67
    assert scored.overall == pytest.approx((2 * 80 + 250 / 3) / 3)
    assert scored.dimensions["competenze"].score is None


def test_english_workbook(tmp_path, esempio):
    cells = {"fibra_disponibile": "Yes", "fibra_sede": "Partly", "velocita": "Don't know", "strumenti.cloud": "Yes"}
    path = fill(tmp_path / "en.xlsx", esempio, cells, lang="en")
    result = read(path, esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"fibra_disponibile": "si", "fibra_sede": "parziale", "velocita": "dk", "strumenti": ["cloud"]}
    assert result.response["status"] == "draft"


def test_input_file_is_never_modified(tmp_path, esempio):
    path = fill(tmp_path / "r.xlsx", esempio, {"fibra_disponibile": "Sì"})
    before = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
    result = read(path, esempio)
    assert result.sha256 == before[0]
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before


# ------------------------------------------------------------ tolerant parsing


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Sì", "si"), ("si", "si"), ("  SÌ\u00a0", "si"), ("SI", "si"), ("Yes", "si"), ("In Parte", "parziale"),
        ("in  parte", "parziale"), ("parziale", "parziale"), ("partly", "parziale"), ("no", "no"), ("SI'", "si"),
    ],
)
def test_select_one_tolerant(tmp_path, esempio, cell, expected):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"fatturazione": cell}), esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"fatturazione": expected}


@pytest.mark.parametrize(("cell", "expected"), [("x", True), ("X", True), ("si", True), ("sì", True), ("Sì", True),
                                                ("yes", True), (True, True), ("si'", True), ("No", False), ("n", False), (0, False)])
def test_yes_no_tolerant(tmp_path, esempio, cell, expected):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"strumenti.erp": cell}), esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"strumenti": ["erp"] if expected else []}


@pytest.mark.parametrize(("cell", "expected"), [("3.0", 3), (3.0, 3), ("100", 100), (" 42 ", 42), ("Non so", "dk"), ("non  SO", "dk"), ("dk", "dk")])
def test_integer_tolerant(tmp_path, esempio, cell, expected):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"velocita": cell}), esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"velocita": expected}


def test_decimal_comma_and_smart_quotes(tmp_path):
    qn = validate_questionnaire({
        "id": "q", "version": "1", "sector": "comune", "title": {"it": "Q"},
        "levels": [{"id": "a", "from": 0, "label": {"it": "A"}}],
        "dimensions": [{"id": "d", "label": {"it": "D"}}],
        "questions": [
            {"id": "quota", "type": "decimal", "label": {"it": "Quota"}, "dimension": "d", "scoring": {"min": 0, "max": 10}},
            {"id": "sede", "type": "select_one", "label": {"it": "Sede"}, "choices": [
                {"value": "3", "label": {"it": "Non c'è"}}, {"value": "4", "label": {"it": "C'è"}}]},
        ],
    }, "q.yaml")
    result = read(fill(tmp_path / "r.xlsx", qn, {"quota": "3,5", "sede": "NON C’È"}, respondent=None,
                       profile={"name": "Ente", "comune": "cremona"}), qn)
    assert result.problems == ()
    assert result.response["answers"] == {"quota": 3.5, "sede": "3"}
    assert result.response["respondent"] == {"name": "Ente", "comune": "019036"}
    number = read(fill(tmp_path / "n.xlsx", qn, {"sede": 4.0}, respondent=None, profile={"name": "E", "comune": "19036"}), qn)
    assert number.response["answers"] == {"sede": "4"}


def test_special_with_items_and_not_allowed_special(tmp_path, esempio):
    cells = {"strumenti": "Non so", "strumenti.cloud": "Sì", "wifi": "Non so", "ostacoli": "Non so"}
    result = read(fill(tmp_path / "r.xlsx", esempio, cells), esempio)
    assert problems(result) == [
        ("invalid", "Domande!D5", "wifi", "'Non so' (dk) non è ammesso per questa domanda"),
        ("invalid", "Domande!D6", "strumenti", "'Non so' (dk) non è ammesso per questa domanda"),
        ("invalid", "Domande!D15", "ostacoli", "'Non so' (dk) non è ammesso per questa domanda"),
    ]
    assert result.problems[1].expected == "Sì o No su ogni voce qui sotto"


def test_head_row_of_multiple_choice(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"strumenti": "cloud"}), esempio)
    assert problems(result) == [("invalid", "Domande!D6", "strumenti", "questa riga non prende risposta: indicare Sì o No nelle righe sotto")]


def test_special_together_with_items(tmp_path, esempio):
    from crassess.questionnaire.models import Question

    strumenti = esempio.question("strumenti").model_copy(update={"allow_dk": True})
    qn = esempio.model_copy(update={"questions": [strumenti if q.id == "strumenti" else q for q in esempio.questions]})
    qn.__dict__.pop("questions_by_id", None)
    assert isinstance(qn.question("strumenti"), Question) and qn.question("strumenti").allow_dk
    cells = {"strumenti": "Non so", "strumenti.cloud": "Sì"}
    result = read(fill(tmp_path / "r.xlsx", qn, cells), qn)
    assert problems(result) == [("invalid", "Domande!D6", "strumenti", "'Non so' insieme a voci indicate con Sì: scegliere l'una o le altre")]
    alone = read(fill(tmp_path / "a.xlsx", qn, {"strumenti": "non so", "strumenti.cloud": "No"}), qn)
    assert alone.response["answers"] == {"strumenti": "dk"}


# ------------------------------------------------------------ invalid answers: every problem at once


def test_every_problem_located_at_once(tmp_path, esempio):
    cells = {
        "fibra_disponibile": "forse", "velocita": "tanta", "wifi": "na", "strumenti.cloud": "Sì",
        "strumenti.nessuno": "Sì", "strumenti.erp": "boh", "addetti_formati": 120, "ore_perse": "Non applicabile",
    }
    result = read(fill(tmp_path / "r.xlsx", esempio, cells, profile={"comune": "Cremna", "size": "dodici"}), esempio)
    assert result.reason == "invalid"
    assert result.response is None
    assert problems(result) == [
        ("invalid", "Profilo!C3", "comune", "comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?"),
        ("invalid", "Profilo!C4", "size", "atteso un numero intero non negativo, trovato 'dodici'"),
        ("invalid", "Domande!D2", "fibra_disponibile", "'forse' non è una risposta ammessa"),
        ("invalid", "Domande!D4", "velocita", "atteso un numero intero, trovato 'tanta'"),
        ("invalid", "Domande!D6", "strumenti", "la scelta 'nessuno' esclude tutte le altre"),
        ("invalid", "Domande!D8", "strumenti.erp", "'boh' non è Sì o No"),
        ("invalid", "Domande!D12", "addetti_formati", "vincolo non rispettato: Una percentuale tra 0 e 100"),
        ("invalid", "Domande!D13", "ore_perse", "'Non applicabile' (na) non è ammesso per questa domanda"),
    ]
    assert result.problems[2].expected == "una tra: Sì, No, Non so"
    assert result.problems[3].expected == "un numero intero (Un valore tra 0 e 10000 Mbit/s), oppure Non so"
    assert result.problems[0].expected == "un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove"


def test_wifi_na_accepted_where_allowed(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Non applicabile"}), esempio)
    assert result.response["answers"] == {"wifi": "na"}


def test_missing_name_and_comune(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, respondent=None), esempio)
    assert problems(result) == [
        ("invalid", "Profilo!C2", "name", "dato obbligatorio mancante"),
        ("invalid", "Profilo!C3", "comune", "dato obbligatorio mancante"),
    ]


def test_not_relevant_answer_is_a_warning(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"fibra_disponibile": "No", "fibra_sede": "Sì"}), esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"fibra_disponibile": "no"}
    assert [(w.cell, w.question, w.message) for w in result.warnings][0] == (
        "D3", "fibra_sede", "risposta ignorata: la domanda non è pertinente date le altre risposte")


# ------------------------------------------------------------ rejection reasons


def test_other_questionnaire(tmp_path, esempio):
    other = esempio.model_copy(update={"id": "altro"})
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}), other)
    assert result.reason == "questionnaire"
    assert problems(result) == [("questionnaire", "", "", "il file è per il questionario 'esempio', ma questa importazione accetta: altro 1.0.0")]


def test_unknown_questionnaire_without_q(tmp_path, esempio):
    result = read_returned(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}), Questionnaires())
    assert problems(result) == [("questionnaire", "", "", "il file è per il questionario 'esempio', che non è disponibile; indicarlo con -q")]


def test_other_version(tmp_path, esempio):
    newer = esempio.model_copy(update={"version": "1.1.0"})
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}), newer)
    assert problems(result) == [("version", "", "", "il file è per esempio versione 1.0.0, ma è caricata la versione 1.1.0")]


def test_same_version_changed_content(tmp_path, esempio):
    changed = Questionnaire.model_validate({**esempio.model_dump(by_alias=True), "target": 60})
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}), changed)
    assert problems(result) == [("version", "", "", "il questionario esempio 1.0.0 è cambiato da quando il modello è stato creato (contenuto diverso, stessa versione)")]


def _drop_meta(wb):
    del wb["_meta"]


def _edit_meta_id(wb):
    wb["_meta"]["B5"].value = "22222222-2222-4333-8444-555555555555"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_drop_meta, ("metadata", "", "", "metadati nascosti mancanti: il file non viene da 'crassess template', o è stato salvato da un programma che ha tolto i fogli nascosti")),
        (_edit_meta_id, ("metadata", "_meta", "", "metadati nascosti alterati o righe ID aggiunte, tolte o rinominate (il controllo non corrisponde): usare un modello nuovo di 'crassess template'")),
    ],
    ids=["missing", "edited"],
)
def test_missing_or_tampered_metadata(tmp_path, esempio, edit, expected):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, edit=edit), esempio)
    assert problems(result) == [expected]


def test_missing_sheet_and_header(tmp_path, esempio):
    def drop(wb):
        del wb["Domande"]

    def header(wb):
        wb["Profilo"]["C1"].value = "Valori?"

    assert problems(read(fill(tmp_path / "a.xlsx", esempio, {}, edit=drop), esempio)) == [
        ("layout", "Domande", "", "manca il foglio 'Domande'")]
    assert problems(read(fill(tmp_path / "b.xlsx", esempio, {"wifi": "Sì"}, edit=header), esempio)) == [
        ("layout", "Profilo!A1", "", "intestazione non trovata: servono le colonne 'ID' e 'Valore'")]


def test_empty_file_and_unfilled_workbook(tmp_path, esempio):
    empty = tmp_path / "vuoto.xlsx"
    empty.write_bytes(b"")
    assert problems(read(empty, esempio)) == [("empty", "", "", "il file è vuoto")]
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(template_bytes(esempio))
    assert problems(read(blank, esempio)) == [("empty", "", "", "nessuna risposta compilata")]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"questo non e' un foglio di calcolo", "file danneggiato o non è un foglio di calcolo (File is not a zip file)"),
    ],
)
def test_corrupted(tmp_path, esempio, data, message):
    path = tmp_path / "rotto.xlsx"
    path.write_bytes(data)
    assert problems(read(path, esempio)) == [("corrupted", "", "", message)]


def test_truncated_and_foreign_zip(tmp_path, esempio):
    truncated = tmp_path / "troncato.xlsx"
    truncated.write_bytes(template_bytes(esempio)[:3000])
    assert read(truncated, esempio).reason == "corrupted"
    foreign = tmp_path / "altro.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("ciao.txt", "ciao")
    foreign.write_bytes(buffer.getvalue())
    assert read(foreign, esempio).reason == "corrupted"


def test_unsupported_suffix(tmp_path, esempio):
    path = tmp_path / "risposta.pdf"
    path.write_bytes(b"%PDF-1.4")
    assert problems(read(path, esempio)) == [("unsupported", "", "", "tipo di file non gestito (.pdf); ammessi: .xlsx, .xlsm, .ods, .csv")]


def _rezip(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def test_zip_bomb_rejected_before_parsing(tmp_path, esempio):
    def inflate(name, content):
        return content + b" " * (3 * 2**20) if name == "xl/styles.xml" else content

    path = tmp_path / "bomba.xlsx"
    path.write_bytes(_rezip(template_bytes(esempio), inflate))
    result = read(path, esempio)
    assert result.reason == "unsafe"
    assert result.problems[0].message.startswith("file sospetto: decompresso sarebbe troppo grande (xl/styles.xml x")


def test_doctype_rejected(tmp_path, esempio):
    def entity(name, content):
        if name == "xl/worksheets/sheet3.xml":
            return b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content
        return content

    path = tmp_path / "dtd.xlsx"
    path.write_bytes(_rezip(template_bytes(esempio), entity))
    assert problems(read(path, esempio)) == [("unsafe", "", "", "file sospetto: contiene una dichiarazione DOCTYPE/ENTITY in xl/worksheets/sheet3.xml")]


def test_formula_without_cached_value(tmp_path, esempio):
    def formula(wb):
        wb["Domande"]["D4"].value = "=50+50"
        wb["Profilo"]["C4"].value = "=SUM(1,2)"

    result = read(fill(tmp_path / "f.xlsx", esempio, {"wifi": "Sì"}, edit=formula), esempio)
    assert problems(result) == [
        ("formula", "Profilo!C4", "size", "formula nella cella della risposta: scrivere il valore, non una formula"),
        ("formula", "Domande!D4", "velocita", "formula nella cella della risposta: scrivere il valore, non una formula"),
    ]


def test_formula_with_cached_value_is_refused_naming_the_question(tmp_path, esempio):
    def cached(name, content):
        if name == "xl/worksheets/sheet3.xml":
            return re.sub(rb'<c r="D4"[^>]*?(/>|>.*?</c>)', b'<c r="D4"><f>50+50</f><v>100</v></c>', content)
        return content

    path = tmp_path / "cached.xlsx"
    fill(path, esempio, {"wifi": "Sì"})
    data = _rezip(path.read_bytes(), cached)
    assert b"<f>50+50</f>" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet3.xml")
    path.write_bytes(data)
    assert problems(read(path, esempio)) == [
        ("formula", "Domande!D4", "velocita", "formula nella cella della risposta: scrivere il valore, non una formula")]


def test_merged_cells_in_answer_area(tmp_path, esempio):
    def merge(wb):
        wb["Domande"].merge_cells("D2:D3")
        wb["Domande"].merge_cells("F2:F3")  # help column: harmless

    result = read(fill(tmp_path / "m.xlsx", esempio, {"fibra_disponibile": "Sì"}, edit=merge), esempio)
    assert problems(result) == [("merged", "Domande!D2:D3", "", "celle unite D2:D3 nella zona delle risposte: separarle")]


def test_duplicate_row_id(tmp_path, esempio):
    def dup(wb):
        ws = wb["Domande"]
        ws["A19"].value = "wifi"

    result = read(fill(tmp_path / "d.xlsx", esempio, {"wifi": "Sì"}, edit=dup), esempio)
    assert problems(result) == [
        ("rows", "Domande", "note_finali", "riga della domanda 'note_finali' tolta dal modello: rimetterla (o usare un modello nuovo)"),
        ("rows", "Domande!D19", "wifi", "la riga 'wifi' compare più volte (prima in D5)"),
    ]


# ------------------------------------------------------------ CSV


CSV_ROWS = [
    ("ID", "Risposta", "Note"),
    ("#questionnaire", "esempio", ""),
    ("#version", "1.0.0", ""),
    ("#response_id", RID, ""),
    ("#name", "Caffè Verdi", ""),
    ("#comune", "Crema", ""),
    ("fibra_disponibile", "Sì", ""),
    ("addetti_formati", "12,5", "stima"),
    ("strumenti.cloud", "x", ""),
    ("fatturazione", "in parte", ""),
]


def _csv(rows, sep: str) -> str:
    return "\r\n".join(sep.join(f'"{c}"' if sep in c else c for c in row) for row in rows) + "\r\n"


@pytest.mark.parametrize(("encoding", "sep"), [("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t")])
def test_csv_encodings_and_separators(tmp_path, esempio, encoding, sep):
    path = tmp_path / "r.csv"
    path.write_bytes(_csv(CSV_ROWS, sep).encode(encoding))
    result = read(path, esempio)
    assert result.problems == ()
    assert result.response["respondent"] == {"name": "Caffè Verdi", "comune": "019035"}
    assert result.response["answers"] == {"fibra_disponibile": "si", "strumenti": ["cloud"], "fatturazione": "parziale", "addetti_formati": 12.5}
    assert result.response["notes"] == {"addetti_formati": "stima"}
    assert result.response["id"] == RID


def test_csv_without_response_id_gets_a_stable_one(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_text(_csv([r for r in CSV_ROWS if r[0] != "#response_id"], ";"), encoding="utf-8")
    first, second = read(path, esempio), read(path, esempio)
    assert first.response["id"] == second.response["id"] != RID


def test_csv_problems_name_line_and_column(tmp_path, esempio):
    rows = [*CSV_ROWS[:6], ("velocita", "veloce", ""), ("wifi", "forse", "")]
    path = tmp_path / "r.csv"
    path.write_text(_csv(rows, ";"), encoding="utf-8")
    assert problems(read(path, esempio)) == [
        ("invalid", "CSV!B7", "velocita", "atteso un numero intero, trovato 'veloce'"),
        ("invalid", "CSV!B8", "wifi", "'forse' non è una risposta ammessa"),
    ]


def test_csv_without_metadata_rows(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_text("ID;Risposta\nwifi;Sì\n", encoding="utf-8")
    assert problems(read(path, esempio)) == [("metadata", "", "", "il CSV deve avere le righe #questionnaire, #version (colonna ID) con questionario e versione")]


def test_csv_unknown_encoding(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_bytes("ID;Risposta\n".encode() + b"wifi;\x81\x8d\n")
    assert problems(read(path, esempio)) == [("corrupted", "", "", "codifica del testo non riconosciuta: salvare come CSV UTF-8")]


def test_response_is_json_ready(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, profile={"date": "03/02/2026"}), esempio)
    assert json.loads(json.dumps(result.response))["respondent"]["date"] == "2026-02-03"


def test_openpyxl_date_cell(tmp_path, esempio):
    import datetime as dt

    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, profile={"date": dt.date(2026, 2, 3)}), esempio)
    assert result.response["respondent"]["date"] == "2026-02-03"


def test_workbook_opened_by_openpyxl_keeps_validations(tmp_path, esempio):
    path = fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"})
    wb = openpyxl.load_workbook(path)
    assert len(wb["Domande"].data_validations.dataValidation) > 0


# ------------------------------------------------------------ LibreOffice (only where it is installed)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_opens_template_and_its_files_import(tmp_path, esempio):
    cells = {"fibra_disponibile": "Sì", "fibra_sede": "In parte", "velocita": 100, "strumenti.cloud": "Sì", "note_finali": "ciao"}
    filled = fill(tmp_path / "filled.xlsx", esempio, cells)
    merged = fill(tmp_path / "merged.xlsx", esempio, {"wifi": "Sì"}, edit=lambda wb: wb["Domande"].merge_cells("D2:D3"))
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"
    for target, out in (("ods", "ods"), ("xlsx:Calc MS Excel 2007 XML", "xlsx")):
        subprocess.run(["soffice", profile, "--headless", "--convert-to", target, "--outdir", str(tmp_path / out),
                        str(filled), str(merged)], check=True, capture_output=True, timeout=120)
    expected = {"fibra_disponibile": "si", "fibra_sede": "parziale", "velocita": 100, "strumenti": ["cloud"], "note_finali": "ciao"}
    for path in (tmp_path / "ods" / "filled.ods", tmp_path / "xlsx" / "filled.xlsx"):
        result = read(path, esempio)
        assert result.problems == ()
        assert result.response["answers"] == expected
    for path in (tmp_path / "ods" / "merged.ods", tmp_path / "xlsx" / "merged.xlsx"):
        assert problems(read(path, esempio)) == [("merged", "Domande!D2:D3", "", "celle unite D2:D3 nella zona delle risposte: separarle")]
    resaved = openpyxl.load_workbook(tmp_path / "xlsx" / "filled.xlsx")
    assert resaved["Domande"].data_validations.dataValidation  # drop-downs survive LibreOffice


# ------------------------------------------------------------ OpenDocument and .xlsm


def test_ods_round_trip(tmp_path, esempio):
    cells = {"fibra_disponibile": "Sì", "velocita": 100, "strumenti.cloud": "Sì"}
    ods = ods_from_xlsx(fill(tmp_path / "r.xlsx", esempio, cells), tmp_path / "r.ods")
    result = read(ods, esempio)
    assert result.problems == ()
    assert result.response["answers"] == {"fibra_disponibile": "si", "velocita": 100, "strumenti": ["cloud"]}


def test_ods_formula_without_value_and_merged_cells(tmp_path, esempio):
    filled = fill(tmp_path / "r.xlsx", esempio, {"fibra_disponibile": "Sì"})
    ods = ods_from_xlsx(filled, tmp_path / "r.ods", formulas={("Domande", 3, 3): "of:=50+50"}, spans={("Domande", 5, 3): (2, 1)})
    assert problems(read(ods, esempio)) == [
        ("formula", "Domande!D4", "velocita", "formula nella cella della risposta: scrivere il valore, non una formula"),
        ("merged", "Domande!D6:D7", "", "celle unite D6:D7 nella zona delle risposte: separarle"),
    ]


def test_xlsm_is_read_like_xlsx(tmp_path, esempio):
    path = fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"})
    xlsm = tmp_path / "r.xlsm"
    xlsm.write_bytes(path.read_bytes())
    assert read(xlsm, esempio).response["answers"] == {"wifi": "si"}


def test_too_big(tmp_path, esempio, monkeypatch):
    from crassess.spreadsheets import container, extract

    monkeypatch.setattr(container, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(extract, "MAX_FILE_BYTES", 1000)
    path = fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"})
    assert problems(read(path, esempio)) == [("too_big", "", "", "file troppo grande (0.0 MB; massimo 0 MB)")]


def test_stored_zip_members(tmp_path, esempio):
    path = fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"})
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    assert read(stored, esempio).response["answers"] == {"wifi": "si"}


@pytest.mark.parametrize("shipped", shipped_files(), ids=lambda p: p.stem)
def test_round_trip_shipped_questionnaires(tmp_path, shipped):
    qn = load_questionnaire(shipped)
    answers = {}
    for q in qn.questions:
        choices = qn.choices_of(q)
        if q.type == "select_one":
            answers[q.id] = max(choices, key=lambda c: c.score or 0).value
        elif q.type == "select_multiple":
            # every choice, or the first three where the constraint allows three at most (esigenze_top3)
            answers[q.id] = [c.value for c in choices if not c.exclusive][: 3 if q.constraint else None]
    checked = check_answers(qn, answers)
    assert checked.problems == ()
    result = read(fill(tmp_path / "r.xlsx", qn, json_to_cells(qn, checked.answers)), qn)
    assert result.problems == ()
    assert result.response["answers"] == checked.answers


# ------------------------------------------------------------ damaged input never crashes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".xlsx", ".ods", ".csv", ".xlsm"]))
def test_random_bytes_are_rejected_not_crashing(tmp_path, esempio, data, suffix):
    path = tmp_path / f"r{suffix}"
    path.write_bytes(data)
    result = read(path, esempio)
    assert result.response is None or suffix == ".csv"
    assert result.problems or result.response is not None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(positions=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=8), byte=st.integers(0, 255))
def test_damaged_workbook_is_rejected_not_crashing(tmp_path, esempio, positions, byte):
    data = bytearray(template_bytes(esempio))
    for position in positions:
        data[position % len(data)] = byte
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(data))
    result = read(path, esempio)
    assert result.problems or result.response is not None


def test_zip_bomb_with_lying_sizes_rejected(tmp_path, esempio):
    """A member whose declared size is small but whose stream expands much more is refused before calamine."""
    import struct

    data = bytearray(_rezip(template_bytes(esempio), lambda name, c: c + b" " * (5 * 2**20) if name == "xl/styles.xml" else c))
    name = b"xl/styles.xml"
    local = 0
    while True:
        local = data.find(b"PK\x03\x04", local)
        n = struct.unpack("<H", data[local + 26:local + 28])[0]
        if data[local + 30:local + 30 + n] == name:
            break
        local += 4
    data[local + 22:local + 26] = struct.pack("<I", 4000)
    central = data.find(b"PK\x01\x02")
    while True:
        n = struct.unpack("<H", data[central + 28:central + 30])[0]
        if data[central + 46:central + 46 + n] == name:
            break
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24:central + 28] = struct.pack("<I", 4000)
    path = tmp_path / "bugiardo.xlsx"
    path.write_bytes(bytes(data))
    assert problems(read(path, esempio)) == [("unsafe", "", "", "file sospetto: decompresso sarebbe troppo grande (xl/styles.xml: più grande di quanto dichiarato)")]


def test_doctype_in_any_xml_part(tmp_path, esempio):
    def entity(name, content):
        return b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + content if name == "xl/workbook.xml" else content

    path = tmp_path / "dtd.xlsx"
    path.write_bytes(_rezip(template_bytes(esempio), entity))
    assert problems(read(path, esempio)) == [("unsafe", "", "", "file sospetto: contiene una dichiarazione DOCTYPE/ENTITY in xl/workbook.xml")]
