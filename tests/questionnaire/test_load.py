"""Questionnaire loading: every validation rule, all problems at once, with file, line and question id."""

from __future__ import annotations

import pytest

from crassess.errors import InvalidInput, NotFound
from crassess.i18n import set_language
from crassess.questionnaire.load import load_questionnaire, shipped_files
from tests.conftest import EXAMPLE, write_files

HEAD = """\
id: t
version: "1"
sector: impresa
title: {it: T, en: T}
levels:
  - {id: a, from: 0, label: {it: A}}
  - {id: b, from: 50, label: {it: B}}
dimensions:
  - {id: d1, label: {it: D1}}
choices:
  sn:
    - {value: si, label: {it: Sì}, score: 100}
    - {value: "no", label: {it: "No"}, score: 0}
questions:
"""


def problems_of(tmp_path, text):
    path = write_files(tmp_path, {"q.yaml": text})["q.yaml"]
    with pytest.raises(InvalidInput) as err:
        load_questionnaire(path)
    return [f"{p.place}: {p.message}" for p in err.value.problems], err.value.problems[0].file


def test_example_loads(esempio):
    assert esempio.id == "esempio"
    assert [d.id for d in esempio.dimensions] == ["connettivita", "strumenti", "competenze"]
    assert len(esempio.scored_questions) == 8
    assert esempio.is_scored(esempio.question("ostacoli")) is False


def test_valid_minimal(tmp_path):
    path = write_files(tmp_path, {"q.yaml": HEAD + "  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q}}\n"})["q.yaml"]
    q = load_questionnaire(path)
    assert q.target_of(q.dimensions[0]) == 75
    assert q.level_of(50).id == "b"
    assert q.level_of(49.999).id == "a"
    assert q.level_of(100).id == "b"


def test_unit_of_a_number_question(tmp_path):
    """``unit: "%"`` makes "50%" read as 50; without a unit the content hash is what it was before units existed,
    so workbooks already sent out still import."""
    questions = "  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q}}\n  - {id: q2, type: decimal, label: {it: Quota}}\n"
    plain = load_questionnaire(write_files(tmp_path, {"a.yaml": HEAD + questions})["a.yaml"])
    assert plain.content_hash == "06f71b5f5ee3b7683cc4e6332c6eed34cff6bb2c02c28721203c62a1fbb2569f"  # computed before `unit`
    assert plain.question("q2").percent is False
    with_unit = load_questionnaire(write_files(tmp_path, {"b.yaml": HEAD + questions.replace("label: {it: Quota}", 'label: {it: Quota}, unit: "%"')})["b.yaml"])
    assert with_unit.question("q2").unit == "%" and with_unit.question("q2").percent is True
    assert with_unit.content_hash != plain.content_hash


def test_every_problem_reported_at_once(tmp_path):
    text = HEAD + """\
  - {id: q1, type: select_one, choices: sn, label: {it: Q1}}
  - {id: q1, type: select_one, choices: nope, dimension: d1, label: {it: Q2}}
  - {id: q3, type: select_one, choices: sn, dimension: d9, label: {it: Q3}}
  - {id: q4, type: integer, dimension: d1, label: {it: Q4}, weight: 0, constraint: ". >== 1"}
  - {id: q5, type: text, label: {it: Q5}, relevant: "${zz} = 1"}
"""
    found, file = problems_of(tmp_path, text)
    assert file.endswith("q.yaml")
    assert found == [
        "riga 15, domanda q1: la domanda 'q1' ha un punteggio ma nessuna 'dimension'",
        "riga 16: identificativo duplicato 'q1' (già usato a riga 15)",
        "riga 16, domanda q1: la domanda 'q1' indica la lista di scelte 'nope', che non esiste; liste: sn",
        "riga 17, domanda q3: la domanda 'q3' indica la dimensione 'd9', che non esiste; dimensioni: d1",
        "riga 18, domanda q4: constraint della domanda 'q4' non valido: '=' inatteso in posizione 5",
        "riga 18, domanda q4: questions.3.weight: deve essere maggiore di 0",
        "riga 19, domanda q5: relevant della domanda 'q5' cita 'zz', che non è una domanda",
    ]


