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
