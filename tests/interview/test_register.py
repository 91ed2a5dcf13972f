"""Picking a respondent from the campaign's register (``interview --respondent CODE``): profile filled in, code kept."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.spreadsheets.write import register_entry
from tests.conftest import EXAMPLE, write_files
from tests.interview.test_flow import ENTER, PROFILE, ROSSI, ROSSI_ANSWERS, run

REGISTER = "id;name;comune;size;subsector;contact\nCR-123456;Rossi Meccanica srl;Cremona;12;C;m.rossi@example.it\nCR-7;Bianchi;Crema;3;I;\n"


def test_the_profile_starts_from_the_register_and_keeps_the_code(esempio, tmp_path):
    register = write_files(tmp_path, {"rispondenti.csv": REGISTER})["rispondenti.csv"]
    rossi = register_entry(register, "cr 123456")  # compared without case, spaces and punctuation
    steps = [(key, ENTER) for key, _ in PROFILE[:5]] + [("interviewer", "Anna Bianchi"), ("date", ENTER)] + ROSSI
    result, script, _ = run(esempio, tmp_path, steps + [("choose", "complete")], respondent=rossi)
    assert (script.prompts[0].default, script.prompts[2].default) == ("Rossi Meccanica srl", 12)
    saved = json.loads(result.path.read_text(encoding="utf-8"))
    assert saved["respondent"] == {
        "id": "CR-123456", "name": "Rossi Meccanica srl", "comune": "019036", "size": 12, "subsector": "C",
        "contact": "m.rossi@example.it", "interviewer": "Anna Bianchi", "date": "2026-11-25",
    }
    assert saved["answers"] == ROSSI_ANSWERS


def _campaign(tmp_path, register=True):
    files = {"camp/campaign.yaml": "name: Cremona digitale\n" + ("respondents: rispondenti.csv\n" if register else ""),
             "camp/rispondenti.csv": REGISTER,
             "cartaceo.yaml": "respondent: {interviewer: Anna Bianchi, date: 2026-11-20}\nanswers: {fibra_disponibile: si}\n"}
    write_files(tmp_path, files)
    return tmp_path / "camp"


def test_cli_answers_file_with_a_respondent_of_the_register(tmp_path):
    camp = _campaign(tmp_path)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(camp), "--answers",
                                      str(tmp_path / "cartaceo.yaml"), "--respondent", "CR-7"])
    assert result.exit_code == 0, result.output
    [saved] = [json.loads(p.read_text(encoding="utf-8")) for p in (camp / "responses").glob("*.json")]
    assert saved["respondent"] == {"id": "CR-7", "name": "Bianchi", "comune": "019035", "size": 3, "subsector": "I",
                                   "interviewer": "Anna Bianchi", "date": "2026-11-20"}


def test_cli_unknown_code_or_no_register(tmp_path):
    camp = _campaign(tmp_path)
    args = ["interview", str(EXAMPLE), "--campaign", str(camp), "--answers", str(tmp_path / "cartaceo.yaml"), "--respondent"]
    result = CliRunner().invoke(cli, [*args, "CR-123465"])
    assert result.exit_code == 1
    assert result.stderr == f"{camp / 'rispondenti.csv'}: il codice 'CR-123465' non è nel registro dei rispondenti; forse: CR-123456?\n"
    assert not (camp / "responses").exists() or not list((camp / "responses").iterdir())
    (camp / "campaign.yaml").write_text("name: Cremona digitale\n", encoding="utf-8")
    result = CliRunner().invoke(cli, [*args, "CR-7"])
    assert result.exit_code == 2
    assert "campaign.yaml: respondents: FILE.csv" in result.stderr


def test_an_invalid_code_in_an_answers_file_is_a_located_problem_not_a_crash(tmp_path):
    camp = _campaign(tmp_path, register=False)
    (tmp_path / "cartaceo.yaml").write_text(
        "respondent: {id: 'REA: 12', name: X, comune: Crema}\nanswers: {fibra_disponibile: si}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(camp), "--answers", str(tmp_path / "cartaceo.yaml")])
    assert result.exit_code == 1
    assert "codice del rispondente non valido" in result.stderr and "Traceback" not in result.output
