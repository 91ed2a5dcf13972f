"""The form's names and groups: the contract between the XLSForm export and the import of submissions."""

from __future__ import annotations

import pytest

from crassess.errors import InvalidInput
from crassess.forms.layout import Group, form_layout
from crassess.questionnaire.load import validate_questionnaire
from crassess.territory.comuni import Comune, Territory, load_territory

TWO = Territory((Comune("099001", "Atlantide"), Comune("099002", "Città Alta")), "test")


def small(questions: list[dict], **extra) -> dict:
    return {
        "id": "prova", "version": "2.0", "sector": "associazione", "title": {"it": "Prova"},
        "levels": [{"id": "base", "from": 0, "label": {"it": "Base"}}],
        "dimensions": [{"id": "d1", "label": {"it": "Uno", "en": "One"}, "description": {"it": "Sulla dimensione"}},
                       {"id": "d2", "label": {"it": "Due"}}],
        "questions": questions, **extra,
    }


SINO = [{"value": "si", "label": {"it": "Sì", "en": "Yes"}}, {"value": "no", "label": {"it": "No"}}]


def test_esempio_fields_in_instance_order(esempio):
    layout = form_layout(esempio, load_territory())
    assert [(f.header("/"), f.kind, f.key) for f in layout.fields] == [
        ("start", "meta", "start"), ("end", "meta", "end"),
        ("profile/respondent_name", "profile", "name"), ("profile/respondent_comune", "profile", "comune"),
        ("profile/respondent_size", "profile", "size"), ("profile/respondent_subsector", "profile", "subsector"),
        ("profile/respondent_id", "profile", "id"), ("profile/respondent_contact", "profile", "contact"),
        ("profile/respondent_interviewer", "profile", "interviewer"), ("profile/respondent_date", "profile", "date"),
        # fibra_disponibile has no dimension: it joins the next question's (connettivita)
        ("connettivita/fibra_disponibile", "question", "fibra_disponibile"),
        ("connettivita/fibra_sede", "question", "fibra_sede"),
        ("connettivita/velocita_status", "status", "velocita"), ("connettivita/velocita", "question", "velocita"),
        ("connettivita/wifi", "question", "wifi"),
        # the dimension 'strumenti' has a question 'strumenti': the group takes another name
        ("strumenti_group/strumenti", "question", "strumenti"), ("strumenti_group/fatturazione", "question", "fatturazione"),
        ("competenze/addetti_formati", "question", "addetti_formati"),
        ("competenze/ore_perse_status", "status", "ore_perse"), ("competenze/ore_perse", "question", "ore_perse"),
        ("competenze/formazione", "question", "formazione"),
        ("other/ostacoli", "question", "ostacoli"), ("other/note_finali", "question", "note_finali"),
        ("crassess_questionnaire", "calculate", "questionnaire"), ("crassess_version", "calculate", "version"),
        ("crassess_content", "calculate", "content"),
    ]
    assert layout.content_tag() == esempio.content_hash[:12]


def test_choice_lists_with_dont_know_and_not_applicable(esempio):
    layout = form_layout(esempio, load_territory())
    types = {f.name: f.xls_type for f in layout.fields}
    assert types["fibra_disponibile"] == "select_one sino_dk"
    assert types["fibra_sede"] == "select_one sipano" and types["wifi"] == "select_one sipano_na"
    assert types["velocita_status"] == "select_one answer_dk" and types["velocita"] == "integer"
    assert types["strumenti"] == "select_multiple strumenti_choices"
    assert types["respondent_comune"] == "select_one comuni" and types["respondent_subsector"] == "select_one subsector_impresa"
    lists = layout.lists_by_name
    assert lists["sino_dk"].values == ("si", "no", "dk")
    assert lists["sino_dk"].items[2][1] == {"it": "Non so", "en": "Don't know"}
    assert lists["sipano_na"].values == ("si", "parziale", "no", "na")
    assert lists["answer_dk"].items == (("val", {"it": "Rispondo", "en": "I will answer"}), ("dk", {"it": "Non so", "en": "Don't know"}))
    assert len(lists["comuni"].items) == 114 and lists["comuni"].items[0] == ("019001", {"it": "Acquanegra Cremonese", "en": "Acquanegra Cremonese"})
    assert lists["comuni"].items[-1] == ("fuori_territorio", {"it": "Fuori territorio", "en": "Outside the territory"})