def test_relevant_must_refer_to_an_earlier_question(tmp_path):
    text = HEAD + """\
  - {id: q1, type: text, label: {it: Q1}, relevant: "${q2} = 'x'"}
  - {id: q2, type: text, label: {it: Q2}}
"""
    found, _ = problems_of(tmp_path, text)
    assert found == ["riga 15, domanda q1: relevant della domanda 'q1' cita 'q2', che viene dopo: si può citare solo una domanda precedente"]


def test_levels_must_ascend_from_zero(tmp_path):
    text = HEAD.replace("from: 0,", "from: 10,").replace("from: 50", "from: 5") + "  - {id: q1, type: text, label: {it: Q}}\n"
    found, _ = problems_of(tmp_path, text)
    assert found == ["riga 5: i livelli devono partire da 0 ed essere strettamente crescenti (trovato 10, 5)"]


def test_targets_scores_and_weights_ranges(tmp_path):
    text = HEAD.replace("{id: d1, label: {it: D1}}", "{id: d1, label: {it: D1}, target: 120, weight: -1}") + """\
  - id: q1
    type: select_one
    dimension: d1
    label: {it: Q}
    choices:
      - {value: x, label: {it: X}, score: 150}
      - {value: y, label: {it: Y}, score: 0, exclusive: true}
"""
    found, _ = problems_of(tmp_path, text)
    assert found == [
        "riga 9: dimensions.0.target: deve essere al massimo 100",
        "riga 9: dimensions.0.weight: deve essere maggiore di 0",
        "riga 19, domanda q1: la domanda 'q1' è select_one ma la scelta 'y' è 'exclusive' (solo per select_multiple)",
        "riga 19, domanda q1: la scelta 'x' della domanda select_one 'q1' ha punteggio 150: ammesso 0-100",
    ]


def test_questionnaire_target_range_and_unknown_field(tmp_path):
    text = HEAD.replace('version: "1"', 'version: "1"\ntarget: 101\ncolour: red') + "  - {id: q1, type: text, label: {it: Q}}\n"
    found, _ = problems_of(tmp_path, text)
    assert found == ["riga 3: target: deve essere al massimo 100", "riga 4: colour: campo non previsto (errore di battitura?)"]


def test_bands_and_linear_scoring_checked(tmp_path):
    text = HEAD + """\
  - {id: n1, type: integer, dimension: d1, label: {it: N1}, scoring: {bands: [[10, 0], [5, 50]]}}
  - {id: n2, type: decimal, dimension: d1, label: {it: N2}, scoring: {min: 3, max: 3}}
  - {id: n3, type: text, label: {it: N3}, scoring: {min: 0, max: 3}}
"""
    found, _ = problems_of(tmp_path, text)
    assert found == [
        "riga 15, domanda n1: le fasce di 'scoring' della domanda 'n1' devono avere soglie crescenti e punteggi 0-100",
        "riga 16, domanda n2: 'scoring' della domanda 'n2': indicare 'bands' oppure 'min' e 'max' (diversi)",
        "riga 17, domanda n3: la domanda 'n3': 'scoring' vale solo per integer e decimal",
    ]


def test_default_language_required_in_labels(tmp_path):
    text = HEAD + "  - {id: q1, type: text, label: {en: Q}}\n"
    found, _ = problems_of(tmp_path, text)
    assert found == ["riga 15, domanda q1: label: testo senza la lingua predefinita 'it'"]


def test_reserved_and_duplicate_choice_values(tmp_path):
    text = HEAD.replace('{value: "no", label: {it: "No"}, score: 0}', '{value: si, label: {it: "No"}, score: 0}\n    - {value: dk, label: {it: X}, score: 0}') + (
        "  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q}}\n"
    )
    found, _ = problems_of(tmp_path, text)
    assert found == [
        "riga 13: valore di scelta duplicato 'si' nella lista 'sn'",
        "riga 14: il valore 'dk' è riservato (na = non applicabile, dk = non so)",
    ]


