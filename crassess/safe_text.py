"""Neutralising respondent text for spreadsheets, CSV, Markdown and file names."""

from __future__ import annotations

import hashlib
import re
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-=!]|\d+[.)](\s|$))")
_RESERVED_NAMES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading apostrophe when it starts with = + - @ tab CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def strip_control(text: str) -> str:
    """Text without control characters (other than tab and newlines), which spreadsheets reject."""
    return _CONTROL.sub("", text)


def md_cell(value: object) -> str:
    """Respondent text made inert in Markdown (also inside a table cell): one line, no HTML, no table
    breaks, no formatting, no leading heading/list/quote marker."""
    s = " ".join(strip_control(str(value)).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_SPECIAL.sub(r"\\\1", s)
    match = _MD_LEADING.match(s)
    if match:
        s = match.group(1) + "\\" + s[len(match.group(1)):]
    return s


def safe_filename(text: str, fallback: str = "file", max_length: int = 60) -> str:
    """A portable file name stem from user text: lower-case ASCII letters, digits and '-' only; never
    empty, never a path, never a name Windows reserves ("Caffè L'Arte srl" -> "caffe-l-arte-srl")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:max_length].strip("-")
    if _RESERVED_NAMES.fullmatch(slug):
        slug += "-1"
    return slug or fallback


def pseudonym(key: str, prefix: str = "R-", length: int = 10) -> str:
    """A stable pseudonym: the same key always gives the same one, and the key cannot be read back."""
    return prefix + hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]
