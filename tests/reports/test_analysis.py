"""Sector and territory analysis on a small inline campaign (hand-computed values), every figure protected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import _diverse, analyse, slug
from crassess.reports.disclosure import PRIMARY, SECONDARY, Withheld
from crassess.reports.results import SectorAction
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response
from tests.reports.audit import audit


def _analyse(tmp_path: Path, responses: dict, min_n: int, **options):  # type: ignore[no-untyped-def]
    campaign = load_campaign(make_campaign(tmp_path, responses))
    return analyse(list(campaign.responses), load_territory(), name="t", min_n=min_n, **options)


def _with_sector(root: Path, sector: str) -> str:
    """A copy of the example questionnaire for another sector; returns its id."""
    make_campaign(root, {})
    qid = f"esempio-{sector[0]}"
    text = (root / "questionnaires" / "esempio.yaml").read_text(encoding="utf-8")
    (root / "questionnaires" / f"{qid}.yaml").write_text(
        text.replace("id: esempio", f"id: {qid}").replace("sector: impresa", f"sector: {sector}"), encoding="utf-8")
    return qid


def _as(qid: str, data: dict) -> dict:
    return {**data, "questionnaire": {"id": qid, "version": "1.0.0"}}


def test_sector_dimension_statistics(tmp_path: Path) -> None:
    sa = _analyse(tmp_path, FIVE, 5).sectors["impresa"]
    # competenze = (50 + 75 + formazione)/3: 41.67, 41.67, 58.33, 75, 41.67
    comp = sa.dimensions["competenze"]
    assert (comp.n, comp.mean, comp.median) == (5, pytest.approx(51.6667, abs=1e-4), pytest.approx(41.6667, abs=1e-4))
    assert comp.sd == pytest.approx(14.9071, abs=1e-4)  # sqrt(888.89/4)
    assert comp.ci == (pytest.approx(33.1570, abs=1e-4), pytest.approx(70.1763, abs=1e-4))  # ± 2.776445 x 6.6667
    assert (comp.p10, comp.p90) == (None, None)  # fewer than 10 respondents
    assert sa.targets == {"connettivita": 80.0, "strumenti": 75.0, "competenze": 75.0, "": 75.0}
    assert sa.levels is not None and sa.size_classes is not None
    # 3 and 2: both in [1, 4] with a sum of 5, neither pinned
    assert sa.levels.cells == {"base": 0, "medio": 0, "moderatamente_avanzato": PRIMARY, "avanzato": PRIMARY}
    assert sa.levels.shares["medio"] == 0.0 and sa.levels.shares["avanzato"] == PRIMARY
    assert sa.size_classes.cells == {"0-9": PRIMARY, "10-49": PRIMARY, "50-249": PRIMARY, ">=250": 0}


def test_question_stats_dk_and_na_shares(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"wifi": "na" if i < 5 else "si"}, name=f"R{i}") for i in range(10)}
    sa = _analyse(tmp_path, responses, 5).sectors["impresa"]
    wifi = next(q for q in sa.questions if q.question_id == "wifi")
    assert (wifi.n, wifi.mean, wifi.na_share, wifi.dk_share) == (10, 100.0, 50.0, 0.0)
    assert [q.question_id for q in sa.weakest][:1] == ["formazione"]
    three = {f"{i}.json": response({"velocita": "dk" if i < 3 else 100}, name=f"R{i}") for i in range(10)}
    speed = next(q for q in _analyse(tmp_path / "3", three, 5).sectors["impresa"].questions if q.question_id == "velocita")
    assert (speed.n, speed.dk_share, speed.na_share, speed.mean) == (10, PRIMARY, 0.0, 70.0)  # 100 Mbit/s: 70


def test_sector_road_map_ranked_by_reach_gap_and_weights(tmp_path: Path) -> None:
    twice = {**FIVE, **{f"2{k}": {**v, "id": f"2{v['id']}"} for k, v in FIVE.items()}}
    sa = _analyse(tmp_path, twice, 3).sectors["impresa"]
    # formazione: 6 below 50 (all 0) x mean competenze gap 23.33 x 1 x 1 x 100/100 = 140
    # velocita:   4 below 50 (all 0) x mean connettivita gap 7 x 2 x 1 x 100/100 = 56
    got = [(a.question_id, a.reach, a.priority, a.reach_share, a.mean_item_score) for a in sa.actions]
    assert got == [("formazione", 6, pytest.approx(140.0), 60.0, 0.0), ("velocita", 4, pytest.approx(56.0), 40.0, 0.0)]
    assert sa.actions[0].mean_gap == pytest.approx(23.3333, abs=1e-4)
    assert {a.horizon for a in sa.actions} == {"short"}  # those reached score 0: the practice is missing


def test_an_action_does_not_reveal_the_few_above_50(tmp_path: Path) -> None:
    # FIVE, min-n 3: formazione reaches 3 of 5; with the question's mean (30 over 5) and the reached
    # mean (0), the 2 above 50 would be given away (count and mean): withheld
    sa = _analyse(tmp_path, FIVE, 3).sectors["impresa"]
    (action,) = sa.actions
    assert (action.question_id, action.reach, action.reach_share, action.mean_item_score) == (
        "formazione", SECONDARY, SECONDARY, SECONDARY)
    assert action.priority == pytest.approx(70.0)


def test_small_sector_is_suppressed_everywhere(tmp_path: Path) -> None:
    ta = _analyse(tmp_path, {k: FIVE[k] for k in ("a.json", "b.json")}, 5)
    sa = ta.sectors["impresa"]
    assert not sa.reportable
    assert sa.overall.withheld == PRIMARY and sa.overall.mean is None
    assert all(s.mean is None for s in sa.dimensions.values())
    assert sa.barriers is None and sa.actions == () and sa.levels is None
    assert ta.coverage == {}  # a sector below min-n is not broken down by comune
    assert all(r.comparison.kind == "none" and not r.comparison.means for r in ta.respondents)


def test_frequencies_are_shares_of_every_respondent_with_no_answer_apart(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"ostacoli": ["costi", "competenze"] if i < 3 else ["costi"]}, name=f"R{i}")
                 for i in range(8)}
    freq = _analyse(tmp_path, responses, 5).sectors["impresa"].barriers
    assert freq is not None and freq.base == 8 and not freq.single and freq.published
    assert [(r.value, r.count, r.share) for r in freq.rows] == [
        ("costi", 8, 100.0), ("altro", 0, 0.0), ("competenze", PRIMARY, PRIMARY)]
    assert freq.unanswered is not None and (freq.unanswered.count, freq.unanswered.share) == (0, 0.0)
    # 6 of 8: the 2 who did not name it are a figure about 2 respondents
    responses = {f"{i}.json": response({"ostacoli": ["costi", "competenze"] if i < 6 else ["costi"]}, name=f"R{i}")
                 for i in range(8)}
    freq = _analyse(tmp_path / "6", responses, 5).sectors["impresa"].barriers
    assert freq is not None and [(r.value, r.count) for r in freq.rows] == [("costi", 8), ("altro", 0), ("competenze", SECONDARY)]


def test_fibre_counts(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"fibra_disponibile": "no"} if i < 5 else {"fibra_sede": "no"} if i < 10 else {},
                                       name=f"R{i}", comune="Crema") for i in range(15)}
    ta = _analyse(tmp_path, responses, 5)
    fibre = ta.sectors["impresa"].fibre
    assert fibre is not None and fibre.published
    assert (fibre.n, fibre.cells) == (15, {"none": 5, "not_adopted": 5, "adopted": 5, "noans": 0})
    assert fibre.shares["adopted"] == pytest.approx(100 / 3)
    assert fibre.asked == (True, False, True, False, True, True)
    assert list(ta.fibre_by_comune) == ["019035"] and ta.fibre_by_comune["019035"].cells == fibre.cells


def test_respondent_keys_are_safe_and_unique(tmp_path: Path) -> None:
    responses = {"1.json": response(name="../Rossi & Figli"), "2.json": response(name="Rossi  Figli", id="x2"),
                 "3.json": response(name="", id="p3")}
    ta = _analyse(tmp_path, responses, 5)
    assert [r.key for r in ta.respondents] == ["rossi-figli", "rossi-figli-2", "p3"]
    clash = {"1.json": response(name="A"), "2.json": response(name="A-2", id="i2"), "3.json": response(name="A", id="i3")}
    assert [r.key for r in _analyse(tmp_path / "clash", clash, 5).respondents] == ["a", "a-2", "a-3"]
    assert slug("CON") == "con-1" and slug("Caffè Ü") == "caffe-u" and slug("///") == "rispondente"


def test_territory_road_map_keeps_two_actions_per_sector_and_dimension() -> None:
    def act(sector: str, dim: str, priority: float) -> SectorAction:
        return SectorAction(sector, f"q{priority:g}", dim, 5, 50.0, 10.0, 30.0, priority, "short")

    ranked = [act("impresa", "a", 9), act("impresa", "a", 8), act("impresa", "a", 7), act("comune", "a", 6), act("impresa", "b", 5)]
    assert [a.priority for a in _diverse(ranked, 4)] == [9, 8, 6, 5]
    assert [a.priority for a in _diverse(ranked, 5)] == [9, 8, 6, 5, 7]


def test_coverage_counts_associations_and_businesses_never_the_comuni(tmp_path: Path) -> None:
    assoc, comune = _with_sector(tmp_path, "associazione"), _with_sector(tmp_path, "comune")
    responses = {f"c{i}.json": response(name=f"C{i}", comune="Cremona") for i in range(6)}
    responses |= {f"k{i}.json": response(name=f"K{i}", comune="Crema") for i in range(6)}
    responses |= {f"a{i}.json": _as(assoc, response(name=f"A{i}", comune="Crema")) for i in range(5)}
    # the comuni of Crema and Pandino answer their own questionnaire: no table may tell
    responses |= {f"m{i}.json": _as(comune, response(name=n, comune=n)) for i, n in enumerate(["Crema", "Pandino"])}
    ta = _analyse(tmp_path, responses, 5)
    assert ta.coverage == {"019035": {"associazione": 5, "impresa": 6}, "019036": {"associazione": 0, "impresa": 6}}
    assert ta.coverage_totals == {"019035": 11, "019036": 6}
    assert "019067" in ta.comuni_without  # Pandino: its comune answered, but no association or business
    assert ta.comuni_answered == ()
    assert audit(ta.protection) == [] and audit(ta.protection, "marks") == []


def test_a_coverage_total_never_reveals_its_withheld_cells(tmp_path: Path) -> None:
    # Crema: 3 associations (withheld) and 6 businesses; a total of 9 beside the 6 would give the 3 away
    assoc = _with_sector(tmp_path, "associazione")
    responses = {f"c{i}.json": response(name=f"C{i}", comune="Cremona") for i in range(6)}
    responses |= {f"k{i}.json": response(name=f"K{i}", comune="Crema") for i in range(6)}
    responses |= {f"a{i}.json": _as(assoc, response(name=f"A{i}", comune="Crema" if i < 3 else "Cremona")) for i in range(8)}
    ta = _analyse(tmp_path, responses, 5)
    crema = [ta.coverage["019035"]["associazione"], ta.coverage["019035"]["impresa"], ta.coverage_totals["019035"]]
    assert crema[0] == PRIMARY and sum(isinstance(c, Withheld) for c in crema) >= 2
    assert audit(ta.protection) == [] and audit(ta.protection, "marks") == []


def test_public_bodies_by_name(tmp_path: Path) -> None:
    comune = _with_sector(tmp_path, "comune")
    responses = {f"m{i}.json": _as(comune, response({"formazione": "si"} if i else {}, name=n, comune=n))
                 for i, n in enumerate(["Crema", "Pandino", "Soresina"])}
    hidden = _analyse(tmp_path, responses, 5)
    assert not hidden.sectors["comune"].reportable and hidden.sectors["comune"].named == ()
    ta = _analyse(tmp_path, responses, 5, public_bodies=True)
    sa = ta.sectors["comune"]
    assert sa.reportable and sa.public and ta.public_bodies
    # formazione "si": competenze 41.67 -> 75, a quarter of the overall score: 71.25 + 33.33/4 = 79.58
    assert [(c.name, c.istat, round(c.overall or 0, 2)) for c in sa.named] == [
        ("Crema", "019035", 71.25), ("Pandino", "019067", 79.58), ("Soresina", "019098", 79.58)]
    assert sa.levels is not None and sa.levels.cells["moderatamente_avanzato"] == 1  # public: nothing withheld
    assert sa.overall.n == 3 and sa.overall.mean == pytest.approx((71.25 + 79.5833 * 2) / 3, abs=1e-3)
    assert ta.comuni_answered == ("019035", "019067", "019098")


def test_population_gives_the_fpc_and_the_response_rate(tmp_path: Path) -> None:
    ta = _analyse(tmp_path, FIVE, 5, population={"impresa": 10})
    comp = ta.sectors["impresa"].dimensions["competenze"]
    # se 6.666667 x sqrt((10 - 5)/9) = 4.969040; x 2.776445 = 13.796262
    assert comp.fpc and comp.ci == (pytest.approx(37.870405, abs=1e-5), pytest.approx(65.462929, abs=1e-5))
    assert ta.population == {"comune": 113, "impresa": 10} and ta.sectors["impresa"].population == 10


def test_campaign_yaml_population_and_public_bodies(tmp_path: Path) -> None:
    root = make_campaign(tmp_path, FIVE)
    (root / "campaign.yaml").write_text(json.dumps({"name": "x", "population": {"impresa": 40}, "publish_public_bodies": True}),
                                        encoding="utf-8")
    campaign = load_campaign(root)
    assert (campaign.population, campaign.publish_public_bodies) == ({"impresa": 40}, True)


def test_an_action_reaches_only_the_respondents_it_suits(tmp_path: Path) -> None:
    twice = {**FIVE, **{f"2{k}": {**v, "id": f"2{v['id']}"} for k, v in FIVE.items()}}
    root = make_campaign(tmp_path, twice)
    path = root / "questionnaires" / "esempio.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    min_size: 3 " in text  # the example's formazione
    path.write_text(text.replace("    min_size: 3 ", "    min_size: 4 "), encoding="utf-8")
    campaign = load_campaign(root)
    sa = analyse(list(campaign.responses), load_territory(), name="t", min_n=3).sectors["impresa"]
    # formazione 0 for A (3 staff: below min_size), B (12) and E (4), twice: 4 reached, not 6
    action = next(a for a in sa.actions if a.question_id == "formazione")
    assert (action.reach, action.reach_share, action.priority) == (4, 40.0, pytest.approx(4 * 23.3333, abs=1e-3))
    assert audit(analyse(list(campaign.responses), load_territory(), name="t", min_n=3).protection) == []


def test_sector_action_horizon_follows_effort_else_the_level(tmp_path: Path) -> None:
    from crassess.reports.statistics import Stats
    from crassess.reports.tally import _horizon

    qn = load_campaign(make_campaign(tmp_path, FIVE)).responses[0].questionnaire  # levels at 0, 25, 50, 75
    middle = Stats(n=10, mean=60.0)  # past the lowest level
    assert [_horizon(qn, effort, middle, 10.0) for effort in ("low", "medium", "high")] == ["short", "medium", "long"]
    assert _horizon(qn, None, middle, 10.0) == "short"  # no effort: the practice is missing (reached under 20)
    assert _horizon(qn, "high", Stats(n=10, mean=5.0), 0.0) == "long"  # effort wins over the level rule
