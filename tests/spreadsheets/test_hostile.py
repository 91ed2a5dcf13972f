"""A corpus of hostile and careless returned files, generated here: each is imported or refused with an exact
reason, at a bounded cost (refused before calamine materialises anything; peak memory in benchmarks/)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from crassess.spreadsheets.batch import FileOutcome, import_files
from crassess.spreadsheets.inputs import collect_paths
from crassess.spreadsheets.progress import outcome_lines
from crassess.spreadsheets.validate import Questionnaires, read_returned
from tests.spreadsheet_fixtures import RID, fill, ods_from_xlsx

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "esempio.yaml")
QUESTIONS, PROFILE, META = "xl/worksheets/sheet3.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml"
LIMITS = "se ne leggono al massimo 10000 righe, 256 colonne e 200000 celle; cancellare le celle fuori dalla tabella"


def read(path: Path, qn):
    return read_returned(path, Questionnaires([qn]))


def problems(result) -> list[tuple[str, str, str, str]]:
    return [(p.reason, f"{p.sheet}!{p.cell}" if p.sheet and p.cell else p.sheet or p.cell, p.question, p.message)
            for p in result.problems]


def rezip(data: bytes, change) -> bytes:
    """The same zip with each member passed through ``change(name, content)`` (None drops the member)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info.filename))
            if content is not None:
                dst.writestr(info.filename, content)
    return out.getvalue()


def edited(tmp_path: Path, esempio, part: str, edit, name: str = "r.xlsx", cells=None) -> Path:
    source = fill(tmp_path / f"src-{name}", esempio, cells or {"wifi": "Sì"})
    path = tmp_path / name
    path.write_bytes(rezip(source.read_bytes(), lambda n, c: edit(c) if n == part else c))
    return path


# ------------------------------------------------------------ huge or sparse sheets, many sheets


def test_a_cell_at_the_far_corner_is_refused_before_reading(tmp_path, esempio):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path = edited(tmp_path, esempio, QUESTIONS, lambda c: c.replace(b"</sheetData>", far))
    assert path.stat().st_size < 20_000  # a tiny file that would make calamine ask for 512 GB
    assert problems(read(path, esempio)) == [("too_big", "", "", "il foglio 'Domande' usa celle fino a XFD1048576 "
                                              f"(1048576 righe x 16384 colonne): {LIMITS}")]


def test_cells_without_a_reference_are_placed_like_calamine_does(tmp_path, esempio):
    row = b'<row r="3"><c r="A3" t="inlineStr"><is><t>x</t></is></c>' + b"<c/>" * 300 + b"</row></sheetData>"
    path = edited(tmp_path, esempio, META, lambda c: c.replace(b"</sheetData>", row))
    assert problems(read(path, esempio))[0][3].startswith("il foglio '_meta' usa celle fino a KO7 (7 righe x 301 colonne)")


def test_a_declared_far_dimension_alone_is_harmless(tmp_path, esempio):
    path = edited(tmp_path, esempio, QUESTIONS, lambda c: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', c))
    assert read(path, esempio).response["answers"] == {"wifi": "si"}


def test_twenty_thousand_rows_are_refused(tmp_path, esempio):
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>q</t></is></c></row>' % (r, r) for r in range(100, 20100))
    path = edited(tmp_path, esempio, QUESTIONS, lambda c: c.replace(b"</sheetData>", rows + b"</sheetData>"))
    assert problems(read(path, esempio)) == [("too_big", "", "", f"il foglio 'Domande' usa celle fino a F20099 (20099 righe x 6 colonne): {LIMITS}")]


def test_too_many_sheets(tmp_path, esempio):
    def more_sheets(wb):
        for i in range(60):
            wb.create_sheet(f"Foglio{i}")

    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, edit=more_sheets), esempio)
    assert problems(result) == [("too_big", "", "", "troppi fogli (65; al massimo 50)")]


