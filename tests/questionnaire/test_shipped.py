"""Checks on the three shipped sector questionnaires (issues 3 and 11).

Each questionnaire must load and validate with the real loader, satisfy the
content rules (bilingual labels, questions read aloud as questions, action,
reference, effort and service on every scored question, size, dimensions, one
scale for one concept across the three files) and score exactly 100 when the
best option is picked everywhere and 0 when the worst is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crassess.questionnaire.catalogue import validate_files
from crassess.questionnaire.load import load_level_guide, load_questionnaire
from crassess.questionnaire.models import Question, Questionnaire
from crassess.questionnaire.responses import check_answers
from crassess.scoring.engine import score

QDIR = Path(__file__).resolve().parents[2] / "questionnaires"
SECTORS = ("comune", "associazione", "impresa")
LANGS = ("it", "en")
LEVELS = [("base", 0), ("medio", 25), ("moderatamente_avanzato", 50), ("avanzato", 75)]
# the EU Digital Maturity Assessment bands, in both languages
LEVEL_LABELS = [("Base", "Basic"), ("Medio", "Average"), ("Moderatamente avanzato", "Moderately advanced"), ("Avanzato", "Advanced")]
# Dimension ids shared by every sector, so the territory report can compare them.
SHARED_DIMENSIONS = {"strategia", "connettivita", "prontezza", "competenze",
                     "atteggiamento", "dati_sicurezza", "condivisione_dati"}


@pytest.fixture(scope="module", params=SECTORS)
def q(request: pytest.FixtureRequest) -> Questionnaire:
    return load_questionnaire(QDIR / f"{request.param}.yaml")


def _texts(q: Questionnaire):
    """Yield (where, mapping) for every label-like field."""
    yield "title", q.title
    for lev in q.levels:
        yield f"level {lev.id}", lev.label
    for d in q.dimensions:
        yield f"dimension {d.id}", d.label
    for name, lst in q.choices.items():
        for c in lst:
            yield f"choices {name}.{c.value}", c.label
    for x in q.questions:
        for key in ("label", "hint", "action", "constraint_message"):
            if getattr(x, key) is not None:
                yield f"{x.id}.{key}", getattr(x, key)
        if isinstance(x.choices, list):
            for c in x.choices:
                yield f"{x.id} choice {c.value}", c.label


# --- validation and header ---------------------------------------------------

def test_every_shipped_questionnaire_validates():
    files = sorted(QDIR.glob("*.yaml"))
    assert {f.stem for f in files} == {*SECTORS, "servizi", "livelli"}  # the service catalogue, the level guide
    for path, loaded, problems in validate_files(files):
        assert loaded is not None and not problems, [str(p) for p in problems]


@pytest.mark.parametrize("sector", SECTORS)
def test_header(sector: str):
    q = load_questionnaire(QDIR / f"{sector}.yaml")
    assert (q.id, q.sector, q.version, q.default_language) == (sector, sector, "1.1.0", "it")
    assert (q.min_coverage, q.overall_min_coverage, q.dont_know) == (0.67, 1, "zero")
    assert [(lv.id, lv.from_) for lv in q.levels] == LEVELS
    assert [(lv.label["it"], lv.label["en"]) for lv in q.levels] == LEVEL_LABELS


# --- content rules -----------------------------------------------------------

def test_every_label_has_it_and_en(q: Questionnaire):
    for where, mapping in _texts(q):
        for lang in LANGS:
            assert (mapping.get(lang) or "").strip(), f"{q.id} {where}: missing {lang}"


def test_every_scored_question_has_action_and_reference(q: Questionnaire):
    for x in q.scored_questions:
        assert x.dimension, x.id
        assert x.reference and x.reference.strip(), x.id
        assert x.action is not None and all((x.action.get(lang) or "").strip() for lang in LANGS), x.id


def test_every_choice_list_is_used(q: Questionnaire):
    used = {x.choices for x in q.questions if isinstance(x.choices, str)}
    assert used == set(q.choices)


def test_no_two_questions_share_a_label(q: Questionnaire):
    for lang in LANGS:
        labels = [x.label[lang].strip().casefold() for x in q.questions]
        assert len(labels) == len(set(labels)), {lab for lab in labels if labels.count(lab) > 1}


def test_size_and_dimensions(q: Questionnaire):
    assert 6 <= len(q.dimensions) <= 9
    assert 30 <= len(q.scored_questions) <= 50
    for d in q.dimensions:
        n = sum(1 for x in q.scored_questions if x.dimension == d.id)
        assert n >= 3, f"{q.id}.{d.id}: {n} scored questions"
        # a dimension keeps a score whatever the skip logic does
        assert any(x.dimension == d.id and not x.relevant for x in q.scored_questions), d.id
    assert SHARED_DIMENSIONS <= set(q.dimensions_by_id)


PERCENT_WORDS = ("%", "percentuale", "quota", "percentage", "share")


def test_every_number_answered_as_a_percentage_declares_it(q: Questionnaire):
    """A cell formatted as a percentage (0.12 shown as 12%) is read as 12 only where the unit is "%"."""
    found = {x.id: x.unit for x in q.questions if x.type in ("integer", "decimal")
             and any(w in (x.label[lang] + (x.constraint_message or {}).get(lang, "")).lower() for lang in LANGS for w in PERCENT_WORDS)}
    assert set(found.values()) <= {"%"}, found
    assert found == ({"quota_vendite_online": "%"} if q.sector == "impresa" else {})


def test_ids_are_lowercase_snake_case(q: Questionnaire):
    ids = [x.id for x in q.questions] + [d.id for d in q.dimensions] + list(q.choices)
    for i in ids:
        assert i == i.lower() and "-" not in i, i


def test_scored_select_one_spans_0_to_100(q: Questionnaire):
    for x in q.scored_questions:
        if x.type == "select_one":
            scores = [c.score for c in q.choices_of(x)]
            assert min(scores) == 0 and max(scores) == 100, x.id


def test_barriers_needs_and_final_note(q: Questionnaire):
    barriers = q.question("ostacoli")
    assert barriers.type == "select_multiple" and not q.is_scored(barriers)
    assert "altro" in [c.value for c in q.choices_of(barriers)]
    needs = q.question("esigenze_top3")
    assert needs.type == "select_multiple" and not q.is_scored(needs)
    assert needs.constraint_expr is not None
    three = [c.value for c in q.choices_of(needs)][:3]
    assert not check_answers(q, {"esigenze_top3": three}).problems
    four = [c.value for c in q.choices_of(needs)][:4]
    assert [p.message for p in check_answers(q, {"esigenze_top3": four}).problems] == \
        ["vincolo non rispettato: Scegliere al massimo tre servizi."]
    last = q.questions[-1]
    assert (last.id, last.type, last.required) == ("note_finali", "text", False)


def test_attitude_is_scored(q: Questionnaire):
    assert sum(1 for x in q.scored_questions if x.dimension == "atteggiamento") >= 3


def test_fibre_availability_is_context_not_score():
    imp = load_questionnaire(QDIR / "impresa.yaml")
    avail = imp.question("fibra_disponibile")
    assert not imp.is_scored(avail) and avail.allow_dk
    assert imp.is_scored(imp.question("linea_principale"))
    com = load_questionnaire(QDIR / "comune.yaml")
    assert not com.is_scored(com.question("copertura_territorio"))
    assert com.is_scored(com.question("fibra_municipio"))


def test_readme_documents_every_dimension():
    readme = (QDIR / "README.md").read_text(encoding="utf-8")
    for sector in SECTORS:
        for d in load_questionnaire(QDIR / f"{sector}.yaml").dimensions:
            assert f"`{d.id}`" in readme, f"{sector}.{d.id} missing from questionnaires/README.md"


# --- issue 11: one scale for one concept, full stems, new questions ----------

# Choice lists shared by the three files: identical values, labels and scores everywhere.
SHARED_LISTS = ("tipo_linea", "continuita", "quota", "segnale_mobile", "dati_gemello", "disponibilita_gemello",
                "condizioni_gemello", "ambiti_gemello", "resistenza", "ostacoli", "servizi", "modalita",
                "cofinanziamento")
# Questions every sector asks, with the ids the reports look for.
COMMON_QUESTIONS = ("localita", "copertura_mobile", "velocita_misurata", "motivi_resistenza", "supporto_digitale",
                    "gemello_disponibilita", "gemello_dati", "esigenze_top3", "modalita_servizi", "cofinanziamento")
SECTOR_QUESTIONS = {
    "comune": ("eprocurement", "ia_uso", "feedback_cittadini"),
    "associazione": (),
    "impresa": ("nis2_ambito", "sicurezza_fornitori", "accessibilita_ecommerce"),
}
UNSCORED = ("localita", "copertura_mobile", "velocita_misurata", "motivi_resistenza", "supporto_digitale",
            "gemello_disponibilita", "esigenze_top3", "modalita_servizi", "cofinanziamento", "nis2_ambito", "pnrr")
# The line a question about the line type uses, per sector.
LINE_QUESTION = {"comune": "fibra_municipio", "associazione": "linea_sede", "impresa": "linea_principale"}


def _all() -> dict[str, Questionnaire]:
    return {sector: load_questionnaire(QDIR / f"{sector}.yaml") for sector in SECTORS}


def test_shared_scales_are_identical_in_the_three_files():
    loaded = _all()
    for name in SHARED_LISTS:
        lists = {sector: [c.model_dump() for c in qn.choices[name]] for sector, qn in loaded.items()}
        assert lists["comune"] == lists["associazione"] == lists["impresa"], name


def test_the_line_type_scores_alike_in_every_sector():
    for sector, qn in _all().items():
        line = qn.question(LINE_QUESTION[sector])
        assert line.choices == "tipo_linea" and line.weight == 2, sector
        assert {c.value: c.score for c in qn.choices_of(line)} == {
            "nessuna": 0, "adsl": 20, "solo_mobile": 30, "fwa": 50, "fttb_fttc": 50, "ftth": 100}
        assert qn.question("continuita_linea").choices == "continuita"


def test_share_scales_have_percentage_anchors():
    for qn in _all().values():
        for name in ("quota", "quota_territorio"):
            for c in qn.choices.get(name, []):
                assert "%" in c.label["it"] and "%" in c.label["en"], (qn.id, name, c.value)
        assert qn.choices["quota"][2].label["it"] == "Da un quarto alla metà (25-50%)"


def test_every_question_is_read_aloud_as_a_question(q: Questionnaire):
    for x in q.questions:
        for lang in LANGS:
            assert x.label[lang].rstrip().endswith("?"), f"{q.id}.{x.id} ({lang}): {x.label[lang]!r}"


def test_every_scored_question_has_effort_and_service(q: Questionnaire):
    services = [c.value for c in q.choices["servizi"]]
    for x in q.scored_questions:
        assert x.effort in ("low", "medium", "high"), x.id
        assert x.service in services, x.id


def test_new_questions_exist_with_the_given_ids(q: Questionnaire):
    for qid in COMMON_QUESTIONS + SECTOR_QUESTIONS[q.id]:
        assert qid in q.questions_by_id, qid
    for qid in UNSCORED:
        if qid in q.questions_by_id:
            assert not q.is_scored(q.question(qid)), qid
    for qid in ("gemello_dati",) + SECTOR_QUESTIONS[q.id][1:] + (("eprocurement",) if q.id == "comune" else ()):
        assert q.is_scored(q.question(qid)), qid
    assert "gemello_digitale" not in q.questions_by_id  # split into willingness (unscored) and data (scored)


def test_no_question_repeats_the_profile(q: Questionnaire):
    # size and sub-sector live in the respondent profile (employees, members; ATECO section, type of body)
    assert not {"addetti", "settore", "numero_associati", "tipo_ente"} & set(q.questions_by_id)


def test_compliance_items_leave_room_above_the_legal_floor():
    com = load_questionnaire(QDIR / "comune.yaml")
    scores = {x: {c.value: c.score for c in com.choices_of(com.question(x))} for x in ("accesso_spid_cie", "pagopa", "eprocurement")}
    # credentials issued by the comune are unlawful since 1 October 2021 (art. 24 DL 76/2020): no credit
    assert scores["accesso_spid_cie"]["credenziali_proprie"] == 0
    assert "CNS" in com.choices_of(com.question("accesso_spid_cie"))[3].label["it"]
    # what the law requires is a middle answer; the top needs integration
    assert (scores["accesso_spid_cie"]["spid_cie_tutti"], scores["pagopa"]["tutte_manuali"], scores["eprocurement"]["tutte"]) == (67, 50, 67)
    assert not com.is_scored(com.question("pnrr")) and com.dimensions_by_id["prontezza"].weight == 1


# --- best and worst response -------------------------------------------------

def _extreme(q: Questionnaire, x: Question, best: bool) -> Any:
    choices = q.choices_of(x)
    if x.type == "select_one":
        if q.is_scored(x):
            return (max if best else min)(choices, key=lambda c: c.score).value
        return choices[0].value
    if x.type == "select_multiple":
        if not q.is_scored(x):
            return [choices[0].value]
        if best:
            return [c.value for c in choices if not c.exclusive]
        zero = [c.value for c in choices if c.exclusive and not c.score]
        return zero[:1]
    if x.type in ("integer", "decimal"):
        if x.scoring is None:
            return 10
        if x.scoring.bands:
            return (max if best else min)(x.scoring.bands, key=lambda b: b[1])[0]
        lo, hi = x.scoring.min, x.scoring.max
        return hi if best else lo
    return "Nota di prova"


@pytest.mark.parametrize("best", [True, False], ids=["best", "worst"])
def test_best_gives_100_and_worst_gives_0(q: Questionnaire, best: bool):
    answers = {x.id: _extreme(q, x, best) for x in q.questions}
    checked = check_answers(q, answers)
    assert not checked.problems, [str(p) for p in checked.problems]
    result = score(q, checked.answers)
    expected = 100 if best else 0
    assert result.overall == pytest.approx(expected)
    assert result.complete
    for dim_id, dim in result.dimensions.items():
        assert dim.score == pytest.approx(expected), dim_id
        assert dim.coverage == pytest.approx(1), dim_id


def test_level_guide_explains_every_shipped_level_and_names_real_dimensions():
    guide = load_level_guide(QDIR / "livelli.yaml")
    shipped = [load_questionnaire(QDIR / f"{sector}.yaml") for sector in SECTORS]
    for q in shipped:
        assert all(guide.text(lv.id) for lv in q.levels), q.id
    dimensions = {d.id for q in shipped for d in q.dimensions}
    named = {d for lv in guide.levels for d in lv.dimensions}
    assert named == dimensions  # every shipped dimension has its own texts
    # every level explains the same dimensions
    assert all(set(lv.dimensions) == named for lv in guide.levels)


def test_every_barrier_a_service_answers_is_an_answer_of_the_shipped_questionnaires():
    from crassess.questionnaire.load import load_services

    shipped = [load_questionnaire(QDIR / f"{sector}.yaml") for sector in SECTORS]
    catalogue = load_services(QDIR / "servizi.yaml")
    older = {"fiducia_sicurezza", "eta_ricambio"}  # ostacoli of the 1.0 questionnaires, kept for their campaigns
    for service in catalogue.services:
        for qid, values in service.barriers.items():
            choices = {c.value for q in shipped if qid in q.questions_by_id for c in q.choices_of(q.question(qid))}
            assert choices, (service.id, qid)
            assert set(values) - older <= choices, (service.id, qid, set(values) - older - choices)
    # every barrier a respondent can name is answered by a service, but "altro" and "nessuno"
    for qid in ("ostacoli", "motivi_resistenza"):
        choices = {c.value for q in shipped for c in q.choices_of(q.question(qid))}
        unanswered = {v for v in choices if not catalogue.answering(qid, v)}
        assert unanswered == {"altro", "nessuno"}, (qid, unanswered)
