"""Whole report sets through disclosure control, audited by linear programming: the demo and generated
campaigns (every sector, linked tables, fibre by comune, indicators, public bodies)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crassess.campaign.scored import load_campaign
from crassess.reports import fibre_rules
from crassess.reports.analysis import analyse
from crassess.reports.build import ReportOptions, build_reports
from crassess.reports.disclosure import Mark
from crassess.territory.comuni import load_territory
from tests._campaigns import BASE, EXAMPLE
from tests.conftest import ROOT
from tests.reports.audit import audit

DEMO = ROOT / "reports" / "demo" / "campagna"


@pytest.fixture(scope="module")
def demo_protection():  # type: ignore[no-untyped-def]
    campaign = load_campaign(DEMO)
    ta = analyse(list(campaign.responses), campaign.territory, name=campaign.name, min_n=campaign.min_n,
                 indicators=True, population=campaign.population)
    return ta.protection


def test_the_demo_report_set_is_safe(demo_protection) -> None:  # type: ignore[no-untyped-def]
    p = demo_protection
    assert audit(p) == []  # no withheld cell (and no hidden one about 1-4 respondents) pinned, by LP
    assert audit(p, "marks") == []  # nor for a reader who knows what each mark means
    # the marks do not lie: "n<5" is 1-4 respondents, "riservato" is 0 or at least 5
    for key, mark in p.withheld.items():
        value = p.cells[key].value if key in p.cells else p.cells[p.means[key].n].value
        assert (0 < value < p.min_n) == (mark is Mark.PRIMARY), key
    assert not p.dropped  # every table of the demo could be published


# ---------------------------------------------------------------- generated campaigns

COMUNI = ("Cremona", "Crema", "Pandino", "Soresina", "Casalmaggiore", "Ostiano", "Vailate", "Sergnano")
RULES = {"esempio-a": fibre_rules.FIBRE_RULES["esempio"],
         "esempio-c": fibre_rules.FibreRule(None, (), (), "fibra_sede", ("si", "parziale"))}


def _answers(draw: Any) -> dict[str, Any]:
    answers = dict(BASE)
    available = draw(st.sampled_from(["si", "si", "no", "dk"]))
    answers["fibra_disponibile"] = available
    if available == "si":
        answers["fibra_sede"] = draw(st.sampled_from(["si", "parziale", "no"]))
    else:
        del answers["fibra_sede"]
    answers["velocita"] = draw(st.one_of(st.just("dk"), st.integers(min_value=0, max_value=2000)))
    answers["wifi"] = draw(st.sampled_from(["si", "parziale", "no", "na"]))
    answers["formazione"] = draw(st.sampled_from(["si", "parziale", "no", "dk"]))
    answers["ostacoli"] = draw(st.lists(st.sampled_from(["costi", "competenze", "altro"]), unique=True, min_size=1))
    return answers


@st.composite
def campaigns(draw: Any) -> dict[str, Any]:
    files: dict[str, dict[str, Any]] = {}
    comuni = draw(st.permutations(COMUNI))[:draw(st.integers(min_value=0, max_value=7))]
    for sector, qid, most in (("impresa", "esempio", 16), ("associazione", "esempio-a", 12), ("comune", "esempio-c", 7)):
        count = len(comuni) if sector == "comune" else draw(st.integers(min_value=0, max_value=most))
        for i in range(count):
            where = comuni[i] if sector == "comune" else draw(st.sampled_from([*COMUNI[:4], ""]))
            files[f"{qid}-{i}.json"] = {
                "id": f"{qid}-{i}", "questionnaire": {"id": qid, "version": "1.0.0"}, "status": "complete",
                "respondent": {"name": f"{sector} {i}", "comune": where, "size": draw(st.integers(min_value=1, max_value=400)),
                               "subsector": draw(st.sampled_from(["C", "G", None]))},
                "answers": _answers(draw)}
    return {"files": files, "min_n": draw(st.sampled_from([3, 4, 5])), "public_bodies": draw(st.booleans()),
            "indicators": draw(st.booleans())}


def _campaign(root: Path, files: dict[str, dict[str, Any]]) -> Path:
    (root / "questionnaires").mkdir(parents=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    for suffix, sector in (("", "impresa"), ("-a", "associazione"), ("-c", "comune")):
        (root / "questionnaires" / f"esempio{suffix}.yaml").write_text(
            text.replace("id: esempio", f"id: esempio{suffix}").replace("sector: impresa", f"sector: {sector}"), encoding="utf-8")
    (root / "responses").mkdir()
    for name, data in files.items():
        (root / "responses" / name).write_text(json.dumps(data), encoding="utf-8")
    return root


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(campaigns())
def test_generated_campaigns_are_safe(monkeypatch_rules: None, spec: dict[str, Any]) -> None:
    assume(spec["files"])
    with tempfile.TemporaryDirectory() as tmp:
        campaign = load_campaign(_campaign(Path(tmp), spec["files"]))
        assert not campaign.problems
        ta = analyse(list(campaign.responses), load_territory(), name="gen", min_n=spec["min_n"],
                     public_bodies=spec["public_bodies"], indicators=spec["indicators"])
    assert audit(ta.protection) == []
    assert audit(ta.protection, "marks") == []
    files = build_reports(ta, ReportOptions(formats=("md",), charts="none"))  # every published figure renders
    assert "territorio.md" in files


@pytest.fixture(scope="module")
def monkeypatch_rules():  # type: ignore[no-untyped-def]
    """The example questionnaire's fibre rule for its association and comune copies."""
    with pytest.MonkeyPatch.context() as mp:
        for qid, rule in RULES.items():
            mp.setitem(fibre_rules.FIBRE_RULES, qid, rule)
        yield
