"""The interview flow through a scripted prompter."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crassess.interview.dialog import Interrupted, Nav
from crassess.interview.drafts import DraftStore, list_drafts
from crassess.interview.flow import run_interview
from crassess.interview.resume import resume_response
from crassess.questionnaire.responses import load_response
from crassess.territory.comuni import load_territory
from tests.conftest import write_files
from tests.interview.scripted import (
    ENTER,
    PROFILE,
    ROSSI,
    ROSSI_ANSWERS,
    TODAY,
    RecordingStore,
    Script,
    clock,
    run,
)


def test_full_interview_saves_after_every_answer_and_scores(esempio, tmp_path):
    result, script, store = run(esempio, tmp_path, PROFILE + ROSSI + [("choose", "complete")])
    assert script.asked == [k for k, _ in PROFILE + ROSSI]
    saved = json.loads(result.path.read_text(encoding="utf-8"))
    assert result.path.parent == tmp_path / "camp" / "responses"
    assert result.path.name == f"rossi-meccanica-srl-{saved['id']}.json"
    assert saved["status"] == "complete"
    assert saved["answers"] == ROSSI_ANSWERS
    assert saved["respondent"] == {
        "name": "Rossi Meccanica srl", "comune": "019036", "size": 12, "subsector": "C",
        "interviewer": "Anna Bianchi", "date": "2026-11-25",
    }
    assert saved["created"] == saved["updated"] == "2026-11-25T10:30:00+00:00"
    # one draft save per answer (profile fields included, the empty contact too), then the closing ones
    assert len(store.saves) == len(PROFILE) + len(ROSSI) + 2
    assert [status for status, _ in store.saves[:-1]] == ["draft"] * (len(store.saves) - 1)
    assert store.saves[len(PROFILE) + 2][1] == {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100}
    assert store.saves[-1][0] == "complete"
    # connettivita 80, strumenti 250/3, competenze insufficient (coverage 2/3 < 0.67)
    assert result.result.overall == pytest.approx((2 * 80 + 250 / 3) / 3)
    assert result.result.dimensions["competenze"].score is None
    assert ("info", "Tutte le domande obbligatorie hanno una risposta.") in script.shown


def test_header_progress_and_commands(esempio, tmp_path):
    _, script, _ = run(esempio, tmp_path, PROFILE + ROSSI + [("choose", "complete")])
    first = script.prompts[len(PROFILE)]
    assert (first.progress.section, first.progress.position, first.progress.total, first.progress.percent) == (
        "Domande di contesto (senza punteggio)", 1, 10, 0,  # fibra_sede not yet relevant: 10 of 11 questions apply
    )
    velocita = script.prompts[len(PROFILE) + 2]
    assert (velocita.progress.section, velocita.progress.position, velocita.progress.total, velocita.progress.percent) == (
        "Connettività", 3, 11, 18,
    )
    assert velocita.commands == (Nav.BACK, Nav.SKIP, Nav.JUMP, Nav.NOTE, Nav.HINT)
    assert script.prompts[len(PROFILE) + 3].commands == (Nav.BACK, Nav.SKIP, Nav.JUMP, Nav.NOTE)
    assert script.prompts[0].commands == ()  # the name: first and required
    assert script.prompts[2].commands == (Nav.BACK, Nav.SKIP)  # size: optional
    wifi = script.prompts[len(PROFILE) + 3]
    assert [(o.value, o.label, o.special) for o in wifi.options] == [
        ("si", "Sì", False), ("parziale", "In parte", False), ("no", "No", False), ("na", "Non applicabile", True),
    ]
    subsector = script.prompts[3]
    assert subsector.options[2].value == "C" and subsector.options[2].label == "C – Attività manifatturiere"


def test_skip_logic_does_not_ask_irrelevant_questions(esempio, tmp_path):
    steps = PROFILE + [("fibra_disponibile", "no")] + [s for s in ROSSI[2:]] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert "fibra_sede" not in script.asked
    assert "fibra_sede" not in result.response.answers
    assert result.result.dimensions["connettivita"].items[0].status == "not_relevant"


def test_back_reasks_with_the_answer_as_default_and_drops_answers_that_no_longer_apply(esempio, tmp_path):
    steps = PROFILE + [
        ("fibra_disponibile", "si"), ("fibra_sede", "si"), ("velocita", Nav.BACK),
        ("fibra_sede", Nav.BACK), ("fibra_disponibile", "no"),
    ] + ROSSI[2:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    defaults = [(p.key, p.default) for p in script.prompts[len(PROFILE):len(PROFILE) + 6]]
    assert defaults == [
        ("fibra_disponibile", None), ("fibra_sede", None), ("velocita", None),
        ("fibra_sede", "si"), ("fibra_disponibile", "si"), ("velocita", None),
    ]
    assert "fibra_sede" not in json.loads(result.path.read_text(encoding="utf-8"))["answers"]


def test_back_from_the_first_question_reaches_the_profile(esempio, tmp_path):
    steps = PROFILE + [("fibra_disponibile", Nav.BACK), ("date", "24/11/2026")] + ROSSI + [("choose", "complete")]
    result, _, _ = run(esempio, tmp_path, steps)
    assert result.response.respondent.date == "2026-11-24"


def test_constraint_and_type_errors_are_shown_and_the_question_reasked(esempio, tmp_path):
    steps = PROFILE + ROSSI[:2] + [("velocita", "20000"), ("velocita", "tanti"), ("velocita", "-1"), ("velocita", "100")]
    steps += ROSSI[3:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    errors = [text for kind, text in script.shown if kind == "error"]
    assert errors == [
        "vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s",
        "atteso un numero intero, trovato 'tanti'",
        "vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s",
    ]
    assert result.response.answers["velocita"] == 100
    # the same check is what a real prompt shows while the answer is typed
    velocita = script.prompts[len(PROFILE) + 2]
    assert velocita.check("20000") == errors[0]
    assert velocita.check("70") is None


def test_exclusive_choices_and_special_answers_only_where_allowed(esempio, tmp_path):
    steps = PROFILE + ROSSI[:3] + [("wifi", "na"), ("strumenti", ["cloud", "nessuno"]), ("strumenti", ["nessuno"]),
                                   ("fatturazione", "dk"), ("fatturazione", "no")]
    steps += [("addetti_formati", "non so"), ("addetti_formati", "25,5")] + ROSSI[7:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    errors = [text for kind, text in script.shown if kind == "error"]
    assert errors == [
        "la scelta «Nessuno» esclude tutte le altre",
        "«Non so» non è ammesso per questa domanda",
        "«Non so» non è ammesso per questa domanda",
    ]
    answers = result.response.answers
    assert (answers["wifi"], answers["strumenti"], answers["fatturazione"], answers["addetti_formati"]) == ("na", ["nessuno"], "no", 25.5)


def test_dont_know_typed_and_shown_again_in_words(esempio, tmp_path):
    steps = PROFILE + ROSSI[:2] + [("velocita", "Non so"), ("wifi", Nav.BACK), ("velocita", ENTER)] + ROSSI[3:]
    result, script, _ = run(esempio, tmp_path, steps + [("choose", "complete")])
    assert result.response.answers["velocita"] == "dk"
    assert script.prompts[len(PROFILE) + 4].default == "non so"


def test_skip_leaves_unanswered_and_the_end_lists_required_ones(esempio, tmp_path):
    steps = PROFILE + ROSSI[:2] + [("velocita", Nav.SKIP)] + ROSSI[3:]
    steps += [("choose", "missing"), ("velocita", "300"), ("wifi", ENTER), ("strumenti", ENTER), ("fatturazione", ENTER),
              ("addetti_formati", ENTER), ("ore_perse", ENTER), ("formazione", ENTER), ("ostacoli", ENTER),
              ("note_finali", ENTER), ("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    warning = [text for kind, text in script.shown if kind == "warning"]
    assert warning == ["Domande obbligatorie senza risposta (1):\n  – velocita: Velocità di download della linea (Mbit/s)"]
    assert script.menus[0] == ("Concludere l'intervista?", ["complete", "missing", "back", "draft"], "missing")
    assert result.response.answers["velocita"] == 300
    assert result.response.answers["addetti_formati"] == 25


def test_skipping_a_required_profile_field_is_refused(esempio, tmp_path):
    steps = [("name", Nav.SKIP), ("name", ""), ("name", "  Rossi   srl ")] + PROFILE[1:] + ROSSI + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert [text for kind, text in script.shown if kind == "error"] == ["Comando non disponibile qui.", "dato obbligatorio"]
    assert result.response.respondent.name == "Rossi srl"


def test_profile_values_are_normalised(esempio, tmp_path):
    profile = [("name", "Bar Centrale"), ("comune", "Cremna"), ("comune", "19036"), ("size", "1.200"), ("subsector", Nav.SKIP),
               ("contact", "bar@example.org"), ("interviewer", ""), ("date", "3/2/2026")]
    result, script, _ = run(esempio, tmp_path, profile + ROSSI + [("choose", "complete")])
    assert script.shown[0] == ("error", "comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)? Per una sede fuori dal territorio: «fuori territorio».")
    assert result.response.respondent.model_dump(exclude_none=True) == {
        "name": "Bar Centrale", "comune": "019036", "size": 1200, "contact": "bar@example.org", "date": "2026-02-03",
    }


def test_hint_note_and_jump(esempio, tmp_path):
    steps = PROFILE + ROSSI[:2] + [
        ("velocita", Nav.HINT), ("velocita", Nav.NOTE), ("text", "dal contratto"),
        ("velocita", Nav.JUMP), ("choose", "competenze"),
        ("addetti_formati", Nav.BACK),
        ("velocita", "100"), ("wifi", Nav.HINT),
    ] + ROSSI[3:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert script.shown[:3] == [
        ("hint", "Si legge nel contratto o con uno speed test."),
        ("info", "Nota salvata."),
        ("error", "Comando non disponibile qui."),
    ]
    assert result.response.notes == {"velocita": "dal contratto"}
    message, options, default = script.menus[0]
    assert (message, default) == ("Andare a quale sezione?", "connettivita")
    assert options == ["profile", "connettivita", "strumenti", "competenze", "end", "cancel"]
    assert script.prompts[len(PROFILE) + 4].note == "dal contratto"  # velocita, asked again after the note


def test_interruption_saves_a_draft_and_resume_continues_where_it_stopped(esempio, tmp_path):
    campaign = tmp_path / "camp"
    with pytest.raises(Interrupted) as caught:
        run(esempio, tmp_path, PROFILE + ROSSI[:3] + [("wifi", KeyboardInterrupt)], command="esempio")
    assert caught.value.exit_code == 130
    [path] = (campaign / "responses").glob("*.json")
    assert str(caught.value) == (
        f"Intervista interrotta. Le risposte date sono salvate in {path}.\n"
        f"Per riprendere: crassess interview esempio --resume {path}"
    )
    draft = load_response(path)
    assert draft.status == "draft"
    assert draft.answers == {"fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100}

    resumed = resume_response(esempio, path)
    steps = [("wifi", Nav.BACK), ("velocita", ENTER)] + ROSSI[3:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps, store=RecordingStore(path=path), resume=resumed)
    assert script.prompts[1].default == 100
    assert script.shown[0] == ("info", f"Si riprende l'intervista salvata in {path}.")
    assert result.path == path
    assert result.response.id == draft.id
    assert result.response.created == draft.created
    assert result.response.answers == ROSSI_ANSWERS
    assert list((campaign / "responses").glob("*.json")) == [path]


def test_interruption_before_any_answer_saves_nothing(esempio, tmp_path):
    with pytest.raises(Interrupted, match="prima della prima risposta"):
        run(esempio, tmp_path, [("name", KeyboardInterrupt)])
    assert not (tmp_path / "camp").exists()


def test_drafts_in_the_campaign_are_offered(esempio, tmp_path):
    with pytest.raises(Interrupted):
        run(esempio, tmp_path, PROFILE + ROSSI[:1] + [("fibra_sede", KeyboardInterrupt)])
    [(path, draft)] = list_drafts(tmp_path / "camp", esempio)
    steps = [("choose", "0")] + ROSSI[1:] + [("choose", "draft")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert script.menus[0] == (
        "Ci sono interviste in bozza per questo questionario. Quale?", ["new", "0"], "new",
    )
    assert result.path == path and result.response.status == "draft"
    assert script.labels[0] == ["Nuova intervista", "Riprendere Rossi Meccanica srl (risposte: 1; 2026-11-25 10:30 UTC)"]
    # a new interview beside the draft
    run(esempio, tmp_path, [("choose", "new")] + [("name", "Verdi")] + PROFILE[1:] + ROSSI + [("choose", "complete")])
    assert len(list((tmp_path / "camp" / "responses").glob("*.json"))) == 2
    assert len(list_drafts(tmp_path / "camp", esempio)) == 1


def test_jump_menu_points_at_the_next_dimension_from_unscored_questions(esempio, tmp_path):
    steps = PROFILE + [("fibra_disponibile", Nav.JUMP), ("choose", "cancel"), ("fibra_disponibile", Nav.JUMP), ("choose", "end"),
                       ("choose", "draft")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert script.menus[0][2] == "connettivita"
    assert script.menus[2][1] == ["complete", "missing", "back", "draft"]
    assert result.response.status == "draft"
    assert result.response.answers == {}


def test_end_of_input_is_an_interruption_too(esempio, tmp_path):
    class EndOfInput(Script):
        def ask(self, prompt: Any) -> Any:
            if prompt.key == "comune":
                raise EOFError
            return super().ask(prompt)

    store = DraftStore(campaign=tmp_path)
    with pytest.raises(Interrupted) as caught:
        run_interview(esempio, EndOfInput(PROFILE[:1]), store, load_territory(), lang="it", today=TODAY, clock=clock)
    assert caught.value.exit_code == 130
    assert load_response(store.path).respondent.name == "Rossi Meccanica srl"


def test_english_labels_and_messages(esempio, tmp_path):
    from crassess.i18n import set_language

    set_language("en")
    script = Script(PROFILE[:2] + [("size", "lots"), ("size", KeyboardInterrupt)])
    with pytest.raises(Interrupted, match="^Interview interrupted. The answers given are saved in "):
        run_interview(esempio, script, DraftStore(campaign=tmp_path), load_territory(), lang="en", today=TODAY, clock=clock)
    assert [p.label for p in script.prompts] == ["Name of the organisation", "Comune (name or ISTAT code, or «outside»)", "Number of employees", "Number of employees"]
    assert script.prompts[0].progress.section == "Respondent profile"
    assert script.shown == [("error", "expected a whole number, 0 or more, found 'lots'")]


def test_resume_refuses_a_draft_of_another_version(esempio, tmp_path):
    from crassess.errors import InvalidInput

    files = write_files(tmp_path, {"d.json": json.dumps({"questionnaire": {"id": "esempio", "version": "0.9"}, "answers": {"velocita": -5}})})
    with pytest.raises(InvalidInput) as caught:
        resume_response(esempio, files["d.json"])
    assert [p.message for p in caught.value.problems] == [
        "la risposta è per il questionario esempio versione 0.9, ma è caricato esempio versione 1.0.0",
        "vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s",
    ]


# ---------------------------------------------------------------- issue 15: closing, dates, "other", labels, resume


def test_an_interview_without_a_score_closes_complete_only_when_confirmed(esempio, tmp_path):
    steps = PROFILE + [("fibra_disponibile", Nav.JUMP), ("choose", "end"),
                       ("choose", "complete"), ("choose", "back"),  # asked to confirm: back to the menu
                       ("choose", "complete"), ("choose", "yes")]
    result, script, store = run(esempio, tmp_path, steps)
    assert ("warning", "Nessun punteggio: non ci sono abbastanza risposte con punteggio per calcolarlo.") in script.shown
    message, options, default = script.menus[1]
    assert (message, options, default) == ("Concludere l'intervista?", ["complete", "missing", "back", "draft"], "missing")
    assert script.labels[1][0] == "Concludere comunque, senza punteggio (chiede conferma)"
    assert script.menus[2] == ("La risposta sarà «completa» ma senza alcun punteggio. Confermare?", ["back", "yes"], "back")
    assert result.response.status == "complete" and result.result.overall is None
    assert store.saves[-1][0] == "complete"


def test_an_interview_without_a_score_left_as_a_draft(esempio, tmp_path):
    steps = PROFILE + [("fibra_disponibile", "si"), ("fibra_sede", Nav.JUMP), ("choose", "end"), ("choose", "draft")]
    result, script, store = run(esempio, tmp_path, steps)
    assert script.menus[1][2] == "missing"  # never "complete" as the default without a score
    assert result.response.status == "draft"
    assert [status for status, _ in store.saves] == ["draft"] * len(store.saves)


def test_a_future_interview_date_is_confirmed_or_corrected(esempio, tmp_path):
    steps = PROFILE[:-1] + [("date", "24/12/2026"), ("choose", "no"), ("date", "2026-12-24"), ("choose", "yes")]
    steps += ROSSI + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert script.menus[0] == ("La data 2026-12-24 è nel futuro (oggi è 2026-11-25). È giusta?", ["no", "yes"], "no")
    assert [p.key for p in script.prompts[6:8]] == ["date", "date"]  # asked again after "no"
    assert result.response.respondent.date == "2026-12-24"


def test_other_opens_the_note(esempio, tmp_path):
    steps = PROFILE + ROSSI[:9] + [("ostacoli", ["costi", "altro"]), ("text", "  la burocrazia "), ("note_finali", ""),
                                   ("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert result.response.answers["ostacoli"] == ["costi", "altro"]
    assert result.response.notes == {"ostacoli": "la burocrazia"}
    assert "text" not in [k for k, _ in PROFILE + ROSSI]  # no note asked anywhere else


def test_refusals_name_the_choices_as_shown(esempio, tmp_path):
    steps = PROFILE + ROSSI[:3] + [("wifi", ["parziale", "na"]), ("wifi", "si"),
                                   ("strumenti", ["cloud", "nessuno"]), ("strumenti", ["cloud"])]
    steps += ROSSI[5:] + [("choose", "complete")]
    _, script, _ = run(esempio, tmp_path, steps)
    errors = [text for kind, text in script.shown if kind == "error"]
    assert errors == [
        "«Non applicabile» va scelto da solo, senza altre scelte",
        "la scelta «Nessuno» esclude tutte le altre",
    ]
    assert not any("'na'" in e or "'nessuno'" in e for e in errors)


def test_skipped_steps_are_remembered_and_resume_starts_at_the_first_step_never_shown(esempio, tmp_path):
    first = PROFILE[:2] + [("size", Nav.SKIP), ("subsector", "C"), ("contact", ""), ("interviewer", KeyboardInterrupt)]
    with pytest.raises(Interrupted):
        run(esempio, tmp_path, first)
    [path] = (tmp_path / "camp" / "responses").glob("*.json")
    draft = load_response(path)
    assert draft.skipped == ["respondent.size", "respondent.contact"]
    # the interviewer was never answered: asked on resume, then the date, then the questions
    steps = [("interviewer", "Anna"), ("date", ENTER), ("fibra_disponibile", "si"), ("fibra_sede", Nav.SKIP),
             ("velocita", KeyboardInterrupt)]
    with pytest.raises(Interrupted):
        run(esempio, tmp_path, steps, store=RecordingStore(path=path), resume=resume_response(esempio, path))
    assert load_response(path).skipped == ["respondent.size", "respondent.contact", "fibra_sede"]
    # fibra_sede was skipped, velocita never answered: the facilitator chooses, "never shown" first
    steps = [("choose", "unanswered"), ("fibra_sede", "si"), ("velocita", KeyboardInterrupt)]
    script = Script(steps)
    with pytest.raises(Interrupted):
        run_interview(esempio, script, RecordingStore(path=path), load_territory(), lang="it", today=TODAY, clock=clock,
                      resume=resume_response(esempio, path))
    assert script.menus[0] == ("Da dove riprendere?", ["unseen", "unanswered"], "unseen")
    assert script.labels[0] == [
        "Dalla prima domanda mai mostrata: [velocita] Velocità di download della linea (Mbit/s)",
        "Dalla prima domanda senza risposta: [fibra_sede] La sede è collegata in fibra?",
    ]
    saved = load_response(path)
    assert saved.skipped == ["respondent.size", "respondent.contact"] and saved.answers["fibra_sede"] == "si"


def test_resume_asks_nothing_when_no_question_before_is_unanswered(esempio, tmp_path):
    with pytest.raises(Interrupted):
        run(esempio, tmp_path, PROFILE + ROSSI[:2] + [("velocita", KeyboardInterrupt)])
    [path] = (tmp_path / "camp" / "responses").glob("*.json")
    result, script, _ = run(esempio, tmp_path, ROSSI[2:] + [("choose", "complete")],
                            store=RecordingStore(path=path), resume=resume_response(esempio, path))
    assert script.menus == [("Concludere l'intervista?", ["complete", "back", "draft"], "complete")]
    assert result.response.skipped == ["respondent.contact"]  # left empty: shown, not asked again


def test_numbers_are_read_by_the_one_parser(esempio, tmp_path):
    steps = PROFILE + ROSSI[:2] + [("velocita", "1.000")] + ROSSI[3:6]
    steps += [("addetti_formati", "2.500"), ("addetti_formati", "50%")] + ROSSI[7:] + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert (result.response.answers["velocita"], result.response.answers["addetti_formati"]) == (1000, 50)
    assert [text for kind, text in script.shown if kind == "error"] == [
        "'2.500' è ambiguo: può essere 2500 (separatore delle migliaia) o 2,5 (decimale); scrivere 2500 oppure 2,5",
    ]


def test_a_resumed_interview_passes_over_what_is_answered_until_the_facilitator_goes_back(esempio, tmp_path):
    answers = {k: v for k, v in ROSSI_ANSWERS.items() if k != "formazione"}
    draft = {"id": "6f1c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01", "questionnaire": {"id": "esempio", "version": "1.0.0"},
             "respondent": {"name": "Rossi", "comune": "019036", "date": "2026-11-20"}, "answers": answers, "status": "draft"}
    files = write_files(tmp_path, {"camp/responses/rossi.json": json.dumps(draft)})
    path = files["camp/responses/rossi.json"]
    steps = [("size", "12"), ("subsector", Nav.SKIP), ("contact", ""), ("interviewer", "Anna"), ("formazione", "si"),
             ("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps, store=RecordingStore(path=path), resume=resume_response(esempio, path))
    assert script.asked == ["size", "subsector", "contact", "interviewer", "formazione"]  # the date and 8 answers passed over
    assert result.response.answers["formazione"] == "si" and result.response.status == "complete"
    # after Back the interview goes step by step again
    steps = [("subsector", Nav.BACK), ("size", ENTER), ("subsector", "C"), ("contact", ENTER), ("interviewer", ENTER),
             ("date", ENTER), ("fibra_disponibile", Nav.JUMP), ("choose", "end"), ("choose", "complete")]
    draft["respondent"] = {"name": "Rossi", "comune": "019036", "size": 12, "date": "2026-11-20"}
    path.write_text(json.dumps(draft), encoding="utf-8")
    result, script, _ = run(esempio, tmp_path, steps, store=RecordingStore(path=path), resume=resume_response(esempio, path))
    assert result.response.respondent.subsector == "C"


def test_an_unknown_comune_points_to_outside_the_territory(esempio, tmp_path):
    steps = PROFILE[:1] + [("comune", "Zzyzx"), ("comune", "fuori territorio"), ("size", Nav.BACK), ("comune", ENTER)]
    steps += PROFILE[2:] + ROSSI + [("choose", "complete")]
    result, script, _ = run(esempio, tmp_path, steps)
    assert script.shown[0] == ("error", "comune 'Zzyzx' sconosciuto. Per una sede fuori dal territorio: «fuori territorio».")
    assert script.prompts[4].key == "comune" and script.prompts[4].default == "Fuori territorio"  # shown as typed
    assert result.response.respondent.comune == "fuori_territorio"
