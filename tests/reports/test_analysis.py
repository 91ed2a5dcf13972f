"""Sector and territory analysis on a small inline campaign (hand-computed values)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import SectorAction, _diverse, analyse, slug
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response


def _analyse(tmp_path: Path, responses: dict, min_n: int):  # type: ignore[no-untyped-def]
    campaign = load_campaign(make_campaign(tmp_path, responses))
    return analyse(list(campaign.responses), load_territory(), name="t", min_n=min_n)


def test_sector_dimension_statistics(tmp_path: Path) -> None:
    sa = _analyse(tmp_path, FIVE, 5).sectors["impresa"]
    # competenze = (50 + 75 + formazione)/3: 41.67, 41.67, 58.33, 75, 41.67
    comp = sa.dimensions["competenze"]
    assert (comp.n, comp.mean, comp.median) == (5, pytest.approx(51.6667, abs=1e-4), pytest.approx(41.6667, abs=1e-4))
    assert comp.sd == pytest.approx(14.9071, abs=1e-4)  # sqrt(888.89/4)
    assert comp.ci == (pytest.approx(33.1570, abs=1e-4), pytest.approx(70.1763, abs=1e-4))  # ± 2.776445 x 6.6667
    assert sa.mean_gaps == {"connettivita": pytest.approx(7.0), "strumenti": 0.0, "competenze": pytest.approx(23.3333, abs=1e-4)}
    assert sa.levels == {"base": 0, "medio": 0, "moderatamente_avanzato": None, "avanzato": None}  # 3 and 2
    assert sa.size_classes == {"0-9": None, "10-49": None, "50-249": None, ">=250": 0}


def test_question_stats_dk_and_na_shares(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"wifi": "na" if i < 5 else "si"}, name=f"R{i}") for i in range(10)}
    sa = _analyse(tmp_path, responses, 5).sectors["impresa"]
    wifi = next(q for q in sa.questions if q.question_id == "wifi")
    assert (wifi.n, wifi.summary.n, wifi.na_share, wifi.dk_share) == (10, 5, 50.0, 0.0)
    assert wifi.summary.mean is not None and wifi.summary.mean == 100.0
    assert [q.question_id for q in sa.weakest][:1] == ["formazione"]


def test_sector_road_map_ranked_by_reach_gap_and_weights(tmp_path: Path) -> None:
    sa = _analyse(tmp_path, FIVE, 2).sectors["impresa"]
    # formazione: 3 below 50 (all 0) x mean competenze gap 23.33 x 1 x 1 x 100/100 = 70
    # velocita:   2 below 50 (all 0) x mean connettivita gap 7 x 2 x 1 x 100/100 = 28
    got = [(a.question_id, a.reach, a.priority, a.reach_share) for a in sa.actions]
    assert got == [("formazione", 3, pytest.approx(70.0), 60.0), ("velocita", 2, pytest.approx(28.0), 40.0)]
    assert {a.horizon for a in sa.actions} == {"short"}  # those reached score 0: the practice is missing
    # with min-n 3 the velocita action (2 respondents) is not listed
    assert [a.question_id for a in _analyse(tmp_path / "3", FIVE, 3).sectors["impresa"].actions] == ["formazione"]


def test_small_sector_is_suppressed_everywhere(tmp_path: Path) -> None:
    ta = _analyse(tmp_path, {k: FIVE[k] for k in ("a.json", "b.json")}, 5)
    sa = ta.sectors["impresa"]
    assert not sa.reportable
    assert sa.overall.suppressed and sa.overall.mean is None
    assert all(s.mean is None for s in sa.dimensions.values())
    assert sa.barriers is None and sa.actions == ()
    assert ta.coverage["019036"]["impresa"] is None
    assert all(r.comparison.kind == "none" and not r.comparison.means for r in ta.respondents)


def test_barriers_share_of_respondents(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"ostacoli": ["costi", "competenze"] if i < 6 else ["costi"]}, name=f"R{i}")
                 for i in range(8)}
    freq = _analyse(tmp_path, responses, 5).sectors["impresa"].barriers
    assert freq is not None and freq.answered == 8
    assert [(r.value, r.count, r.share) for r in freq.rows] == [
        ("costi", 8, 100.0), ("competenze", 6, 75.0), ("altro", 0, 0.0)]


def test_fibre_counts(tmp_path: Path) -> None:
    responses = {f"{i}.json": response({"fibra_disponibile": "no"} if i < 5 else {"fibra_sede": "no"} if i < 10 else {},
                                       name=f"R{i}", comune="Crema") for i in range(15)}
    ta = _analyse(tmp_path, responses, 5)
    fibre = ta.sectors["impresa"].fibre
    assert fibre is not None
    assert (fibre.n, fibre.none, fibre.not_adopted, fibre.adopted) == (15, 5, 5, 5)
    assert list(ta.fibre_by_comune) == ["019035"]


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


def test_coverage_totals_never_reveal_withheld_cells(tmp_path: Path) -> None:
    # Crema: 6 businesses (shown) and 3 associations (withheld); a total of 9 would give the 3 away
    make_campaign(tmp_path, {})
    text = (tmp_path / "questionnaires" / "esempio.yaml").read_text(encoding="utf-8")
    (tmp_path / "questionnaires" / "esempio-a.yaml").write_text(
        text.replace("id: esempio", "id: esempio-a").replace("sector: impresa", "sector: associazione"), encoding="utf-8")
    association = response(name="A")
    association["questionnaire"]["id"] = "esempio-a"
    responses = {f"c{i}.json": response(name=f"C{i}", comune="Cremona") for i in range(6)}
    responses |= {f"k{i}.json": response(name=f"K{i}", comune="Crema") for i in range(6)}
    responses |= {f"a{i}.json": {**association, "id": f"a{i}", "respondent": {"name": f"A{i}", "comune": "Crema"}} for i in range(3)}
    ta = _analyse(tmp_path, responses, 5)
    assert (ta.coverage["019036"]["impresa"], ta.coverage_totals["019036"]) == (6, 6)
    assert ta.coverage["019035"] == {"comune": 0, "associazione": None, "impresa": 6}
    assert ta.coverage_totals["019035"] is None
