"""The score card and the score table, rendered by rich at the widths facilitators use."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from crassess.interview.card import answer_text, answers_view, score_card, score_table
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import QuestionnaireRef, Response
from crassess.scoring.engine import score


def render(renderable: object, width: int, height: int = 24, terminal: bool = True) -> list[str]:
    console = Console(file=io.StringIO(), width=width, height=height, color_system=None, force_terminal=terminal)
    with console.capture() as captured:
        console.print(renderable)
    return [line.rstrip() for line in captured.get().splitlines()]


@pytest.fixture(scope="module")
def comune():
    """The comune questionnaire (8 dimensions, labels up to 40 characters), every select_one answered."""
    qn = load_questionnaire("comune")
    answers = {}
    for i, q in enumerate(qn.questions):
        if q.type == "select_one":
            choices = qn.choices_of(q)
            answers[q.id] = choices[i % len(choices)].value
    return qn, score(qn, answers)


CARD_80 = [
    "Comune di Soresina – Soresina " + "─" * 50,
    "Dimensione                          Punteggio  Livello        Obiettivo  Divario",
    "Strategia digitale e investimenti        58,5  Moderatamente         75     16,5",
    "                                               avanzato",
    "Servizi digitali e piattaforme           55,8  Moderatamente         75     19,2",
    "nazionali                                      avanzato",
    "Connettività e infrastrutture            42,9  Medio                 80     37,1",
    "Competenze digitali                      31,3  Medio                 75     43,8",
    "Atteggiamento e gestione del             66,8  Moderatamente         75      8,3",
    "cambiamento                                    avanzato",
    "Gestione dei dati e sicurezza            44,0  Medio                 80     36,0",
    "Interoperabilità e condivisione          57,0  Moderatamente         70     13,0",
    "dei dati                                       avanzato",
    "Digitale sostenibile                        –  –                     60        –",
    "Complessivo: dati insufficienti (dimensioni con punteggio: 93% del peso, minimo",
    "100%) (incompleto)",
    "– = dati insufficienti (copertura sotto il 67%)",
    "Azioni prioritarie",
    "1. Collegare il municipio in fibra fino alla sede, anche tramite il Sistema",
    "   pubblico di connettività o le convenzioni Consip. [fibra_municipio]",
]


def test_the_card_fits_80x24_with_the_saved_path_and_the_shell_prompt_after(comune):
    qn, result = comune
    lines = render(score_card(qn, result, "Comune di Soresina – Soresina", "it"), 80)
    assert lines == CARD_80
    assert len(lines) <= 24 - 3
    # one action fits: on a taller screen (or into a file) all three are there
    assert render(score_card(qn, result, "x", "it"), 80, height=40)[-4:] == [
        "2. Rilevare i fabbisogni di competenze digitali per ufficio e inserire nel piano",
        "   della formazione percorsi mirati con verifica finale. [piano_formazione]",
        "3. Estendere il fascicolo informatico a tutti i procedimenti e affidare i",
        "   documenti a un conservatore qualificato. [gestione_documentale]",
    ]
    assert len(render(score_card(qn, result, "x", "it"), 80, terminal=False)) == len(CARD_80) + 4


def test_at_60_columns_every_column_is_there_and_no_word_is_broken(comune):
    qn, result = comune
    lines = render(score_card(qn, result, "Comune di Soresina – Soresina", "it"), 60, height=60)
    assert max(len(line) for line in lines) <= 60
    assert lines[1:5] == [
        "Dimensione             Punti  Livello        Obiet.  Divario",
        "Strategia digitale e    58,5  Moderatamente      75     16,5",
        "investimenti                  avanzato",
        "Servizi digitali e      55,8  Moderatamente      75     19,2",
    ]
    words = {w for dim in qn.dimensions for w in dim.label["it"].split()} | {"Moderatamente", "avanzato"}
    printed = {w for line in lines for w in line.split()}
    assert words <= printed  # every word of every label printed whole
    gaps = [line.split()[-1] for line in lines[2:] if line.split() and line.split()[-1].replace(",", "").isdigit()]
    assert gaps == ["16,5", "19,2", "37,1", "43,8", "8,3", "36,0", "13,0"]


def test_bars_where_the_labels_fit_on_one_line(esempio):
    result = score(esempio, {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale"})
    lines = render(score_card(esempio, result, "Rossi", "it"), 80)
    assert lines[1:3] == [
        "Dimensione          Punteggio              Livello   Obiettivo  Divario",
        "Connettività             80,0  ████████│░  Avanzato         80      0,0",
    ]


def test_no_score_is_said_plainly(esempio):
    lines = render(score_card(esempio, score(esempio, {}), "Vuota", "it"), 80)
    assert lines[-4:] == [
        "Complessivo: – (dati insufficienti, incompleto)",
        "– = dati insufficienti (copertura sotto il 67%)",
        "Nessun punteggio: nessuna dimensione ha abbastanza risposte con punteggio",
        "(almeno il 67%).",
    ]
    assert not any("obiettivi sono raggiunti" in line for line in lines)


def test_targets_met_only_where_there_is_a_score(esempio):
    # connettivita scored at 100 (target 80), the other dimensions without data
    some = {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 10000, "wifi": "si"}
    lines = render(score_card(esempio, score(esempio, some), "x", "it"), 80)
    assert lines[-3:] == [
        "Azioni prioritarie",
        "Nessuna azione urgente nelle dimensioni con punteggio; le altre non hanno dati",
        "sufficienti.",
    ]
    # every dimension scored, no gap: then (and only then) every target is met
    full = {**some, "strumenti": ["cloud", "erp", "crm"], "fatturazione": "si", "addetti_formati": 100, "ore_perse": 0,
            "formazione": "si"}
    result = score(esempio, full)
    assert all(d.score is not None and not d.gap for d in result.dimensions.values())
    assert render(score_card(esempio, result, "x", "it"), 80)[-1] == "Nessuna azione urgente: tutti gli obiettivi sono raggiunti."


def test_respondent_text_is_never_markup_nor_escape_sequences(esempio):
    title = "Bar [/] [bold]Roma[/bold] \x1b[2J\x1b]52;c;ZXZpbA==\x07 – Crema"
    lines = render(score_card(esempio, score(esempio, {}), title, "it"), 80)
    shown = "Bar [/] [bold]Roma[/bold] \\x1b[2J\\x1b]52;c;ZXZpbA==\\x07 – Crema"
    assert lines[0] == shown + " " + "─" * (80 - len(shown) - 1)
    table = render(score_table(esempio, score(esempio, {}), title, "it"), 80)
    assert table[0] == shown


def test_english_card(comune):
    qn, result = comune
    lines = render(score_card(qn, result, "x", "en"), 80, height=60)
    assert lines[1:4] == [
        "Dimension                               Score  Level                Target   Gap",
        "Digital strategy and investments         58.5  Moderately advanced      75  16.5",
        "Digital services and national            55.8  Moderately advanced      75  19.2",
    ]


def test_answers_view_shows_labels_and_notes(esempio):
    response = Response(
        questionnaire=QuestionnaireRef(id="esempio", version="1.0.0"),
        answers={"fibra_disponibile": "si", "velocita": 12.5, "strumenti": ["cloud", "erp"], "formazione": "dk",
                 "note_finali": "riga\x1b[31m rossa"},
        notes={"velocita": "dal\ncontratto"},
    )
    lines = render(answers_view(esempio, response, "it"), 120)
    assert lines == [
        "[fibra_disponibile] La fibra è disponibile all'indirizzo della sede?: Sì",
        "[velocita] Velocità di download della linea (Mbit/s): 12,5 (nota: dal contratto)",
        "[strumenti] Quali strumenti usate?: Servizi cloud; Gestionale (ERP)",
        "[formazione] Esiste un piano di formazione digitale?: Non so",
        "[note_finali] Note finali: riga\\x1b[31m rossa",
    ]
    assert answer_text(esempio, "velocita", 12.5, "en") == "12.5"
