"""Neutralising respondent text for spreadsheets, CSV, Markdown and file names."""

from __future__ import annotations

import hashlib
import re
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading apostrophe when it starts with = + - @ tab CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def strip_control(text: str) -> str:
    """Text without control characters (other than tab and newlines), which spreadsheets reject."""
    return _CONTROL.sub("", text)


def md_cell(value: object) -> str:
    """A value safe inside a Markdown table cell: one line, Markdown and HTML characters escaped."""
    text = _LINE_BREAKS.sub(" ", strip_control(str(value)))
    return _MD_SPECIAL.sub(r"\\\1", text)


def safe_filename(text: str, fallback: str = "file", max_length: int = 60) -> str:
    """A portable file name stem from user text: ASCII letters, digits, '-' and '_' only."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:max_length].strip("-")
    return slug or fallback


def pseudonym(key: str, prefix: str = "R-", length: int = 10) -> str:
    """A stable pseudonym: the same key always gives the same one, and the key cannot be read back."""
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]
