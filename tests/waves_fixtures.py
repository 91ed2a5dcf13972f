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


def business_waves(root: Path) -> tuple[Path, Path]:
    """Two waves as they really come back: every response id new in the second, respondents recognised by their
    code (a moved one, a renamed one), two near misses without a code (another legal form; a move), three who
    left, three who entered, and a code reused on another questionnaire (not comparable)."""
    c = "mini_comune"
    a = campaign(root / "2026-T0", "2026-T0", {
        "c1": response("a-c1", "Alfa snc", "Cremona", 0, 0, id="C1"),
        "c2": response("a-c2", "Beta spa", "Crema", 50, 50, id="C2"),
        "c3": response("a-c3", "Gamma srl", "Soresina", 50, 0, id="C3"),
        "c4": response("a-c4", "Delta", "Cremona", 100, 50, id="C4"),
        "c5": response("a-c5", "Epsilon", "Crema", 0, 50, id="C5"),
        "c6": response("a-c6", "Zeta", "Cremona", 50, 100, id="C6"),
        "s8": response("a-s8", "Impresa sintetica 08 S.r.l.", "Cremona", 0, 0),
        "verdi": response("a-verdi", "Verdi Impianti", "Cremona", 50, 50),
        "l1": response("a-l1", "Lasciata Uno", "Cremona", 100, 100, id="L1"),
        "l2": response("a-l2", "Lasciata Due", "Crema", 0, 0, id="L2"),
        "l3": response("a-l3", "Lasciata Tre", "Soresina", 50, 50, id="L3"),
        "x1": response("a-x1", "Comune di Soresina", "Soresina", 50, 50, qid=c, id="X1"),
    })
    b = campaign(root / "2027-T1", "2027-T1", {
        "c1": response("b-c1", "Alfa snc", "Cremona", 50, 50, id="C1"),
        "c2": response("b-c2", "Beta S.p.A.", "Crema", 100, 50, id="c-2"),
        "c3": response("b-c3", "Gamma srl", "Crema", 50, 50, id="C3"),
        "c4": response("b-c4", "Delta", "Cremona", 100, 100, id="C4"),
        "c5": response("b-c5", "Epsilon", "Crema", 0, 50, id="C5"),
        "c6": response("b-c6", "Zeta", "Cremona", 50, 100, id="C6"),
        "s8": response("b-s8", "Impresa sintetica 08", "Cremona", 50, 0),
        "verdi": response("b-verdi", "Verdi Impianti", "Crema", 50, 100),
        "e1": response("b-e1", "Entrata Uno", "Cremona", 100, 100, id="E1"),
        "e2": response("b-e2", "Entrata Due", "Crema", 50, 100, id="E2"),
        "e3": response("b-e3", "Entrata Tre", "Soresina", 100, 50, id="E3"),
        "x1": response("b-x1", "Soresina Servizi", "Soresina", 0, 50, id="X1"),
    })
    for folder in (a, b):
        (folder / "campaign.yaml").write_text((folder / "campaign.yaml").read_text(encoding="utf-8") + "min_n: 3\n", encoding="utf-8")
    return a, b