def test_sheets_whose_names_normalise_to_the_questions_sheet(tmp_path, esempio):
    """Many sheets named like "Domande" (case, spaces) used 2.4 GB: now the file is refused, naming them."""
    extra = b"".join(b'<sheet name="%s" sheetId="%d" r:id="rId3" />' % (name, 10 + i)
                     for i, name in enumerate([b"DOMANDE", b"domande ", b"Domande\xc2\xa0"]))
    path = edited(tmp_path, esempio, "xl/workbook.xml", lambda c: c.replace(b"</sheets>", extra + b"</sheets>"))
    assert problems(read(path, esempio)) == [
        ("layout", "", "", "più fogli con lo stesso nome: 'Domande', 'DOMANDE', 'domande ', 'Domande\u00a0'; lasciarne uno solo")]


# ------------------------------------------------------------ OpenDocument repeats


def _ods_with(tmp_path: Path, esempio, extra_table: str, name: str = "r.ods") -> Path:
    ods = ods_from_xlsx(fill(tmp_path / f"{name}.xlsx", esempio, {"wifi": "Sì"}), tmp_path / f"base-{name}")
    path = tmp_path / name
    path.write_bytes(rezip(ods.read_bytes(), lambda n, c: c.replace(b"</office:spreadsheet>", extra_table.encode() + b"</office:spreadsheet>")
                           if n == "content.xml" else c))
    return path


CELL = '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'


def test_ods_empty_repeats_as_libreoffice_writes_them_are_fine(tmp_path, esempio):
    table = ('<table:table table:name="Note"><table:table-row>' + CELL + '<table:table-cell table:number-columns-repeated="16383"/>'
             '</table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/>'
             "</table:table-row></table:table>")
    assert read(_ods_with(tmp_path, esempio, table), esempio).response["answers"] == {"wifi": "si"}


@pytest.mark.parametrize(("table", "message"), [
    # a non-empty cell repeated a million times (6 GB), in a sheet that is not even read
    ('<table:table table:name="Z"><table:table-row table:number-rows-repeated="100000"><table:table-cell '
     'table:number-columns-repeated="1000" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>',
     f"il foglio 'Z' usa celle fino a ALL100000 (100000 righe x 1000 colonne): {LIMITS}"),
    # empty rows, then one cell far away
    ('<table:table table:name="Z"><table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="16384"/>'
     '</table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16000"/>' + CELL + "</table:table-row></table:table>",
     f"il foglio 'Z' usa celle fino a WQK1048571 (1048571 righe x 16001 colonne): {LIMITS}"),
    ('<table:table table:name="Z"><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>'
     "</text:p></table:table-cell></table:table-row></table:table>",
     "il foglio 'Z' ripete uno spazio 2000000000 volte in una cella"),
    # each sheet within its own limits, too many cells together (calamine builds every sheet of an .ods)
    ("".join(f'<table:table table:name="Z{i}"><table:table-row table:number-rows-repeated="1000"><table:table-cell '
            'table:number-columns-repeated="190" office:value-type="float" office:value="1"/></table:table-row></table:table>'
            for i in range(2)),
     "i fogli usano in tutto 380967 celle: se ne leggono al massimo 300000"),  # with the 967 of the workbook itself
])
def test_ods_repeats_are_bounded(tmp_path, esempio, table, message):
    assert problems(read(_ods_with(tmp_path, esempio, table), esempio)) == [("too_big", "", "", message)]


def _ods_content_edit(tmp_path: Path, esempio, cells: dict, change, name: str) -> Path:
    ods = ods_from_xlsx(fill(tmp_path / f"{name}.xlsx", esempio, cells), tmp_path / f"base-{name}.ods")
    path = tmp_path / f"{name}.ods"
    path.write_bytes(rezip(ods.read_bytes(), lambda n, c: change(c) if n == "content.xml" else c))
    return path


