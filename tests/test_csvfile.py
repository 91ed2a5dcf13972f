"""The one CSV writer: separators by language, decimal comma, read back with the csv module and with LibreOffice."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest

from crassess.csvfile import CsvStyle, csv_bytes, csv_cell, sniff_separator
from crassess.i18n import set_language

ROWS = [("Caffè L'Arte", 65.5, 3, "a;b, c", None, True), ("=1+1", -0.25, 0, "riga\nnuova", "x", False)]
HEADER = ("nome", "punteggio", "n", "testo", "vuoto", "completo")


def test_separator_follows_the_language_unless_chosen():
    assert CsvStyle.for_language("it") == CsvStyle(";", False, True)
    assert CsvStyle.for_language("en") == CsvStyle(",", False, True)
    assert CsvStyle.for_language("en", ";").sep == ";"
    assert CsvStyle.for_language("it", "tab", decimal_comma=True, bom=False) == CsvStyle("\t", True, False)
    set_language("en")
    assert CsvStyle.for_language(None).sep == ","


def test_cells():
    it = CsvStyle(";", decimal_comma=True)
    assert [csv_cell(v, it) for v in (65.5, 3, -0.25, None, True, "=SUM(1)", "a\x1bb")] == ["65,5", "3", "-0,25", "", "true", "'=SUM(1)", "ab"]
    assert csv_cell(65.5, CsvStyle(",")) == "65.5"


@pytest.mark.parametrize("style, delimiter", [(CsvStyle(";"), ";"), (CsvStyle(","), ","), (CsvStyle("\t"), "\t"), (CsvStyle(";", True), ";")])
def test_reads_back_with_the_csv_module(style, delimiter):
    data = csv_bytes(HEADER, ROWS, style)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert sniff_separator(text) == delimiter
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    point = "," if style.decimal_comma else "."
    assert rows == [
        list(HEADER),
        ["Caffè L'Arte", f"65{point}5", "3", "a;b, c", "", "true"],
        ["'=1+1", f"-0{point}25", "0", "riga\nnuova", "x", "false"],
    ]


def test_no_bom_and_crlf():
    assert csv_bytes(["a", "b"], [[1, 2]], CsvStyle(",", bom=False)) == b"a,b\r\n1,2\r\n"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("style, options", [
    (CsvStyle(";", decimal_comma=True), "59,34,76,1,,1040"),  # ';', UTF-8, Italian locale: 65,5 is a number
    (CsvStyle(","), "44,34,76,1,,1033"),  # ',', UTF-8, English locale
])
def test_libreoffice_opens_the_columns_and_the_numbers(tmp_path, style, options):
    source = tmp_path / "dati.csv"
    source.write_bytes(csv_bytes(HEADER, ROWS, style))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", f"--infilter=CSV:{options}",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    sheet = openpyxl.load_workbook(tmp_path / "out" / "dati.xlsx").active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(HEADER)
    assert rows[1][:4] == ["Caffè L'Arte", 65.5, 3, "a;b, c"]
    assert rows[2][:4] == ["'=1+1", -0.25, 0, "riga\nnuova"]
