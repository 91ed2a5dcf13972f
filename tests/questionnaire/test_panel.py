"""The panel of realistic respondents (issue 11): twelve hand-written answer files, four per sector.

Each file goes through the real ``interview --answers`` path (profile and answers checked, response
saved, scored); the level must be the one an expert expects (tests/panel/panel.yaml), and the table in
questionnaires/README.md must show exactly these scores.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml

from crassess.interview.answers_file import interview_from_file
from crassess.interview.dialog import InterviewResult
from crassess.interview.drafts import DraftStore
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Questionnaire
from crassess.territory.comuni import load_territory

ROOT = Path(__file__).resolve().parents[2]
PANEL_DIR = ROOT / "tests" / "panel"
PANEL = yaml.safe_load((PANEL_DIR / "panel.yaml").read_text(encoding="utf-8"))
README = ROOT / "questionnaires" / "README.md"


def _sector(name: str) -> str:
    return name.split("-", 1)[0]


def _questionnaire(name: str) -> Questionnaire:
    return load_questionnaire(ROOT / "questionnaires" / f"{_sector(name)}.yaml")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, InterviewResult]:
    store = DraftStore(campaign=tmp_path_factory.mktemp("panel"))
    out = {}
    for name in PANEL:
        qn = _questionnaire(name)
        out[name] = interview_from_file(qn, PANEL_DIR / name, store, load_territory(), lang="it", today=date(2026, 12, 2),
                                        clock=lambda: datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc))
    return out


def test_four_respondents_per_sector_each_answering_every_question() -> None:
    assert Counter(_sector(name) for name in PANEL) == {"comune": 4, "associazione": 4, "impresa": 4}
    assert sorted(p.name for p in PANEL_DIR.glob("*-*.yaml")) == sorted(PANEL)
    for name in PANEL:
        qn = _questionnaire(name)
        answers = yaml.safe_load((PANEL_DIR / name).read_text(encoding="utf-8"))["answers"]
        unanswered = {q.id for q in qn.questions if q.type != "text" and q.relevant is None} - set(answers)
        assert not unanswered, (name, unanswered)


@pytest.mark.parametrize("name", list(PANEL))
def test_panel_level_is_the_expected_one(results: dict[str, InterviewResult], name: str) -> None:
    outcome = results[name]
    assert outcome.warnings == ()
    assert outcome.result.complete and outcome.result.overall is not None
    assert outcome.result.level == PANEL[name]["level"], (name, outcome.result.overall)


def test_compliance_alone_does_not_reach_the_top_band(results: dict[str, InterviewResult]) -> None:
    # every compulsory platform adopted, nothing beyond: services stay below "Avanzato", the comune well below
    result = results["comune-adempimenti.yaml"].result
    assert result.dimensions["prontezza"].score == pytest.approx(744 / 13)
    assert result.level == "medio"


def _row(name: str, outcome: InterviewResult) -> str:
    qn = _questionnaire(name)
    level = qn.level_of(outcome.result.overall)
    assert level is not None
    overall = f"{outcome.result.overall:.1f}".replace(".", ",")
    return f"| `{name}` | {overall} | {level.label['it']} | {PANEL[name]['reason']['it']} |"


def test_readme_shows_the_panel_scores(results: dict[str, InterviewResult]) -> None:
    text = README.read_text(encoding="utf-8")
    for name, outcome in results.items():
        assert _row(name, outcome) in text, _row(name, outcome)
