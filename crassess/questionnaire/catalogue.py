"""Questionnaire catalogue: listing, validating many files, describing one (rich)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.console import Group, RenderableType
from rich.text import Text

from crassess.errors import CrassessError, Problem
from crassess.i18n import fmt_number, pick
from crassess.questionnaire.load import (
    LEVELS_FILE,
    SERVICES_FILE,
    load_questionnaire,
    questionnaire_files,
    shipped_dir,
    shipped_files,
    shipped_services,
    validate_level_guide,
    validate_services,
)
from crassess.questionnaire.models import LevelGuide, Questionnaire, ServiceCatalogue
from crassess.sources import load_data


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


Validated = Questionnaire | ServiceCatalogue | LevelGuide


def _validate_one(path: Path) -> Validated:
    """A questionnaire, a service catalogue (named ``servizi.yaml``, or a top-level ``services`` list) or a
    level guide (named ``livelli.yaml``, or a top-level ``levels`` list with no questions and no id)."""
    if path.name not in (SERVICES_FILE, LEVELS_FILE) and path.is_file():
        data, lines = load_data(path)
        plain = isinstance(data, dict) and "questions" not in data
        if plain and isinstance(data.get("services"), list):
            return validate_services(data, str(path), lines)
        if plain and isinstance(data.get("levels"), list) and "id" not in data:
            return validate_level_guide(data, str(path), lines)
        return load_questionnaire(path)
    data, lines = load_data(path)
    if path.name == LEVELS_FILE:
        return validate_level_guide(data, str(path), lines)
    return validate_services(data, str(path), lines)


def validate_files(paths: list[Path] | None) -> list[tuple[Path, Validated | None, tuple[Problem, ...]]]:
    """Each file validated (default: the shipped questionnaires, service catalogue and level guide), with its problems."""
    if paths is None:
        paths = shipped_files() + [p for p in (shipped_services(), shipped_dir() / LEVELS_FILE) if p.is_file()]
    results: list[tuple[Path, Validated | None, tuple[Problem, ...]]] = []
    for f in paths:
        try:
            results.append((f, _validate_one(f), ()))
        except CrassessError as exc:
            results.append((f, None, exc.problems or (Problem(str(f), "", str(exc)),)))
    return results


_WORDS = {
    "it": {"dimension": "Dimensione", "weight": "peso", "target": "obiettivo", "if": "se", "scored": "con punteggio",
           "unscored": "senza punteggio", "optional": "facoltativa", "dk": "Non so", "na": "Non applicabile",
           "constraint": "vincolo", "levels": "Livelli", "no_dimension": "Domande senza dimensione",
           "effort": "impegno", "low": "basso", "medium": "medio", "high": "alto", "service": "servizio",
           "min_size": "dimensione minima"},
    "en": {"dimension": "Dimension", "weight": "weight", "target": "target", "if": "if", "scored": "scored",
           "unscored": "unscored", "optional": "optional", "dk": "Don't know", "na": "Not applicable",
           "constraint": "constraint", "levels": "Levels", "no_dimension": "Questions without dimension",
           "effort": "effort", "low": "low", "medium": "medium", "high": "high", "service": "service",
           "min_size": "minimum size"},
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
                flags.append(w["dk"] + (" = 0" if q.is_scored(x) and q.dont_know_of(x) == "zero" else ""))
            if x.allow_na:
                flags.append(w["na"])
            parts.append(Text(f"  {x.id}: {pick(x.label, lang)}  [{', '.join(flags)}]"))
            service = q.service_catalogue.by_id.get(x.service or "") if q.service_catalogue else None
            roadmap = [f"{w['effort']} {w[x.effort]}" if x.effort else "",
                       f"{w['service']} {pick(service.label, lang) if service else ''} ({x.service})" if x.service else "",
                       f"{w['min_size']} {x.min_size}" if x.min_size else ""]
            if any(roadmap):
                parts.append(Text("      " + ", ".join(r for r in roadmap if r), style="dim"))
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
