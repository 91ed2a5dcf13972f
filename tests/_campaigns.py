"""Small inline campaigns for the report tests: response files of examples/esempio.yaml."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "esempio.yaml"

# every answer given; scores: connettivita 80, strumenti 83.33, competenze 41.67, overall 71.25
BASE: dict[str, Any] = {
    "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
    "strumenti": ["cloud", "erp"], "fatturazione": "si",
    "addetti_formati": 25, "ore_perse": 5, "formazione": "no", "ostacoli": ["costi"],
}


def response(answers: dict[str, Any] | None = None, status: str = "complete", **respondent: Any) -> dict[str, Any]:
    return {
        "id": respondent.pop("id", None) or f"id-{respondent.get('name', 'x')}",
        "questionnaire": {"id": "esempio", "version": "1.0.0"},
        "respondent": respondent,
        "answers": {**BASE, **(answers or {})},
        "status": status,
    }


def make_campaign(root: Path, responses: dict[str, dict[str, Any]], name: str | None = None) -> Path:
    """A campaign folder with its own copy of the example questionnaire."""
    (root / "questionnaires").mkdir(parents=True, exist_ok=True)
    shutil.copy(EXAMPLE, root / "questionnaires" / "esempio.yaml")
    (root / "responses").mkdir(exist_ok=True)
    for file, data in responses.items():
        (root / "responses" / file).write_text(json.dumps(data), encoding="utf-8")
    if name:
        (root / "campaign.yaml").write_text(f"name: {json.dumps(name)}\n", encoding="utf-8")
    return root


# five businesses: formazione 0/0/50/100/0, velocita 20 (score 0) for B and E
FIVE = {
    "a.json": response({}, name="A srl", comune="Cremona", size=3),
    "b.json": response({"velocita": 20}, name="B srl", comune="Cremona", size=12),
    "c.json": response({"formazione": "parziale"}, name="C srl", comune="Cremona", size=30),
    "d.json": response({"formazione": "si"}, name="D srl", comune="Crema", size=60),
    "e.json": response({"velocita": 20}, name="E srl", comune="Cremona", size=4, contact="e@example.org"),
}
