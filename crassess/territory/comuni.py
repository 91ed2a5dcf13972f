"""The comuni of the territory (ISTAT code and name): lookup by code or name, tolerant of case and accents."""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t

DEFAULT_TERRITORY = Path(__file__).resolve().parent.parent / "data" / "comuni_cremona.csv"

register({
    "comune.unknown": {"it": "comune '{value}' sconosciuto", "en": "unknown comune '{value}'"},
    "comune.did_you_mean": {"it": "forse: {options}?", "en": "did you mean: {options}?"},
    "comune.bad_file": {"it": "attese le colonne 'istat' e 'nome' (codice ISTAT di 6 cifre e nome)", "en": "expected columns 'istat' and 'nome' (6-digit ISTAT code and name)"},
    "comune.bad_row": {"it": "codice ISTAT '{code}' non valido: attese 6 cifre", "en": "invalid ISTAT code '{code}': 6 digits expected"},
    "comune.duplicate": {"it": "codice ISTAT '{code}' ripetuto", "en": "ISTAT code '{code}' repeated"},
})


@dataclass(frozen=True)
class Comune:
    istat: str
    nome: str


def normalise(text: str) -> str:
    """Case-, accent-, apostrophe- and space-insensitive key ("Ca' d'Andrea" == "ca d andrea")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    for ch in "'’`´-.":
        plain = plain.replace(ch, " ")
    return " ".join(plain.split())


@dataclass(frozen=True)
class Territory:
    comuni: tuple[Comune, ...]
    source: str

    def by_code(self) -> dict[str, Comune]:
        return {c.istat: c for c in self.comuni}

    def find(self, value: str | int) -> Comune | None:
        """The comune for an ISTAT code (leading zeros optional) or a name, else ``None``."""
        text = str(value).strip()
        if text.isdigit():
            return self.by_code().get(text.zfill(6))
        key = normalise(text)
        for c in self.comuni:
            if normalise(c.nome) == key:
                return c
        return None

    def suggestions(self, value: str, n: int = 3) -> list[Comune]:
        names = {normalise(c.nome): c for c in self.comuni}
        key = normalise(str(value))
        close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)
        starts = [k for k in names if k.startswith(key)] if len(key) >= 3 else []
        ordered = list(dict.fromkeys(close + starts))[:n]
        return [names[k] for k in ordered]

    def resolve(self, value: str | int, file: str = "", place: str = "") -> Comune:
        """Like :meth:`find`, or :class:`InvalidInput` with a "did you mean" suggestion."""
        found = self.find(value)
        if found:
            return found
        message = t("comune.unknown", value=value)
        hints = self.suggestions(str(value))
        if hints:
            message += "; " + t("comune.did_you_mean", options=", ".join(f"{c.nome} ({c.istat})" for c in hints))
        raise InvalidInput(problems=[Problem(file, place, message)])


@lru_cache(maxsize=8)
def load_territory(path: Path | None = None) -> Territory:
    """The comuni list: the shipped Province of Cremona, or a CSV ``istat,nome`` of another territory."""
    path = path or DEFAULT_TERRITORY
    problems: list[Problem] = []
    comuni: list[Comune] = []
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"istat", "nome"} <= {f.strip().lower() for f in reader.fieldnames}:
                raise InvalidInput(problems=[Problem(str(path), t("place.line", line=1), t("comune.bad_file"))])
            for lineno, row in enumerate(reader, start=2):
                row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
                code = row["istat"]
                if not (code.isdigit() and len(code) <= 6):
                    problems.append(Problem(str(path), t("place.line", line=lineno), t("comune.bad_row", code=code)))
                    continue
                code = code.zfill(6)
                if code in seen:
                    problems.append(Problem(str(path), t("place.line", line=lineno), t("comune.duplicate", code=code)))
                seen.add(code)
                comuni.append(Comune(code, row["nome"]))
    except OSError as exc:
        raise InvalidInput(problems=[Problem(str(path), "", t("file.unreadable", error=exc.strerror))]) from None
    if problems:
        raise InvalidInput(problems=problems)
    return Territory(tuple(sorted(comuni, key=lambda c: c.istat)), str(path))
