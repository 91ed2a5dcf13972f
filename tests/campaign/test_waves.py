"""Comparing two small waves with hand-computed changes, matching rules, privacy and version checks."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.campaign.waves import compare_waves, name_key
from crassess.cli.main import cli
from crassess.errors import InvalidInput
from crassess.reports.waves import (
    comparison_files,
    fmt_delta,
    render_markdown,
    respondent_markdown,
)
from tests.waves_fixtures import campaign, questionnaire, response, wave_t0, wave_t1


@pytest.fixture
def waves(tmp_path):
    return wave_t0(tmp_path / "t0"), wave_t1(tmp_path / "t1")


def compare(waves, min_n=None, **kwargs):
    a, b = waves
    return compare_waves(load_campaign_data(a), load_campaign_data(b), min_n, **kwargs)


def test_matching_by_response_id_respondent_id_then_sector_comune_name(waves):
    result = compare(waves)
    assert result.matched_by == (("response_id", 1), ("respondent_id", 1), ("name", 5))
    assert (result.responses_a, result.responses_b, result.only_a, result.only_b) == (8, 8, 1, 1)
    by_name = {c.name: c.matched_by for c in result.respondents}
    assert by_name == {
        "Alfa snc": "response_id", "Beta S.p.A.": "respondent_id", "ROSSI srl": "name", "caffe verdi": "name",
        "Gamma": "name", "Comune di Soresina": "name", "Comune di Crema": "name",
    }


def test_name_key_ignores_case_accents_spaces_and_punctuation():
    assert name_key("Caffè Verdi S.r.l.") == name_key("caffe  verdi srl") == "caffeverdisrl"


def test_hand_computed_changes_per_respondent(waves):
    result = compare(waves)
    changes = {c.name: c for c in result.respondents}
    # Alfa: (0, 0) -> (50, 50): overall 0 -> 50
    alfa = changes["Alfa snc"]
    assert (alfa.overall_before, alfa.overall_after, alfa.delta) == (0, 50, 50)
    # Beta: (50, 50) -> (100, 50): overall 50 -> 75; conn +50, comp 0
    beta = changes["Beta S.p.A."]
    assert (beta.overall_before, beta.overall_after, beta.delta) == (50, 75, 25)
    assert [(d.id, d.delta) for d in beta.dimensions] == [("conn", 50), ("comp", 0)]
    # Caffè Verdi: (0, 50) -> (50, 50): 25 -> 50
    assert changes["caffe verdi"].delta == 25
    assert changes["caffe verdi"].comune == "019035"
    assert changes["caffe verdi"].comune_name == "Crema"


def test_hand_computed_aggregates_with_primary_and_secondary_suppression(waves):
    result = compare(waves, min_n=5)
    # all 7 matched: before (0+50+100+25+25+0+50)/7, after (50+75+100+50+25+50+75)/7
    assert result.total.n == 7
    assert result.total.before == pytest.approx(250 / 7)
    assert result.total.after == pytest.approx(425 / 7)
    assert result.total.delta == pytest.approx(25)
    # comune n=2 < 5 is suppressed; impresa (n=5) would reveal it from the total: suppressed too
    assert [(r.key, r.n, r.suppressed, r.delta) for r in result.by_sector] == [
        ("comune", 2, True, None), ("impresa", 5, True, None)]
    # per dimension over the 7 pairs: conn 250/7 -> 500/7, comp 250/7 -> 350/7
    conn, comp = result.by_dimension
    assert (conn.key, conn.n, conn.delta) == ("conn", 7, pytest.approx(250 / 7))
    assert (comp.key, comp.before, comp.after, comp.delta) == ("comp", pytest.approx(250 / 7), pytest.approx(50), pytest.approx(100 / 7))


def test_sectors_shown_when_each_reaches_min_n(waves):
    result = compare(waves, min_n=2)
    comune, impresa = result.by_sector
    # comune: 0 -> 50 and 50 -> 75; impresa: mean 40 -> 60
    assert (comune.before, comune.after, comune.delta, comune.suppressed) == (25, 62.5, 37.5, False)
    assert (impresa.before, impresa.after, impresa.delta) == (pytest.approx(40), pytest.approx(60), pytest.approx(20))


def test_hand_computed_changes_by_sector_and_dimension(waves):
    result = compare(waves, min_n=2)
    # conn: comune +100, 0 -> +50; impresa +50, +50, 0, +50, 0 -> +30
    # comp: comune 0, +50 -> +25; impresa +50, 0, 0, 0, 0 -> +10
    assert [(d.dimension, [(r.key, r.n, r.delta) for r in d.sectors]) for d in result.by_sector_dimension] == [
        ("conn", [("comune", 2, 50), ("impresa", 5, 30)]),
        ("comp", [("comune", 2, 25), ("impresa", 5, 10)]),
    ]
    # with min_n 5 the comune cells are suppressed, and the impresa ones too (the dimension total would reveal them)
    assert all(r.suppressed for d in compare(waves, min_n=5).by_sector_dimension for r in d.sectors)


def test_markdown_report_exact_and_without_respondents(waves):
    result = compare(waves, min_n=5)
    text = render_markdown(result, "it")
    assert text == """\
