"""Representativeness: the skew rules on published shares only, and the caveat's wording."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import analyse
from crassess.reports.disclosure import PRIMARY
from crassess.reports.representation import Skew, caveat, representation_section, skews
from crassess.reports.results import Counts, TerritoryAnalysis
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign

RESIDENTS = {"0-999": 5.5, "1000-4999": 41.4, "5000-14999": 23.4, ">=15000": 29.7}


def _with(tmp_path: Path, places: dict, sizes: dict, population: dict | None = None) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(tmp_path, FIVE))
    ta = analyse(list(campaign.responses), load_territory(), name="x", population=population)
    sa = replace(ta.sectors["impresa"], places=Counts(dict.fromkeys(places, 1), places),
                 size_classes=Counts(dict.fromkeys(sizes, 1), sizes))
    return replace(ta, sectors={**ta.sectors, "impresa": sa}, inhabitants=RESIDENTS)


def test_most_businesses_micro_firms_from_the_large_towns(tmp_path: Path) -> None:
    # 49.7 - 29.7 = 20.0 points: on the threshold, a skew; 60.0 - 41.4 = 18.6: not
    ta = _with(tmp_path, {"1000-4999": 60.0, ">=15000": 49.7, "0-999": PRIMARY}, {"0-9": 80.0, "10-49": 20.0, "_": 0.0})
    assert skews(ta) == [Skew("impresa", "place", ">=15000", 49.7, 29.7), Skew("impresa", "size", "0-9", 80.0)]
    assert caveat(skews(ta), "it") == (
        "**Attenzione al campione.** Imprese: 49,7% con sede in comuni di 15.000 e oltre abitanti (residenti: 29,7%). "
        "Imprese: 80,0% nella classe 0–9 addetti. Le cifre descrivono soprattutto questi rispondenti, non l'intero territorio.")


def test_no_caveat_for_a_balanced_sample_nor_from_withheld_shares(tmp_path: Path) -> None:
    # two thirds exactly (66.6 < 66.67) is not "most"; a withheld class is never compared
    ta = _with(tmp_path, {">=15000": PRIMARY, "1000-4999": 50.0}, {"0-9": 66.6, "10-49": PRIMARY})
    assert skews(ta) == [] and caveat([], "it") is None
    assert "Nessuno squilibrio marcato" in "\n".join(representation_section(ta, "it"))


def test_a_low_response_rate_is_a_caveat(tmp_path: Path) -> None:
    # 5 businesses of 200: 2.5% < 5%; no comune responded: not reportable, so no rule applies to them
    ta = _with(tmp_path, {}, {}, population={"impresa": 200})
    assert skews(ta) == [Skew("impresa", "rate", "", 2.5)]
    assert caveat(skews(ta), "en") == ("**Mind the sample.** Businesses: response rate 2.5%. The figures mostly describe "
                                       "these respondents, not the whole territory.")
    text = re.sub(r" +", " ", "\n".join(representation_section(ta, "it")))
    assert "| Imprese | 5 | 200 | 2,5% |" in text and "| Comuni | 0 | 113 | 0,0% |" in text
