"""The one number parser: Italian and English writing, thousands, percentages, ambiguity refused with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crassess.i18n import set_language
from crassess.numbers import (
    NumberError,
    decimal_mark,
    parse_number,
    percent_cell,
    read_number,
)

# text -> value, with no context (not integer, no %, file's decimal mark unknown)
READ = [
    ("0", 0), ("7", 7), ("007", 7), ("  12 ", 12), ("+3", 3), ("-3", -3), ("−4,5", -4.5), ("- 2", -2),
    ("2,5", 2.5), ("2.5", 2.5), ("0,5", 0.5), (",5", 0.5), (".25", 0.25), ("12,50", 12.5), ("3,0", 3), ("3.0", 3),
    ("0,500", 0.5), ("0.125", 0.125), ("1234,567", 1234.567), ("12345.678", 12345.678), ("2,5000", 2.5),
    ("1.000", 1000), ("1,000", 1000), ("12.000", 12000), ("999,000", 999000),
    ("1.000.000", 1000000), ("1,000,000", 1000000), ("1.234.567", 1234567),
    ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234.567,89", 1234567.89), ("1,234,567.89", 1234567.89),
    ("1.234,567", 1234.567), ("1,234.567", 1234.567),
    ("1 234", 1234), ("1\u00a0234", 1234), ("1\u202f234,5", 1234.5), ("1'234", 1234), ("1’234.5", 1234.5),
    ("1 234 567", 1234567), ("1 234,567", 1234.567), ("1 234.567", 1234.567),
]


@pytest.mark.parametrize(("text", "value"), READ)
def test_reads(text, value):
    number = parse_number(text)
    assert number == value
    assert type(number) is type(value)  # whole numbers are ints


@pytest.mark.parametrize("text", [
    "", " ", "abc", "1e5", "1E5", "nan", "inf", "-inf", "0x10", "1_000", "12a", "a12", "--1", "+-1", "(12)",
    "5.", "5,", ".", ",", "1,2,3", "1.2.3", "1.00.0", "1.0000.000", "12.34.567", "1,2.5", "1.234.5,6,7",
    "1 23", "12 34", " 1234 567", "1 234 56", "1.234 567", "1 234.567,5", "1'234 567", "'123", "1 000,",
    "1,234,5", "1.234,567.8", "12 %x", "%", "50 % %", "1" * 41, "½", "١٢",
])
def test_not_a_number(text):
    with pytest.raises(NumberError) as err:
        parse_number(text)
    assert err.value.reason == "not_number"
    assert err.value.message == f"atteso un numero, trovato '{text}'"


@pytest.mark.parametrize(("text", "thousands", "it", "en"), [
    ("2.500", 2500, "2,5", "2.5"), ("2,500", 2500, "2,5", "2.5"), ("999.999", 999999, "999,999", "999.999"),
    ("-1,250", -1250, "-1,25", "-1.25"), ("12.001", 12001, "12,001", "12.001"),
])
def test_ambiguous_is_refused_naming_both_readings(text, thousands, it, en):
    with pytest.raises(NumberError) as err:
        parse_number(text)
    assert err.value.reason == "ambiguous"
    assert err.value.message == (f"'{text}' è ambiguo: può essere {thousands} (separatore delle migliaia) o {it} (decimale); "
                                 f"scrivere {thousands} oppure {it}")
    set_language("en")
    assert read_number(text) == (None, f"'{text}' is ambiguous: it may be {thousands} (thousands separator) or {en} (decimal); "
                                       f"write {thousands} or {en}")


@pytest.mark.parametrize(("text", "comma", "point"), [
    ("2.500", 2500, 2.5), ("2,500", 2.5, 2500), ("1.000", 1000, 1), ("1,000", 1, 1000), ("12,5", 12.5, 12.5),
    ("1.234.567", 1234567, 1234567), ("1.234,5", 1234.5, 1234.5),
])
def test_the_files_decimal_mark_settles_three_digits(text, comma, point):
    assert parse_number(text, decimal=",") == comma
    assert parse_number(text, decimal=".") == point


@pytest.mark.parametrize(("text", "value"), [
    ("2.500", 2500), ("2,500", 2500), ("12.345.678", 12345678), ("1.000", 1000), ("3.0", 3), ("3,00", 3),
    ("12", 12), ("-5", -5), ("1 200", 1200), (3.0, 3), (12, 12), (Decimal("7"), 7),
])
def test_a_whole_number_expected_reads_thousands(text, value):
    number = parse_number(text, integer=True)
    assert number == value and type(number) is int


@pytest.mark.parametrize(("value", "shown"), [("2,5", "2,5"), ("0.125", "0.125"), (2.5, "2.5"), ("1.234,5", "1.234,5")])
def test_a_whole_number_expected_refuses_fractions(value, shown):
    with pytest.raises(NumberError) as err:
        parse_number(value, integer=True)
    assert (err.value.reason, err.value.message) == ("not_integer", f"atteso un numero intero, trovato '{shown}'")


def test_not_a_number_where_a_whole_number_is_expected_says_so():
    assert read_number("dodici", integer=True) == (None, "atteso un numero intero, trovato 'dodici'")


@pytest.mark.parametrize(("text", "value"), [("50%", 50), ("50 %", 50), ("12,5%", 12.5), ("100%", 100), ("0%", 0),
                                             ("-3%", -3), ("1.000%", 1000), ("50", 50), ("50\u00a0%", 50)])
def test_percent_where_the_unit_is_percent(text, value):
    assert parse_number(text, percent=True) == value


@pytest.mark.parametrize("text", ["50%", "12,5 %", "1.000%"])
def test_percent_refused_where_the_unit_is_not_percent(text):
    with pytest.raises(NumberError) as err:
        parse_number(text)
    assert (err.value.reason, err.value.message) == ("percent", f"'{text}' è una percentuale, ma qui si chiede un numero senza %")


def test_percent_and_integer_together():
    assert parse_number("40%", integer=True, percent=True) == 40
    assert read_number("40,5%", integer=True, percent=True) == (None, "atteso un numero intero, trovato '40,5%'")


@pytest.mark.parametrize(("fraction", "points"), [(0.5, 50), (0.285, 28.5), (1, 100), (0, 0), (0.07, 7), (1.5, 150),
                                                  (0.12345, 12.345), (-0.1, -10)])
def test_percent_cell_gives_the_points_shown(fraction, points):
    value = percent_cell(fraction, percent=True)
    assert value == points and type(value) is type(points)


def test_percent_cell_where_no_percentage_is_asked():
    with pytest.raises(NumberError) as err:
        percent_cell(0.5, file="r.xlsx", place="Domande!D7")
    assert err.value.reason == "percent"
    assert str(err.value.problems[0]) == "r.xlsx: Domande!D7: '50%' è una percentuale, ma qui si chiede un numero senza %"
    with pytest.raises(NumberError) as err:
        percent_cell(0.125, integer=True, percent=True)
    assert err.value.reason == "not_integer"
    with pytest.raises(NumberError):
        percent_cell("0.5", percent=True)


@pytest.mark.parametrize("value", [True, False, None, float("nan"), float("inf"), Decimal("NaN"), [1], {"a": 1}])
def test_values_that_are_not_numbers(value):
    number, message = read_number(value)
    assert number is None and message == f"atteso un numero, trovato '{value}'"


def test_numbers_from_programs_are_kept():
    assert parse_number(2.5) == 2.5 and parse_number(4.0) == 4 and type(parse_number(4.0)) is int
    assert parse_number(Decimal("1.25")) == 1.25


def test_the_problem_is_located_and_translated():
    with pytest.raises(NumberError) as err:
        parse_number("tre", file="risposte.yaml", place="riga 4")
    assert [str(p) for p in err.value.problems] == ["risposte.yaml: riga 4: atteso un numero, trovato 'tre'"]
    set_language("en")
    with pytest.raises(NumberError) as err:
        parse_number("three")
    assert err.value.message == "expected a number, found 'three'"


@pytest.mark.parametrize(("texts", "mark"), [
    (["12,5", "2.500"], ","), (["1.234,5"], ","), (["0,5"], ","), (["1.000.000"], ","), (["1 234,5"], ","),
    (["12.5", "2,500"], "."), (["1,234.5"], "."), (["1,000,000"], "."),
    (["2.500", "1.000", "12"], None), ([], None), (["12,5", "3.5"], None), (["abc", "n.d.", ""], None),
    (["1.234.567", "2,5"], ","), (["-12,5%"], ","), ([12.5, 3], None),
])
def test_decimal_mark_of_a_file(texts, mark):
    assert decimal_mark(texts) == mark


# ------------------------------------------------------------------ round trip: written as people write, read back


def _written(value: Decimal, mark: str, grouping: str) -> str:
    """``value`` as a person writes it: minimal decimals (no trailing zeros), thousands grouped or not."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    if grouping:
        groups = []
        while len(whole) > 3:
            whole, groups = whole[:-3], [whole[-3:], *groups]
        whole = grouping.join([whole, *groups])
    return sign + whole + (mark + fraction if fraction else "")