# Confronto tra rilevazioni: Cremona digitale 2026-T0 → Cremona digitale 2027-T1

Risposte: 8 in Cremona digitale 2026-T0, 8 in Cremona digitale 2027-T1. Abbinate: 7 (id della risposta: 1, id del rispondente: 1, settore, comune e nome: 5). Solo in Cremona digitale 2026-T0: 1; solo in Cremona digitale 2027-T1: 1.

## Per settore (punteggio complessivo)

| Settore   |   N |   Cremona digitale 2026-T0 |   Cremona digitale 2027-T1 |   Variazione |
|-----------|-----|----------------------------|----------------------------|--------------|
| Comuni    |   2 |                          – |                          – |            – |
| Imprese   |   5 |                          – |                          – |            – |
| Totale    |   7 |                       35,7 |                       60,7 |        +25,0 |

## Per dimensione

| Dimensione   |   N |   Cremona digitale 2026-T0 |   Cremona digitale 2027-T1 |   Variazione |
|--------------|-----|----------------------------|----------------------------|--------------|
| Connettività |   7 |                       35,7 |                       71,4 |        +35,7 |
| Competenze   |   7 |                       35,7 |                       50,0 |        +14,3 |

## Variazione per settore e dimensione (rispondenti abbinati)

| Dimensione   |   Comuni |   Imprese |
|--------------|----------|-----------|
| Connettività |  – (n=2) |   – (n=5) |
| Competenze   |  – (n=2) |   – (n=5) |

Medie su meno di 5 rispondenti abbinati non mostrate (–), per la riservatezza; la variazione è la media delle variazioni individuali.

Le variazioni di ciascun rispondente sono solo nel suo file personale (cartella rispondenti/).
"""
    for change in result.respondents:
        assert change.name not in text


def test_respondent_file_exact_in_english(waves):
    result = compare(waves, lang="en")
    beta = next(c for c in result.respondents if c.name == "Beta S.p.A.")
    assert respondent_markdown(result, beta, "en") == """\
# Beta S.p.A.: comparison Cremona digitale 2026-T0 → Cremona digitale 2027-T1

Sector: Businesses. Comune: Crema (019035). Matched by respondent id.