def test_yaml_syntax_error_names_the_line(tmp_path):
    found, _ = problems_of(tmp_path, HEAD + "  - {id: q1, type: text, label: {it: Q}\n  - x: [\n")
    assert len(found) == 1 and found[0].startswith("riga 16: errore di sintassi YAML")


def test_messages_in_english(tmp_path):
    set_language("en")
    found, _ = problems_of(tmp_path, HEAD + "  - {id: q1, type: select_one, choices: nope, dimension: d1, label: {it: Q}}\n")
    assert found == ["line 15, question q1: question 'q1' names choice list 'nope', which does not exist; lists: sn"]


def test_unknown_id_lists_available(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(NotFound) as err:
        load_questionnaire("inesistente")
    assert "questionario 'inesistente' non trovato; disponibili:" in err.value.problems[0].message


def test_lookup_by_id_in_user_folder(tmp_path, monkeypatch):
    write_files(tmp_path, {"questionnaires/mio.yaml": EXAMPLE.read_text(encoding="utf-8")})
    monkeypatch.chdir(tmp_path)
    assert load_questionnaire("mio").id == "esempio"


def test_shipped_questionnaires_are_valid():
    for path in shipped_files():
        load_questionnaire(path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('min_coverage: "2/3"', 2 / 3),
        ("min_coverage: 0.5", 0.5),
        ('overall_min_coverage: " 3 / 4 "', 0.75),
    ],
)
def test_shares_are_numbers_or_fractions(tmp_path, line, expected):
    text = HEAD.replace("levels:", line + "\nlevels:") + "  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q}}\n"
    q = load_questionnaire(write_files(tmp_path, {"q.yaml": text})["q.yaml"])
    assert (q.overall_min_coverage if "overall" in line else q.min_coverage) == expected


def test_rules_errors_located(tmp_path):
    text = HEAD.replace("levels:", 'min_coverage: "2/0"\noverall_min_coverage: "3/2"\ndont_know: sempre\nlevels:') + """\
  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q}, dont_know: mai}
  - {id: q2, type: select_one, choices: sn, dimension: d1, label: {it: Q2}}
"""
    found, _ = problems_of(tmp_path, text)
    assert found == [
        "riga 5: min_coverage: atteso un numero da 0 a 1 o una frazione come 2/3, trovato '2/0'",
        "riga 6: overall_min_coverage: deve essere al massimo 1",
        "riga 7: dont_know: valore non ammesso; ammessi: 'missing', 'zero'",
        "riga 18, domanda q1: questions.0.dont_know: valore non ammesso; ammessi: 'missing', 'zero'",
    ]


# ------------------------------------------------------------ road-map attributes and the service catalogue

SCORED = "  - {id: q1, type: select_one, choices: sn, dimension: d1, label: {it: Q1}"


def test_roadmap_attributes_load(tmp_path):
    text = HEAD + SCORED + ", action: {it: F}, effort: medium, service: cybersicurezza, min_size: 10}\n"
    q = load_questionnaire(write_files(tmp_path, {"q.yaml": text})["q.yaml"])
    x = q.question("q1")
    assert (x.effort, x.service, x.min_size) == ("medium", "cybersicurezza", 10)
    assert q.service_catalogue is not None  # the shipped one, by default
    assert q.service_catalogue.by_id["cybersicurezza"].label["en"] == "Cybersecurity"


def test_questionnaire_without_services_does_not_read_a_catalogue(tmp_path):
    q = load_questionnaire(write_files(tmp_path, {"q.yaml": HEAD + SCORED + "}\n"})["q.yaml"])
    assert q.service_catalogue is None


