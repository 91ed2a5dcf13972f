"""The interview flow through a scripted prompter, and ``crassess interview`` through CliRunner."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.interview.dialog import Interrupted, Nav
from crassess.interview.drafts import DraftStore, list_drafts
from crassess.interview.flow import (
    InterviewRequest,
    conduct,
    resume_response,
    run_interview,
)
from crassess.questionnaire.responses import load_response
from crassess.territory.comuni import load_territory
from tests.conftest import EXAMPLE, write_files

TODAY = date(2026, 11, 25)
ENTER = object()  # "press Enter": the prompt's default


def clock() -> datetime:
    return datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)


class Script:
    """A prompter that plays ``(kind or key, answer)`` pairs and fails loudly on anything unexpected."""

    def __init__(self, steps: list[tuple[str, Any]]):
        self.steps = list(steps)
        self.asked: list[str] = []
        self.prompts: list[Any] = []
        self.shown: list[tuple[str, str]] = []
        self.menus: list[tuple[str, list[str], str | None]] = []
        self.labels: list[list[str]] = []

    def _next(self, what: str) -> Any:
        assert self.steps, f"script ended, but the flow asked for {what}"
        expected, answer = self.steps.pop(0)
        assert expected == what, f"script expected {expected}, the flow asked for {what}"
        if answer is KeyboardInterrupt:
            raise KeyboardInterrupt
        return answer

    def ask(self, prompt: Any) -> Any:
        self.asked.append(prompt.key)
        self.prompts.append(prompt)
        answer = self._next(prompt.key)
        return prompt.default if answer is ENTER else answer

    def choose(self, message: str, options: Any, default: str | None = None) -> str:
        self.menus.append((message, [o.value for o in options], default))
        self.labels.append([o.label for o in options])
        return self._next("choose")

    def text(self, message: str, default: str = "") -> str:
        return self._next("text")

    def show(self, kind: str, text: str) -> None:
        self.shown.append((kind, text))


PROFILE = [
    ("name", "Rossi Meccanica srl"), ("comune", "Cremona"), ("size", "12"), ("subsector", "C"),
    ("contact", ""), ("interviewer", "Anna Bianchi"), ("date", ENTER),
]
ROSSI = [
    ("fibra_disponibile", "si"), ("fibra_sede", "si"), ("velocita", "100"), ("wifi", "parziale"),
    ("strumenti", ["cloud", "erp"]), ("fatturazione", "si"), ("addetti_formati", "25"), ("ore_perse", "5"),
    ("formazione", "dk"), ("ostacoli", ["costi"]), ("note_finali", "Intervista di prova"),
]
ROSSI_ANSWERS = {
    "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
    "strumenti": ["cloud", "erp"], "fatturazione": "si", "addetti_formati": 25, "ore_perse": 5,
    "formazione": "dk", "ostacoli": ["costi"], "note_finali": "Intervista di prova",
}


class RecordingStore(DraftStore):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.saves: list[tuple[str | None, dict[str, Any]]] = []

    def save(self, response: Any) -> Path:
        self.saves.append((response.status, dict(response.answers)))
        return super().save(response)


def run(esempio: Any, tmp_path: Path, steps: list[tuple[str, Any]], **kwargs: Any) -> tuple[Any, Script, RecordingStore]:
    script = Script(steps)
    store = kwargs.pop("store", None) or RecordingStore(campaign=tmp_path / "camp")
    result = run_interview(esempio, script, store, load_territory(), lang="it", today=TODAY, clock=clock, **kwargs)
    assert script.steps == [], f"script not used up: {script.steps}"
    return result, script, store


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
        "Altre domande", 1, 10, 0,  # fibra_sede not yet relevant: 10 of 11 questions apply
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
        "la scelta 'nessuno' esclude tutte le altre",
        "'Non so' (dk) non è ammesso per questa domanda",
        "'Non so' (dk) non è ammesso per questa domanda",
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
    assert script.shown[0] == ("error", "comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?")
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


# ---------------------------------------------------------------- the command


ANSWERS_YAML = """
respondent:
  name: "Caffè L'Arte srl"
  comune: Crema
  size: 12
  subsector: I
  date: 2026-11-20
answers:
  fibra_disponibile: si
  fibra_sede: si
  velocita: 100
  wifi: parziale
  strumenti: [cloud, erp]
  fatturazione: si
  addetti_formati: 25
  ore_perse: 5
  formazione: si
notes:
  velocita: dal contratto
