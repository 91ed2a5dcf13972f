"""Neutralising respondent text for the terminal, spreadsheets, CSV, JSON, Markdown and file names: the one home."""

from __future__ import annotations

import hashlib
import re
import unicodedata

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")
_MD_LEADING = re.compile(r"^(\s*)([#>+\-=!]|\d+[.)](\s|$))")
_RESERVED_NAMES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])")
# C0 controls but tab and newlines, DEL, C1 controls (0x9b is a one-byte CSI) and the bidi overrides and isolates
# that reorder what is shown ("Trojan Source"): none belongs in a name or an answer.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_JSON_RAW = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(value: object, one_line: bool = False) -> str:
    """Text safe to print on a terminal: control characters shown as visible escapes (``\\x1b``, ``\\u202e``).

    No respondent text can then start an escape sequence (clear the screen, move the cursor, write the
    clipboard with OSC 52), return the carriage, ring the bell or reorder what is shown. Tab and newline are
    kept. Rich never reads markup in crassess output (its consoles are made with ``markup=False``), so
    ``[/]`` and ``[bold]`` in a name are printed as they are. ``one_line`` folds tabs and newlines into single
    spaces (a name in a title, a label in a list).
    """
    text = _TERMINAL.sub(_visible, str(value))
    return " ".join(text.split()) if one_line else text


def terminal_json(text: str) -> str:
    """JSON text (dumped with ``ensure_ascii=False``, which escapes C0 controls) with DEL, C1 controls and bidi
    overrides written as ``\\uXXXX`` too: the same data, safe on a terminal."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def neutralise_formula(text: str) -> str:
    """Text a spreadsheet will not run as a formula: a leading apostrophe when it starts with = + - @ tab CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def strip_control(text: str) -> str:
    """Text without control characters (other than tab and newlines), which spreadsheets reject, nor C1
    controls and bidi overrides: for data written to files (Excel, CSV, Markdown)."""
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
