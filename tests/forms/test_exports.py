"""Reading exports safely: platform detection, the root table of an ODK Central archive, HXL rows, limits."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from crassess.forms.exports import detect_source, read_export
from crassess.forms.rows import submission
from crassess.sheets import workbook_bytes
from crassess.spreadsheets.read import Rejected


@pytest.mark.parametrize(("header", "source"), [
    (["start", "q1", "_id", "_uuid", "_submission_time", "_index"], "kobo"),
    (["q1", "__version__", "_index"], "kobo"),
    (["SubmissionDate", "q1", "meta-instanceID", "KEY", "ReviewState"], "odk"),
    (["q1", "KEY"], None),
    (["ID", "Risposta"], None),
])
def test_detect_source(header, source):
    assert detect_source(header) == source


def archive(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


ODK = b"SubmissionDate,q1,meta-instanceID,KEY,ReviewState\n2026-11-20T09:00:05.000Z,si,uuid:a,uuid:a,\n"


def test_odk_archive_root_table(tmp_path):
    path = tmp_path / "impresa.zip"
    path.write_bytes(archive({"media/foto.jpg": b"\xff\xd8", "impresa - audit.csv": b"x", "impresa-sedi.csv": b"PARENT_KEY\n",
                              "impresa.csv": ODK}))
    export = read_export(path)
    assert (export.source, export.sheet, export.header[:2]) == ("odk", "impresa.csv", ("SubmissionDate", "q1"))
    assert export.rows == ((2, ["2026-11-20T09:00:05.000Z", "si", "uuid:a", "uuid:a", ""]),)
    assert export.value(export.rows[0][1], "instanceID") == "uuid:a"


def test_zip_bomb_and_empty_archive_refused(tmp_path):
    bomb = tmp_path / "b.csv.zip"
    bomb.write_bytes(archive({"b.csv": ODK + b"0" * (3 * 2**20)}))
    with pytest.raises(Rejected) as exc:
        read_export(bomb)
    assert exc.value.reason == "unsafe"
    empty = tmp_path / "e.zip"
    empty.write_bytes(archive({"media/x.jpg": b"1"}))
    with pytest.raises(Rejected) as exc:
        read_export(empty)
    assert (exc.value.reason, str(exc.value.problems[0])) == ("layout", f"{empty}: l'archivio non contiene la tabella CSV degli invii")


def test_kobo_csv_rows_keep_their_line_numbers_and_hxl_is_skipped(tmp_path):
    path = tmp_path / "k.csv"
    path.write_bytes('"q1";"note";"_uuid"\r\n"";"#text";""\r\n"si";"due\r\nrighe";"u1"\r\n"";"";""\r\n"no";"";"u2"\r\n'.encode("utf-8"))
    export = read_export(path)
    assert export.rows == ((3, ["si", "due\r\nrighe", "u1"]), (6, ["no", "", "u2"]))


def test_xlsx_first_sheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Maturità digitale"
    wb.active.append(["q1", "_uuid", "_index"])
    wb.active.append(["si", "u1", 1.0])
    repeat = wb.create_sheet("sedi")
    repeat.append(["_index", "_parent_index"])
    path = tmp_path / "k.xlsx"
    path.write_bytes(workbook_bytes(wb))
    export = read_export(path)
    assert (export.source, export.sheet, export.rows) == ("kobo", "Maturità digitale", ((2, ["si", "u1", 1.0]),))


@pytest.mark.parametrize(("name", "data", "reason", "message"), [
    ("x.txt", b"a", "unsupported", "tipo di file non gestito (.txt); ammessi: .csv, .xlsx, .zip"),
    ("x.csv", b"", "empty", "il file è vuoto"),
    ("x.csv", b"nome;cognome\nMario;Rossi\n", "layout", "riga 1: non è un'esportazione di KoboToolbox o ODK Central (mancano le colonne _uuid o KEY); indicare --source kobo|odk se lo è"),
    ("x.xlsx", b"PK\x03\x04 not really", "corrupted", None),
])
def test_refused(tmp_path, name, data, reason, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Rejected) as exc:
        read_export(path)
    assert exc.value.reason == reason
    if message:
        assert str(exc.value.problems[0]) == f"{path}: {message}"


def test_forced_source(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"q1;instanceID\nsi;uuid:b\n")
    assert read_export(path, "odk").source == "odk"


DATA = Path(__file__).resolve().parent / "data"
A, B, C, D = ("5b0c1c6e-3a8e-4c4e-9a4e-0f5d3e6a1b21", "a3f2d9e4-7c61-4b0a-8d5e-2b9c4e1f7a08",
              "0e7d4c2b-95a1-4f3e-b6c8-7d2a1e9f4b53", "c91b7e30-4d2f-4a6b-9e15-58f0a3d7c2e6")
KOBO_ROWS = [(2, A, A, None, False, False, "2024-05-06"), (3, B, B, None, False, True, "2024-05-06"),  # B: "not approved"
        (4, C, C, None, False, False, "2024-05-07"), (5, D, D, None, False, False, "2024-05-07")]  # D: "on hold" is kept
ODK_ROWS = [(2, f"uuid:{D}", f"uuid:{D}", 0, False, False, "2024-05-07"), (3, f"uuid:{C}", f"uuid:{C}", 0, False, True, "2024-05-07"),
       (4, f"uuid:{B}", "uuid:f4e8a1c7-2b3d-4e59-a0c6-9d17b8e2f305", 1, True, False, "2024-05-06"),  # edited once
       (5, f"uuid:{A}", f"uuid:{A}", 0, False, False, "2024-05-06")]


@pytest.mark.parametrize(("name", "source", "expected"), [
    ("kobo_semicolon_groups.csv", "kobo", KOBO_ROWS), ("kobo_plain.csv", "kobo", KOBO_ROWS), ("odk_submissions.csv", "odk", ODK_ROWS),
    ("crassess_toy.csv.zip", "odk", ODK_ROWS), ("odk_submissions_deprecatedid.csv", "odk", ODK_ROWS),
])
def test_the_platforms_metadata_in_the_research_fixtures(name, source, expected):
    """The fixtures of the research notes (byte conventions from the exporters' own code and tests)."""
    export = read_export(DATA / name)
    assert export.source == source
    subs = [submission(export, row, cells) for row, cells in export.rows]
    assert [(s.row, s.identity, s.instance, s.edits, s.edited, s.rejected, s.day) for s in subs] == expected
    assert all(s.problems == () for s in subs)
    names = [export.value(cells, "respondent_name") for _, cells in export.rows]
    assert 'Ass. "Città Digitale"' in names and "Luca D'Alò" in names
