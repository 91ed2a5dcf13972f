"""Peer groups: the same size class and sub-sector with at least min_n others, else the sector; never a figure
that tells, with the sector report, something about fewer than min_n respondents."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import TerritoryAnalysis, analyse
from crassess.reports.disclosure import (
    PRIMARY,
    DisclosureError,
    Protection,
    Publication,
)
from crassess.reports.peers import compare
from crassess.reports.tally import UNKNOWN, size_class
from crassess.territory.comuni import load_territory
from tests._campaigns import make_campaign, response
from tests.reports.audit import audit

# scores of the example questionnaire (tests/_campaigns.py): BASE gives connettivita 80, competenze 41.67,
# overall 71.25; velocita 20 gives connettivita 62.5, overall 62.5; formazione "si" gives competenze 75, overall 79.58
SLOW = {"velocita": 20}
TRAINED = {"formazione": "si"}


def sector_margins(counts: dict[str, int], min_n: int, name: str) -> dict[str, int | None]:
    """A margin as the sector report shows it: protected by the disclosure module against its published
    total (``None``: withheld); the peer groups take it as given."""
    pub = Publication(min_n)
    pub.partition(("n",), {(name, k): v for k, v in counts.items()}, public_total=True)
    pub.table(name, [(name, k) for k in counts])
    shown = pub.solve()
    if not shown.published(name):
        return dict.fromkeys(counts)
    return {k: v if isinstance(v := shown.count((name, k)), int) else None for k in counts}


def _firms(spec: list[tuple[str, int, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    return {f"{i:02}.json": response(answers, name=f"F{i:02}", comune="Cremona", size=size, subsector=sub)
            for i, (sub, size, answers) in enumerate(spec)}


def _analysis(root: Path, spec: list[tuple[str, int, dict[str, Any]]], min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, _firms(spec)))
    return analyse(list(campaign.responses), load_territory(), name="Prova", min_n=min_n)


def _by_name(ta: TerritoryAnalysis) -> dict[str, Any]:
    return {r.scored.response.respondent.name: r.comparison for r in ta.respondents}


def test_peer_group_of_same_size_class_and_sub_sector(tmp_path: Path) -> None:
    # 7 manufacturers under 10 staff (3 slow lines), 5 retailers under 10 staff (trained)
    spec = [("C", 3, SLOW)] * 3 + [("C", 5, {})] * 4 + [("G", 4, TRAINED)] * 5
    compared = _by_name(_analysis(tmp_path, spec))
    c = compared["F00"]
    assert (c.kind, c.n, c.size_class, c.subsector) == ("peers", 7, "0-9", "C")
    assert c.means["overall"] == pytest.approx((3 * 62.5 + 4 * 71.25) / 7)  # 67.5
    assert c.means["connettivita"] == pytest.approx((3 * 62.5 + 4 * 80) / 7)  # 72.5
    assert c.means["competenze"] == pytest.approx(125 / 3)
    assert all(compared[f"F{i:02}"] == c for i in range(7))  # one figure for the whole group
    # 5 retailers: 4 others, fewer than min_n: the sector (12) instead
    g = compared["F07"]
    assert (g.kind, g.n, g.size_class, g.subsector) == ("sector", 12, None, None)
    assert g.means["overall"] == pytest.approx((472.5 + 5 * (160 + 250 / 3 + 75) / 4) / 12)  # 72.53


@pytest.mark.parametrize("min_n", [3, 5])
def test_the_boundary_is_min_n_others_in_the_report(tmp_path: Path, min_n: int) -> None:
    """min_n others (a group of min_n + 1): compared with them; min_n - 1 others: the sector, with the reason."""
    from crassess.reports.respondent import respondent_report

    spec = [("C", 3, SLOW)] + [("C", 3, {})] * min_n + [("G", 4, TRAINED)] * min_n
    ta = _analysis(tmp_path, spec, min_n=min_n)
    compared = _by_name(ta)
    shown, withheld = compared["F00"], compared[f"F{min_n + 1:02}"]
    assert (shown.kind, shown.n, shown.subsector) == ("peers", min_n + 1, "C")
    assert shown.means["overall"] == pytest.approx((62.5 + min_n * 71.25) / (min_n + 1))
    assert (withheld.kind, withheld.n) == ("sector", 2 * min_n + 1)
    reports = {r.scored.response.respondent.name: respondent_report(r, ta.name, ta.comuni_names, lang="it", min_n=min_n)
               for r in ta.respondents}
    assert "troppo poche" not in reports["F00"]
    assert (f"Gruppo di confronto: tutte le {2 * min_n + 1} imprese che hanno risposto, compresa la vostra. Le imprese della "
            "sezione ATECO G – Commercio; riparazione di autoveicoli con meno di 10 addetti sono troppo poche per un confronto "
            f"riservato: ne servono almeno {min_n} oltre alla vostra.") in " ".join(reports[f"F{min_n + 1:02}"].split())


def test_a_group_of_exactly_min_n_is_not_enough(tmp_path: Path) -> None:
    # the respondent knows its own score: a group of 5 would describe 4 others
    compared = _by_name(_analysis(tmp_path, [("C", 3, {})] * 5 + [("G", 3, {})] * 5))
    assert {c.kind for c in compared.values()} == {"sector"}


def test_a_group_that_gives_away_the_rest_of_its_sub_sector_is_withheld(tmp_path: Path) -> None:
    # section C: 7 small firms and 3 of 10-49 staff. The sector report shows section C (10), so the
    # group's 7 would tell that 3 firms of section C have 10-49 staff, and their mean by subtraction
    spec = [("C", 3, {})] * 7 + [("C", 20, SLOW)] * 3 + [("G", 4, {})] * 6
    ta = _analysis(tmp_path, spec)
    assert ta.sectors["impresa"].subsectors.cells == {"C": 10, "G": 6}  # published by the sector report
    compared = _by_name(ta)
    assert compared["F00"].kind == "sector" and compared["F07"].kind == "sector"
    assert compared["F10"].kind == "peers" and compared["F10"].n == 6  # section G: all small, nothing to subtract


def test_a_withheld_mean_is_marked_not_shown(tmp_path: Path) -> None:
    # 6 firms in the group, but only 4 have a competenze score ("Non so" twice): that mean describes 4
    dk = {"ore_perse": "dk", "formazione": "dk"}
    spec = [("C", 3, {})] * 4 + [("C", 3, dk)] * 2 + [("G", 4, {})] * 5
    compared = _by_name(_analysis(tmp_path, spec))
    c = compared["F00"]
    assert c.kind == "peers" and c.means["competenze"] == PRIMARY
    assert c.means["connettivita"] == pytest.approx(80.0)
    # without competenze the two still have an overall (3/4 of the weight, the minimum): (2 x 80 + 83.33) / 3
    assert c.means["overall"] == pytest.approx((4 * 71.25 + 2 * (160 + 250 / 3) / 3) / 6)  # 74.54


def test_unknown_sub_sector_or_size_has_no_peer_group(tmp_path: Path) -> None:
    spec = [("", 3, {})] * 6 + [("C", 3, {})] * 6
    compared = _by_name(_analysis(tmp_path, spec))
    assert compared["F00"].kind == "sector"
    assert compared["F06"].kind == "peers" and compared["F06"].n == 6


def test_small_sector_no_comparison_and_min_n_below_3_refused(tmp_path: Path) -> None:
    compared = _by_name(_analysis(tmp_path, [("C", 3, {})] * 4))
    assert {(c.kind, c.n) for c in compared.values()} == {("none", 0)}
    # min_n below 3 cannot be protected (a withheld 1..min_n-1 would be exactly 1): refused before any figure
    with pytest.raises(DisclosureError):
        _analysis(tmp_path / "2", [("C", 3, {})] * 4, min_n=2)


@st.composite
def _sectors(draw: st.DrawFn) -> list[SimpleNamespace]:
    n = draw(st.integers(5, 24))
    out = []
    for _ in range(n):
        score = draw(st.one_of(st.none(), st.integers(0, 100).map(float)))
        dims = {"a": SimpleNamespace(id="a", score=score), "b": SimpleNamespace(id="b", score=float(draw(st.integers(0, 100))))}
        who = SimpleNamespace(size=draw(st.sampled_from([None, 3, 20, 80])), subsector=draw(st.sampled_from(["", "C", "G", "F"])))
        out.append(SimpleNamespace(response=SimpleNamespace(respondent=who),
                                   result=SimpleNamespace(dimensions=dims, overall=None if score is None else score)))
    return out


@settings(max_examples=25, deadline=None)
@given(members=_sectors())
def test_no_published_peer_figure_can_be_worked_out_by_subtraction(members: list[SimpleNamespace]) -> None:
    """Audited independently (linear programming) with the sector report's margins as it shows them."""
    min_n = 5
    sizes = sector_margins(dict(Counter(size_class("impresa", m.response.respondent.size) for m in members)), min_n, "size")
    subs = sector_margins(dict(Counter(m.response.respondent.subsector or UNKNOWN for m in members)), min_n, "sub")
    solved: list[Protection | None] = []
    original = Publication.solve

    def solve(self: Publication) -> Protection:
        solved.append(None)  # stays None when the solve raises
        solved[-1] = original(self)
        return solved[-1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Publication, "solve", solve)
        compared = compare("impresa", members, sector_means={}, reportable=True, min_n=min_n, size_class=size_class,  # type: ignore[arg-type]
                           unknown=UNKNOWN, sizes=sizes, subsectors=subs)
    final = solved[-1]
    if final is None:  # the sector report's own margins give a count away: no group published at all
        assert {c.kind for c in compared} == {"sector"}
        return
    assert audit(final, "lp") == [] and audit(final, "marks") == []
    for m, c in zip(members, compared):
        if c.kind == "peers":
            who = m.response.respondent
            group = [x for x in members if (size_class("impresa", x.response.respondent.size), x.response.respondent.subsector)
                     == (size_class("impresa", who.size), who.subsector)]
            assert c.n == len(group) >= min_n + 1
