"""Checks on the three shipped sector questionnaires (issue 3).

Structural checks read the YAML with PyYAML; scoring checks compute the best
and the worst possible response with a small local helper that follows the
normative rules of the questionnaire format (issue 2, section 5).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

QDIR = Path(__file__).resolve().parent.parent / "questionnaires"
SECTORS = ("comune", "associazione", "impresa")
PATHS = {s: QDIR / f"{s}.yaml" for s in SECTORS}
LANGS = ("it", "en")
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REF_RE = re.compile(r"\$\{([^}]+)\}")
SHARED_DIMENSIONS = {"strategia", "connettivita", "prontezza", "competenze",
                     "atteggiamento", "dati_sicurezza", "condivisione_dati"}


def load(sector: str) -> dict:
    with PATHS[sector].open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(params=SECTORS)
def q(request) -> dict:
    return load(request.param)


def choices_of(q: dict, question: dict) -> list[dict] | None:
    ch = question.get("choices")
    if ch is None:
        return None
    return q["choices"][ch] if isinstance(ch, str) else ch


def is_scored(q: dict, question: dict) -> bool:
    if question["type"] in ("select_one", "select_multiple"):
        return any("score" in c for c in choices_of(q, question))
    if question["type"] in ("integer", "decimal"):
        return "scoring" in question
    return False


def scored(q: dict) -> list[dict]:
    return [x for x in q["questions"] if is_scored(q, x)]


def labelled_fields(q: dict):
    """Yield (where, mapping) for every label-like field of a questionnaire."""
    yield "title", q["title"]
    for lev in q["levels"]:
        yield f"level {lev['id']}", lev["label"]
    for dim in q["dimensions"]:
        yield f"dimension {dim['id']}", dim["label"]
    for name, lst in q["choices"].items():
        for c in lst:
            yield f"choice {name}.{c['value']}", c["label"]
    for x in q["questions"]:
        for key in ("label", "hint", "action", "constraint_message"):
            if key in x:
                yield f"{x['id']}.{key}", x[key]
        if isinstance(x.get("choices"), list):
            for c in x["choices"]:
                yield f"{x['id']} choice {c['value']}", c["label"]


# --- structure ---------------------------------------------------------------

@pytest.mark.parametrize("sector", SECTORS)
def test_header(sector):
    q = load(sector)
    assert q["id"] == sector
    assert q["sector"] == sector
    assert q["version"] == "1.0.0"
    assert q["default_language"] == "it"
    assert q["min_coverage"] == 0.67
    assert [(lv["id"], lv["from"]) for lv in q["levels"]] == [
        ("iniziale", 0), ("base", 25), ("intermedio", 50), ("avanzato", 75)]


def test_every_label_has_it_and_en(q):
    for where, mapping in labelled_fields(q):
        assert isinstance(mapping, dict), where
        for lang in LANGS:
            text = mapping.get(lang)
            assert isinstance(text, str) and text.strip(), f"{where}: missing {lang}"


def test_ids_are_snake_case_and_unique(q):
    ids = [x["id"] for x in q["questions"]]
    assert len(ids) == len(set(ids))
    dims = [d["id"] for d in q["dimensions"]]
    assert len(dims) == len(set(dims))
    for i in ids + dims + list(q["choices"]):
        assert ID_RE.match(i), i
    for x in q["questions"]:
        values = [c["value"] for c in choices_of(q, x) or []]
        assert len(values) == len(set(values)), x["id"]


def test_every_scored_question_has_action_and_reference(q):
    for x in scored(q):
        assert x.get("dimension"), x["id"]
        assert isinstance(x.get("reference"), str) and x["reference"].strip(), x["id"]
        assert set(LANGS) <= set(x.get("action", {})), x["id"]


def test_every_choice_list_is_used(q):
    used = {x["choices"] for x in q["questions"] if isinstance(x.get("choices"), str)}
    assert set(q["choices"]) == used
    assert used <= set(q["choices"])


def test_no_two_questions_share_a_label(q):
    for lang in LANGS:
        labels = [x["label"][lang].strip().lower() for x in q["questions"]]
        dupes = {lab for lab in labels if labels.count(lab) > 1}
        assert not dupes, dupes


def test_size_and_dimensions(q):
    dims = [d["id"] for d in q["dimensions"]]
    assert 6 <= len(dims) <= 9
    assert 30 <= len(scored(q)) <= 50
    for d in dims:
        n = sum(1 for x in scored(q) if x["dimension"] == d)
        assert n >= 3, f"{d}: {n} scored questions"
    assert SHARED_DIMENSIONS <= set(dims)


def test_weights_targets_and_scores_in_range(q):
    assert 0 <= q["target"] <= 100
    for d in q["dimensions"]:
        assert d.get("weight", 1) > 0
        assert 0 <= d.get("target", q["target"]) <= 100
    for x in q["questions"]:
        assert x.get("weight", 1) > 0
        for c in choices_of(q, x) or []:
            if x["type"] == "select_one":
                assert not c.get("exclusive"), x["id"]
                if "score" in c:
                    assert 0 <= c["score"] <= 100, x["id"]
            elif "score" in c:
                assert c["score"] >= 0, x["id"]


def test_scored_select_one_spans_0_to_100(q):
    for x in scored(q):
        if x["type"] == "select_one":
            s = [c["score"] for c in choices_of(q, x)]
            assert min(s) == 0 and max(s) == 100, x["id"]
            assert all("score" in c for c in choices_of(q, x)), x["id"]


def test_relevant_names_known_questions(q):
    ids = [x["id"] for x in q["questions"]]
    for pos, x in enumerate(q["questions"]):
        for ref in REF_RE.findall(x.get("relevant", "")):
            assert ref in ids[:pos], f"{x['id']} refers to {ref}"


def test_unscored_context_questions(q):
    by_id = {x["id"]: x for x in q["questions"]}
    for qid in ("ostacoli", "esigenze"):
        x = by_id[qid]
        assert x["type"] == "select_multiple" and not is_scored(q, x)
        assert "altro" in [c["value"] for c in choices_of(q, x)]
    last = q["questions"][-1]
    assert last["id"] == "note_finali" and last["type"] == "text"
    assert last["required"] is False


def test_fibre_availability_is_context_not_score():
    imp = {x["id"]: x for x in load("impresa")["questions"]}
    assert not is_scored(load("impresa"), imp["fibra_disponibile"])
    assert imp["fibra_disponibile"]["allow_dk"] is True
    com = {x["id"]: x for x in load("comune")["questions"]}
    assert not is_scored(load("comune"), com["copertura_territorio"])


# --- best and worst response -------------------------------------------------

def best_worst_answers(q: dict, best: bool) -> dict:
    """Answer every question with its best (or worst) option."""
    answers = {}
    for x in q["questions"]:
        if not is_scored(q, x):
            continue
        if x["type"] == "select_one":
            pick = (max if best else min)(choices_of(q, x), key=lambda c: c["score"])
            answers[x["id"]] = pick["value"]
        elif x["type"] == "select_multiple":
            chs = choices_of(q, x)
            if best:
                answers[x["id"]] = [c["value"] for c in chs if not c.get("exclusive")]
            else:
                excl = [c["value"] for c in chs if c.get("exclusive")]
                answers[x["id"]] = excl[:1]
        else:
            sc = x["scoring"]
            if "bands" in sc:
                band = (max if best else min)(sc["bands"], key=lambda b: b[1])
                answers[x["id"]] = band[0]
            else:
                lo_better = sc["min"] > sc["max"]
                answers[x["id"]] = sc["max"] if best else sc["min"]
                del lo_better
    return answers


def local_item_score(q: dict, x: dict, answer) -> float:
    if x["type"] == "select_one":
        return next(c["score"] for c in choices_of(q, x) if c["value"] == answer)
    if x["type"] == "select_multiple":
        chs = choices_of(q, x)
        total = sum(c.get("score", 0) for c in chs)
        got = sum(c.get("score", 0) for c in chs if c["value"] in answer)
        return min(100.0, 100.0 * got / total)
    sc = x["scoring"]
    if "bands" in sc:
        return [s for t, s in sc["bands"] if t <= answer][-1]
    lo, hi = sc["min"], sc["max"]
    return max(0.0, min(100.0, 100.0 * (answer - lo) / (hi - lo)))


def local_overall(q: dict, answers: dict) -> float:
    """Weighted mean of dimension scores; relevance is ignored, since every
    scored question is answered and a dimension always keeps at least one
    unconditional question (checked below)."""
    dims = {}
    for x in scored(q):
        s = local_item_score(q, x, answers[x["id"]])
        w = x.get("weight", 1)
        acc = dims.setdefault(x["dimension"], [0.0, 0.0])
        acc[0] += w * s
        acc[1] += w
    num = den = 0.0
    for d in q["dimensions"]:
        tot, wsum = dims[d["id"]]
        w = d.get("weight", 1)
        num += w * tot / wsum
        den += w
    return num / den


def test_every_dimension_has_an_unconditional_scored_question(q):
    for d in q["dimensions"]:
        assert any(x["dimension"] == d["id"] and "relevant" not in x
                   for x in scored(q)), d["id"]


@pytest.mark.parametrize("sector", SECTORS)
def test_best_gives_100_and_worst_gives_0(sector):
    q = load(sector)
    assert local_overall(q, best_worst_answers(q, best=True)) == pytest.approx(100)
    assert local_overall(q, best_worst_answers(q, best=False)) == pytest.approx(0)
