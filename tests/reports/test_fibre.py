"""Respondents' reported fibre adoption per comune (beside open coverage data)."""

from __future__ import annotations

from crassess.reports.fibre import adoption_by_comune


def test_adoption_by_comune(tmp_path):
    from crassess.campaign.data import load_campaign_data
    from tests.waves_fixtures import campaign, response

    c = campaign(tmp_path / "c", "T0", {
        "a": response("a", "A", "Cremona", 100, 0), "b": response("b", "B", "Cremona", 0, 0), "c": response("c", "C", "Crema", 50, 0),
    })
    data = load_campaign_data(c)
    assert adoption_by_comune(data.responses, "q1", adopted=("2",)) == {"019035": [False], "019036": [True, False]}
