"""crassess status: counts by sector, status and comune, comuni without responses, last import."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.campaign.status import campaign_status, status_to_dict
from crassess.cli.main import cli
from tests.waves_fixtures import campaign, response


def draft(text: str) -> str:
    data = json.loads(text)
    data["status"] = "draft"
    return json.dumps(data)


def imported(text: str, when: str) -> str:
    data = json.loads(text)
    data["provenance"] = {"source_file": "x.xlsx", "imported_at": when}
    return json.dumps(data)


@pytest.fixture
def camp(tmp_path):
    territory = "istat,nome\n019036,Cremona\n019035,Crema\n019001,Acquanegra Cremonese\n"
    c = campaign(tmp_path / "c", "2026-T0", {
        "a": imported(response("a", "A", "Cremona", 0, 0), "2026-03-01T10:00:00+00:00"),
        "b": imported(draft(response("b", "B", "crema", 50, 50)), "2026-03-02T09:00:00+00:00"),
        "c": response("c", "C", "Cremona", 100, 100, qid="mini_comune"),
        "d": draft(response("d", "D", "", 0, 0)),
        "bad": response("e", "E", "Cremna", 0, 0),
    })
    (c / "comuni.csv").write_text(territory, encoding="utf-8")
    (c / "campaign.yaml").write_text("name: Cremona digitale\nwave: 2026-T0\nterritory: comuni.csv\n", encoding="utf-8")
    return c


def test_status_counts(camp):
    status = campaign_status(load_campaign_data(camp))
    data = status_to_dict(status)
    assert data["by_sector"] == [
        {"sector": "comune", "draft": 0, "complete": 1, "total": 1},
        {"sector": "impresa", "draft": 2, "complete": 1, "total": 3},
    ]
    assert data["by_comune"] == [
        {"istat": "019035", "name": "Crema", "by_sector": {"comune": 0, "impresa": 1}, "draft": 1, "complete": 0, "total": 1},
        {"istat": "019036", "name": "Cremona", "by_sector": {"comune": 1, "impresa": 1}, "draft": 0, "complete": 2, "total": 2},
    ]
    # Crema has only a draft: not covered, as in the reports
    assert data["comuni_without_response"] == [{"istat": "019001", "name": "Acquanegra Cremonese"}, {"istat": "019035", "name": "Crema"}]
    assert data["comuni_with_drafts_only"] == [{"istat": "019035", "name": "Crema"}]
    assert (data["responses"], data["complete"], data["draft"], data["responses_without_comune"]) == (4, 2, 2, 1)
    # the two drafts have all answers (an overall) but are drafts: not counted
    assert (data["comuni_with_responses"], data["comuni_total"], data["scores_complete"]) == (1, 3, 2)
    assert (data["last_import"], data["last_import_from"]) == ("2026-03-02T09:00:00+00:00", "provenance")
    assert data["invalid_files"] == 1
    assert data["problems"][0].endswith("bad.json: respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035)?")


def test_last_import_from_file_time_without_provenance(tmp_path):
    c = campaign(tmp_path / "c", "T0", {"a": response("a", "A", "Cremona", 0, 0)})
    os.utime(c / "responses" / "a.json", (1767225600, 1767225600))
    status = campaign_status(load_campaign_data(c))
    assert (status.last_import, status.last_import_from) == ("2026-01-01T00:00:00+00:00", "mtime")


def test_empty_campaign(tmp_path):
    status = campaign_status(load_campaign_data(tmp_path))
    assert (status.total, status.last_import, len(status.without_response)) == (0, None, 113)


def test_territory_option_wins_over_campaign_yaml(camp, tmp_path):
    other = tmp_path / "altro.csv"
    other.write_text("istat,nome\n019036,Cremona\n019035,Crema\n", encoding="utf-8")
    status = campaign_status(load_campaign_data(camp, other))
    assert [c.nome for c in status.without_response] == ["Crema"]  # Acquanegra is not in this territory


def test_cli_status_table_and_exit_code(camp):
    result = CliRunner().invoke(cli, ["status", "--campaign", str(camp)])
    assert result.exit_code == 1  # one invalid file
    assert "Campagna Cremona digitale – rilevazione 2026-T0" in result.stdout
    assert "Risposte: 4 (complete: 2, bozze: 2); complete con punteggio complessivo: 2" in result.stdout
    assert "Comuni con almeno una risposta completa: 1 su 3 (33,3%)" in result.stdout
    assert "Comuni senza risposte complete (2): Acquanegra Cremonese, Crema" in result.stdout
    assert "di cui con sole bozze (1): Crema" in result.stdout
    lines = result.stdout.splitlines()
    assert lines[lines.index(next(x for x in lines if "ISTAT" in x))].split("┃")[1:-1] == [
        " Comune  ", " ISTAT  ", " Comuni ", " Imprese ", " Bozze ", " Complete ", " Totale "]
    assert next(x for x in lines if "019036" in x).split("│")[1:-1] == [
        " Cremona ", " 019036 ", " 1      ", " 1       ", " 0     ", " 2        ", " 2      "]
    assert "forse: Cremona (019036)" in result.stderr


def test_cli_status_json_in_english(tmp_path):
    c = campaign(tmp_path / "c", "T0", {"a": response("a", "A", "Cremona", 0, 0)})
    result = CliRunner().invoke(cli, ["status", "--campaign", str(c), "--json", "--lang", "en"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["campaign"], data["wave"], data["responses"]) == ("Cremona digitale", "T0", 1)
    result = CliRunner().invoke(cli, ["status", "--campaign", str(c), "--lang", "en"])
    assert "Comuni with at least one complete response: 1 of 113 (0.9%)" in result.stdout


def test_last_import_compares_times_not_texts(tmp_path):
    c = campaign(tmp_path / "c", "T0", {
        "a": imported(response("a", "A", "Cremona", 0, 0), "2026-03-02T10:00:00+02:00"),  # 08:00 UTC
        "b": imported(response("b", "B", "Cremona", 0, 0), "2026-03-02T09:00:00Z"),
        "c": imported(response("c", "C", "Cremona", 0, 0), "ieri"),
    })
    assert campaign_status(load_campaign_data(c)).last_import == "2026-03-02T09:00:00Z"


def test_complete_with_overall_counts_only_scored_complete_responses(tmp_path):
    dk = json.loads(response("none", "N", "Cremona", 0, 0))
    dk["answers"] = {"q1": "0"}  # comp has no answer: no score for it, and so no overall
    empty = json.loads(response("empty", "E", "Cremona", 0, 0))
    empty["answers"] = {}  # no dimension score: no overall
    c = campaign(tmp_path / "c", "T0", {
        "a": response("a", "A", "Cremona", 50, 50), "one_dim": json.dumps(dk), "empty": json.dumps(empty),
        "d": draft(response("d", "D", "Crema", 50, 50)),
    })
    status = campaign_status(load_campaign_data(c))
    assert (status.total, status.complete, status.scores_complete) == (4, 3, 1)


def test_same_response_id_in_two_files_is_reported_and_counted_once(tmp_path):
    c = campaign(tmp_path / "c", "T0", {
        "a": response("same", "A", "Cremona", 0, 0),
        "copy": draft(response("same", "A", "Cremona", 0, 0)),
        "b": response("b", "B", "Crema", 50, 50),
    })
    data = load_campaign_data(c)
    status = campaign_status(data)
    assert (status.total, status.complete) == (2, 2)  # the complete copy is kept, not the draft
    [warning] = status.duplicates
    assert str(warning) == (f"{c / 'responses' / 'a.json'}: id: la risposta same è in più file "
                            f"({c / 'responses' / 'a.json'}, {c / 'responses' / 'copy.json'}): contata una volta, da a.json")
    result = CliRunner().invoke(cli, ["status", "--campaign", str(c)])
    assert result.exit_code == 0
    assert "Risposte: 2 (complete: 2, bozze: 0)" in result.stdout
    assert "Stessa risposta in più file: 1 (contata una volta; dettagli sotto)" in result.stdout
    assert "la risposta same è in più file" in result.stderr
    assert status_to_dict(status)["duplicates"] == [str(warning)]
