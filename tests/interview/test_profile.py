"""The respondent profile: fields by sector and the checks shared by the interview and --answers."""

from __future__ import annotations

from datetime import date

import pytest

from crassess.i18n import set_language
from crassess.interview.profile import check_profile, profile_steps
from crassess.territory.comuni import load_territory

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("sector", "keys", "size_label", "subsector"),
    [
        ("comune", ["name", "comune", "size", "contact", "interviewer", "date"], "Abitanti", None),
        ("associazione", ["name", "comune", "size", "subsector", "contact", "interviewer", "date"], "Numero di soci",
         ("aps", "Associazione di promozione sociale (APS)")),
        ("impresa", ["name", "comune", "size", "subsector", "contact", "interviewer", "date"], "Numero di addetti",
         ("B", "B – Estrazione di minerali")),
    ],
)
def test_profile_by_sector(esempio, sector, keys, size_label, subsector):
    steps = profile_steps(esempio.model_copy(update={"sector": sector}), "it")
    assert [s.key for s in steps] == keys
    assert steps[2].label == size_label
    if subsector:
        assert (steps[3].options[1].value, steps[3].options[1].label) == subsector


def test_english_labels(esempio):
    steps = profile_steps(esempio, "en")
    assert [steps[0].label, steps[2].label, steps[3].label] == ["Name of the organisation", "Number of employees", "Line of business (ATECO section)"]
    assert steps[3].options[2].label == "C – Manufacturing"


def test_values_are_normalised(esempio):
    values, problems = check_profile(
        esempio,
        {"name": "  Bar   Centrale ", "comune": 19036, "size": "12.000", "subsector": "c", "date": date(2026, 2, 3),
         "sede": "via Roma 1"},
        load_territory(), TODAY, "it",
    )
    assert problems == []
    assert values == {"sede": "via Roma 1", "name": "Bar Centrale", "comune": "019036", "size": 12000, "subsector": "C",
                      "date": "2026-02-03"}


def test_date_defaults_to_today_and_day_first_dates(esempio):
    values, _ = check_profile(esempio, {"name": "X", "comune": "Crema"}, load_territory(), TODAY, "it")
    assert values["date"] == "2026-11-25"
    values, _ = check_profile(esempio, {"name": "X", "comune": "Crema", "date": "3/2/2026"}, load_territory(), TODAY, "it")
    assert values["date"] == "2026-02-03"


def test_every_problem_at_once(esempio):
    set_language("en")
    _, problems = check_profile(
        esempio, {"comune": "Milano", "size": 3.5, "subsector": "Z", "date": "2026-13-01"}, load_territory(), TODAY, "en", "f.yaml",
    )
    assert [str(p) for p in problems] == [
        "f.yaml: respondent.name: required",
        "f.yaml: respondent.comune: unknown comune 'Milano'; did you mean: Izano (019054), Camisano (019010), Malagnino (019056)?",
        "f.yaml: respondent.size: expected a whole number, 0 or more, found '3.5'",
        "f.yaml: respondent.subsector: 'Z' is not one of the allowed values: A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, Q, R, S, T, U",
        "f.yaml: respondent.date: invalid date '2026-13-01': expected YYYY-MM-DD (or DD/MM/YYYY)",
    ]
