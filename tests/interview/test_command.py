"""``crassess interview`` through CliRunner, and its core function :func:`conduct`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.interview.command import InterviewRequest, conduct
from crassess.questionnaire.responses import load_response
from crassess.territory.comuni import load_territory
from tests.conftest import EXAMPLE, write_files
from tests.interview.scripted import PROFILE, ROSSI, TODAY, Script

ANSWERS_YAML = """
respondent:
  name: "Caffè L'Arte srl"
  comune: Crema
  size: 12
  subsector: I
  date: 2026-11-20
answers:
  fibra_disponibile: si
  fibra_sede: si
  velocita: 100
  wifi: parziale
  strumenti: [cloud, erp]
  fatturazione: si
  addetti_formati: 25
  ore_perse: 5
  formazione: si
notes:
  velocita: dal contratto
"""


def test_cli_answers_file_saves_and_prints_the_score_card(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS_YAML})
    before = files["carta.yaml"].read_bytes()
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "c" / "responses").glob("caffe-l-arte-srl-*.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["status"] == "complete"
    assert saved["respondent"]["comune"] == "019035"
    assert saved["provenance"]["source_file"] == "carta.yaml"
    assert files["carta.yaml"].read_bytes() == before
    out = result.output
    assert "Caffè L'Arte srl – Crema" in out
    # competenze: (1*50 + 1*75 + 1*100) / 3 = 75; overall (2*80 + 250/3 + 75) / 4
    assert "Complessivo: 79,6 – Avanzato (completo)" in out
    assert "Azioni prioritarie" in out
    assert out.rstrip().endswith(f"Risposta completa salvata in {path}")


def test_cli_answers_file_reports_every_problem_and_writes_nothing(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": """
        respondent:
          comune: Cremna
          size: tanti
        answers:
          fibra_disponibile: forse
          velocita: 20000
          strumenti: [cloud, nessuno]
          fatturazione: dk
    """})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 1
    f = files["carta.yaml"]
    assert result.output.splitlines() == [
        f"{f}: respondent.name: dato obbligatorio",
        f"{f}: riga 2, respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?",
        f"{f}: riga 3, respondent.size: atteso un numero intero non negativo, trovato 'tanti'",
        f"{f}: riga 5, domanda fibra_disponibile: 'forse' non è tra le scelte ammesse: si, no",
        f"{f}: riga 6, domanda velocita: vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s",
        f"{f}: riga 7, domanda strumenti: la scelta 'nessuno' esclude tutte le altre",
        f"{f}: riga 8, domanda fatturazione: 'Non so' (dk) non è ammesso per questa domanda",
    ]
    assert not (tmp_path / "c").exists()


def test_cli_answers_json_with_another_questionnaire_version(tmp_path):
    data = {"questionnaire": {"id": "esempio", "version": "0.9"}, "respondent": {"name": "X", "comune": "Crema"}, "answers": {}}
    files = write_files(tmp_path, {"r.json": json.dumps(data)})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path), "--answers", str(files["r.json"]), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{files['r.json']}: questionnaire: the response is for questionnaire esempio version 0.9, but esempio version 1.0.0 is loaded",
    ]


def test_cli_refuses_without_a_terminal(tmp_path):
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    assert result.exit_code == 2
    assert "--answers FILE" in result.output
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path), "--lang", "en"])
    assert result.output.startswith("no interactive terminal: to enter the answers from a file use --answers FILE")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "--campaign: indicare la cartella della campagna con --campaign DIR"),
        (["--resume", "a.json", "--answers", "b.yaml"], 2, "--resume: --resume e --answers non si usano insieme"),
        (["--resume", "manca.json", "--answers", "b.yaml"], 2, "--resume e --answers"),
        (["--campaign", "c", "--answers", "manca.yaml"], 1, "manca.yaml: file non trovato"),
        (["--campaign", "file.txt", "--answers", "b.yaml"], 2, "file.txt: la campagna deve essere una cartella, non un file"),
        (["--resume", "carta.yaml"], 2, "carta.yaml: --resume riprende una bozza .json scritta da crassess interview"),
    ],
)
def test_cli_usage_errors(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), *args])
    assert result.exit_code == code
    assert message in result.output


def test_cli_resume_of_a_missing_file_is_reported(tmp_path, monkeypatch):
    request = InterviewRequest(str(EXAMPLE), resume=tmp_path / "manca.json", interactive=True, today=TODAY)
    with pytest.raises(Exception) as caught:
        conduct(request, lambda territory: Script([]), load_territory())
    assert str(caught.value) == f"{tmp_path / 'manca.json'}: file non trovato"


def test_cli_interactive_interrupt_exits_130_with_the_resume_command(tmp_path, monkeypatch):
    import crassess.interview.prompts

    script = Script(PROFILE[:2] + [("size", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: script)
    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c")])
    assert result.exit_code == 130
    [path] = (tmp_path / "c" / "responses").glob("rossi-meccanica-srl-*.json")
    assert result.output.splitlines()[-1] == f"Per riprendere: crassess interview {EXAMPLE} --resume {path}"


def test_cli_resume_completes_the_draft_in_place(tmp_path, monkeypatch):
    import crassess.interview.prompts

    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    first = Script(PROFILE + ROSSI[:5] + [("fatturazione", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: first)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    assert result.exit_code == 130
    [path] = (tmp_path / "responses").glob("*.json")

    second = Script(ROSSI[5:] + [("choose", "complete")])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: second)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--resume", str(path)])
    assert result.exit_code == 0, result.output
    assert second.asked[0] == "fatturazione"
    assert "Rossi Meccanica srl – Cremona" in result.output
    assert "Complessivo: 81,1 – Avanzato (incompleto)" in result.output  # (2 x 80 + 250/3) / 3
    assert result.output.splitlines()[-1] == f"Risposta completa salvata in {path}"
    assert load_response(path).status == "complete"


def test_cli_the_same_paper_answers_file_twice_is_recorded_once(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS_YAML})
    args = ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])]
    first = CliRunner().invoke(cli, args)
    [path] = (tmp_path / "c" / "responses").glob("*.json")
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert list((tmp_path / "c" / "responses").glob("*.json")) == [path]
    assert again.output.splitlines() == [
        f"Questo file di risposte è già registrato in {path} (stesso contenuto): nessuna nuova risposta salvata.",
    ]
    # the same answers in a file with other bytes (here: a comment) are another paper form
    files["carta.yaml"].write_text("# seconda copia\n" + files["carta.yaml"].read_text(encoding="utf-8"), encoding="utf-8")
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert len(list((tmp_path / "c" / "responses").glob("*.json"))) == 2
    assert first.exit_code == 0


def test_cli_an_answers_file_without_a_score_is_saved_as_a_draft(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": "respondent: {name: Vuota, comune: Crema}\nanswers: {fibra_disponibile: si}\n"})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"]), "--lang", "en"])
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "c" / "responses").glob("*.json")
    assert load_response(path).status == "draft"
    assert "Overall: – (insufficient data, incomplete)" in result.output
    assert "No score: no dimension has enough scored answers (at least 67%)." in result.output
    assert result.output.splitlines()[-1] == (
        f"No scored answer: saved as a draft in {path}. To complete it: crassess interview {EXAMPLE} --resume {path} --lang en"
    )


def test_cli_an_answers_file_dated_in_the_future_is_refused(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS_YAML.replace("2026-11-20", "2099-01-01")})
    request = InterviewRequest(str(EXAMPLE), campaign=tmp_path / "c", answers=files["carta.yaml"], today=TODAY)
    with pytest.raises(Exception) as caught:
        conduct(request, lambda territory: Script([]), load_territory())
    assert [str(p) for p in caught.value.problems] == [
        f"{files['carta.yaml']}: riga 6, respondent.date: data dell'intervista 2099-01-01 nel futuro (oggi è 2026-11-25)",
    ]


def test_cli_respondent_outside_the_territory(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS_YAML.replace("comune: Crema", "comune: fuori territorio"),
                                   "c/campaign.yaml": f"name: prova\nquestionnaires: ['{EXAMPLE}']\n"})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "c" / "responses").glob("*.json")
    assert load_response(path).respondent.comune == "fuori_territorio"
    assert "Caffè L'Arte srl – Fuori territorio" in result.output
    status = CliRunner().invoke(cli, ["status", "--campaign", str(tmp_path / "c"), "--json"])
    assert status.exit_code == 0, status.output
    data = json.loads(status.output)
    assert (data["responses"], data["comuni_with_responses"], data["responses_outside_territory"]) == (1, 0, 1)
    assert data["responses_without_comune"] == 0


def test_cli_resume_command_keeps_the_language_and_quotes_the_path(tmp_path, monkeypatch):
    import crassess.interview.prompts

    campaign = tmp_path / "la mia campagna"
    script = Script(PROFILE[:2] + [("size", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: script)
    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(campaign), "--lang", "en"])
    assert result.exit_code == 130
    [path] = (campaign / "responses").glob("*.json")
    assert result.output.splitlines()[-1] == f"To resume: crassess interview {EXAMPLE} --resume '{path}' --lang en"


def test_cli_read_only_shows_the_answers_and_changes_nothing(tmp_path, monkeypatch):
    import crassess.interview.prompts
    from crassess.interview.locks import DraftLock

    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    first = Script(PROFILE + ROSSI[:3] + [("wifi", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: first)
    CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    [path] = (tmp_path / "responses").glob("*.json")
    before = path.read_bytes()
    other = DraftLock.acquire(path, lambda: __import__("datetime").datetime.now())  # another session has it open
    second = Script([("choose", "0"), ("choose", "read")])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: second)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "[velocita] Velocità di download della linea (Mbit/s): 100" in result.output
    assert result.output.splitlines()[-1] == f"Sola lettura: {path} non è stato modificato."
    assert path.read_bytes() == before and other.owned()
    assert "aperta da" in second.labels[0][1]
