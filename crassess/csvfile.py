"""The one CSV writer of crassess: the separator a spreadsheet of the user's language expects, optional decimal
comma, cells that never run as formulas. Every CSV crassess writes (exports, errors reports, templates, match
files) goes through :func:`csv_bytes`; :func:`sniff_separator` is how crassess reads one back.

Excel and LibreOffice with Italian settings split a CSV on ``;`` (the comma is their decimal separator), so a
comma-separated file opens as one column: Italian gets ``;``, English ``,``; ``--sep`` chooses.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from crassess.i18n import get_language
from crassess.safe_text import neutralise_formula, strip_control

SEPARATORS = {";": ";", ",": ",", "tab": "\t"}  # the values of --sep
_SNIFFED = (";", ",", "\t")


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV is written: separator, decimal comma for numbers with decimals, UTF-8 BOM (Excel shows accents)."""

    sep: str = ";"
    decimal_comma: bool = False
    bom: bool = True

    @classmethod
    def for_language(cls, lang: str | None, sep: str | None = None, decimal_comma: bool = False, bom: bool = True) -> CsvStyle:
        """``sep`` as given to ``--sep`` (``;``, ``,``, ``tab``), else ``;`` in Italian and ``,`` in English
        (``lang`` None: the current language)."""
        chosen = SEPARATORS[sep] if sep else (";" if (lang or get_language()) == "it" else ",")
        return cls(chosen, decimal_comma, bom)


def csv_cell(value: Any, style: CsvStyle) -> str:
    """One cell as text: empty for None, ``true``/``false``, numbers with the style's decimal mark, text without
    control characters and with a leading ``'`` when a spreadsheet could take it for a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace(".", ",") if style.decimal_comma else repr(value)
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(strip_control(str(value)))


def csv_bytes(header: Sequence[str] | None, rows: Iterable[Sequence[Any]], style: CsvStyle) -> bytes:
    """The whole file: UTF-8 (with a BOM unless ``style.bom`` is false), CRLF line ends, quotes only where needed."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=style.sep, lineterminator="\r\n")
    if header is not None:
        writer.writerow([csv_cell(h, style) for h in header])
    writer.writerows([csv_cell(v, style) for v in row] for row in rows)
    return ("\ufeff" if style.bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def sniff_separator(text: str) -> str:
    """The separator of a CSV from its first non-empty line (within the first 64 KiB): the one giving most cells (``;`` wins a tie)."""
    first = next((line for line in text[:65536].splitlines() if line.strip()), "")  # bounded: a huge file
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _SNIFFED}
    return max(counts, key=lambda d: (counts[d], d == ";"))
