"""Blank and per-respondent workbooks: the respondents CSV, file names, the template command."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.errors import InvalidInput
from crassess.spreadsheets.write import read_respondents, write_templates

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "esempio.yaml"


def test_read_respondents_cp1252_semicolon(tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes('name;comune;size;contact\r\nCaffè "Verdi";crema;3;\r\nRossi;019036;1.200;m@r.it\r\n'.encode("cp1252"))
    people = read_respondents(path)
    assert [p.model_dump(exclude_none=True) for p in people] == [
        {"name": 'Caffè "Verdi"', "comune": "019035", "size": 3},
        {"name": "Rossi", "comune": "019036", "size": 1200, "contact": "m@r.it"},
    ]


def test_read_respondents_reports_every_problem(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,comune,size\n,Cremna,tanti\nX,,\nY,Pizzighettone,-3\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        read_respondents(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: riga 2: nome mancante",
        f"{path}: riga 2: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?",
        f"{path}: riga 2: dimensione 'tanti' non valida: atteso un numero intero non negativo",
        f"{path}: riga 4: dimensione '-3' non valida: atteso un numero intero non negativo",
    ]


def test_read_respondents_columns(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("nome,comune,colore\nX,Crema,blu\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        read_respondents(path)
    assert [p.message for p in exc.value.problems] == [
        "colonne obbligatorie mancanti: name, size (trovate: nome, comune, colore)",
        "colonna 'nome' sconosciuta; ammesse: id, name, comune, size, subsector, contact, date",
        "colonna 'colore' sconosciuta; ammesse: id, name, comune, size, subsector, contact, date",
    ]


def test_read_respondents_stable_ids(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id;name;comune;size\nCR-123456;Rossi srl;Crema;3\n;Senza codice;Crema;1\n"
                    "cr 123456;Rossi bis;Crema;2\nA*B;Uno;Crema;1\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        read_respondents(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: riga 4: codice del rispondente 'cr 123456' ripetuto (già a riga 2)",
        f"{path}: riga 5: id: codice del rispondente non valido: da 1 a 64 tra lettere, cifre, spazi, '.', '_', '/' e '-', "
        "iniziando con una lettera o una cifra",
    ]
    path.write_text("id;name;comune;size\nCR-123456;Rossi srl;Crema;3\n;Senza codice;Crema;1\n", encoding="utf-8")
    assert [p.id for p in read_respondents(path)] == ["CR-123456", None]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_respondent_id_travels_through_the_workbook_and_back(tmp_path, esempio, fmt):
    from crassess.spreadsheets.layout import answer_cells
    from crassess.spreadsheets.template import fill_answers
    from crassess.spreadsheets.validate import Questionnaires, read_returned

    path = tmp_path / "r.csv"
    path.write_text("id,name,comune,size\nCR-123456,Rossi srl,Crema,3\n", encoding="utf-8")
    [written] = write_templates(EXAMPLE, tmp_path / "out", "it", path, fmt)
    if fmt == "xlsx":
        wb = openpyxl.load_workbook(written.path)
        assert wb["Istruzioni"]["A14"].value == "Codice del rispondente: CR-123456"
        assert [c.value for c in wb["_meta"]["A"]][-2:] == ["respondent_id", "checksum"]
        fill_answers(wb, answer_cells(esempio, {"fibra_disponibile": "si"}, "it"), "it").save(written.path)
    else:
        text = written.path.read_text(encoding="utf-8-sig")
        assert "#respondent_id;;;CR-123456;;" in text.splitlines()
        lines = ["fibra_disponibile;;x;Sì;;" if line.startswith("fibra_disponibile;") else line for line in text.splitlines()]
        written.path.write_text("\n".join(lines), encoding="utf-8")
    result = read_returned(written.path, Questionnaires([esempio]))
    assert result.problems == ()
    assert result.response["respondent"]["id"] == "CR-123456"
    assert result.response["id"] == written.response_id


def test_edited_respondent_id_breaks_the_checksum(tmp_path, esempio):
    from crassess.spreadsheets.validate import Questionnaires, read_returned

    path = tmp_path / "r.csv"
    path.write_text("id,name,comune,size\nCR-1,Rossi srl,Crema,3\n", encoding="utf-8")
    [written] = write_templates(EXAMPLE, tmp_path / "out", "it", path)
    wb = openpyxl.load_workbook(written.path)
    meta = wb["_meta"]
    row = next(r for r in range(1, meta.max_row + 1) if meta.cell(r, 1).value == "respondent_id")
    meta.cell(row, 2).value = "CR-2"
    wb.save(written.path)
    result = read_returned(written.path, Questionnaires([esempio]))
    assert result.reason == "metadata"


def test_one_workbook_per_respondent(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,comune,size\nRossi Meccanica srl,Cremona,12\n../../evil,Crema,1\n", encoding="utf-8")
    written = write_templates(EXAMPLE, tmp_path / "out", "it", path)
    names = [w.path.name for w in written]
    assert re.fullmatch(r"rossi-meccanica-srl-[0-9a-f]{8}\.xlsx", names[0])
    assert re.fullmatch(r"evil-[0-9a-f]{8}\.xlsx", names[1])
    assert all(w.path.parent == tmp_path / "out" for w in written)
    assert len({w.response_id for w in written}) == 2
    wb = openpyxl.load_workbook(written[0].path)
    assert wb["Profilo"]["C2"].value == "Rossi Meccanica srl"
    assert wb["_meta"]["B5"].value == written[0].response_id
    assert written[0].path.name.endswith(written[0].response_id[:8] + ".xlsx")


def test_cli_template_blank(tmp_path):
    out = tmp_path / "modello.xlsx"
    result = CliRunner().invoke(cli, ["template", str(EXAMPLE), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.output == f"{out}\n"
    assert openpyxl.load_workbook(out).sheetnames[2] == "Questions"


def test_cli_template_into_folder(tmp_path):
    result = CliRunner().invoke(cli, ["template", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "esempio-1.0.0-it.xlsx").exists()


def test_cli_template_bad_respondents(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name,comune,size\nX,Xqzw,1\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["template", str(EXAMPLE), "-o", str(tmp_path / "out"), "--respondents", str(path)])
    assert result.exit_code == 1
    assert result.output == f"{path}: riga 2: comune 'Xqzw' sconosciuto\n"
    assert not (tmp_path / "out").exists()


def test_csv_template_round_trip(tmp_path, esempio):
    from crassess.questionnaire.models import Respondent
    from crassess.spreadsheets.validate import Questionnaires, read_returned
    from crassess.spreadsheets.write import csv_template

    person = Respondent(name="=Rossi+1", comune="019036", size=12)
    text = csv_template(esempio, "it", "11111111-2222-4333-8444-555555555555", person, [("019036", "Cremona")]).decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "ID;Dimensione;Domanda;Risposta;Note;Aiuto"
    assert lines[5] == "#name;;Nome dell'organizzazione;'=Rossi+1;;"
    assert lines[6] == "#comune;;Comune (nome o codice ISTAT);Cremona;;"
    assert lines[12] == "fibra_sede;Connettività;La sede è collegata in fibra?;;;una tra: Sì, In parte, No"
    filled = [line.replace("fibra_disponibile;;La fibra è disponibile all'indirizzo della sede?;;", "fibra_disponibile;;x;Sì;")
              .replace("strumenti.erp;Strumenti digitali;– Gestionale (ERP);;", "strumenti.erp;;;x;") for line in lines]
    path = tmp_path / "r.csv"
    path.write_bytes("\r\n".join(filled).encode("cp1252", errors="replace"))
    result = read_returned(path, Questionnaires([esempio]))
    assert result.problems == ()
    assert result.response["answers"] == {"fibra_disponibile": "si", "strumenti": ["erp"]}
    assert result.response["respondent"] == {"name": "=Rossi+1", "comune": "019036", "size": 12}


def test_cli_template_csv(tmp_path):
    result = CliRunner().invoke(cli, ["template", str(EXAMPLE), "-o", str(tmp_path / "m"), "--format", "csv", "--lang", "en"])
    assert result.exit_code == 0
    assert (tmp_path / "m.csv").read_bytes().decode("utf-8-sig").startswith("ID,Dimension,Question,Answer,Notes,Help\r\n#questionnaire,,,esempio,,")
    result = CliRunner().invoke(cli, ["template", str(EXAMPLE), "-o", str(tmp_path / "s"), "--format", "csv", "--lang", "en", "--sep", ";"])
    assert result.exit_code == 0
    assert (tmp_path / "s.csv").read_bytes().decode("utf-8-sig").startswith("ID;Dimension;Question;Answer;Notes;Help\r\n#questionnaire;;;esempio;;")