def test_roadmap_attribute_errors_located(tmp_path):
    text = HEAD + SCORED + """, effort: enorme, service: teletrasporto}
  - {id: q2, type: select_one, choices: sn, dimension: d1, label: {it: Q2}, min_size: 0, service: "servizio x"}
  - {id: q3, type: text, label: {it: Q3}, effort: low, service: assessment, min_size: 5}
"""
    found, _ = problems_of(tmp_path, text)
    known = ("connettivita, competenze_base, formazione_specialistica, assessment, cybersicurezza, dati_interoperabilita, "
             "gemello_open_data, servizi_online, ecommerce_marketing, finanziamenti, digitale_green")
    assert found == [
        f"riga 15, domanda q1: la domanda 'q1' indica il servizio 'teletrasporto', che non è nel catalogo; servizi: {known}",
        "riga 15, domanda q1: questions.0.effort: valore non ammesso; ammessi: 'low', 'medium', 'high'",
        f"riga 16, domanda q2: la domanda 'q2' indica il servizio 'servizio x', che non è nel catalogo; servizi: {known}",
        "riga 16, domanda q2: questions.1.min_size: deve essere almeno 1",
        "riga 16, domanda q2: questions.1.service: formato non valido: ammessi lettere, cifre, - e _",
        "riga 17, domanda q3: la domanda 'q3': 'effort' vale solo per le domande con punteggio (descrive la loro azione)",
        "riga 17, domanda q3: la domanda 'q3': 'min_size' vale solo per le domande con punteggio (descrive la loro azione)",
        "riga 17, domanda q3: la domanda 'q3': 'service' vale solo per le domande con punteggio (descrive la loro azione)",
    ]


CATALOGUE = """\
services:
  - id: rete
    label: {it: Rete, en: Network}
    description: {it: Connessioni., en: Connections.}
  - id: corsi
    label: {it: Corsi, en: Courses}
    description: {it: Formazione., en: Training.}
"""


def test_own_catalogue_and_a_choice_list_from_it(tmp_path):
    text = HEAD.replace("levels:", "services: comune/catalogo.yaml\nlevels:").replace(
        "choices:\n", "choices:\n  bisogni: {from: services}\n") + SCORED + ", service: corsi}\n" + """\
  - {id: esigenze_top3, type: select_multiple, choices: bisogni, label: {it: Esigenze}, constraint: "count-selected(.) <= 3"}
"""
    files = write_files(tmp_path, {"q.yaml": text, "comune/catalogo.yaml": CATALOGUE})
    q = load_questionnaire(files["q.yaml"])
    assert q.service_catalogue is not None and q.service_catalogue.ids == ["rete", "corsi"]
    choices = q.choices_of(q.question("esigenze_top3"))
    assert [(c.value, c.label, c.score) for c in choices] == [("rete", {"it": "Rete", "en": "Network"}, None),
                                                             ("corsi", {"it": "Corsi", "en": "Courses"}, None)]
    assert not q.is_scored(q.question("esigenze_top3"))
    assert q.question("q1").service == "corsi"


def test_catalogue_not_found_is_located(tmp_path):
    text = HEAD.replace("levels:", "services: manca.yaml\nlevels:") + SCORED + "}\n"
    found, _ = problems_of(tmp_path, text)
    assert found == [f"riga 5: catalogo dei servizi non trovato: {tmp_path / 'manca.yaml'}"]


def test_invalid_catalogue_problems_name_its_file(tmp_path):
    bad = """\
services:
  - id: rete
    label: {it: Rete, en: Network}
    description: {it: "Una riga\\ne un'altra", en: One line.}
  - id: rete
    label: {en: Courses}
  - {id: "a b", label: {it: X}, description: {it: Y}, colore: blu}
"""
    text = HEAD.replace("levels:", "services: servizi.yaml\nlevels:") + SCORED + ", service: rete}\n"
    files = write_files(tmp_path, {"q.yaml": text, "servizi.yaml": bad})
    with pytest.raises(InvalidInput) as err:
        load_questionnaire(files["q.yaml"])
    assert [(p.file, p.place, p.message) for p in err.value.problems] == [
        (str(files["servizi.yaml"]), "riga 4", "description: il servizio 'rete' deve avere un testo di una sola riga"),
        (str(files["servizi.yaml"]), "riga 5", "identificativo duplicato 'rete' (già usato a riga 2)"),
        (str(files["servizi.yaml"]), "riga 5", "services.1.description: campo obbligatorio mancante"),
        (str(files["servizi.yaml"]), "riga 6", "label: testo senza la lingua predefinita 'it'"),
        (str(files["servizi.yaml"]), "riga 7", "services.2.colore: campo non previsto (errore di battitura?)"),
        (str(files["servizi.yaml"]), "riga 7", "services.2.id: formato non valido: ammessi lettere, cifre, - e _"),
    ]


