"""Messages and number display."""

from __future__ import annotations

import pytest

from crassess.i18n import fmt_number, register, t


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [(71.25, "it", 1, "71,3"), (71.25, "en", 1, "71.3"), (67.45, "it", 1, "67,5"), (-0.04, "it", 1, "0,0"),
     (100, "it", 0, "100"), (2.675, "en", 2, "2.68"), (None, "it", 1, "–")],
)
def test_fmt_number_rounds_half_up_with_decimal_comma(value, lang, decimals, expected):
    assert fmt_number(value, lang, decimals) == expected


def test_fmt_number_rounds_the_exact_value_of_a_float_sum():
    scores = [17.3, 75.3, 82.8, 9.6]  # mean 46.25 exactly; in floats 46.24999999999999
    mean = sum(scores) / len(scores)
    assert mean < 46.25 and repr(mean) == "46.24999999999999"
    assert (fmt_number(mean, "it"), fmt_number(mean, "en")) == ("46,3", "46.3")
    six = sum([59.2, 40.3, 66.2, 17.4, 17.2, 51.4]) / 6  # 41.95 exactly; 41.949999999999996 in floats
    assert (fmt_number(six, "it"), fmt_number(-six, "it")) == ("42,0", "-42,0")
    assert fmt_number(46.2499, "it") == "46,2"  # a value really below the half still rounds down
    assert fmt_number(46.2499999, "en", 1) == "46.2" and fmt_number(0.1 + 0.2, "en", 2) == "0.30"
    assert fmt_number(1e20, "en", 0) == "100000000000000000000"


def test_register_requires_both_languages_and_unique_keys():
    with pytest.raises(ValueError):
        register({"test.only_it": {"it": "x"}})
    register({"test.ok": {"it": "ciao {n}", "en": "hello {n}"}})
    assert t("test.ok", "en", n=2) == "hello 2"
    with pytest.raises(ValueError):
        register({"test.ok": {"it": "altro", "en": "other"}})


def test_singular_and_plural_texts():
    from crassess.i18n import tn

    register({"test.things": {"it": "{n} cose", "en": "{n} things"}, "test.things.one": {"it": "una cosa", "en": "one thing"}})
    assert [tn("test.things", n, "it") for n in (0, 1, 2)] == ["0 cose", "una cosa", "2 cose"]
    assert tn("test.things", 1, "en") == "one thing" and tn("test.things", 1.5, "en") == "1.5 things"
