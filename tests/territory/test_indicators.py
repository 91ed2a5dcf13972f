"""Indicators CSV: validation with every error located, number formats, fibre availability vs adoption."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crassess.errors import InvalidInput
from crassess.numbers import NumberError
from crassess.territory.comuni import Comune, Territory
from crassess.territory.indicators import (
    fibre_column,
    fibre_comparison,
    indicator_value,
    load_indicators,
)
from tests.conftest import write_files


def load(tmp_path, text, name="ind.csv"):
    return load_indicators(write_files(tmp_path, {name: text})[name])


def test_good_file_semicolon_and_decimal_comma(tmp_path):
    table = load(tmp_path, """
        istat;FTTH %;popolazione
        19036;45,5;71.876
        019035;;34000
        """)
    assert table.columns == ("FTTH %", "popolazione")
    # "45,5" shows the file's decimal comma, so "71.876" is 71876 inhabitants (not 71.876)
    assert dict(table.rows) == {"019035": (None, 34000.0), "019036": (45.5, 71876.0)}
    assert table.column("FTTH %") == {"019035": None, "019036": 45.5}
    assert table.value("019036", "popolazione") == 71876.0


def test_comma_separated_with_bom_and_quotes(tmp_path):
    path = tmp_path / "i.csv"
    path.write_bytes('\ufeffcodice,gbit\r\n019036,"12,5"\r\n'.encode("utf-8"))
    assert dict(load_indicators(path).rows) == {"019036": (12.5,)}


@pytest.mark.parametrize("text, value", [
    ("12", 12.0), ("12,5", 12.5), ("12.5", 12.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("45%", 45.0),
    (" -3 ", -3.0), ("", None), ("1 234", 1234.0), ("n.d.", None), ("N/A", None), ("-", None),
])
def test_indicator_value(text, value):
    assert indicator_value(text) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "nan", "inf", "12 %x", "--1"])
def test_indicator_value_rejects(text):
    with pytest.raises(NumberError):
        indicator_value(text)


def test_bad_file_every_error_with_its_line(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load(tmp_path, """
            istat;ftth;ftth;
            019036;45;1;2
            019036;40;1;2
            019999;10;2;3
            Cremona;10;3;4
            019001;abc;4;x
            019002;12

            ABC;1;2;3
            """)
    assert [str(p).split(": ", 1)[1] for p in err.value.problems] == [
        "riga 1: colonna 'ftth' ripetuta",
        "riga 1: la colonna 4 non ha nome",
        "riga 3: codice ISTAT 019036 ripetuto (già a riga 2)",
        "riga 4: codice ISTAT '019999' non è un comune del territorio (comuni_cremona.csv)",
        "riga 5: atteso il codice ISTAT, trovato il nome 'Cremona': usare 019036",
        "riga 6: colonna 'ftth': 'abc' non è un numero",
        "riga 6: colonna '': 'x' non è un numero",
        "riga 7: attese 4 celle, trovate 2",
        "riga 9: 'ABC' non è un codice ISTAT (6 cifre)",
    ]


def test_bad_file_in_english(tmp_path):
    from crassess.i18n import set_language

    set_language("en")
    with pytest.raises(InvalidInput) as err:
        load(tmp_path, "istat,x\n019036,yes\n")
    assert str(err.value.problems[0]).endswith("ind.csv: line 2: column 'x': 'yes' is not a number")


def test_empty_and_headless_files(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load(tmp_path, "\n\n")
    assert err.value.problems[0].message.startswith("file vuoto")
    with pytest.raises(InvalidInput) as err:
        load(tmp_path, "istat\n019036\n")
    assert err.value.problems[0].message == "attesa almeno una colonna numerica dopo il codice ISTAT"


def test_missing_file_is_located(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load_indicators(tmp_path / "nope.csv")
    assert err.value.problems[0].message == "file non trovato"


def test_another_territory(tmp_path):
    land = Territory((Comune("012345", "Borgo"),), "altro.csv")
    path = write_files(tmp_path, {"i.csv": "istat,x\n12345,1\n019036,2\n"})["i.csv"]
    with pytest.raises(InvalidInput) as err:
        load_indicators(path, land)
    assert [p.message for p in err.value.problems] == ["codice ISTAT '019036' non è un comune del territorio (altro.csv)"]


def test_fibre_comparison_hand_computed(tmp_path):
    table = load(tmp_path, "istat,popolazione,FTTH (%)\n019036,71000,80\n019035,34000,40\n019001,1000,\n")
    assert fibre_column(table) == "FTTH (%)"
    adoption = {
        "019036": [True, True, False, False, True],  # 3 of 5 = 60 %: available but not adopted 80 - 60 = 20
        "019035": [True, False],                     # raw: what is published is the report's business
        "019025": [True] * 6,                        # no indicator row: coverage unknown
    }
    rows = {r.istat: r for r in fibre_comparison(table, adoption)}
    cremona = rows["019036"]
    assert (cremona.nome, cremona.coverage, cremona.respondents, cremona.adopted, cremona.adoption) == ("Cremona", 80, 5, 3, 60)
    assert (cremona.coverage_above_adoption, cremona.not_available) == (20, 20)
    crema = rows["019035"]
    assert (crema.coverage, crema.respondents, crema.adoption, crema.coverage_above_adoption, crema.not_available) == (
        40, 2, 50, 0, 60)
    assert (rows["019001"].coverage, rows["019001"].not_available, rows["019001"].respondents, rows["019001"].adoption) == (
        None, None, 0, None)
    assert (rows["019025"].adoption, rows["019025"].coverage_above_adoption) == (100, None)
    assert list(rows) == ["019001", "019025", "019035", "019036"]


def test_adoption_above_coverage_gives_zero_gap(tmp_path):
    table = load(tmp_path, "istat,ftth\n019036,50\n")
    (row,) = fibre_comparison(table, {"019036": [True] * 4 + [False]})
    assert (row.adoption, row.coverage_above_adoption) == (80, 0)


def test_fibre_column_errors(tmp_path):
    table = load(tmp_path, "istat,popolazione\n019036,71000\n")
    with pytest.raises(InvalidInput) as err:
        fibre_column(table)
    assert "popolazione" in err.value.problems[0].message
    with pytest.raises(InvalidInput):
        fibre_comparison(table, {}, column="ftth")
    with pytest.raises(InvalidInput) as err:
        fibre_comparison(table, {}, column="popolazione")
    assert err.value.problems[0].message == "colonna 'popolazione', comune 019036: 71000 non è una percentuale (0-100)"


def test_cli_indicators_check(tmp_path):
    from click.testing import CliRunner

    from crassess.cli.main import cli

    land = write_files(tmp_path, {"t.csv": "istat,nome\n019036,Cremona\n019035,Crema\n"})["t.csv"]
    good = write_files(tmp_path, {"g.csv": "istat;ftth\n019036;80,5\n"})["g.csv"]
    result = CliRunner().invoke(cli, ["indicators", "check", str(good), "--territory", str(land)])
    assert result.exit_code == 0
    assert result.output == f"{good}: valido: 1 comuni, colonne: ftth\ncomuni del territorio senza riga (1): Crema\n"
    bad = write_files(tmp_path, {"b.csv": "istat,ftth\n019036,x\n019036,1\n"})["b.csv"]
    result = CliRunner().invoke(cli, ["indicators", "check", str(bad), "--territory", str(land), "--lang", "en"])
    assert result.exit_code == 1
    assert result.stderr == f"{bad}: line 2: column 'ftth': 'x' is not a number\n{bad}: line 3: ISTAT code 019036 repeated (already on line 2)\n"


def test_missing_header_line(tmp_path):
    with pytest.raises(InvalidInput) as err:
        load(tmp_path, "019036;45\n019035;40\n")
    assert [(p.place, p.message) for p in err.value.problems] == [
        ("riga 1", "manca la riga di intestazione: la prima riga deve dare i nomi delle colonne (es. istat;ftth;popolazione)")]


def test_codes_as_a_spreadsheet_wrote_them(tmp_path):
    assert list(load(tmp_path, "istat,x\n19036.0,1\n 19035 ,2\n").rows) == ["019035", "019036"]


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.sampled_from(["it", "en"]))
def test_indicator_value_reads_numbers_as_written_in_either_language(value, lang):
    from crassess.i18n import fmt_number

    assert indicator_value(fmt_number(value, lang, decimals=2)) == pytest.approx(round(value, 2), abs=0.006)
