"""The XLSForm expression subset: parsing, errors, evaluation semantics."""

from __future__ import annotations

import pytest

from crassess.questionnaire.expressions import ExpressionError, parse


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("${a} = 'si'", {"a": "si"}, True),
        ("${a} = 'si'", {"a": "no"}, False),
        ("${a} != 'si'", {}, True),
        ("${n} >= 10", {"n": 10}, True),
        ("${n} > 10", {"n": 10}, False),
        ("${n} < 2.5", {"n": 2}, True),
        ("${n} <= 2", {"n": "2"}, True),
        ("${n} > 0", {}, False),  # missing is '' -> NaN: every numeric comparison is false
        ("${n} = ''", {"n": "dk"}, True),  # dk is ''
        ("${n} = ''", {"n": "na"}, True),
        ("${a} = 'si' and ${n} > 1", {"a": "si", "n": 2}, True),
        ("${a} = 'si' and ${n} > 1", {"a": "si", "n": 0}, False),
        ("${a} = 'si' or ${n} > 1", {"a": "no", "n": 5}, True),
        ("not(${a} = 'si')", {"a": "no"}, True),
        ("selected(${m}, 'cloud')", {"m": ["cloud", "erp"]}, True),
        ("selected(${m}, 'crm')", {"m": ["cloud", "erp"]}, False),
        ("selected(${m}, 'si')", {"m": "si"}, True),  # on a select_one
        ("count-selected(${m}) >= 2", {"m": ["cloud", "erp"]}, True),
        ("count-selected(${m}) = 0", {}, True),
        ("(${a} = 'x' or ${a} = 'y') and not(${b} = 'z')", {"a": "y", "b": "w"}, True),
        ("${a}", {"a": "x"}, True),
        ("${a}", {}, False),
        ("${m} = 'cloud erp'", {"m": ["cloud", "erp"]}, True),  # space-separated, as XLSForm
        ("${n} = 3", {"n": 3.0}, True),
    ],
)
def test_evaluate(source, values, expected):
    assert parse(source).evaluate(values) is expected


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("${a} = 'si'", {}, None),  # a unknown
        ("${a} != 'si'", {}, None),
        ("${a} = 'si' and ${b} = 'si'", {"b": "no"}, False),  # false whatever a is
        ("${a} = 'si' and ${b} = 'si'", {"b": "si"}, None),
        ("${a} = 'si' or ${b} = 'si'", {"b": "si"}, True),  # true whatever a is
        ("${a} = 'si' or ${b} = 'si'", {"b": "no"}, None),
        ("not(${a} = 'si')", {}, None),
        ("selected(${a}, 'x')", {}, None),
        ("count-selected(${a}) > 0 or ${b} > 1", {"b": 2}, True),
        ("${b} = 'si'", {"b": "si"}, True),  # no unknown answer read: two-valued
        ("${b} = 'si'", {"b": "dk"}, False),  # "dk" not declared unknown is ''
    ],
)
def test_decide_three_valued(source, values, expected):
    assert parse(source).decide(values, unknown={"a"}) is expected


def test_current_value_in_constraints():
    expr = parse(". >= 0 and . <= 100")
    assert expr.uses_current
    assert expr.evaluate({}, 50) is True
    assert expr.evaluate({}, 101) is False
    assert expr.evaluate({}, -1) is False


def test_smart_quotes_and_double_quotes_are_accepted():
    assert parse("${a} = ‘si’").evaluate({"a": "si"}) is True
    assert parse('${a} = "si"').evaluate({"a": "si"}) is True


def test_refs_are_collected_once_in_order():
    assert parse("${b} = 1 and ${a} = 2 or ${b} = 3").refs == ("b", "a")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("${a} =", "l'espressione finisce troppo presto"),
        ("${a} = 'si", "testo tra apici non chiuso"),
        ("${a} == 1", "'=' inatteso in posizione 7"),
        ("${a} + 1", "carattere inatteso '+' in posizione 6"),
        ("foo(${a})", "funzione sconosciuta 'foo'; ammesse: selected, count-selected, not"),
        ("selected(${a})", "la funzione 'selected' vuole 2 argomenti"),
        ("selected('a', 'b')", "il primo argomento di 'selected' deve essere ${id}"),
        ("(${a} = 1", "l'espressione finisce troppo presto"),
        ("${a} = 1)", "')' inatteso in posizione 9"),
    ],
)
def test_parse_errors_are_located_and_in_italian(source, message):
    with pytest.raises(ExpressionError) as err:
        parse(source)
    assert str(err.value) == message


def test_no_python_evaluation():
    with pytest.raises(ExpressionError):
        parse("__import__('os').system('true')")
