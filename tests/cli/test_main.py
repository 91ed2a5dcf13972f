"""The command line through click's CliRunner: exit codes, output, errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from crassess.cli.main import cli
from tests.conftest import EXAMPLE, ROOT, write_files

RESPONSES = sorted((ROOT / "examples" / "responses").glob("*.json"))


def run(*args, **kw):
    return CliRunner().invoke(cli, [str(a) for a in args], **kw)


def test_score_json_shape_and_values():
    result = run("score", RESPONSES[1], "-q", EXAMPLE, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == [
        {
            "file": str(RESPONSES[1]),
            "respondent": "Rossi Meccanica srl",
            "questionnaire": "esempio",
            "version": "1.0.0",
            "overall": 81.11,
            "level": "avanzato",
            "complete": False,
            "coverage": 0.75,
            "dimensions": {
                "connettivita": {"score": 80.0, "level": "avanzato", "target": 80.0, "gap": 0.0, "coverage": 1.0, "dont_know": 0},
                "strumenti": {"score": 83.33, "level": "avanzato", "target": 75.0, "gap": 0.0, "coverage": 1.0, "dont_know": 0},
                "competenze": {"score": None, "level": None, "target": 75.0, "gap": None, "coverage": 0.67, "dont_know": 1},
            },
        }
    ]


def test_score_table_in_italian_and_english():
    it = run("score", RESPONSES[1], "-q", EXAMPLE)
    assert it.exit_code == 0
    assert "Complessivo: 81,1 – Avanzato (incompleto)" in it.stdout
    en = run("score", RESPONSES[1], "-q", EXAMPLE, "--lang", "en")
    assert "Overall: 81.1 – Advanced (incomplete)" in en.stdout


def test_score_without_enough_dimensions_has_no_overall(tmp_path):
    response = {"questionnaire": {"id": "esempio", "version": "1.0.0"}, "answers": {"strumenti": ["cloud"], "fatturazione": "si"}}
    path = write_files(tmp_path, {"r.json": json.dumps(response)})["r.json"]
    data = json.loads(run("score", path, "-q", EXAMPLE, "--json").stdout)[0]
    # strumenti (2 x 50 + 100) / 3 = 66.67 alone: weight 1 of 4 < overall_min_coverage 0.75
    assert (data["overall"], data["level"], data["coverage"], data["dimensions"]["strumenti"]["score"]) == (None, None, 0.25, 66.67)
    it = run("score", path, "-q", EXAMPLE)
    assert "Complessivo: dati insufficienti (dimensioni con punteggio: 25% del peso, minimo 75%) (incompleto)" in " ".join(it.stdout.split())
    en = run("score", path, "-q", EXAMPLE, "--lang", "en")
    assert "Overall: insufficient data (dimensions with a score: 25% of the weight, at least 75%) (incomplete)" in " ".join(en.stdout.split())


def test_score_finds_questionnaire_from_user_folder(tmp_path, monkeypatch):
    write_files(tmp_path, {"questionnaires/esempio.yaml": EXAMPLE.read_text(encoding="utf-8")})
    monkeypatch.chdir(tmp_path)
    result = run("score", RESPONSES[0], "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["overall"] == 5.56


def test_score_invalid_response_exit_1_others_still_scored(tmp_path):
    bad = write_files(tmp_path, {"bad.json": json.dumps({"questionnaire": {"id": "esempio", "version": "1.0.0"}, "answers": {"wifi": "forse", "velocita": "x"}})})["bad.json"]
    result = run("score", bad, RESPONSES[1], "-q", EXAMPLE, "--json")
    assert result.exit_code == 1
    assert [d["respondent"] for d in json.loads(result.stdout)] == ["Rossi Meccanica srl"]
    assert f"{bad}: domanda velocita: atteso un numero intero, trovato 'x'" in result.stderr
    assert f"{bad}: domanda wifi: 'forse' non è tra le scelte ammesse: si, parziale, no" in result.stderr
    assert "Traceback" not in result.output


def test_score_unknown_questionnaire_in_response(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_files(tmp_path, {"r.json": json.dumps({"questionnaire": {"id": "boh", "version": "1"}})})["r.json"]
    result = run("score", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}: questionnaire: la risposta indica il questionario 'boh', che non è disponibile; indicarlo con -q"


def test_score_missing_file_exit_1():
    result = run("score", "non-esiste.json", "-q", EXAMPLE)
    assert result.exit_code == 1
    assert result.stderr.strip() == "non-esiste.json: file non trovato"


def test_usage_error_exit_2():
    assert run("score").exit_code == 2
    assert run("score", "x.json", "--lang", "fr").exit_code == 2


def test_validate_reports_and_exit_codes(tmp_path):
    ok = run("questionnaires", "validate", EXAMPLE)
    assert ok.exit_code == 0
    assert ok.stdout == f"{EXAMPLE}: valido (esempio 1.0.0, 8/11)\n"
    bad = write_files(tmp_path, {"bad.yaml": "id: x\nversion: [\n"})["bad.yaml"]
    result = run("questionnaires", "validate", EXAMPLE, bad)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{bad}: riga 3: errore di sintassi YAML")


def test_validate_service_catalogues(tmp_path):
    shipped = run("questionnaires", "validate")
    assert shipped.exit_code == 0
    assert shipped.stdout.splitlines()[-2:] == [
        f"{ROOT / 'questionnaires' / 'servizi.yaml'}: valido (catalogo dei servizi, 11 servizi)",
        f"{ROOT / 'questionnaires' / 'livelli.yaml'}: valido (guida ai livelli, 4 livelli)",
    ]
    files = write_files(tmp_path, {
        "catalogo.yaml": "services:\n  - {id: rete, label: {it: Rete}, description: {it: Reti.}}\n",
        "servizi.yaml": "services:\n  - {id: rete, label: {en: Network}, description: {it: Reti.}}\n",
    })
    ok = run("questionnaires", "validate", files["catalogo.yaml"], "--lang", "en")  # recognised by its content
    assert (ok.exit_code, ok.stdout) == (0, f"{files['catalogo.yaml']}: valid (service catalogue, 1 services)\n")
    bad = run("questionnaires", "validate", files["servizi.yaml"])
    assert (bad.exit_code, bad.stderr) == (1, f"{files['servizi.yaml']}: riga 2: label: testo senza la lingua predefinita 'it'\n")


def test_validate_level_guides(tmp_path):
    files = write_files(tmp_path, {
        "guida.yaml": "levels:\n  - {id: base, text: {it: Basi., en: Basics.}}\n",
        "livelli.yaml": (
            "levels:\n"
            "  - id: base\n"
            "    text: {it: Basi.}\n"
            "    dimensions: {connettivita: {it: \"Riga\\nriga\", en: Line.}}\n"
            "  - {id: base, text: {it: Ancora., en: Again.}, colore: blu}\n"
        ),
    })
    ok = run("questionnaires", "validate", files["guida.yaml"], "--lang", "en")  # recognised by its content
    assert (ok.exit_code, ok.stdout) == (0, f"{files['guida.yaml']}: valid (level guide, 1 levels)\n")
    bad = run("questionnaires", "validate", files["livelli.yaml"])
    assert bad.exit_code == 1
    assert bad.stderr.splitlines() == [f"{files['livelli.yaml']}: {p}" for p in (
        "riga 3: il livello 'base' ha un testo senza la lingua 'en'",
        "riga 4: il livello 'base' deve avere testi di una sola riga",
        "riga 5: identificativo duplicato 'base' (già usato a riga 2)",
        "riga 5: levels.1.colore: campo non previsto (errore di battitura?)",
    )]


def test_show_and_list(tmp_path, monkeypatch):
    shown = run("questionnaires", "show", EXAMPLE, "--lang", "en")
    assert shown.exit_code == 0
    assert "Dimension connettivita: Connectivity (weight 2, target 80)" in shown.stdout
    assert "- parziale: Partly = 50" in shown.stdout
    text = " ".join(shown.stdout.split())
    assert "effort high, service Connectivity and broadband calls (connettivita)" in text
    assert "formazione: Is there a digital training plan? [select_one, scored, Don't know]" in text
    assert "effort low, service Basic digital skills training (competenze_base), minimum size 3" in text
    write_files(tmp_path, {"questionnaires/esempio.yaml": EXAMPLE.read_text(encoding="utf-8"), "questionnaires/rotto.yaml": "id: [\n"})
    monkeypatch.chdir(tmp_path)
    listed = run("questionnaires", "list")
    assert listed.exit_code == 0
    assert "esempio" in listed.stdout and "non valido" in listed.stdout


def test_schema_is_json_schema():
    result = run("questionnaires", "schema")
    schema = json.loads(result.stdout)
    assert schema["title"] == "crassess questionnaire"
    assert {"id", "version", "sector", "questions"} <= set(schema["properties"])
    assert "from" in schema["$defs"]["Level"]["properties"]
    props = schema["properties"]
    assert props["dont_know"]["enum"] == ["missing", "zero"]
    for share in ("min_coverage", "overall_min_coverage"):
        assert [alt["type"] for alt in props[share]["anyOf"]] == ["number", "string"]
    question = schema["$defs"]["Question"]["properties"]
    assert question["effort"]["anyOf"][0]["enum"] == ["low", "medium", "high"]
    assert {"service", "min_size", "dont_know"} <= set(question)
    assert schema["$defs"]["ChoicesFrom"]["properties"]["from"]["const"] == "services"


def test_python_dash_m_and_help_is_lazy():
    out = subprocess.run([sys.executable, "-m", "crassess", "--help"], capture_output=True, text=True, check=True)
    assert "questionnaires" in out.stdout
    probe = "import sys, crassess.cli.main; print(sorted(m for m in ('rich', 'pydantic', 'openpyxl', 'matplotlib', 'questionary', 'python_calamine', 'yaml') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_console_script_installed():
    assert shutil.which("crassess", path=str(ROOT / ".venv" / "bin")) or shutil.which("crassess")


def test_usage_errors_in_italian_through_the_console_script():
    out = subprocess.run([sys.executable, "-m", "crassess", "score", "--bogus"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == "Errore: opzione sconosciuta: --bogus"
    out = subprocess.run([sys.executable, "-m", "crassess", "--lang", "en", "score"], capture_output=True, text=True)
    assert (out.returncode, out.stderr.splitlines()[-1]) == (2, "Error: missing 'RESPONSES...'")


def test_score_checks_the_comune_and_stores_the_istat_code(tmp_path):
    data = json.loads(RESPONSES[1].read_text(encoding="utf-8"))
    data["respondent"]["comune"] = "Cremna"
    bad = write_files(tmp_path, {"bad.json": json.dumps(data)})["bad.json"]
    result = run("score", bad, "-q", EXAMPLE)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{bad}: respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?"
    data["respondent"]["comune"] = "abbadia cerreto"
    other = write_files(tmp_path, {"other.json": json.dumps(data), "t.csv": "istat,nome\n098001,Abbadia Cerreto\n"})
    assert run("score", other["other.json"], "-q", EXAMPLE).exit_code == 1
    assert run("score", other["other.json"], "-q", EXAMPLE, "--territory", other["t.csv"]).exit_code == 0


def test_bare_command_prints_the_help_not_an_error():
    out = subprocess.run([sys.executable, "-m", "crassess"], capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stdout.startswith("Usage: crassess [OPTIONS] COMMAND [ARGS]...")
    assert "Errore" not in out.stdout + out.stderr