| Dimension    |   Cremona digitale 2026-T0 |   Cremona digitale 2027-T1 |   Change |
|--------------|----------------------------|----------------------------|----------|
| Overall      |                       50.0 |                       75.0 |    +25.0 |
| Connectivity |                       50.0 |                      100.0 |    +50.0 |
| Skills       |                       50.0 |                       50.0 |      0.0 |
"""


def test_fmt_delta_signs():
    assert [fmt_delta(v, "it") for v in (3.25, -1.5, 0.0, 0.01, None)] == ["+3,3", "-1,5", "0,0", "0,0", "–"]


def test_files_one_per_respondent_with_safe_names(waves):
    result = compare(waves)
    paths = [f.path for f in comparison_files(result, "it")]
    assert paths[:2] == ["confronto.md", "confronto.xlsx"]
    assert sorted(p.split("/")[1].rsplit("-", 1)[0] for p in paths[2:] if p.endswith(".md")) == [
        "alfa-snc", "beta-s-p-a", "caffe-verdi", "comune-di-crema", "comune-di-soresina", "gamma", "rossi-srl"]


def test_markdown_escapes_respondent_text(tmp_path):
    a = campaign(tmp_path / "a", "T0", {"x": response("r1", "Evil | <b>*x*</b>", "Cremona", 0, 0)})
    b = campaign(tmp_path / "b", "T1", {"x": response("r1", "Evil | <b>*x*</b>", "Cremona", 50, 50)})
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    text = respondent_markdown(result, result.respondents[0], "it")
    assert text.startswith("# Evil \\| &lt;b&gt;\\*x\\*&lt;/b&gt;: confronto")


def test_incompatible_versions_refused_saying_why(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = wave_t1(tmp_path / "t1", version="1.1", questionnaires={
        "mini.yaml": questionnaire(version="1.1", mid=40), "mini_comune.yaml": questionnaire("mini_comune", sector="comune")})
    with pytest.raises(InvalidInput) as err:
        compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert [str(p) for p in err.value.problems] == [
        "il questionario mini versione 1.0 (Cremona digitale 2026-T0) e versione 1.1 (Cremona digitale 2027-T1) "
        "calcolano i punteggi in modo diverso (domande con punteggio cambiate: q1, q2): i punteggi non sono confrontabili; "
        "confrontare rilevazioni con la stessa struttura di punteggio"
    ]


def test_new_version_with_same_scored_structure_is_compared(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = wave_t1(tmp_path / "t1", version="1.1", questionnaires={
        "mini.yaml": questionnaire(version="1.1", q2_label="Formazione del personale?"),
        "mini_comune.yaml": questionnaire("mini_comune", sector="comune")})
    assert compare_waves(load_campaign_data(a), load_campaign_data(b)).matched == 7


def test_ambiguous_names_are_not_matched_and_reported(tmp_path):
    a = campaign(tmp_path / "a", "T0", {"x": response("a1", "Gamma", "Cremona", 0, 0), "y": response("a2", "GAMMA", "Cremona", 50, 50)})
    b = campaign(tmp_path / "b", "T1", {"x": response("b1", "Gamma", "Cremona", 100, 100)})
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert result.matched == 0
    assert [str(w) for w in result.warnings] == [
        f"{a / 'responses'}: più risposte con la stessa chiave (settore, comune e nome): x.json, y.json; non abbinate per questa chiave"]


def test_invalid_response_file_refuses_comparison(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = campaign(tmp_path / "t1", "T1", {"x": response("b1", "Gamma", "Cremna", 100, 100)})
    with pytest.raises(InvalidInput) as err:
        compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert str(err.value.problems[0]).endswith("respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?")


def test_cli_compare_writes_reports_and_workbook(waves, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["compare", str(waves[0]), str(waves[1]), "-o", str(out), "--min-n", "3"])
    assert result.exit_code == 0, result.output
    assert (out / "confronto.md").read_text(encoding="utf-8").startswith("# Confronto tra rilevazioni")
    wb = openpyxl.load_workbook(out / "confronto.xlsx")
    assert wb.sheetnames == ["Sintesi", "Settori", "Dimensioni", "Settori e dimensioni"]
    rows = [[c.value for c in row] for row in wb["Settori"].iter_rows()]
    assert rows == [
        ["Settore", "N", "Cremona digitale 2026-T0", "Cremona digitale 2027-T1", "Variazione"],
        ["Comuni", 2, None, None, None],
        ["Imprese", 5, None, None, None],  # secondary suppression: the total would reveal Comuni
        ["Totale", 7, 35.71, 60.71, 25],
    ]
    assert [[c.value for c in row] for row in wb["Sintesi"].iter_rows()][1:] == [
        ["Risposte in Cremona digitale 2026-T0", 8],
        ["Risposte in Cremona digitale 2027-T1", 8],
        ["Abbinate per id della risposta", 1],
        ["Abbinate per id del rispondente", 1],
        ["Abbinate per settore, comune e nome", 5],
        ["Solo in Cremona digitale 2026-T0", 1],
        ["Solo in Cremona digitale 2027-T1", 1],
        ["Minimo di rispondenti per una media", 3],
    ]
    assert len(list((out / "rispondenti").glob("*.md"))) == 7
    beta = next((out / "rispondenti").glob("beta-s-p-a-*.xlsx"))
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(beta).active.iter_rows()]
    assert rows[1:] == [["Complessivo", 50, 75, 25], ["Connettività", 50, 100, 50], ["Competenze", 50, 50, 0]]


def test_cli_compare_refusal_exit_1(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = wave_t1(tmp_path / "t1", version="1.1", questionnaires={
        "mini.yaml": questionnaire(version="1.1", mid=40), "mini_comune.yaml": questionnaire("mini_comune", sector="comune")})
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 1
    assert "score differently (scored questions changed: q1, q2)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_respondent_files_never_overwrite_each_other(tmp_path):
    import json

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
    paths = [f.path for f in comparison_files(result, "it") if f.path.endswith(".md")]
    assert len(paths) == 2 and paths[1].startswith("rispondenti/uno-") and len(set(paths)) == len(paths)


def test_drafts_are_left_out_and_counted(tmp_path):
    import json

    def draft(text):
        data = json.loads(text)
        data["status"] = "draft"
        return json.dumps(data)

    a = campaign(tmp_path / "a", "T0", {"x": response("r1", "Uno", "Cremona", 0, 0), "y": response("r2", "Due", "Cremona", 0, 0)})
    b = campaign(tmp_path / "b", "T1", {"x": response("r1", "Uno", "Cremona", 50, 50), "y": draft(response("r2", "Due", "Cremona", 100, 100))})
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert (result.matched, result.responses_a, result.responses_b, result.drafts_a, result.drafts_b, result.only_a) == (1, 2, 1, 0, 1, 1)
    assert render_markdown(result, "en").splitlines()[2] == (
        "Responses: 2 in Cremona digitale T0, 1 in Cremona digitale T1. Matched: 1 (response id: 1). "
        "Only in Cremona digitale T0: 1; only in Cremona digitale T1: 0. Drafts left out: 0 in Cremona digitale T0, 1 in Cremona digitale T1.")


def test_same_version_edited_in_place_is_refused(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = wave_t1(tmp_path / "t1", questionnaires={
        "mini.yaml": questionnaire(mid=60), "mini_comune.yaml": questionnaire("mini_comune", sector="comune")})
    with pytest.raises(InvalidInput) as err:
        compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert "versione 1.0 (Cremona digitale 2026-T0) e versione 1.0 (Cremona digitale 2027-T1)" in str(err.value)


def test_structure_differences_in_words(tmp_path):
    import yaml

    from crassess.campaign.waves import structure_differences
    from crassess.questionnaire.load import validate_questionnaire

    base = yaml.safe_load(questionnaire())

    def variant(**changes):
        data = yaml.safe_load(questionnaire())
        data.update(changes)
        return validate_questionnaire(data, "x.yaml")

    qa = validate_questionnaire(base, "x.yaml")
    assert structure_differences(qa, variant(target=90)) == []  # targets move gaps, not scores
    assert structure_differences(qa, variant(min_coverage=0.5)) == ["copertura minima delle dimensioni cambiata (min_coverage 0,67 → 0,5)"]
    assert structure_differences(qa, variant(min_coverage="2/3")) == [
        "copertura minima delle dimensioni cambiata (min_coverage 0,67 → 0,6667)"]
    assert structure_differences(qa, variant(overall_min_coverage=0.75, dont_know="zero")) == [
        "copertura minima del punteggio complessivo cambiata (overall_min_coverage 1 → 0,75)",
        "punteggio del «Non so» cambiato (dont_know missing → zero)",
    ]
    assert structure_differences(qa, variant(dont_know="missing")) == []  # the default, written out
    levels = [dict(lv) for lv in base["levels"]]
    levels[1]["from"] = 60
    assert structure_differences(qa, variant(levels=levels)) == ["livelli cambiati"]
    questions = base["questions"][:1] + base["questions"][2:]
    assert structure_differences(qa, variant(questions=questions)) == ["domande con punteggio tolte: q2"]
    dims = [dict(d) for d in base["dimensions"]]
    dims[0]["weight"] = 2
    assert structure_differences(qa, variant(dimensions=dims)) == ["dimensioni o pesi cambiati: conn"]
    targets = [{**d, "target": 90} for d in base["dimensions"]]
    assert structure_differences(qa, variant(dimensions=targets)) == []
    questions = [dict(q) for q in base["questions"]]
    questions[1]["dont_know"] = "zero"
    questions[0]["effort"], questions[0]["service"], questions[0]["min_size"] = "low", "assessment", 5
    assert structure_differences(qa, variant(questions=questions)) == ["domande con punteggio cambiate: q2"]  # road-map: not scores


def test_compare_refuses_1_0_0_and_1_1_0_naming_what_changed(tmp_path):
    import yaml

    data = yaml.safe_load(questionnaire(version="1.1.0"))
    data.update(dont_know="zero", overall_min_coverage="3/4")
    data["levels"][1]["id"] = "medio"
    data["questions"][0]["allow_dk"] = True  # offering "Non so" does not change scores; its dont_know does
    data["questions"][0]["dont_know"] = "missing"
    comune = questionnaire("mini_comune", sector="comune")
    a = wave_t0(tmp_path / "t0", version="1.0.0", questionnaires={"mini.yaml": questionnaire(version="1.0.0"), "mini_comune.yaml": comune})
    b = wave_t1(tmp_path / "t1", version="1.1.0", questionnaires={"mini.yaml": yaml.safe_dump(data, allow_unicode=True), "mini_comune.yaml": comune})
    with pytest.raises(InvalidInput) as err:
        compare_waves(load_campaign_data(a), load_campaign_data(b))
    assert [str(p) for p in err.value.problems] == [
        "il questionario mini versione 1.0.0 (Cremona digitale 2026-T0) e versione 1.1.0 (Cremona digitale 2027-T1) "
        "calcolano i punteggi in modo diverso (domande con punteggio cambiate: q1; livelli cambiati; "
        "copertura minima del punteggio complessivo cambiata (overall_min_coverage 1 → 0,75); "
        "punteggio del «Non so» cambiato (dont_know missing → zero)): i punteggi non sono "
        "confrontabili; confrontare rilevazioni con la stessa struttura di punteggio"
    ]
    from tests.conftest import ROOT

    assert str(err.value.problems[0]) in (ROOT / "README.md").read_text(encoding="utf-8")  # the README's example
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 1 and not (tmp_path / "out").exists()
    assert ("score differently (scored questions changed: q1; levels changed; minimum coverage of the overall score "
            "changed (overall_min_coverage 1 → 0.75); scoring of \"Don't know\" changed (dont_know missing → zero))") in " ".join(result.output.split())


def test_dimension_label_when_sectors_word_it_differently():
    from crassess.campaign.waves import _dimension_label

    assert _dimension_label("connettivita", ["Connettività delle sedi"], "it") == "Connettività delle sedi"
    assert _dimension_label("connettivita", ["Connettività delle sedi", "Connettività"], "en") == "Connectivity"
    assert _dimension_label("nuova", ["Nuova A", "Nuova B"], "it") == "Nuova A"


def test_compare_with_an_empty_wave_or_only_drafts_says_so(tmp_path):
    a = wave_t0(tmp_path / "t0")
    (tmp_path / "vuota" / "responses").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["compare", str(a), str(tmp_path / "vuota"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path / 'vuota'}: nessun file di risposta (attesi responses/*.json)\n"
    drafts = campaign(tmp_path / "bozze", "T1", {"d": response("d", "D", "Crema", 0, 0).replace('"complete"', '"draft"')})
    result = CliRunner().invoke(cli, ["compare", str(a), str(drafts), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr == f"{drafts}: nessuna risposta completa (solo bozze): niente da confrontare\n"
    assert not (tmp_path / "out").exists()