def test_ods_percentage_cell(tmp_path, esempio):
    def percent(content):
        return content.replace(b'office:value-type="float" office:value="0.5"><text:p>0.5</text:p>',
                               b'office:value-type="percentage" office:value="0.5"><text:p>50%</text:p>')

    path = _ods_content_edit(tmp_path, esempio, {"wifi": "Sì", "addetti_formati": 0.5}, percent, "p")
    assert read(path, esempio).response["answers"] == {"wifi": "si", "addetti_formati": 50}


def test_ods_cached_error(tmp_path, esempio):
    def error(content):
        content = content.replace(b'office:version="1.2"', b'office:version="1.2" '
                                  b'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"')
        return content.replace(b'office:value-type="float" office:value="1.0"><text:p>1.0</text:p>',
                               b'office:value-type="string" calcext:value-type="error"><text:p>#DIV/0!</text:p>')

    path = _ods_content_edit(tmp_path, esempio, {"wifi": "Sì", "velocita": 1}, error, "e")
    assert problems(read(path, esempio)) == [
        ("cell_error", "Domande!D4", "velocita", "la cella contiene l'errore #DIV/0! (di una formula): scrivere il valore")]


# ------------------------------------------------------------ CSV


def test_a_million_line_csv_is_refused_at_the_limit(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_bytes(b"ID;Risposta\n" + b"x\n" * 1_000_000)
    assert problems(read(path, esempio)) == [("too_big", "riga 10001", "", "troppe righe: al massimo 10000")]


def test_a_csv_over_5_mb_is_refused(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_bytes(b"ID;Risposta\n" + b"note_finali;" + b"x" * (6 * 2**20) + b"\n")
    assert problems(read(path, esempio)) == [("too_big", "", "", "file troppo grande (6.0 MB; massimo 5 MB)")]


CSV_TEXT = f"ID\tRisposta\n#questionnaire\tesempio\n#version\t1.0.0\n#response_id\t{RID}\n#name\tCaffè Verdi\n#comune\tCrema\nwifi\tSì\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_is_read(tmp_path, esempio, encoding):
    """Excel's "Unicode text" (UTF-16 with a BOM, tab separated), or UTF-16 without a BOM."""
    path = tmp_path / "r.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    result = read(path, esempio)
    assert result.problems == ()
    assert result.response["respondent"]["name"] == "Caffè Verdi" and result.response["answers"] == {"wifi": "si"}


# ------------------------------------------------------------ old, binary, encrypted files


def test_password_protected_workbook(tmp_path, esempio):
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = fill(tmp_path / "plain.xlsx", esempio, {"wifi": "Sì"})
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(plain.read_bytes())).encrypt("segreto", out)  # as Excel encrypts a workbook
    path = tmp_path / "protetto.xlsx"
    path.write_bytes(out.getvalue())
    assert problems(read(path, esempio)) == [("password", "", "", "file protetto da password (cifrato): salvarlo senza password "
                                                                  "(File > Informazioni > Proteggi cartella di lavoro)")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_old_excel_97_file(tmp_path, esempio):
    plain = fill(tmp_path / "vecchio.xlsx", esempio, {"wifi": "Sì"})
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path / "xls"), str(plain)], check=True, capture_output=True, timeout=120)
    path = tmp_path / "vecchio.xlsx"
    path.write_bytes((tmp_path / "xls" / "vecchio.xls").read_bytes())  # an .xls renamed .xlsx
    assert problems(read(path, esempio)) == [("unsupported", "", "", "vecchio formato Excel 97-2003 (.xls): salvarlo come cartella di lavoro Excel (.xlsx)")]


# ------------------------------------------------------------ rows inserted or deleted, formulas, errors, percentages


def test_inserted_row_with_an_id_is_named(tmp_path, esempio):
    def insert(wb):
        wb["Domande"].insert_rows(6)
        wb["Domande"]["A6"].value = "mia_domanda"
        wb["Domande"]["D6"].value = "42"

    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, edit=insert), esempio)
    assert problems(result) == [("rows", "Domande!D6", "mia_domanda",
                                 "riga 'mia_domanda' aggiunta al modello (righe inserite o ID cambiati non sono ammessi): toglierla")]


