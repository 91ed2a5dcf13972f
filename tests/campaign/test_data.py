"""Reading a campaign folder: responses come from responses/ only."""

from __future__ import annotations

import json

from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.cli.main import cli
from tests._campaigns import make_campaign, response


def test_a_json_in_the_campaign_folder_is_not_counted_twice(tmp_path):
    data = response(name="A srl", comune="Crema", id="11111111-2222-4333-8444-555555555555")
    campaign = make_campaign(tmp_path / "c", {"a.json": data})
    (campaign / "copia.json").write_text(json.dumps(data), encoding="utf-8")  # a copy left in the folder itself
    read = load_campaign_data(campaign)
    assert [r.file.name for r in read.responses] == ["a.json"]
    assert [str(p) for p in read.ignored] == [
        f"{campaign / 'copia.json'}: non letto: le risposte si leggono solo da responses/ (spostarlo lì se è una risposta)"]
    status = CliRunner().invoke(cli, ["status", "--campaign", str(campaign), "--json"])
    assert status.exit_code == 0 and json.loads(status.stdout)["responses"] == 1
    assert "copia.json: non letto" in status.stderr
    export = CliRunner().invoke(cli, ["export", "--campaign", str(campaign), "--format", "csv", "--wide"])
    assert export.exit_code == 0 and len(export.stdout.strip().splitlines()) == 2  # header and one respondent