STYLES = [(",", "."), (",", ""), (",", " "), (",", "\u00a0"), (".", ","), (".", ""), (".", " "), (".", "'")]
values = st.builds(lambda n, k: Decimal(n).scaleb(-k), st.integers(-10**12, 10**12), st.integers(0, 5))


@given(values, st.sampled_from(STYLES))
def test_round_trip_never_reads_another_value(value, style):
    """Written in any usual style, a number reads back as itself, or is refused as ambiguous: never another value."""
    mark, grouping = style
    text = _written(value, mark, grouping)
    number, message = read_number(text)
    if number is None:
        assert message is not None and "ambiguo" in message
        assert Decimal(repr(parse_number(text, decimal=mark))) == value  # the file's decimal mark settles it
    else:
        assert Decimal(repr(number)) == value


@given(values, st.sampled_from(STYLES))
def test_round_trip_with_the_files_decimal_mark(value, style):
    mark, grouping = style
    assert Decimal(repr(parse_number(_written(value, mark, grouping), decimal=mark))) == value


@given(st.integers(-10**15, 10**15), st.sampled_from(STYLES))
def test_round_trip_of_whole_numbers(value, style):
    assert parse_number(_written(Decimal(value), *style), integer=True) == value


@given(values, st.sampled_from(STYLES))
def test_decimal_mark_never_contradicts_the_writing(value, style):
    mark, grouping = style
    assert decimal_mark([_written(value, mark, grouping)]) in (mark, None)


@given(st.text(max_size=45))
def test_any_text_gives_a_number_or_a_reason(text):
    number, message = read_number(text)
    assert (number is None) != (message is None)