"""


def test_cli_answers_file_saves_and_prints_the_score_card(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS_YAML})
    before = files["carta.yaml"].read_bytes()
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "c" / "responses").glob("caffe-l-arte-srl-*.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["status"] == "complete"
    assert saved["respondent"]["comune"] == "019035"
    assert saved["provenance"]["source_file"] == "carta.yaml"
    assert files["carta.yaml"].read_bytes() == before
    out = result.output
    assert "Caffè L'Arte srl – Crema" in out
    # competenze: (1*50 + 1*75 + 1*100) / 3 = 75; overall (2*80 + 250/3 + 75) / 4
    assert "Complessivo: 79,6 – Avanzato (completo)" in out
    assert "Azioni prioritarie" in out
    assert out.rstrip().endswith(f"Risposta completa salvata in {path}")


def test_cli_answers_file_reports_every_problem_and_writes_nothing(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": """
        respondent:
          comune: Cremna
          size: tanti
        answers:
          fibra_disponibile: forse
          velocita: 20000
          strumenti: [cloud, nessuno]
          fatturazione: dk
    """})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 1
    f = files["carta.yaml"]
    assert result.output.splitlines() == [
        f"{f}: respondent.name: dato obbligatorio",
        f"{f}: riga 2, respondent.comune: comune 'Cremna' sconosciuto; forse: Cremona (019036), Crema (019035), Cremosano (019037)?",
        f"{f}: riga 3, respondent.size: atteso un numero intero non negativo, trovato 'tanti'",
        f"{f}: riga 5, domanda fibra_disponibile: 'forse' non è tra le scelte ammesse: si, no",
        f"{f}: riga 6, domanda velocita: vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s",
        f"{f}: riga 7, domanda strumenti: la scelta 'nessuno' esclude tutte le altre",
        f"{f}: riga 8, domanda fatturazione: 'Non so' (dk) non è ammesso per questa domanda",
    ]
    assert not (tmp_path / "c").exists()


def test_cli_answers_json_with_another_questionnaire_version(tmp_path):
    data = {"questionnaire": {"id": "esempio", "version": "0.9"}, "respondent": {"name": "X", "comune": "Crema"}, "answers": {}}
    files = write_files(tmp_path, {"r.json": json.dumps(data)})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path), "--answers", str(files["r.json"]), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{files['r.json']}: questionnaire: the response is for questionnaire esempio version 0.9, but esempio version 1.0.0 is loaded",
    ]


def test_cli_refuses_without_a_terminal(tmp_path):
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    assert result.exit_code == 2
    assert "--answers FILE" in result.output
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path), "--lang", "en"])
    assert result.output.startswith("no interactive terminal: to enter the answers from a file use --answers FILE")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ([], 2, "--campaign: indicare la cartella della campagna con --campaign DIR"),
        (["--resume", "a.json", "--answers", "b.yaml"], 2, "--resume: --resume e --answers non si usano insieme"),
        (["--resume", "manca.json", "--answers", "b.yaml"], 2, "--resume e --answers"),
        (["--campaign", "c", "--answers", "manca.yaml"], 1, "manca.yaml: file non trovato"),
        (["--campaign", "file.txt", "--answers", "b.yaml"], 2, "file.txt: la campagna deve essere una cartella, non un file"),
        (["--resume", "carta.yaml"], 2, "carta.yaml: --resume riprende una bozza .json scritta da crassess interview"),
    ],
)
def test_cli_usage_errors(tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), *args])
    assert result.exit_code == code
    assert message in result.output


def test_cli_resume_of_a_missing_file_is_reported(tmp_path, monkeypatch):
    request = InterviewRequest(str(EXAMPLE), resume=tmp_path / "manca.json", interactive=True, today=TODAY)
    with pytest.raises(Exception) as caught:
        conduct(request, lambda territory: Script([]), load_territory())
    assert str(caught.value) == f"{tmp_path / 'manca.json'}: file non trovato"


def test_cli_interactive_interrupt_exits_130_with_the_resume_command(tmp_path, monkeypatch):
    import crassess.interview.prompts

    script = Script(PROFILE[:2] + [("size", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: script)
    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c")])
    assert result.exit_code == 130
    [path] = (tmp_path / "c" / "responses").glob("rossi-meccanica-srl-*.json")
    assert result.output.splitlines()[-1] == f"Per riprendere: crassess interview {EXAMPLE} --resume {path}"


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
    assert [p.label for p in script.prompts] == ["Name of the organisation", "Comune (name or ISTAT code)", "Number of employees", "Number of employees"]
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


def test_cli_resume_completes_the_draft_in_place(tmp_path, monkeypatch):
    import crassess.interview.prompts

    monkeypatch.setattr("crassess.cli.collect._interactive", lambda: True)
    first = Script(PROFILE + ROSSI[:5] + [("fatturazione", KeyboardInterrupt)])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: first)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path)])
    assert result.exit_code == 130
    [path] = (tmp_path / "responses").glob("*.json")

    second = Script(ROSSI[5:] + [("choose", "complete")])
    monkeypatch.setattr(crassess.interview.prompts, "QuestionaryPrompter", lambda territory, console: second)
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--resume", str(path)])
    assert result.exit_code == 0, result.output
    assert second.asked[0] == "fatturazione"
    assert "Rossi Meccanica srl – Cremona" in result.output
    assert "Complessivo: 81,1 – Avanzato (incompleto)" in result.output  # (2 x 80 + 250/3) / 3
    assert result.output.splitlines()[-1] == f"Risposta completa salvata in {path}"
    assert load_response(path).status == "complete"
