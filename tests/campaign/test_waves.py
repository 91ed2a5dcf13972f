"""Comparing two small waves with hand-computed changes, matching rules, privacy and version checks."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from crassess.campaign.data import load_campaign_data
from crassess.campaign.matching import Decisions
from crassess.campaign.waves import OVERALL, compare_waves
from crassess.cli.main import cli
from crassess.errors import InvalidInput
from tests.waves_fixtures import (
    business_waves,
    campaign,
    questionnaire,
    response,
    wave_t0,
    wave_t1,
)


@pytest.fixture
def waves(tmp_path):
    return wave_t0(tmp_path / "t0"), wave_t1(tmp_path / "t1")


def compare(waves, min_n=None, **kwargs):
    a, b = waves
    return compare_waves(load_campaign_data(a), load_campaign_data(b), min_n, **kwargs)


def test_matching_by_response_id_respondent_id_then_sector_comune_name(waves):
    result = compare(waves)
    assert result.matched_by == (("response_id", 1), ("respondent_id", 1), ("name", 5), ("confirmed", 0))
    assert (result.responses_a, result.responses_b, result.only_a, result.only_b) == (8, 8, 1, 1)
    by_name = {c.name: c.matched_by for c in result.respondents}
    assert by_name == {
        "Alfa snc": "response_id", "Beta S.p.A.": "respondent_id", "ROSSI srl": "name", "caffe verdi": "name",
        "Gamma": "name", "Comune di Soresina": "name", "Comune di Crema": "name",
    }


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


def test_samples_hand_computed(waves):
    result = compare(waves)
    impresa = result.sample("impresa")
    # A: 0, 50, 100, 25, 25, 100 (Solo T0); B: 50, 75, 100, 50, 25, 0 (Nuovo T1); five pairs
    assert impresa.a == (0, 50, 100, 25, 25, 100) and impresa.b == (50, 75, 100, 50, 25, 0)
    assert sorted(impresa.pairs) == [(0, 50), (25, 25), (25, 50), (50, 75), (100, 100)]
    assert (impresa.rest_a, impresa.rest_b) == ((100,), (0,))
    total = result.sample("*")
    assert len(total.pairs) == 7 and total.rest_a == (100,)
    conn = result.sample("*", "conn")
    assert conn.label == "Connettività" and len(conn.a) == 8
    assert [(s.sector, s.measure) for s in result.samples] == [
        ("comune", OVERALL), ("comune", "conn"), ("comune", "comp"), ("impresa", OVERALL), ("impresa", "conn"),
        ("impresa", "comp"), ("*", OVERALL), ("*", "conn"), ("*", "comp")]


def test_two_real_waves_match_by_stable_code_and_propose_near_misses(tmp_path):
    a, b = business_waves(tmp_path)
    result = compare_waves(load_campaign_data(a), load_campaign_data(b))
    # every response id is new: the six businesses with a code are recognised by it ("c-2" is "C2"), even the moved one
    assert result.matched_by == (("response_id", 0), ("respondent_id", 6), ("name", 0), ("confirmed", 0))
    gamma = next(c for c in result.respondents if c.name == "Gamma srl")
    assert (gamma.comune_name, gamma.matched_by, gamma.delta) == ("Crema", "respondent_id", 25)
    # the near misses are proposed, never matched silently
    assert [(s.a.response_id, s.b.response_id, s.reasons, s.similarity, s.decision) for s in result.suggestions] == [
        ("a-s8", "b-s8", ("legal_form",), 1.0, None), ("a-verdi", "b-verdi", ("moved",), 1.0, None)]
    assert sorted(m.response_id for m in result.left) == ["a-l1", "a-l2", "a-l3", "a-s8", "a-verdi"]
    assert sorted(m.response_id for m in result.entered) == ["b-e1", "b-e2", "b-e3", "b-s8", "b-verdi"]
    # the code X1 names a comune in one wave and a business in the other: listed, not refused
    [other] = result.not_comparable
    assert (other.questionnaire_a, other.questionnaire_b, other.sector_a, other.sector_b) == ("mini_comune", "mini", "comune", "impresa")
    assert [str(w) for w in result.warnings] == [
        f"{b / 'responses' / 'x1.json'}: questionnaire: non confrontabili: {a / 'responses' / 'x1.json'} (Cremona digitale 2026-T0, "
        f"questionario mini_comune) e {b / 'responses' / 'x1.json'} (Cremona digitale 2027-T1, questionario mini) sono lo stesso "
        "rispondente (codice del rispondente) ma questionari diversi"]
    assert (result.min_n, result.only_a, result.only_b) == (3, 6, 6)


def test_confirmed_suggestions_are_matched_and_rejected_ones_not_proposed_again(tmp_path):
    a, b = business_waves(tmp_path)
    decisions = Decisions(confirmed=(("a-s8", "b-s8"),), rejected=frozenset({("a-verdi", "b-verdi")}))
    result = compare_waves(load_campaign_data(a), load_campaign_data(b), matches=decisions)
    assert result.matched_by[-1] == ("confirmed", 1)
    assert next(c for c in result.respondents if c.key == "b-s8").delta == 25
    assert [(s.a.response_id, s.decision) for s in result.suggestions] == [("a-s8", True), ("a-verdi", False)]
    assert "a-verdi" in {m.response_id for m in result.left}


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


def test_ambiguous_names_are_not_matched_and_reported(tmp_path):  # (the two are proposed to the user instead)
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


def test_cli_compare_refusal_exit_1(tmp_path):
    a = wave_t0(tmp_path / "t0")
    b = wave_t1(tmp_path / "t1", version="1.1", questionnaires={
        "mini.yaml": questionnaire(version="1.1", mid=40), "mini_comune.yaml": questionnaire("mini_comune", sector="comune")})
    result = CliRunner().invoke(cli, ["compare", str(a), str(b), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 1
    assert "score differently (scored questions changed: q1, q2)" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


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
