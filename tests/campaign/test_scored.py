"""Loading campaign folders: layout, drafts, invalid files, name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crassess.campaign.scored import load_campaign
from crassess.errors import InvalidInput, NotFound
from tests._campaigns import make_campaign, response


def test_loads_the_responses_folder_in_order_and_nothing_else(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"b.json": response(name="B"), "a.json": response(name="A")})
    (tmp_path / "c.json").write_text(json.dumps(response(name="C")), encoding="utf-8")  # not in responses/: not read
    campaign = load_campaign(tmp_path)
    assert [r.response.respondent.name for r in campaign.responses] == ["A", "B"]
    assert campaign.name == tmp_path.name
    assert campaign.problems == () and campaign.drafts == ()


def test_drafts_are_counted_not_scored(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"a.json": response(name="A"), "d.json": response(name="D", status="draft")})
    campaign = load_campaign(tmp_path)
    assert len(campaign.responses) == 1
    assert campaign.drafts == ((str(tmp_path / "responses" / "d.json"), "impresa"),)
    assert campaign.drafts_by_sector() == {"impresa": 1}


def test_invalid_files_become_problems_and_the_rest_is_kept(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"a.json": response(name="A"), "bad.json": response({"velocita": "tanta"}, name="X")})
    (tmp_path / "responses" / "broken.json").write_text("{", encoding="utf-8")
    campaign = load_campaign(tmp_path)
    assert [r.response.respondent.name for r in campaign.responses] == ["A"]
    places = sorted((Path(p.file).name, p.place) for p in campaign.problems)
    assert places == [("bad.json", "domanda velocita"), ("broken.json", "riga 1")]


def test_name_from_campaign_yaml(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"a.json": response(name="A")}, name="Rilevazione 2026")
    (tmp_path / "campaign.yaml").write_text("name: Rilevazione 2026\nsynthetic: true\n", encoding="utf-8")
    campaign = load_campaign(tmp_path)
    assert (campaign.name, campaign.synthetic) == ("Rilevazione 2026", True)


def test_bad_name_is_located(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"a.json": response(name="A")})
    (tmp_path / "campaign.yaml").write_text("name: [1, 2]\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        load_campaign(tmp_path)
    assert str(err.value) == f"{tmp_path / 'campaign.yaml'}: riga 1: name: atteso un testo"


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as err:
        load_campaign(tmp_path / "nope")
    assert "cartella della campagna non trovata" in str(err.value)
    with pytest.raises(InvalidInput) as err2:
        load_campaign(tmp_path)
    assert "nessun file di risposta" in str(err2.value)


def test_unknown_questionnaire_says_where_to_put_it(tmp_path: Path) -> None:
    data = response(name="A")
    data["questionnaire"] = {"id": "nonesiste", "version": "1"}
    make_campaign(tmp_path, {"a.json": response(name="B"), "x.json": data})
    campaign = load_campaign(tmp_path)
    assert len(campaign.responses) == 1
    assert [str(p) for p in campaign.problems] == [
        f"{tmp_path / 'responses' / 'x.json'}: questionnaire: la risposta indica il questionario nonesiste versione 1, "
        "che non è disponibile per questa campagna; elencarlo in campaign.yaml (questionnaires:) o metterlo in questionnaires/"]


def test_campaign_yaml_settings_reach_the_reports(tmp_path: Path) -> None:
    make_campaign(tmp_path, {"a.json": response(name="A", comune="crema")})
    (tmp_path / "campaign.yaml").write_text(
        "name: Rilevazione\nwave: 2026-T0\nmin_n: 3\ntargets:\n  esempio: {dimensions: {competenze: 50}}\n",
        encoding="utf-8")
    campaign = load_campaign(tmp_path)
    assert (campaign.name, campaign.min_n) == ("Rilevazione 2026-T0", 3)
    only = campaign.responses[0]
    assert only.response.respondent.comune == "019035"  # names become ISTAT codes
    assert only.result.dimensions["competenze"].gap == pytest.approx(50 - 125 / 3)  # the campaign's target