def test_deleted_row_names_the_question(tmp_path, esempio):
    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, edit=lambda wb: wb["Domande"].delete_rows(4)), esempio)
    assert problems(result) == [("rows", "Domande", "velocita", "riga della domanda 'velocita' tolta dal modello: rimetterla (o usare un modello nuovo)")]
    profile = read(fill(tmp_path / "p.xlsx", esempio, {"wifi": "Sì"}, edit=lambda wb: wb["Profilo"].delete_rows(7)), esempio)
    assert problems(profile) == [("rows", "Profilo", "date", "riga della domanda 'date' tolta dal modello: rimetterla (o usare un modello nuovo)")]


def test_inserted_row_without_an_id_is_a_warning(tmp_path, esempio):
    def insert(wb):
        wb["Domande"].insert_rows(6)
        wb["Domande"]["D6"].value = "risposta orfana"

    result = read(fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"}, edit=insert), esempio)
    assert result.response["answers"] == {"wifi": "si"}
    assert [(w.cell, w.message) for w in result.warnings][0] == (
        "D6", "riga 6: risposta 'risposta orfana' in una riga senza ID (riga inserita?), ignorata")


def test_cached_error_value_is_reported_not_imported_as_empty(tmp_path, esempio):
    def error(content):
        return re.sub(rb'<c r="D4"[^>]*?(/>|>.*?</c>)', b'<c r="D4" t="e"><v>#VALUE!</v></c>', content)

    path = edited(tmp_path, esempio, QUESTIONS, error)
    assert problems(read(path, esempio)) == [
        ("cell_error", "Domande!D4", "velocita", "la cella contiene l'errore #VALUE! (di una formula): scrivere il valore")]


def test_cell_formatted_as_a_percentage(tmp_path, esempio):
    def percent(wb):
        for ref in ("D4", "D12"):
            wb["Domande"][ref].number_format = "0%"

    ok = read(fill(tmp_path / "ok.xlsx", esempio, {"addetti_formati": 0.5}, edit=percent), esempio)
    assert ok.problems == () and ok.response["answers"] == {"addetti_formati": 50}  # unit %: 50, not 0.5
    ko = read(fill(tmp_path / "ko.xlsx", esempio, {"velocita": 0.5}, edit=percent), esempio)
    assert problems(ko)[0][:3] == ("invalid", "Domande!D4", "velocita")
    assert problems(ko)[0][3].startswith("'50%' è una percentuale, ma qui si chiede un numero senza %")


def test_missing_metadata_key_is_named(tmp_path, esempio):
    def drop_version(content):
        return re.sub(rb'<row r="3">.*?</row>', b"", content, count=1)

    path = edited(tmp_path, esempio, META, drop_version)
    assert problems(read(path, esempio)) == [("metadata", "_meta", "", "metadato 'version' mancante o non valido")]


# ------------------------------------------------------------ folders: every file accounted for


@pytest.mark.timeout(30)
def test_every_file_of_a_folder_is_imported_or_skipped_with_its_reason(tmp_path, esempio):
    inbox = tmp_path / "ritorni"
    (inbox / ".nascosta").mkdir(parents=True)
    fill(inbox / "buono.xlsx", esempio, {"wifi": "Sì"})
    for name in ("vecchio.xls", "binario.xlsb", "mela.numbers", "tutti.7z", ".DS_Store", ".nascosta/x.xlsx", "~$buono.xlsx"):
        (inbox / name).write_bytes(b"x")
    os.mkfifo(inbox / "tubo.csv")  # a FIFO hung the import
    (inbox / "rotto.xlsx").symlink_to(inbox / "manca.xlsx")
    found = collect_paths([inbox], tmp_path / "camp")
    assert [p.name for p in found.paths] == ["buono.xlsx"]
    assert {Path(s.path).name: s.reason for s in found.skipped} == {
        ".nascosta": "cartella nascosta (il nome inizia con '.')",
        ".DS_Store": "file nascosto (il nome inizia con '.')",
        "binario.xlsb": "formato binario di Excel (.xlsb): salvarlo come .xlsx e importarlo",
        "mela.numbers": "file di Apple Numbers: esportarlo in Excel (.xlsx) e importarlo",
        "rotto.xlsx": "collegamento a un file che non esiste",
        "tubo.csv": "non è un file normale (FIFO, dispositivo o socket)",
        "tutti.7z": "archivio compresso (.7z): estrarne i file e importarli",
        "vecchio.xls": "vecchio formato Excel 97-2003 (.xls): salvarlo come .xlsx e importarlo",
        "~$buono.xlsx": "file di blocco di Excel o LibreOffice (il documento era aperto)",
    }
    summary = import_files([inbox], tmp_path / "camp", [EXAMPLE])
    assert dict(summary.counts) == {"imported": 1} and len(summary.skipped) == 9


@pytest.mark.timeout(30)
def test_a_fifo_or_a_device_given_by_name_is_refused_without_blocking(tmp_path, esempio):
    fifo = tmp_path / "tubo.xlsx"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        assert problems(read(path, esempio)) == [("unreadable", "", "", "non è un file normale (FIFO, dispositivo o socket)")]


def test_error_output_of_a_file_is_capped(tmp_path, esempio):
    path = tmp_path / "r.csv"
    path.write_text("ID;Risposta\n#questionnaire;esempio\n#version;1.0.0\n#name;X\n#comune;Crema\n"
                    + "".join(f"inventata_{i};1\n" for i in range(500)), encoding="utf-8")
    seen: list[FileOutcome] = []
    summary = import_files([path], tmp_path / "camp", [EXAMPLE], on_file=seen.append)
    lines = outcome_lines(seen[0])
    assert len(seen[0].problems) == 500 and len(lines) == 22
    assert lines[20] == f"{path}: … e altri 480 problemi (tutti nel rapporto errori)"
    assert len(summary.attention[0].problems) == 20 and summary.attention[0].omitted == 480
    report = Path(seen[0].written).read_bytes().decode("utf-8-sig").splitlines()
    assert len(report) == 501  # the errors report has every problem


def test_a_workbook_reopened_by_openpyxl_still_imports(tmp_path, esempio):
    """Careful, not hostile: a file saved again by another program keeps importing."""
    path = fill(tmp_path / "r.xlsx", esempio, {"wifi": "Sì"})
    wb = openpyxl.load_workbook(path)
    wb.save(path)
    assert read(path, esempio).response["answers"] == {"wifi": "si"}



def test_the_command_lists_skipped_files_and_counts_them(tmp_path, esempio):
    from click.testing import CliRunner

    from crassess.cli.main import cli

    inbox = tmp_path / "ritorni"
    inbox.mkdir()
    fill(inbox / "buono.xlsx", esempio, {"wifi": "Sì"})
    (inbox / "vecchio.xls").write_bytes(b"x")
    result = CliRunner().invoke(cli, ["import", str(inbox), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE])
    assert result.exit_code == 0, result.output  # skipped files are listed, they do not fail the import
    assert f"{inbox / 'vecchio.xls'}: saltato: vecchio formato Excel 97-2003 (.xls): salvarlo come .xlsx e importarlo" in result.stderr
    assert "saltati (non fogli di calcolo, nascosti, illeggibili) │ 1" in " ".join(result.stdout.split())
    empty = tmp_path / "solo-xls"
    empty.mkdir()
    (empty / "a.xls").write_bytes(b"x")
    nothing = CliRunner().invoke(cli, ["import", str(empty), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE])
    assert nothing.exit_code == 2
    assert nothing.stderr.splitlines() == [
        f"{empty / 'a.xls'}: saltato: vecchio formato Excel 97-2003 (.xls): salvarlo come .xlsx e importarlo",
        f"nessun file da importare (.xlsx, .xlsm, .ods, .csv, .zip) trovato in {empty}",
    ]
