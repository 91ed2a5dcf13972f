"""The shipped comuni list and tolerant lookup."""

from __future__ import annotations

import pytest

from crassess.errors import InvalidInput
from crassess.territory.comuni import load_territory, normalise
from tests.conftest import write_files


def test_shipped_list_is_the_province_of_cremona():
    territory = load_territory()
    assert len(territory.comuni) == 113
    assert territory.find("019036").nome == "Cremona"
    assert territory.find(19035).nome == "Crema"
    assert territory.find("019116").nome == "Piadena Drizzona"
    assert all(c.istat.startswith("019") and len(c.istat) == 6 for c in territory.comuni)


@pytest.mark.parametrize("text", ["rivolta d'adda", "RIVOLTA D ADDA", "Rivolta d’Adda", "  rivolta   d'Adda "])
def test_find_is_tolerant(text):
    assert load_territory().find(text).istat == "019084"


def test_normalise_strips_accents():
    assert normalise("Cà d'Andrèa") == "ca d andrea"


def test_unknown_comune_suggests():
    with pytest.raises(InvalidInput) as err:
        load_territory().resolve("Cremna", "r.json", "respondent.comune")
    assert str(err.value.problems[0]) == "r.json: respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?"


def test_other_territory_file_and_its_errors(tmp_path):
    good = write_files(tmp_path, {"t.csv": "istat,nome\n98001,Abbadia Cerreto\n"})["t.csv"]
    assert load_territory(good).find("098001").nome == "Abbadia Cerreto"
    bad = write_files(tmp_path, {"b.csv": "istat,nome\n12ab,X\n098001,Y\n098001,Z\n"})["b.csv"]
    with pytest.raises(InvalidInput) as err:
        load_territory(bad)
    assert [f"{p.place}: {p.message}" for p in err.value.problems] == [
        "riga 2: codice ISTAT '12ab' non valido: attese 6 cifre",
        "riga 4: codice ISTAT '098001' ripetuto",
    ]
