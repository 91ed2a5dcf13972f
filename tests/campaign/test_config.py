"""campaign.yaml: defaults, validation with lines, target overrides, campaign init."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from crassess.campaign.config import apply_targets, init_campaign, load_campaign_config
from crassess.campaign.data import load_campaign_data
from crassess.cli.main import cli
from crassess.errors import InvalidInput, NotFound, UsageError
from tests.conftest import write_files
from tests.waves_fixtures import campaign, questionnaire, response


def test_folder_without_campaign_yaml_gets_defaults(tmp_path):
    c = load_campaign_config(tmp_path)
    assert (c.config.name, c.config.wave, c.config.min_n, c.config_file) == (tmp_path.name, None, 5, None)
    assert c.responses_dir == tmp_path / "responses"


def test_full_config(tmp_path):
    write_files(tmp_path, {
        "campaign.yaml": """
            name: Cremona digitale
            wave: 2026-T0
            territory: comuni.csv
            questionnaires: [q/mini.yaml]
            targets:
              mini: {overall: 60, dimensions: {conn: 90}}
            min_n: 3
            """,
        "comuni.csv": "istat,nome\n019036,Cremona\n",
        "q/mini.yaml": questionnaire(),
    })
    c = load_campaign_config(tmp_path)
    assert c.label == "Cremona digitale 2026-T0"
    assert c.territory_path == tmp_path / "comuni.csv"
    assert c.questionnaire_paths() == [tmp_path / "q/mini.yaml"]
    from crassess.questionnaire.load import load_questionnaire

    qn = apply_targets(c, load_questionnaire(tmp_path / "q/mini.yaml"))
    assert (qn.target, qn.dimensions_by_id["conn"].target, qn.dimensions_by_id["comp"].target) == (60, 90, None)
    assert qn.target_of(qn.dimensions_by_id["comp"]) == 60


def test_service_catalogue_in_questionnaires_folder_is_not_a_questionnaire(tmp_path):
    write_files(tmp_path, {"questionnaires/mini.yaml": questionnaire(), "questionnaires/servizi.yaml": "services: []\n"})
    assert load_campaign_config(tmp_path).questionnaire_paths() == [tmp_path / "questionnaires/mini.yaml"]


def test_target_override_keeps_the_service_catalogue(tmp_path):
    data = yaml.safe_load(questionnaire())
    data["questions"][0]["service"] = "assessment"
    write_files(tmp_path, {"campaign.yaml": "name: X\ntargets:\n  mini: {overall: 60}\n", "q.yaml": yaml.safe_dump(data)})
    from crassess.questionnaire.load import load_questionnaire

    qn = apply_targets(load_campaign_config(tmp_path), load_questionnaire(tmp_path / "q.yaml"))
    assert qn.target == 60 and qn.service_catalogue is not None and "assessment" in qn.service_catalogue.by_id


def test_every_problem_with_its_line(tmp_path):
    write_files(tmp_path, {"campaign.yaml": """
        name: ""
        wave: 2026 T0
        targets:
          mini: {overall: 120, dimensions: {conn: -1}}
        min_n: 2
        colour: red
        """})
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert [(p.place, p.message) for p in err.value.problems] == [
        ("riga 1", "name: il nome della campagna è vuoto"),
        ("riga 2", "wave: etichetta di rilevazione '2026 T0' non valida: ammessi lettere, cifre, '-', '_' e '.' (es. 2026-T0)"),
        ("riga 4", "targets.mini.overall: deve essere al massimo 100"),
        ("riga 4", "targets.mini.dimensions.conn: deve essere almeno 0"),
        ("riga 5", "min_n: deve essere almeno 3"),
        ("riga 6", "colour: campo non previsto (errore di battitura?)"),
    ]


def test_yaml_syntax_error_and_not_a_mapping(tmp_path):
    write_files(tmp_path, {"campaign.yaml": "name: [x\n"})
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert err.value.problems[0].message.startswith("errore di sintassi YAML")
    write_files(tmp_path, {"campaign.yaml": "- a\n"})
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert err.value.problems[0].message == "atteso un oggetto (chiave: valore) al primo livello"


def test_missing_territory_file_is_located(tmp_path):
    write_files(tmp_path, {"campaign.yaml": "name: X\n\nterritory: nope.csv\n"})
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert str(err.value.problems[0]) == f"{tmp_path / 'campaign.yaml'}: riga 3: territory: file 'nope.csv' non trovato"


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(NotFound):
        load_campaign_config(tmp_path / "none")
    (tmp_path / "f").write_text("x")
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path / "f")
    assert err.value.problems[0].message.startswith("non è una cartella")


def test_target_override_for_unknown_dimension_is_located(tmp_path):
    c = campaign(tmp_path, "T0", {"a": response("a", "A", "Cremona", 0, 0)})
    (c / "campaign.yaml").write_text("name: X\ntargets:\n  mini:\n    dimensions:\n      velocita: 80\n", encoding="utf-8")
    data = load_campaign_data(c)
    assert [(p.place, p.message) for p in data.problems] == [
        ("riga 5", "targets.mini.dimensions: la dimensione 'velocita' non esiste nel questionario mini; dimensioni: conn, comp")]


def test_target_override_changes_gap_not_score(tmp_path):
    c = campaign(tmp_path, "T0", {"a": response("a", "A", "Cremona", 50, 50)})
    (c / "campaign.yaml").write_text("name: X\ntargets:\n  mini: {dimensions: {conn: 90}}\n", encoding="utf-8")
    (item,) = load_campaign_data(c).responses
    conn = item.result.dimensions["conn"]
    assert (conn.score, conn.target, conn.gap) == (50, 90, 40)
    assert item.result.dimensions["comp"].gap == 25  # default target 75
    assert item.source_questionnaire.dimensions_by_id["conn"].target is None


def test_init_writes_config_and_never_overwrites(tmp_path):
    path = init_campaign(tmp_path / "c", "Cremona digitale", "2026-T0")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == {"name": "Cremona digitale", "wave": "2026-T0"}
    assert (tmp_path / "c" / "responses").is_dir()
    assert load_campaign_config(tmp_path / "c").config.wave == "2026-T0"
    with pytest.raises(UsageError):
        init_campaign(tmp_path / "c", "Altro")
    with pytest.raises(UsageError):
        init_campaign(tmp_path / "d", "X", "T0/../x")
    assert not (tmp_path / "d").exists()


def test_cli_campaign_init(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["campaign", "init", str(tmp_path / "c"), "--name", "Prova", "--wave", "2026-T0"])
    assert result.exit_code == 0
    assert result.output.strip() == str(tmp_path / "c" / "campaign.yaml")
    result = runner.invoke(cli, ["campaign", "init", str(tmp_path / "c"), "--name", "Prova", "--lang", "en"])
    assert result.exit_code == 2
    assert "already exists: not overwritten" in result.output


def test_response_of_a_questionnaire_version_not_available(tmp_path):
    c = campaign(tmp_path, "T0", {"a": response("a", "A", "Cremona", 0, 0, version="0.9")})
    (problem,) = load_campaign_data(c).problems
    assert (problem.place, problem.message) == (
        "questionnaire",
        "la risposta indica il questionario mini versione 0.9, che non è disponibile per questa campagna; "
        "elencarlo in campaign.yaml (questionnaires:) o metterlo in questionnaires/",
    )


def test_response_of_a_shipped_questionnaire_in_another_version(tmp_path):
    c = campaign(tmp_path, "T0", {"a": response("a", "A", "Cremona", 0, 0, qid="impresa", version="0.1")})
    (problem,) = load_campaign_data(c).problems
    from crassess.questionnaire.load import load_questionnaire

    assert problem.message.endswith(f"; è disponibile la versione {load_questionnaire('impresa').version}")


def test_missing_questionnaire_and_territory_files_located(tmp_path):
    write_files(tmp_path, {"campaign.yaml": "name: X\nterritory: t.csv\nquestionnaires:\n  - q/a.yaml\n  - q/b.yaml\n", "q/a.yaml": "x"})
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert [(p.place, p.message) for p in err.value.problems] == [
        ("riga 2", "territory: file 't.csv' non trovato"),
        ("riga 5", "questionnaires: file 'q/b.yaml' non trovato"),
    ]


def test_campaign_territory(tmp_path):
    from crassess.campaign.config import campaign_territory

    assert len(campaign_territory(None).comuni) == 113
    assert len(campaign_territory(tmp_path / "not-yet").comuni) == 113
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "t.csv").write_text("istat,nome\n098001,Abbadia Cerreto\n", encoding="utf-8")
    (tmp_path / "c" / "campaign.yaml").write_text("name: Lodi\nwave: 2026-T0\nterritory: t.csv\n", encoding="utf-8")
    assert [c.nome for c in campaign_territory(tmp_path / "c").comuni] == ["Abbadia Cerreto"]


def test_respondents_register_must_exist(tmp_path):
    from crassess.campaign.config import load_campaign_config

    (tmp_path / "campaign.yaml").write_text("name: X\nrespondents: rispondenti.csv\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_campaign_config(tmp_path)
    assert [str(p) for p in err.value.problems] == [f"{tmp_path / 'campaign.yaml'}: riga 2: respondents: file 'rispondenti.csv' non trovato"]
    (tmp_path / "rispondenti.csv").write_text("id,name,comune,size\n", encoding="utf-8")
    assert load_campaign_config(tmp_path).respondents_path == tmp_path / "rispondenti.csv"
