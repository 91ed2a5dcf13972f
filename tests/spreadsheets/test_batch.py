"""Importing into a campaign: responses with provenance, duplicates, conflicts, errors reports, CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.csvfile import CsvStyle
from crassess.spreadsheets import workers as import_workers
from crassess.spreadsheets.batch import import_files
from crassess.spreadsheets.extract import CellProblem
from crassess.spreadsheets.inputs import collect_paths
from crassess.spreadsheets.report import errors_report
from tests.spreadsheet_fixtures import RID, fill

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "esempio.yaml")
NOW = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.timezone.utc)
GOOD = {"fibra_disponibile": "Sì", "fibra_sede": "Sì", "wifi": "In parte", "strumenti.cloud": "Sì"}


def run(paths, campaign, **kw):
    return import_files(paths, campaign, [EXAMPLE], now=NOW, **kw)


def test_imported_response_file(tmp_path, esempio):
    source = fill(tmp_path / "in" / "rossi.xlsx", esempio, GOOD) if (tmp_path / "in").mkdir() is None else None
    summary = run([tmp_path / "in"], tmp_path / "camp")
    assert summary.ok and dict(summary.counts) == {"imported": 1}
    written = tmp_path / "camp" / "responses" / f"rossi-meccanica-srl-{RID}.json"
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data == {
        "id": RID,
        "questionnaire": {"id": "esempio", "version": "1.0.0"},
        "respondent": {"name": "Rossi Meccanica srl", "comune": "019036", "size": 12},
        "answers": {"fibra_disponibile": "si", "fibra_sede": "si", "wifi": "parziale", "strumenti": ["cloud"]},
        "notes": {},
        "status": "draft",
        "provenance": {"source_file": "rossi.xlsx", "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
                       "imported_at": "2026-03-01T09:30:00+00:00"},
    }
    assert summary.warnings == 1  # required questions unanswered: imported as a draft


def test_scored_by_the_score_command(tmp_path, esempio):
    fill(tmp_path / "r.xlsx", esempio, GOOD)
    run([tmp_path / "r.xlsx"], tmp_path / "camp")
    result = CliRunner().invoke(cli, ["score", *map(str, (tmp_path / "camp" / "responses").glob("*.json")), "-q", EXAMPLE, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["respondent"] == "Rossi Meccanica srl"


def test_duplicate_unchanged_and_conflict(tmp_path, esempio):
    first = fill(tmp_path / "a.xlsx", esempio, GOOD)
    same = fill(tmp_path / "b.xlsx", esempio, GOOD)
    other = fill(tmp_path / "c.xlsx", esempio, {**GOOD, "wifi": "No"})
    summary = run([first, same, other], tmp_path / "camp")
    assert dict(summary.counts) == {"imported": 1, "unchanged": 1, "conflict": 1}
    assert not summary.ok
    existing = tmp_path / "camp" / "responses" / f"rossi-meccanica-srl-{RID}.json"
    before = existing.read_bytes()
    conflict = summary.attention[0]
    assert conflict.status == "conflict" and conflict.file == str(other)
    copy = Path(conflict.written)
    assert copy.parent == tmp_path / "camp" / "conflicts"
    assert json.loads(copy.read_text())["answers"]["wifi"] == "no"
    assert str(conflict.problems[0]) == (
        f"{other}: la risposta {RID} è già nella campagna ({existing}) con risposte diverse: "
        f"entrambe lasciate intatte; copia in {copy}"
    )
    again = run([first], tmp_path / "camp")
    assert dict(again.counts) == {"unchanged": 1} and again.ok
    assert existing.read_bytes() == before


def test_rejected_file_gets_errors_report_and_nothing_imported(tmp_path, esempio):
    bad = fill(tmp_path / "Ditta Bianchi.xlsx", esempio, {"wifi": "forse", "velocita": "tanta"})
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    summary = run([bad], tmp_path / "camp")
    assert dict(summary.counts) == {"rejected": 1} and dict(summary.reasons) == {"invalid": 1}
    assert not (tmp_path / "camp" / "responses").exists()
    tag = hashlib.sha256(f"Ditta Bianchi.xlsx\0{before}".encode()).hexdigest()[:8]
    report = tmp_path / "camp" / "errors" / f"ditta-bianchi-{tag}.errors.csv"
    assert summary.attention[0].written == str(report)
    assert report.read_bytes().decode("utf-8-sig") == (
        "File;Foglio;Cella;Domanda;Problema;Atteso\r\n"
        "Ditta Bianchi.xlsx;Domande;D4;velocita;atteso un numero intero, trovato 'tanta';"
        "un numero intero (Un valore tra 0 e 10000 Mbit/s), oppure Non so\r\n"
        "Ditta Bianchi.xlsx;Domande;D5;wifi;'forse' non è una risposta ammessa;una tra: Sì, In parte, No, Non applicabile\r\n"
    )
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_errors_report_neutralises_formulas_in_english():
    problems = [CellProblem("invalid", "Questions", "D4", "q", "=cmd|' /C calc'!A0", "@SUM(1)")]
    text = errors_report("-x.xlsx", problems, "en").decode("utf-8-sig")  # English: ',' separated
    assert text == "File,Sheet,Cell,Question,Problem,Expected\r\n'-x.xlsx,Questions,D4,q,'=cmd|' /C calc'!A0,'@SUM(1)\r\n"
    tabbed = errors_report("-x.xlsx", problems, "en", CsvStyle("\t")).decode("utf-8-sig")
    assert tabbed.splitlines()[1] == "'-x.xlsx\tQuestions\tD4\tq\t'=cmd|' /C calc'!A0\t'@SUM(1)"


def test_same_stem_reports_do_not_overwrite(tmp_path, esempio):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "r.xlsx").write_bytes(b"")
    (tmp_path / "y" / "r.xlsx").write_bytes(b"not a zip")
    summary = run([tmp_path / "x", tmp_path / "y"], tmp_path / "camp")
    assert dict(summary.reasons) == {"empty": 1, "corrupted": 1}
    assert len(list((tmp_path / "camp" / "errors").glob("*.csv"))) == 2


def test_collect_paths_skips_lock_files_and_campaign(tmp_path):
    for name in ("a.xlsx", "b.ODS", "c.csv", "~$a.xlsx", ".~lock.b.ods#", "note.txt", "sub/d.xlsm", "camp/errors/e.errors.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = collect_paths([tmp_path, tmp_path / "note.txt"], tmp_path / "camp")
    assert [p.relative_to(tmp_path).as_posix() for p in found.paths] == ["a.xlsx", "b.ODS", "c.csv", "sub/d.xlsm", "note.txt"]
    assert [(Path(s.path).relative_to(tmp_path).as_posix(), s.reason) for s in found.skipped] == [
        ("camp", "è la cartella della campagna"),
        (".~lock.b.ods#", "file di blocco di Excel o LibreOffice (il documento era aperto)"),
        ("note.txt", "tipo di file non gestito (.txt)"),
        ("~$a.xlsx", "file di blocco di Excel o LibreOffice (il documento era aperto)"),
    ]


def test_parallel_import_same_result(tmp_path, esempio, monkeypatch):
    monkeypatch.setattr(import_workers, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(import_workers, "CHUNK", 1)
    rids = [f"{i}1111111-2222-4333-8444-555555555555" for i in range(1, 6)]
    paths = [fill(tmp_path / f"r{i}.xlsx", esempio, GOOD, rid=rid) for i, rid in enumerate(rids)]
    (tmp_path / "bad.xlsx").write_bytes(b"")
    seen = []
    summary = run([*paths, tmp_path / "bad.xlsx"], tmp_path / "camp", workers=2, on_file=lambda o: seen.append(o.file))
    assert dict(summary.counts) == {"imported": 5, "rejected": 1}
    assert seen == [*map(str, paths), str(tmp_path / "bad.xlsx")]  # input order kept


def test_no_inputs_is_a_usage_error(tmp_path):
    (tmp_path / "vuota").mkdir()
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "vuota"), "--campaign", str(tmp_path / "camp")])
    assert result.exit_code == 2
    assert result.output.strip().endswith(f"nessun file da importare (.xlsx, .xlsm, .ods, .csv, .zip) trovato in {tmp_path / 'vuota'}")


def table_rows(output: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines()
            if line.startswith("│") and "Esito" not in line and "Outcome" not in line]


def test_cli_import_exit_codes_and_summary(tmp_path, esempio):
    good = fill(tmp_path / "good.xlsx", esempio, GOOD)
    runner = CliRunner()
    ok = runner.invoke(cli, ["import", str(good), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE])
    assert ok.exit_code == 0, ok.output
    assert table_rows(ok.output)[:4] == [["importati", "1"], ["invariati (già importati)", "0"],
                                         ["conflitti (stesso id, risposte diverse)", "0"], ["scartati", "0"]]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    ko = runner.invoke(cli, ["import", str(good), str(bad), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE, "--lang", "en"])
    assert ko.exit_code == 1
    assert f"{bad}: the file is empty" in ko.output
    assert f"warning: {good}: required questions unanswered: velocita, fatturazione, addetti_formati, ore_perse, formazione (response imported as a draft)" in ko.output
    assert table_rows(ko.output) == [["imported", "0"], ["unchanged (already imported)", "1"],
                                     ["conflicts (same id, other answers)", "0"], ["rejected", "1"],
                                     ["reason: empty file", "1"], ["warnings", "1"]]
    assert "Traceback" not in ko.output


def test_cli_bad_questionnaire_option(tmp_path, esempio):
    good = fill(tmp_path / "good.xlsx", esempio, GOOD)
    result = CliRunner().invoke(cli, ["import", str(good), "--campaign", str(tmp_path / "camp"), "-q", "nessuno"])
    assert result.exit_code == 1
    assert "questionario 'nessuno' non trovato" in result.output
    assert not (tmp_path / "camp").exists()


@pytest.mark.parametrize("command", ["import", "template"])
def test_help_has_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_campaign_questionnaires_and_territory(tmp_path, esempio):
    campaign = tmp_path / "camp"
    (campaign / "questionnaires").mkdir(parents=True)
    (campaign / "questionnaires" / "esempio.yaml").write_bytes(Path(EXAMPLE).read_bytes())
    (campaign / "altrove.csv").write_text("istat,nome\n099001,Atlantide\n", encoding="utf-8")
    (campaign / "campaign.yaml").write_text("name: Prova\nterritory: altrove.csv\n", encoding="utf-8")
    good = fill(tmp_path / "r.xlsx", esempio, GOOD, profile={"comune": "atlantide"})
    summary = import_files([good], campaign, now=NOW)  # no -q: the campaign's own questionnaire
    assert dict(summary.counts) == {"imported": 1}, summary.attention
    data = json.loads(next((campaign / "responses").glob("*.json")).read_text(encoding="utf-8"))
    assert data["respondent"]["comune"] == "099001"
    cremona = fill(tmp_path / "c.xlsx", esempio, GOOD, rid="21111111-2222-4333-8444-555555555555")
    rejected = import_files([cremona], campaign, now=NOW)
    assert [str(p) for p in rejected.attention[0].problems] == [f"{cremona}: Profilo!C3 (comune): comune 'Cremona' sconosciuto — un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove"]
