"""The comparison's files: each respondent's own, the restricted lists, the match file round trip, the command."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.campaign.waves import compare_waves
from crassess.cli.main import cli
from crassess.reports.wave_figures import wave_figures
from crassess.reports.wave_files import (
    comparison_files,
    respondent_markdown,
    respondent_stem,
)
from tests.waves_fixtures import business_waves, campaign, response, wave_t0, wave_t1


def test_respondent_file_exact_in_english(tmp_path):
    result = compare_waves(load_campaign_data(wave_t0(tmp_path / "t0")), load_campaign_data(wave_t1(tmp_path / "t1")), lang="en")
    beta = next(c for c in result.respondents if c.name == "Beta S.p.A.")
    assert respondent_markdown(result, beta, "en") == """\
# Beta S.p.A.: comparison Cremona digitale 2026-T0 → Cremona digitale 2027-T1

Sector: Businesses. Comune: Crema (019035). Matched by respondent code.

| Dimension    |   Cremona digitale 2026-T0 |   Cremona digitale 2027-T1 |   Change |
|--------------|----------------------------|----------------------------|----------|
| Overall      |                       50.0 |                       75.0 |    +25.0 |
| Connectivity |                       50.0 |                      100.0 |    +50.0 |
| Skills       |                       50.0 |                       50.0 |      0.0 |
"""


def test_markdown_escapes_respondent_text(tmp_path):
    a = campaign(tmp_path / "a", "T0", {"x": response("r1", "Evil | <b>*x*</b>", "Cremona", 0, 0)})
    b = campaign(tmp_path / "b", "T1", {"x": response("r1", "Evil | <b>*x*</b>", "Cremona", 50, 50)})
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert respondent_markdown(result, result.respondents[0], "it").startswith("# Evil \\| &lt;b&gt;\\*x\\*&lt;/b&gt;: confronto")


def test_respondent_files_never_overwrite_each_other(tmp_path):
    def no_id(text):
        data = json.loads(text)
        del data["id"]
        return json.dumps(data)

    # two waves, each with x.json in responses/ and x.json in the folder: only responses/ holds responses,
    # so the copies in the folders are not read (they once made two respondents with the same key "x")
    a = campaign(tmp_path / "a", "T0", {"x": no_id(response("", "Uno", "Cremona", 0, 0))})
    b = campaign(tmp_path / "b", "T1", {"x": no_id(response("", "Uno", "Cremona", 50, 50))})
    (a / "x.json").write_text(no_id(response("", "Uno", "Crema", 0, 0)), encoding="utf-8")
    (b / "x.json").write_text(no_id(response("", "Uno", "Crema", 100, 100)), encoding="utf-8")
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert result.matched == 1
    paths = [f.path for f in comparison_files(wave_figures(result), "it") if f.path.endswith(".md")]
    assert paths[1:] == ["rispondenti/" + respondent_stem(result.respondents[0]) + ".md"]


def test_files_restricted_lists_and_no_respondent_files(tmp_path):
    a, b = business_waves(tmp_path)
    fig = wave_figures(compare_waves(load_campaign_data(a), load_campaign_data(b)))
    files = {f.path: f.data for f in comparison_files(fig, "it")}
    assert sorted(p for p in files if p.endswith((".csv", "confronto.md", "confronto.xlsx"))) == [
        "confronto.md", "confronto.xlsx", "rispondenti/abbinamenti.csv", "rispondenti/entrati-usciti.csv"]
    assert sum(1 for p in files if p.endswith(".xlsx") and p.startswith("rispondenti/")) == 6
    members = list(csv.reader(io.StringIO(files["rispondenti/entrati-usciti.csv"].decode("utf-8-sig"), newline=""), delimiter=";"))
    assert members[0] == ["stato", "rilevazione", "settore", "nome", "comune", "nome_comune", "file", "risposta"]
    assert [(r[0], r[3]) for r in members[1:4]] == [("uscito", "Lasciata Uno"), ("uscito", "Lasciata Due"), ("uscito", "Lasciata Tre")]
    assert members[-1][0] == "non confrontabile" and members[-1][-1] == "a-x1 → b-x1"
    slim = {f.path for f in comparison_files(fig, "it", respondent_files=False)}
    assert slim == {"confronto.md", "confronto.xlsx", "rispondenti/abbinamenti.csv", "rispondenti/entrati-usciti.csv"}


def test_cli_compare_suggest_confirm_rerun(tmp_path):
    a, b = business_waves(tmp_path)
    out = tmp_path / "confronto"
    run = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "non confrontabili" in run.stderr
    matches = out / "rispondenti" / "abbinamenti.csv"
    rows = list(csv.reader(io.StringIO(matches.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["conferma", "risposta_a", "file_a"]
    assert [(r[0], r[1], r[5], r[9]) for r in rows[1:]] == [
        ("", "a-s8", "b-s8", "stesso nome a meno della forma giuridica"), ("", "a-verdi", "b-verdi", "comune diverso")]
    (out / "appunti.txt").write_text("the user's own notes")
    # the user confirms one and rejects the other, in the file itself, and runs again with it, into the same folder
    rows[1][0], rows[2][0] = "sì", "no"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    matches.write_text(buffer.getvalue(), encoding="utf-8")
    stale = sorted(p.name for p in (out / "rispondenti").glob("*.md"))
    run = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(out), "--matches", str(matches), "--no-respondent-files"])
    assert run.exit_code == 0, run.output
    assert len(stale) == 6 and not list((out / "rispondenti").glob("*.md"))  # the previous run's files are gone
    assert (out / "appunti.txt").read_text() == "the user's own notes"  # not crassess's: kept
    rows = list(csv.reader(io.StringIO(matches.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    assert [(r[0], r[1]) for r in rows[1:]] == [("sì", "a-s8"), ("no", "a-verdi")]  # decisions kept
    text = (out / "confronto.md").read_text(encoding="utf-8")
    assert "Stessi rispondenti in entrambe: 7 (codice del rispondente: 6, abbinamento confermato: 1)" in text
    sheet = openpyxl.load_workbook(out / "confronto.xlsx")["Sintesi"]
    assert ["Abbinate per abbinamento confermato", 1] in [[c.value for c in row] for row in sheet.iter_rows()]


def test_cli_compare_bad_match_file_writes_nothing(tmp_path):
    a, b = business_waves(tmp_path)
    bad = tmp_path / "m.csv"
    bad.write_text("conferma;risposta_a;risposta_b\nsì;nessuna;b-s8\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(tmp_path / "out"), "--matches", str(bad)])
    assert run.exit_code == 1
    assert run.stderr == f"{bad}: riga 2: la risposta 'nessuna' non è nella rilevazione Cremona digitale 2026-T0\n"
    assert not (tmp_path / "out").exists()


def test_the_terminal_says_when_proposals_wait(tmp_path):
    a, b = business_waves(tmp_path)
    out = tmp_path / "confronto"
    run = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(out)])
    matches = out / "rispondenti" / "abbinamenti.csv"
    assert run.exit_code == 0 and matches.exists()
    pending = sum(1 for line in matches.read_text(encoding="utf-8-sig").splitlines()[1:] if line.startswith(";"))
    assert pending > 0
    assert (f"possibili abbinamenti da confermare: {pending}; scrivere sì o no nella prima colonna di {matches} "
            f"e rilanciare con --matches {matches}") in " ".join(run.stderr.split())
