"""Two small waves of a campaign, written inline (shared by the territory tests)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write_files

MINI = """
id: {id}
version: "{version}"
sector: {sector}
title: {{it: Mini, en: Mini}}
levels:
  - {{id: basso, from: 0, label: {{it: Basso, en: Low}}}}
  - {{id: alto, from: 50, label: {{it: Alto, en: High}}}}
dimensions:
  - {{id: conn, label: {{it: Connettività, en: Connectivity}}}}
  - {{id: comp, label: {{it: Competenze, en: Skills}}}}
choices:
  scala:
    - {{value: "0", label: {{it: Per nulla, en: Not at all}}, score: 0}}
    - {{value: "1", label: {{it: In parte, en: Partly}}, score: {mid}}}
    - {{value: "2", label: {{it: Del tutto, en: Fully}}, score: 100}}
questions:
  - {{id: q1, type: select_one, choices: scala, dimension: conn, label: {{it: "Fibra?", en: "Fibre?"}}}}
  - {{id: q2, type: select_one, choices: scala, dimension: comp, label: {{it: "{q2_label}", en: "Training?"}}}}
  - {{id: nota, type: text, required: false, label: {{it: Nota, en: Note}}}}
"""


def questionnaire(qid: str = "mini", version: str = "1.0", sector: str = "impresa", mid: int = 50, q2_label: str = "Formazione?") -> str:
    return MINI.format(id=qid, version=version, sector=sector, mid=mid, q2_label=q2_label)


LEVEL = {0: "0", 50: "1", 100: "2"}


def response(rid: str, name: str, comune: str, q1: int, q2: int, qid: str = "mini", version: str = "1.0", **extra: object) -> str:
    data = {
        "id": rid,
        "questionnaire": {"id": qid, "version": version},
        "respondent": {"name": name, "comune": comune, **extra},
        "answers": {"q1": LEVEL[q1], "q2": LEVEL[q2]},
        "status": "complete",
    }
    return json.dumps(data, ensure_ascii=False)


def campaign(root: Path, wave: str, responses: dict[str, str], questionnaires: dict[str, str] | None = None) -> Path:
    files = {"campaign.yaml": f"name: Cremona digitale\nwave: {wave}\n"}
    for name, text in (questionnaires or {"mini.yaml": questionnaire(), "mini_comune.yaml": questionnaire("mini_comune", sector="comune")}).items():
        files[f"questionnaires/{name}"] = text
    for name, text in responses.items():
        files[f"responses/{name}.json"] = text
    write_files(root, files)
    return root


def wave_t0(root: Path, version: str = "1.0", questionnaires: dict[str, str] | None = None) -> Path:
    c = "mini_comune"
    return campaign(root, "2026-T0", {
        "i1": response("r-i1", "Alfa snc", "Cremona", 0, 0, version=version),
        "i2": response("r-i2-a", "Beta spa", "Crema", 50, 50, id="IMP-2", version=version),
        "i3": response("r-i3-a", "Rossi S.r.l.", "Cremona", 100, 100, version=version),
        "i4": response("r-i4-a", "Caffè Verdi", "Crema", 0, 50, version=version),
        "i5": response("r-i5-a", "Gamma", "Soresina", 50, 0, version=version),
        "c1": response("r-c1-a", "Comune di Soresina", "Soresina", 0, 0, qid=c),
        "c2": response("r-c2-a", "Comune di Crema", "Crema", 50, 50, qid=c),
        "solo": response("r-solo-a", "Solo T0", "Cremona", 100, 100, version=version),
    }, questionnaires)


def wave_t1(root: Path, version: str = "1.0", questionnaires: dict[str, str] | None = None) -> Path:
    c = "mini_comune"
    return campaign(root, "2027-T1", {
        "i1": response("r-i1", "Alfa snc", "019036", 50, 50, version=version),
        "i2": response("r-i2-b", "Beta S.p.A.", "Crema", 100, 50, id="IMP-2", version=version),
        "i3": response("r-i3-b", "ROSSI srl", "cremona", 100, 100, version=version),
        "i4": response("r-i4-b", "caffe verdi", "CREMA", 50, 50, version=version),
        "i5": response("r-i5-b", "Gamma", "Soresina", 50, 0, version=version),
        "c1": response("r-c1-b", "Comune di Soresina", "Soresina", 100, 0, qid=c),
        "c2": response("r-c2-b", "Comune di Crema", "Crema", 50, 100, qid=c),
        "nuovo": response("r-new-b", "Nuovo T1", "Cremona", 0, 0, version=version),
    }, questionnaires)
