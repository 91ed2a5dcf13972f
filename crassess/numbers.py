"""Reading numbers written the Italian or the English way: the one number parser of crassess.

Every number that comes in (interview, ``--answers`` files, returned workbooks and CSV files, indicator
files, profile sizes) goes through :func:`parse_number`. The rules, in order:

1. A number given by a program (``int``, ``float``, ``Decimal``) is taken as it is; ``bool``, NaN and
   infinities are not numbers.
2. Text: surrounding spaces are ignored; a sign (``+``, ``-`` or the minus ``−``) may lead; then digits, at
   most one decimal mark (``.`` or ``,``) and thousands separators (``.``, ``,``, space, non-breaking or
   thin space, apostrophe) between groups of exactly three digits, the first group of one to three.
3. ``.`` and ``,`` both present: the last one is the decimal mark (once), the other separates thousands:
   ``1.234,5`` and ``1,234.5`` are 1234.5.
4. One mark repeated: thousands (``1.000.000`` and ``1,000,000`` are 1000000). A space or apostrophe
   separating thousands makes the ``.`` or ``,`` the decimal mark (``1 234,5``).
5. One mark, once: a decimal mark unless exactly three digits follow one to three digits (``2,5``,
   ``0,500``, ``1234,567`` are decimals). ``2.500`` and ``2,500`` can be read both ways (2500 or 2.5):
   a. when the file's decimal mark is known (``decimal=``, e.g. from :func:`decimal_mark`), it decides;
   b. three zeros after the mark (``1.000``, ``1,000``) are thousands: nobody writes 1 as 1,000;
   c. where a whole number is expected, thousands (the other reading is not a whole number);
   d. otherwise the text is refused as ambiguous, naming both readings.
6. A trailing ``%`` only where the question's unit is ``%`` (``percent=True``): the number as written
   (``50%`` is 50, not 0.5); elsewhere it is refused. A spreadsheet cell formatted as a percentage holds
   the fraction (0.5 for 50%): :func:`percent_cell` gives the points.
7. Where a whole number is expected (``integer=True``), a fractional part other than zero is refused.
8. Nothing else is a number: letters, exponents (``1e5``), brackets, ``nan``, ``inf``, text over 40
   characters.

The result is an ``int`` when the value is whole, else a ``float``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Literal

from crassess.errors import InvalidInput, Problem
from crassess.i18n import fmt_number, get_language, register, t

Mark = Literal[".", ","]
Number = int | float

register({
    "num.ambiguous": {
        "it": "'{value}' è ambiguo: può essere {thousands} (separatore delle migliaia) o {decimal} (decimale); scrivere {thousands} oppure {decimal}",
        "en": "'{value}' is ambiguous: it may be {thousands} (thousands separator) or {decimal} (decimal); write {thousands} or {decimal}",
    },
    "num.percent": {
        "it": "'{value}' è una percentuale, ma qui si chiede un numero senza %",
        "en": "'{value}' is a percentage, but a number without % is asked for here",
    },
})

MAX_TEXT = 40
_SPACES = " \u00a0\u202f\u2009"
_GROUPING = _SPACES + "'’"
_SHAPE = re.compile(r"[0-9.,'’ \u00a0\u202f\u2009]*[0-9]")
_MINUS = "-−‐‒–"


class NumberError(InvalidInput):
    """Text that is not a number here; ``reason`` is ``not_number``, ``not_integer``, ``ambiguous`` or ``percent``.

    ``message`` is in the user's language; the single problem carries the ``file`` and ``place`` given.
    """

    def __init__(self, reason: str, message: str, value: object, file: str = "", place: str = ""):
        self.reason, self.message, self.value = reason, message, value
        super().__init__(problems=[Problem(file, place, message)])


def parse_number(value: object, *, integer: bool = False, percent: bool = False, decimal: Mark | None = None,
                 file: str = "", place: str = "") -> Number:
    """The number ``value`` stands for, by the rules above, or :class:`NumberError` saying why not.

    ``integer``: a whole number is expected; ``percent``: the question's unit is % (a trailing % allowed);
    ``decimal``: the decimal mark of the file the text comes from, when known. ``file`` and ``place``
    locate the problem (e.g. ``"risposta.csv"``, ``"riga 12"``).
    """
    try:
        number = _parse(value, integer, percent, decimal)
    except _Refused as exc:
        raise NumberError(exc.reason, exc.message, value, file, place) from None
    return number


def read_number(value: object, *, integer: bool = False, percent: bool = False,
                decimal: Mark | None = None) -> tuple[Number | None, str | None]:
    """``(number, None)``, or ``(None, message)`` when ``value`` is not a number here (see :func:`parse_number`)."""
    try:
        return _parse(value, integer, percent, decimal), None
    except _Refused as exc:
        return None, exc.message


def percent_cell(fraction: object, *, integer: bool = False, percent: bool = False,
                 file: str = "", place: str = "") -> Number:
    """The value of a spreadsheet cell formatted as a percentage, which holds the fraction (0.5 shows as 50%).

    Where the question's unit is % (``percent``) the points as shown (50); elsewhere :class:`NumberError`.
    """
    try:
        if not isinstance(fraction, (int, float, Decimal)) or isinstance(fraction, bool):
            raise _Refused("not_number", _not_number(fraction, integer))
        points = _whole(Decimal(repr(fraction) if isinstance(fraction, float) else fraction) * 100)
        if not percent:
            shown = f"{fmt_number(points, decimals=_decimals(points))}%"
            raise _Refused("percent", t("num.percent", value=shown))
        if integer and not isinstance(points, int):
            raise _Refused("not_integer", t("r.expected_integer", value=f"{points}%"))
        return points
    except _Refused as exc:
        raise NumberError(exc.reason, exc.message, fraction, file, place) from None
    except (InvalidOperation, ValueError):
        raise NumberError("not_number", _not_number(fraction, integer), fraction, file, place) from None


def decimal_mark(texts: Iterable[object]) -> Mark | None:
    """The decimal mark a set of texts (a file's cells) shows unambiguously, else ``None``.

    ``1.234,5``, ``12,5``, ``0,5`` and ``1.000.000`` show ``,``; ``1,234.5``, ``12.5`` and ``1,000,000``
    show ``.``; ``2.500`` shows nothing. Texts showing both marks give ``None``.
    """
    seen: set[str] = set()
    for text in texts:
        if isinstance(text, str) and len(text) <= MAX_TEXT:
            mark = _evidence(_body(text.strip())[0])
            if mark:
                seen.add(mark)
                if len(seen) > 1:
                    return None
    return next(iter(seen)) if len(seen) == 1 else None  # type: ignore[return-value]


# ------------------------------------------------------------------ the rules


class _Refused(Exception):
    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason, self.message = reason, message


def _not_number(value: object, integer: bool) -> str:
    return t("r.expected_integer" if integer else "r.expected_number", value=value)


def _whole(number: Decimal | float | int) -> Number:
    """An ``int`` when the value is whole, else a ``float``."""
    if isinstance(number, int):
        return number
    if isinstance(number, float):
        return int(number) if number.is_integer() else number
    return int(number) if number == number.to_integral_value() else float(number)


def _decimals(number: Number) -> int:
    return 0 if isinstance(number, int) else min(6, len(repr(number).split(".")[-1]))


def _parse(value: object, integer: bool, percent: bool, decimal: Mark | None) -> Number:
    if isinstance(value, bool):
        raise _Refused("not_number", _not_number(value, integer))
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value) or isinstance(value, Decimal) and not value.is_finite():
            raise _Refused("not_number", _not_number(value, integer))
        number = _whole(value)
    elif isinstance(value, str):
        number = _parse_text(value, integer, percent, decimal)
    else:
        raise _Refused("not_number", _not_number(value, integer))
    if integer and not isinstance(number, int):
        raise _Refused("not_integer", t("r.expected_integer", value=value))
    return number


def _body(text: str) -> tuple[str, int, bool]:
    """(digits and separators, sign, whether a % ended the text)."""
    is_percent = text.endswith(("%", "％"))
    if is_percent:
        text = text[:-1].rstrip(_SPACES)
    sign = 1
    if text and text[0] in _MINUS + "+":
        sign = -1 if text[0] in _MINUS else 1
        text = text[1:].lstrip(_SPACES)
    return text, sign, is_percent


def _parse_text(value: str, integer: bool, percent: bool, decimal: Mark | None) -> Number:
    text = value.strip(_SPACES + "\t\r\n")
    if len(text) > MAX_TEXT:
        raise _Refused("not_number", _not_number(value, integer))
    body, sign, is_percent = _body(text)
    if not _SHAPE.fullmatch(body) or body[0] in _GROUPING:
        raise _Refused("not_number", _not_number(value, integer))
    if is_percent and not percent:
        raise _Refused("percent", t("num.percent", value=value.strip()))
    readings = _readings(body)
    if not readings:
        raise _Refused("not_number", _not_number(value, integer))
    if len(readings) == 2:
        readings = _choose(body, readings, integer, decimal)
    if len(readings) == 2:
        thousands, dec = (sign * _whole(r) for r in readings)
        shown = str(dec).replace(".", ",") if get_language() == "it" else str(dec)
        raise _Refused("ambiguous", t("num.ambiguous", value=value.strip(), thousands=thousands, decimal=shown))
    return sign * _whole(readings[0])


def _grouped(part: str, sep: str) -> str | None:
    """``part`` without its thousands separators ``sep`` when they are in the right places, else ``None``."""
    groups = part.split(sep) if sep else [part]
    if not groups[0] or not groups[0].isdigit():
        return None
    if len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 or not g.isdigit() for g in groups[1:])):
        return None
    return "".join(groups)


def _number(whole: str | None, fraction: str = "") -> Decimal | None:
    if whole is None or (fraction and not fraction.isdigit()):
        return None
    return Decimal(f"{whole or '0'}.{fraction or '0'}")


def _readings(body: str) -> list[Decimal]:
    """Every reading of ``body`` allowed by rules 2-5: none (not a number), one, or two (thousands, decimal)."""
    grouping = {ch for ch in body if ch in _GROUPING}
    marks = [ch for ch in body if ch in ".,"]
    if len(grouping) > 1 or (grouping and len(set(marks)) > 1):
        return []
    if grouping:
        sep = grouping.pop()
        if len(marks) > 1:
            return []
        whole, _, fraction = body.partition(marks[0]) if marks else (body, "", "")
        found = _number(_grouped(whole, sep), fraction)
        return [found] if found is not None and (not marks or fraction) else []
    if not marks:
        return [Decimal(body)]
    if len(set(marks)) == 2:
        point = body.rfind(".") if body.rfind(".") > body.rfind(",") else body.rfind(",")
        mark, other = body[point], "," if body[point] == "." else "."
        whole, fraction = body[:point], body[point + 1:]
        found = _number(_grouped(whole, other), fraction) if whole.count(mark) == 0 and fraction else None
        return [found] if found is not None else []
    mark = marks[0]
    if len(marks) > 1:
        found = _number(_grouped(body, mark))
        return [found] if found is not None else []
    whole, _, fraction = body.partition(mark)
    if not fraction:
        return []
    as_decimal = _number(whole or "0", fraction)
    if as_decimal is None:
        return []
    if len(fraction) != 3 or not whole or whole.startswith("0") or len(whole) > 3:
        return [as_decimal]
    return [Decimal(whole + fraction), as_decimal]


def _choose(body: str, readings: list[Decimal], integer: bool, decimal: Mark | None) -> list[Decimal]:
    """Rule 5: the reading the context allows, or both when it is genuinely ambiguous."""
    mark = "." if "." in body else ","
    thousands, as_decimal = readings
    if decimal:
        return [as_decimal] if decimal == mark else [thousands]
    if body.endswith("000") or integer:
        return [thousands]
    return readings


def _evidence(body: str) -> str | None:
    """The decimal mark one text shows by itself (see :func:`decimal_mark`)."""
    marks = [ch for ch in body if ch in ".,"]
    if not marks or not _SHAPE.fullmatch(body or "x"):
        return None
    readings = _readings(body)
    if len(readings) != 1:
        return None
    if len(set(marks)) == 2:
        return body[max(body.rfind("."), body.rfind(","))]
    if len(marks) > 1:
        return "," if marks[0] == "." else "."
    if any(ch in _GROUPING for ch in body):
        return marks[0]
    return marks[0] if body.partition(marks[0])[2] else None
