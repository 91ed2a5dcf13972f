"""Exports: long and wide tables, CSV (BOM, formula neutralisation), JSON Lines, Excel read back."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from crassess.campaign.data import load_campaign_data
from crassess.campaign.export import export_campaign, render_csv, wide_table
from crassess.cli.main import cli
from crassess.csvfile import CsvStyle
from crassess.errors import InvalidInput
from tests.waves_fixtures import campaign, questionnaire, response, wave_t0

EVIL = json.dumps({
    "id": "r-evil",
    "questionnaire": {"id": "mini", "version": "1.0"},
    "respondent": {"name": "=HYPERLINK(\"http://x\",\"y\")", "comune": "Crema", "contact": "a@b.it"},
    "answers": {"q1": "2", "q2": "dk", "nota": "@SUM(1+1)\tok"},
    "status": "draft",
})


@pytest.fixture
def small(tmp_path):
    qn = {"mini.yaml": questionnaire().replace("  - {id: q2, type: select_one", "  - {id: q2, type: select_one, allow_dk: true")}
    return campaign(tmp_path / "c", "2026-T0", {
        "a": response("r-a", "Alfa Caffè", "Cremona", 50, 100, contact="alfa@example.it"),
        "b": EVIL,
    }, qn)


COMMA = CsvStyle(",")


def test_long_csv_exact_with_bom(small):
    data = export_campaign(load_campaign_data(small), "csv", style=COMMA)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "response_id,respondent_id,respondent,contact,sector,comune,comune_name,questionnaire,version,status,question_id,label,dimension,raw_answer,answer_label,item_status,item_score",
        "r-a,,Alfa Caffè,alfa@example.it,impresa,019036,Cremona,mini,1.0,complete,q1,Fibra?,conn,1,In parte,scored,50.0",
        "r-a,,Alfa Caffè,alfa@example.it,impresa,019036,Cremona,mini,1.0,complete,q2,Formazione?,comp,2,Del tutto,scored,100.0",
        "r-a,,Alfa Caffè,alfa@example.it,impresa,019036,Cremona,mini,1.0,complete,nota,Nota,,,,,",
        "r-evil,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a@b.it,impresa,019035,Crema,mini,1.0,draft,q1,Fibra?,conn,2,Del tutto,scored,100.0",
        "r-evil,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a@b.it,impresa,019035,Crema,mini,1.0,draft,q2,Formazione?,comp,dk,Non so,dk,",
        "r-evil,,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",a@b.it,impresa,019035,Crema,mini,1.0,draft,nota,Nota,,'@SUM(1+1)\tok,,,",
        "",
    ]


def test_no_bom(small):
    data = export_campaign(load_campaign_data(small), "csv", style=CsvStyle(",", bom=False))
    assert data.startswith(b"response_id,")


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+39 0372", "'+39 0372"), ("-2", "'-2"), ("@x", "'@x"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=1", "a=1"), (" =1", " =1"),
])
def test_formula_neutralisation_in_csv(text, expected):
    from crassess.campaign.export import ExportTable

    assert render_csv(ExportTable(("x",), ((text,),)), CsvStyle(bom=False)).decode() == f"x\r\n{expected}\r\n".replace("'\rx", "\"'\rx\"")


def test_numbers_are_not_neutralised():
    from crassess.campaign.export import ExportTable

    assert render_csv(ExportTable(("x", "y"), ((-2, -0.5),)), CsvStyle(",", bom=False)) == b"x,y\r\n-2,-0.5\r\n"
    assert render_csv(ExportTable(("x", "y"), ((-2, -0.5),)), CsvStyle(";", True, bom=False)) == b"x;y\r\n-2;-0,5\r\n"


def test_wide_one_row_per_respondent(small):
    table = wide_table(load_campaign_data(small))
    assert table.header == (
        "response_id", "respondent_id", "respondent", "contact", "sector", "comune", "comune_name", "subsector", "size", "questionnaire",
        "version", "status", "overall", "level", "complete", "dim.conn", "dim.comp", "q1", "q2", "nota")
    assert table.rows[0] == (
        "r-a", None, "Alfa Caffè", "alfa@example.it", "impresa", "019036", "Cremona", None, None, "mini", "1.0", "complete",
        75.0, "alto", True, 50.0, 100.0, "1", "2", None)
    # dk in q2: competenze has no score, so there is no overall (half the dimension weight has a score)
    assert table.rows[1][12:17] == (None, None, False, 100.0, None)


def test_wide_prefixes_questions_when_several_questionnaires(tmp_path):
    data = load_campaign_data(wave_t0(tmp_path / "t0"))
    header = wide_table(data).header
    assert header[-6:] == ("mini_comune.q1", "mini_comune.q2", "mini_comune.nota", "mini.q1", "mini.q2", "mini.nota")


def test_respondent_id_column(tmp_path):
    folder = campaign(tmp_path / "c", "2026-T0", {"a": response("r-a", "Alfa", "Cremona", 50, 100, id="CR-123456")})
    table = wide_table(load_campaign_data(folder))
    assert table.rows[0][:3] == ("r-a", "CR-123456", "Alfa")


def test_jsonl_rows(small):
    lines = export_campaign(load_campaign_data(small), "jsonl").decode().splitlines()
    assert len(lines) == 6
    assert json.loads(lines[0])["item_score"] == 50.0
    assert json.loads(lines[5])["raw_answer"] == "@SUM(1+1)\tok"


def test_xlsx_read_back_text_never_formula(small):
    data = export_campaign(load_campaign_data(small), "xlsx", wide=True)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["dati"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:4] == ["response_id", "respondent_id", "respondent", "contact"]
    evil = ws.cell(row=3, column=3)
    assert evil.value == '=HYPERLINK("http://x","y")'
    assert evil.data_type == "s"
    assert rows[1][12] == 75 and ws.cell(row=2, column=13).data_type == "n"
    assert rows[2][-1] == "@SUM(1+1)\tok"


def test_invalid_file_refuses_export(small):
    (small / "responses" / "bad.json").write_text('{"questionnaire": {"id": "mini", "version": "1.0"}, "answers": {"q1": "7"}}', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        export_campaign(load_campaign_data(small), "csv")
    assert [p.place for p in err.value.problems] == ["domanda q1"]


def test_cli_export_stdout_file_and_errors(small, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--campaign", str(small), "--format", "csv", "--no-bom"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"response_id;respondent_id;respondent")  # Italian: ';'
    result = runner.invoke(cli, ["export", "--campaign", str(small), "--format", "csv", "--no-bom", "--lang", "en"])
    assert result.stdout_bytes.startswith(b"response_id,respondent_id,respondent")
    result = runner.invoke(cli, ["export", "--campaign", str(small), "--format", "csv", "--sep", "tab"])
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbfresponse_id\trespondent_id\trespondent")
    out = tmp_path / "x.xlsx"
    result = runner.invoke(cli, ["export", "--campaign", str(small), "--format", "xlsx", "--wide", "--anonymize", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    result = runner.invoke(cli, ["export", "--campaign", str(small), "--format", "xlsx"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["export", "--campaign", str(tmp_path / "missing"), "--format", "csv"])
    assert result.exit_code == 1
    assert "cartella della campagna non trovata" in result.output


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=4))
def test_csv_reads_back_with_formulas_neutralised(cells):
    import csv

    from crassess.campaign.export import ExportTable
    from crassess.safe_text import FORMULA_STARTS, strip_control

    data = render_csv(ExportTable(tuple(f"c{i}" for i in range(len(cells))), (tuple(cells),)), CsvStyle())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    clean = [strip_control(c) for c in cells]  # control characters never reach the file (nor a terminal)
    expected = ["'" + c if c.startswith(FORMULA_STARTS) else c for c in clean]
    assert rows[1] == expected
    assert not any(cell.startswith(FORMULA_STARTS) for cell in rows[1])


def test_empty_campaign_says_so(tmp_path):
    (tmp_path / "vuota" / "responses").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["export", "--campaign", str(tmp_path / "vuota"), "--format", "csv"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{tmp_path / 'vuota'}: nessun file di risposta (attesi responses/*.json)\n"