def test_notes_missing_translations_and_no_subsector_for_comuni():
    qn = validate_questionnaire(small([
        {"id": "a", "type": "select_one", "choices": SINO, "label": {"it": "A?"}},
        {"id": "b", "type": "text", "dimension": "d2", "label": {"it": "B"}, "allow_na": True, "allow_dk": True},
    ], description={"it": "Benvenuti"}, sector="comune"), "prova.yaml")
    layout = form_layout(qn, TWO)
    assert [(f.name, f.kind, f.path) for f in layout.fields][2:4] == [("intro", "note", ()), ("respondent_name", "profile", ("profile",))]
    assert "respondent_subsector" not in [f.name for f in layout.fields]
    groups = [n for n in layout.nodes if isinstance(n, Group)]
    assert [(g.name, [f.name for f in g.children]) for g in groups] == [
        ("profile", ["respondent_name", "respondent_comune", "respondent_size", "respondent_id", "respondent_contact",
                     "respondent_interviewer", "respondent_date"]),
        ("d2", ["a", "b_status", "b"]),
    ]
    assert layout.lists_by_name["a_choices"].items[1] == ("no", {"it": "No", "en": "No"})  # English falls back to Italian
    assert layout.lists_by_name["answer_dk_na"].values == ("val", "dk", "na")
    assert layout.lists_by_name["comuni"].items[1] == ("099002", {"it": "Città Alta", "en": "Città Alta"})


def test_generated_names_step_aside_for_question_ids():
    qn = validate_questionnaire(small([
        {"id": "respondent_name", "dimension": "d1", "type": "text", "label": {"it": "Un nome"}},
        {"id": "d1", "dimension": "d1", "type": "integer", "label": {"it": "N"}, "allow_dk": True},
        {"id": "d1_status", "dimension": "d1", "type": "text", "label": {"it": "S"}},
        {"id": "start", "type": "text", "label": {"it": "Inizio"}},
    ]), "prova.yaml")
    layout = form_layout(qn, TWO)
    names = [f.header("/") for f in layout.fields]
    assert names[:3] == ["start_2", "end", "profile/respondent_name_2"]
    assert "d1_group/d1_group_note" in names and "d1_group/d1_status_2" in names and "d1_group/respondent_name" in names
    assert names[-4:] == ["other/start", "crassess_questionnaire", "crassess_version", "crassess_content"]
    assert len(set(f.name for f in layout.fields)) == len(layout.fields)


def test_ids_that_cannot_be_form_names_are_all_reported():
    qn = validate_questionnaire(small([
        {"id": "1a", "type": "text", "label": {"it": "x"}},
        {"id": "meta", "type": "text", "label": {"it": "x"}},
        {"id": "m", "type": "select_multiple", "label": {"it": "x"},
         "choices": [{"value": "a b", "label": {"it": "A B"}}, {"value": "c'd", "label": {"it": "C"}}]},
    ]), "prova.yaml")
    with pytest.raises(InvalidInput) as exc:
        form_layout(qn, TWO, "prova.yaml")
    assert [str(p) for p in exc.value.problems] == [
        "prova.yaml: domanda 1a: l'id '1a' non è un nome valido in un modulo XLSForm: deve iniziare con una lettera o '_' e contenere solo lettere, cifre, '_', '-' o '.'",
        "prova.yaml: domanda meta: l'id 'meta' è riservato dai moduli online (meta): rinominare la domanda",
        "prova.yaml: domanda m: la scelta 'a b' di una domanda a scelta multipla non può contenere spazi o apici in un modulo online",
        "prova.yaml: domanda m: la scelta 'c'd' di una domanda a scelta multipla non può contenere spazi o apici in un modulo online",
    ]
