"""The campaign audit: figures from scored responses, disclosure, determinism, the command."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crassess.campaign.scored import load_campaign
from crassess.cli.main import cli
from crassess.reports import audit_stats as st
from crassess.reports.audit import _structure, audit_campaign
from crassess.reports.audit_render import audit_markdown
from crassess.reports.audit_run import run_audit
from tests._campaigns import make_campaign, response

SPEEDS = (10, 50, 200, 2000)
SIPANO = ("si", "parziale", "no")


def _varied(n: int, seed: int = 5) -> dict:
    """``n`` businesses with a latent maturity, so that items of a dimension agree (high alpha) and differ."""
    rng = random.Random(seed)
    files = {}
    for i in range(n):
        level = rng.random()
        pick = lambda options: options[min(len(options) - 1, int((1 - level + rng.uniform(-.2, .2)) * len(options)))]  # noqa: E731
        answers = {
            "fibra_sede": pick(SIPANO), "velocita": pick(SPEEDS[::-1]), "wifi": pick(SIPANO),
            "strumenti": ["cloud", "erp"] if level > .5 else ["nessuno"], "fatturazione": "si",  # always "si": no variance
            "addetti_formati": round(50 * level), "ore_perse": round(20 * (1 - level)), "formazione": pick(SIPANO),
        }
        files[f"r{i:02d}.json"] = response(answers, name=f"Impresa {i}", comune="Cremona", size=5)
    return files


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory):
    root = make_campaign(tmp_path_factory.mktemp("big"), _varied(30), name="Prova")
    return load_campaign(root)


def test_item_figures_and_flags(big) -> None:
    qa = audit_campaign(big, draws=200).questionnaires[0]
    items = {i.question: i for i in qa.items}
    fatturazione = items["fatturazione"]
    assert (fatturazione.n, fatturazione.mean, fatturazione.sd) == (30, 100.0, 0.0)
    assert fatturazione.ceiling == 30 and set(fatturazione.flags) == {"variance", "ceiling"}
    speed = items["velocita"]
    expected = [r.result.items["velocita"].score for r in big.responses]
    assert speed.mean == pytest.approx(np.mean(expected)) and speed.sd == pytest.approx(np.std(expected, ddof=1))
    assert speed.counts == {"scored": 30, "dk": 0, "na": 0, "missing": 0, "not_relevant": 0}


def test_alpha_is_computed_on_complete_respondents(big) -> None:
    qa = audit_campaign(big, draws=50).questionnaires[0]
    competenze = next(d for d in qa.dimensions if d.id == "competenze")
    matrix = np.array([[r.result.items[q].score for q in competenze.items] for r in big.responses])
    assert competenze.n_complete == 30 and competenze.alpha == pytest.approx(st.cronbach_alpha(matrix))
    assert competenze.alpha > 0.7


def test_baseline_weights_reproduce_the_engine(big) -> None:
    qn = big.responses[0].questionnaire
    structure, items = _structure(qn)
    dims = [d.id for d in qn.dimensions]
    scores = np.array([[r.result.items[q.id].score if r.result.items[q.id].score is not None else np.nan for q in items]
                       for r in big.responses])
    scored = np.array([[r.result.dimensions[d].score is not None for d in dims] for r in big.responses])
    out = st.overall_scores(scores, structure, structure.item_weights[None, :], structure.dimension_weights[None, :], scored)
    assert out[:, 0] == pytest.approx([r.result.overall for r in big.responses])


def test_too_few_responses_withhold_every_figure(tmp_path) -> None:
    root = make_campaign(tmp_path / "c", dict(list(_varied(3).items())), name="Piccola")
    result = CliRunner().invoke(cli, ["audit", "--campaign", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "audit.md").read_text(encoding="utf-8")
    assert "Meno di 5 rispondenti con punteggio complessivo: analisi dei pesi non pubblicata." in text
    assert "meno di 10 rispondenti con tutte le risposte" in text
    assert "Meno di due settori con almeno 5 rispondenti" in text
    assert not re.search(r"\| +[0-9]+,[0-9] \|", text.split("### Domande")[1].split("###")[0])  # no mean shown


def test_no_status_count_of_one_to_four_can_be_read(tmp_path) -> None:
    files = _varied(12)
    for name in ("r00.json", "r01.json"):  # two "Non so" for the speed: a small cell, with 10 scored answers
        files[name]["answers"]["velocita"] = "dk"
    campaign = load_campaign(make_campaign(tmp_path / "c", files))
    text = audit_markdown(audit_campaign(campaign, draws=20), "it")
    row = next(line for line in text.splitlines() if line.startswith("| velocita"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2] != "10" and cells[5] != "17%"  # neither the answers nor the share of "Non so"
    assert "n<5" in cells[5]


def test_same_input_same_bytes(big, tmp_path) -> None:
    a = run_audit(big.folder, tmp_path / "a", "it", draws=100)
    b = run_audit(big.folder, tmp_path / "b", "it", draws=100)
    assert [p.read_bytes() for p in a.files] == [p.read_bytes() for p in b.files]


def test_workbook_numbers_are_numbers(big, tmp_path) -> None:
    run = run_audit(big.folder, tmp_path / "o", "en", draws=50)
    wb = load_workbook(run.files[1], read_only=True)
    rows = list(wb["Reliability of the dimensions"].iter_rows(values_only=True))
    alpha = next(r for r in rows[1:] if r[1] == "competenze" and r[2] is None)[4]
    assert isinstance(alpha, float) and 0.7 < alpha <= 1


def test_unknown_questionnaire_is_a_usage_error(big) -> None:
    result = CliRunner().invoke(cli, ["audit", "--campaign", str(big.folder), "-q", "comune"])
    assert result.exit_code == 2 and "presenti: esempio" in result.output


def test_english_reading(big) -> None:
    text = audit_markdown(audit_campaign(big, draws=50), "en")
    assert text.startswith("# Questionnaire audit: Prova\n")
    assert "**Questions to reword or drop**: esempio: fatturazione (little variance, ceiling effect)" in text


@pytest.mark.parametrize("model", ["lp", "marks"])
@pytest.mark.parametrize("n", [3, 7, 12])
def test_nothing_withheld_can_be_worked_out(tmp_path, n: int, model: str) -> None:
    """The disclosure auditor (linear programming over every registered line) finds no pinned cell."""
    from crassess.reports.audit_render import protect
    from tests.reports.audit import audit as lp_audit

    files = _varied(n, seed=n)
    for name in list(files)[:2]:
        files[name]["answers"]["velocita"] = "dk"
        files[name]["answers"]["wifi"] = "na"
    campaign = load_campaign(make_campaign(tmp_path / "c", files))
    assert lp_audit(protect(audit_campaign(campaign, draws=20)), model) == []


def test_baseline_weights_reproduce_the_engine_with_dont_know_as_zero() -> None:
    """The shipped questionnaires score "Non so" as 0 and gate follow-ups: the audit's recomputation agrees."""
    from tests.conftest import ROOT

    campaign = load_campaign(ROOT / "reports" / "demo" / "campagna")
    for qid in ("comune", "associazione", "impresa"):
        rated = [r for r in campaign.responses if r.questionnaire.id == qid and r.result.overall is not None]
        qn = rated[0].questionnaire
        structure, items = _structure(qn)
        dims = [d.id for d in qn.dimensions]
        scores = np.array([[r.result.items[q.id].score if r.result.items[q.id].score is not None else np.nan
                            for q in items] for r in rated])
        scored = np.array([[r.result.dimensions[d].score is not None for d in dims] for r in rated])
        out = st.overall_scores(scores, structure, structure.item_weights[None, :], structure.dimension_weights[None, :], scored)
        assert out[:, 0] == pytest.approx([r.result.overall for r in rated])