def test_shipped_catalogue():
    from crassess.questionnaire.load import load_services

    catalogue = load_services()
    assert catalogue.ids == [
        "connettivita", "competenze_base", "formazione_specialistica", "assessment", "cybersicurezza",
        "dati_interoperabilita", "gemello_open_data", "servizi_online", "ecommerce_marketing", "finanziamenti",
        "digitale_green",
    ]
    for service in catalogue.services:
        for text in (service.label, service.description):
            assert set(text) == {"it", "en"} and all(v.strip() and "\n" not in v for v in text.values()), service.id
    with pytest.raises(Exception):
        catalogue.services[0].id = "x"  # frozen


def test_catalogue_is_not_a_questionnaire(tmp_path, monkeypatch):
    from crassess.questionnaire.load import questionnaire_files, resolve

    write_files(tmp_path, {"questionnaires/servizi.yaml": CATALOGUE, "questionnaires/q.yaml": HEAD + SCORED + "}\n",
                           "questionnaires/livelli.yaml": GUIDE})
    monkeypatch.chdir(tmp_path)
    local = [f for f in questionnaire_files() if f.parent == tmp_path / "questionnaires"]
    assert [f.name for f in local] == ["q.yaml"]
    assert not {"servizi", "livelli"} & {f.stem for f in questionnaire_files()}
    for name in ("servizi", "livelli"):
        with pytest.raises(NotFound):
            resolve(name)


def test_services_answer_barriers(tmp_path):
    from crassess.questionnaire.load import load_services

    text = CATALOGUE.replace("    description: {it: Connessioni., en: Connections.}\n",
                             "    description: {it: Connessioni., en: Connections.}\n    barriers: {ostacoli: [connettivita]}\n")
    text += "    barriers: {ostacoli: [competenze, tempo], motivi_resistenza: [tempo]}\n"
    catalogue = load_services(write_files(tmp_path, {"s.yaml": text})["s.yaml"])
    assert [s.id for s in catalogue.answering("ostacoli", "competenze")] == ["corsi"]
    assert [s.id for s in catalogue.answering("motivi_resistenza", "tempo")] == ["corsi"]
    assert [s.id for s in catalogue.answering("ostacoli", "connettivita")] == ["rete"]
    assert catalogue.answering("ostacoli", "costi") == [] and catalogue.answering("esigenze", "tempo") == []


GUIDE = """levels:
  - id: base
    text: {it: Le basi mancano., en: The basics are missing.}
    dimensions:
      connettivita: {it: Linea lenta., en: A slow line.}
  - id: avanzato
    text: {it: Maturo., en: Mature.}
"""


def test_level_guide_texts_and_where_it_is_found(tmp_path, monkeypatch):
    from crassess.questionnaire.load import (
        find_level_guide,
        load_level_guide,
        shipped_dir,
    )

    monkeypatch.delenv("CRASSESS_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    assert find_level_guide() == shipped_dir() / "livelli.yaml"  # no local guide: the shipped one
    write_files(tmp_path, {"questionnaires/livelli.yaml": GUIDE})
    assert find_level_guide() == tmp_path / "questionnaires" / "livelli.yaml"  # found like a questionnaire id
    guide = load_level_guide()
    assert guide.text("base", "connettivita") == {"it": "Linea lenta.", "en": "A slow line."}
    assert guide.text("base", "competenze") == guide.text("base") == {"it": "Le basi mancano.", "en": "The basics are missing."}
    assert guide.text("medio") is None  # a level the guide does not explain


def test_shipped_level_guide_has_both_languages_on_one_line():
    from crassess.questionnaire.load import load_level_guide, shipped_dir

    guide = load_level_guide(shipped_dir() / "livelli.yaml")
    assert [lv.id for lv in guide.levels] == ["base", "medio", "moderatamente_avanzato", "avanzato"]
    texts = [lv.text for lv in guide.levels] + [x for lv in guide.levels for x in lv.dimensions.values()]
    assert all(set(x) == {"it", "en"} and all(v.strip() and "\n" not in v for v in x.values()) for x in texts)
