"""Respondent text on the terminal: never read as Rich markup, never a raw escape sequence (every command)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crassess.cli.main import cli
from tests._campaigns import make_campaign, response
from tests.conftest import EXAMPLE

# a name a hostile respondent could write: Rich closing tag, clear screen, OSC 52 clipboard write, 8-bit CSI, bidi
HOSTILE = "[/]Rossi [bold]\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\u202esrl"
SHOWN = "[/]Rossi [bold]\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202esrl"


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def raw_controls(text: str) -> list[str]:
    return [ch for ch in text if (ord(ch) < 32 and ch not in "\n\t") or 0x7f <= ord(ch) <= 0x9f or 0x202a <= ord(ch) <= 0x202e]


def test_score_prints_a_hostile_name_as_text(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(response(name=HOSTILE, comune="Crema")), encoding="utf-8")
    result = run("score", path, "-q", EXAMPLE)
    assert result.exit_code == 0, result.output  # was MarkupError, exit 70
    assert raw_controls(result.output) == []
    assert " ".join(result.output.split()).count("[/]Rossi [bold]\\x1b[2J") == 1
    as_json = run("score", path, "-q", EXAMPLE, "--json")
    assert raw_controls(as_json.output) == []
    assert json.loads(as_json.output)[0]["respondent"] == HOSTILE  # the same data, escaped as JSON


def test_export_csv_on_stdout_carries_no_control_character(tmp_path):
    campaign = make_campaign(tmp_path / "c", {"a.json": response(name=HOSTILE, comune="Crema")})
    result = run("export", "--campaign", campaign, "--format", "csv", "--wide")
    assert result.exit_code == 0, result.output
    assert raw_controls(result.output) == []
    assert "[/]Rossi [bold][2J]52;c;ZXZpbA==31msrl" in result.output
    jsonl = run("export", "--campaign", campaign, "--format", "jsonl", "--wide")
    assert raw_controls(jsonl.output) == [] and json.loads(jsonl.output.splitlines()[0])["respondent"] == HOSTILE


def test_import_messages_show_escapes(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(f"ID;Risposta\n#questionnaire;esempio\n#version;1.0.0\n#name;{HOSTILE}\n#comune;Crema\n"
                    "wifi;\x1b[2Jforse\n", encoding="utf-8")
    result = run("import", path, "--campaign", tmp_path / "camp", "-q", EXAMPLE)
    assert result.exit_code == 1
    assert raw_controls(result.output) == []
    assert f"{path}: CSV!B6 (wifi): '\\x1b[2Jforse' non è una risposta ammessa" in result.output


def test_status_and_errors_of_a_campaign(tmp_path):
    campaign = make_campaign(tmp_path / "c", {"a.json": response(name=HOSTILE, comune="Crema"),
                                              "b.json": response({"wifi": "\x1b[2J"}, name="B", comune="Crema")},
                             name="Campagna [/] \x1b[2J")
    result = run("status", "--campaign", campaign)
    assert result.exit_code == 1  # b.json is invalid
    assert raw_controls(result.output) == []
    assert "Campagna [/] \\x1b[2J" in result.output
    assert "'\\x1b[2J' non è tra le scelte ammesse" in result.output
