"""Response validation against a questionnaire: every rule, all problems at once, by question id."""

from __future__ import annotations

import json

import pytest

from crassess.errors import InvalidInput
from crassess.questionnaire.models import Response
from crassess.questionnaire.responses import (
    applicability,
    check_answers,
    load_response,
    relevance,
    save_response,
    validate_response,
)
from tests.conftest import write_files


def test_every_answer_problem_at_once(esempio):
    checked = check_answers(
        esempio,
        {
            "inventata": "x",
            "fibra_disponibile": ["si"],
            "velocita": "veloce",
            "wifi": "forse",
            "strumenti": ["cloud", "nessuno", "cloud"],
            "fatturazione": "dk",
            "addetti_formati": 120,
            "ore_perse": 2.5,
            "formazione": "na",
        },
        "r.json",
    )
    assert [f"{p.place}: {p.message}" for p in checked.problems] == [
        "domanda inventata: domanda 'inventata' inesistente nel questionario esempio 1.0.0",
        "domanda fibra_disponibile: attesa una sola scelta, trovata una lista",
        "domanda velocita: atteso un numero intero, trovato 'veloce'",
        "domanda wifi: 'forse' non è tra le scelte ammesse: si, parziale, no",
        "domanda strumenti: la scelta 'cloud' compare più volte; la scelta 'nessuno' esclude tutte le altre",
        "domanda fatturazione: 'Non so' (dk) non è ammesso per questa domanda",
        "domanda addetti_formati: vincolo non rispettato: Una percentuale tra 0 e 100",
        "domanda ore_perse: atteso un numero intero, trovato '2.5'",
        "domanda formazione: 'Non applicabile' (na) non è ammesso per questa domanda",
    ]
    assert all(p.file == "r.json" for p in checked.problems)


def test_normalisation_of_valid_answers(esempio):
    checked = check_answers(
        esempio,
        {"velocita": "100", "addetti_formati": "12,5", "ore_perse": 3.0, "strumenti": "cloud erp", "wifi": " si ", "note_finali": 42, "formazione": ""},
    )
    assert checked.problems == ()
    assert checked.answers == {"velocita": 100, "wifi": "si", "strumenti": ["cloud", "erp"], "addetti_formati": 12.5, "ore_perse": 3, "note_finali": "42"}


@pytest.mark.parametrize(("answers", "expected"), [
    ({"velocita": "1.000"}, {"velocita": 1000}),            # Italian thousands, not 1
    ({"velocita": "2.500"}, {"velocita": 2500}),            # a whole number is expected: only 2500 fits
    ({"velocita": "1,000"}, {"velocita": 1000}),
    ({"addetti_formati": "50%"}, {"addetti_formati": 50}),  # unit %: 50, not 0.5
    ({"addetti_formati": "12,5 %"}, {"addetti_formati": 12.5}),
    ({"addetti_formati": "1.000"}, {"addetti_formati": 1000}),
])
def test_numbers_read_the_italian_and_english_way(esempio, answers, expected):
    assert check_answers(esempio, answers).answers == expected


def test_ambiguous_or_misplaced_numbers_are_refused_with_the_reason(esempio):
    checked = check_answers(esempio, {"velocita": "100%", "addetti_formati": "2,500"}, "r.json")
    assert [f"{p.place}: {p.message}" for p in checked.problems] == [
        "domanda velocita: '100%' è una percentuale, ma qui si chiede un numero senza %",
        "domanda addetti_formati: '2,500' è ambiguo: può essere 2500 (separatore delle migliaia) o 2,5 (decimale); scrivere 2500 oppure 2,5",
    ]


def test_constraint_on_integer(esempio):
    checked = check_answers(esempio, {"velocita": -5})
    assert [p.message for p in checked.problems] == ["vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s"]


def test_answers_to_non_relevant_questions_are_ignored_with_a_warning(esempio):
    checked = check_answers(esempio, {"fibra_disponibile": "no", "fibra_sede": "si"})
    assert checked.problems == ()
    assert checked.answers == {"fibra_disponibile": "no"}
    assert [f"{w.place}: {w.message}" for w in checked.warnings] == [
        "domanda fibra_sede: risposta ignorata: la domanda non è pertinente date le altre risposte"
    ]


def test_relevance_treats_dk_as_empty(esempio):
    assert relevance(esempio, {"fibra_disponibile": "dk"})["fibra_sede"] is False
    assert relevance(esempio, {"fibra_disponibile": "si"})["fibra_sede"] is True


def test_applicability_marks_questions_behind_a_dont_know_as_undetermined(esempio):
    assert applicability(esempio, {"fibra_disponibile": "dk"})["fibra_sede"] is None
    assert applicability(esempio, {"fibra_disponibile": "no"})["fibra_sede"] is False
    assert applicability(esempio, {"fibra_disponibile": "si"})["fibra_sede"] is True
    assert applicability(esempio, {})["fibra_sede"] is False  # unanswered is not "Non so"


def test_questionnaire_mismatch_names_both_versions(esempio):
    response = Response.model_validate({"questionnaire": {"id": "esempio", "version": "0.9"}, "answers": {"wifi": "x"}})
    with pytest.raises(InvalidInput) as err:
        validate_response(response, esempio, "r.json")
    assert [str(p) for p in err.value.problems] == [
        "r.json: questionnaire: la risposta è per il questionario esempio versione 0.9, ma è caricato esempio versione 1.0.0",
        "r.json: domanda wifi: 'x' non è tra le scelte ammesse: si, parziale, no",
    ]


def test_load_response_structure_errors_are_located(tmp_path):
    path = write_files(tmp_path, {"r.json": json.dumps({"questionnaire": {"id": "esempio"}, "answers": [], "colour": 1})})["r.json"]
    with pytest.raises(InvalidInput) as err:
        load_response(path)
    assert sorted(p.message for p in err.value.problems) == [
        "answers: atteso un oggetto (chiave: valore)",
        "colour: campo non previsto (errore di battitura?)",
        "questionnaire.version: campo obbligatorio mancante",
    ]


def test_load_response_json_syntax_error(tmp_path):
    path = write_files(tmp_path, {"r.json": '{"questionnaire": \n  {"id": }'})["r.json"]
    with pytest.raises(InvalidInput) as err:
        load_response(path)
    assert str(err.value.problems[0]) == f"{path}: riga 2: errore di sintassi JSON: Expecting value"


def test_save_is_atomic_and_round_trips(tmp_path, esempio):
    response = Response.model_validate(
        {"id": "x1", "questionnaire": {"id": "esempio", "version": "1.0.0"}, "respondent": {"name": "Ditta è", "size": 3}, "answers": {"wifi": "si"}, "status": "draft"}
    )
    path = save_response(response, tmp_path / "sub" / "r.json")
    assert [p.name for p in path.parent.iterdir()] == ["r.json"]  # no temporary file left
    again = load_response(path)
    assert again == response
    assert "Ditta è" in path.read_text(encoding="utf-8")


def test_saved_files_are_ordinary_files(tmp_path):
    import os

    from crassess.sources import atomic_write_text

    umask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644
