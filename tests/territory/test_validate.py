"""Respondents' comuni normalised to ISTAT codes, with "did you mean"."""

from __future__ import annotations

import pytest

from crassess.errors import InvalidInput
from crassess.questionnaire.models import Response
from crassess.territory.comuni import Comune, Territory
from crassess.territory.validate import check_comune, comune_code, territory_for


def resp(comune):
    return Response.model_validate({"questionnaire": {"id": "x", "version": "1"}, "respondent": {"name": "A", "comune": comune}})


@pytest.mark.parametrize("value", ["Cremona", "CREMONA", " cremona ", "19036", "019036", 19036])
def test_code_or_name_to_istat(value):
    assert comune_code(value) == "019036"


def test_accents_and_apostrophes():
    assert comune_code("crotta d adda") == "019038"
    assert comune_code("Cappella de Picenardi") == comune_code("Cappella de' Picenardi")


def test_unknown_with_did_you_mean_located():
    with pytest.raises(InvalidInput) as err:
        comune_code("Soresna", file="r.json", place="respondent.comune")
    assert str(err.value.problems[0]) == "r.json: respondent.comune: comune 'Soresna' sconosciuto; forse: Soresina (019098)?"


def test_check_comune_returns_a_copy_with_the_code():
    original = resp("crema")
    checked = check_comune(original, file="r.json")
    assert checked.respondent.comune == "019035"
    assert original.respondent.comune == "crema"
    assert check_comune(resp(None)).respondent.comune is None
    assert check_comune(resp("  ")).respondent.comune == "  "


def test_another_territory(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("istat,nome\n012345,Borgo Alto\n", encoding="utf-8")
    land = territory_for(path)
    assert land == Territory((Comune("012345", "Borgo Alto"),), str(path))
    assert check_comune(resp("borgo alto"), land).respondent.comune == "012345"
    with pytest.raises(InvalidInput):
        check_comune(resp("Cremona"), land)


def test_missing_territory_file(tmp_path):
    with pytest.raises(InvalidInput) as err:
        territory_for(tmp_path / "nope.csv")
    assert str(err.value.problems[0]) == f"{tmp_path / 'nope.csv'}: file non trovato"


@pytest.mark.parametrize("value", ["fuori_territorio", "Fuori territorio", "FUORI DAL TERRITORIO", "fuori", "outside",
                                   "Outside the territory", " fuori-territorio "])
def test_a_respondent_outside_the_territory(value):
    from crassess.territory.validate import OUTSIDE_TERRITORY, is_outside

    assert comune_code(value) == OUTSIDE_TERRITORY == "fuori_territorio"
    assert is_outside(value)
    assert check_comune(resp(value)).respondent.comune == "fuori_territorio"


def test_outside_is_not_a_comune_name():
    from crassess.territory.validate import is_outside

    assert not is_outside("Fuorigrotta") and not is_outside(19036) and not is_outside(None)
