"""Questionnaire catalogue: listing, validating many files, describing one (rich)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text

from crassess.errors import CrassessError, Problem
from crassess.i18n import fmt_number, pick
from crassess.questionnaire.load import (
    load_questionnaire,
    questionnaire_files,
    shipped_files,
)
from crassess.questionnaire.models import Questionnaire


@dataclass(frozen=True)
class CatalogRow:
    file: Path
    questionnaire: Questionnaire | None
    error: bool
    shipped: bool


def list_questionnaires() -> list[CatalogRow]:
    rows = []
    shipped = set(shipped_files())
    for f in questionnaire_files():
        try:
            rows.append(CatalogRow(f, load_questionnaire(f), False, f in shipped))
        except CrassessError:
            rows.append(CatalogRow(f, None, True, f in shipped))
    return rows


def validate_files(paths: list[Path] | None) -> list[tuple[Path, Questionnaire | None, tuple[Problem, ...]]]:
    results = []
    for f in paths if paths is not None else shipped_files():
        try:
            results.append((f, load_questionnaire(f), ()))
        except CrassessError as exc:
            results.append((f, None, exc.problems or (Problem(str(f), "", str(exc)),)))
    return results


_WORDS = {
    "it": {"dimension": "Dimensione", "weight": "peso", "target": "obiettivo", "if": "se", "scored": "con punteggio",
           "unscored": "senza punteggio", "optional": "facoltativa", "dk": "Non so", "na": "Non applicabile",
           "constraint": "vincolo", "levels": "Livelli", "no_dimension": "Domande senza dimensione"},
    "en": {"dimension": "Dimension", "weight": "weight", "target": "target", "if": "if", "scored": "scored",
           "unscored": "unscored", "optional": "optional", "dk": "Don't know", "na": "Not applicable",
           "constraint": "constraint", "levels": "Levels", "no_dimension": "Questions without dimension"},
}


def describe(q: Questionnaire, lang: str) -> RenderableType:
    """A readable outline: levels, then each dimension with its questions, choices and scores."""
    w = _WORDS[lang]
    parts: list[RenderableType] = [Text(f"{pick(q.title, lang)}  ({q.id} {q.version}, {q.sector})", style="bold")]
    bands = ", ".join(f"{pick(lv.label, lang)} ≥ {lv.from_:g}" for lv in q.levels)
    parts.append(Text(f"{w['levels']}: {bands}"))
    groups: list[tuple[str, list]] = [
        (f"{w['dimension']} {d.id}: {pick(d.label, lang)} ({w['weight']} {d.weight:g}, {w['target']} {q.target_of(d):g})",
         [x for x in q.questions if x.dimension == d.id])
        for d in q.dimensions
    ]
    groups.append((w["no_dimension"], [x for x in q.questions if x.dimension is None]))
    for head, questions in groups:
        if not questions:
            continue
        parts.append(Text(""))
        parts.append(Text(head, style="bold cyan"))
        for x in questions:
            flags = [x.type, w["scored"] if q.is_scored(x) else w["unscored"]]
            if x.weight != 1:
                flags.append(f"{w['weight']} {x.weight:g}")
            if not x.required:
                flags.append(w["optional"])
            if x.allow_dk:
                flags.append(w["dk"])
            if x.allow_na:
                flags.append(w["na"])
            parts.append(Text(f"  {x.id}: {pick(x.label, lang)}  [{', '.join(flags)}]"))
            if x.relevant:
                parts.append(Text(f"      {w['if']} {x.relevant}", style="dim"))
            if x.constraint:
                parts.append(Text(f"      {w['constraint']} {x.constraint}", style="dim"))
            for c in q.choices_of(x):
                score = f" = {fmt_number(c.score, lang, 0)}" if c.score is not None else ""
                excl = " (exclusive)" if c.exclusive else ""
                parts.append(Text(f"      - {c.value}: {pick(c.label, lang)}{score}{excl}"))
            if x.scoring and x.scoring.bands:
                parts.append(Text("      " + ", ".join(f"≥{a:g} → {b:g}" for a, b in x.scoring.bands)))
            elif x.scoring:
                parts.append(Text(f"      {x.scoring.min:g} → 0, {x.scoring.max:g} → 100"))
    return Group(*parts)
