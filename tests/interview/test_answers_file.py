"""``--answers FILE`` without the command line: checks, provenance, what is saved."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone

import pytest

from crassess.errors import InvalidInput
from crassess.interview.answers_file import interview_from_file
from crassess.interview.drafts import DraftStore
from crassess.territory.comuni import load_territory
from tests.conftest import write_files

TODAY = date(2026, 11, 25)


def run(esempio, path, campaign):
    return interview_from_file(
        esempio, path, DraftStore(campaign=campaign), load_territory(), lang="it", today=TODAY,
        clock=lambda: datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc),
    )


def test_saved_response_keeps_the_id_and_records_the_source(esempio, tmp_path):
    data = {
        "id": "6f1c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01",
        "respondent": {"name": "Verdi Servizi", "comune": "Soresina", "contatto_interno": "ufficio"},
        "answers": {"fibra_disponibile": "no", "fibra_sede": "si", "velocita": "50", "wifi": "si", "strumenti": "cloud crm"},
        "status": "draft",
    }
    files = write_files(tmp_path, {"carta.json": json.dumps(data)})
    outcome = run(esempio, files["carta.json"], tmp_path / "c")
    assert outcome.path == tmp_path / "c" / "responses" / "verdi-servizi-6f1c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01.json"
    saved = json.loads(outcome.path.read_text(encoding="utf-8"))
    assert saved["status"] == "complete"
    # fibra_sede does not apply when fibre is not available: ignored, with a warning
    assert saved["answers"] == {"fibra_disponibile": "no", "velocita": 50, "wifi": "si", "strumenti": ["cloud", "crm"]}
    assert [str(w) for w in outcome.warnings] == [
        f"{files['carta.json']}: domanda fibra_sede: risposta ignorata: la domanda non è pertinente date le altre risposte",
    ]
    assert saved["respondent"] == {"contatto_interno": "ufficio", "name": "Verdi Servizi", "comune": "019098", "date": "2026-11-25"}
    assert saved["provenance"] == {
        "source_file": "carta.json",
        "source_sha256": hashlib.sha256(files["carta.json"].read_bytes()).hexdigest(),
        "imported_at": "2026-11-25T12:00:00+00:00",
    }
    assert outcome.result.dimensions["strumenti"].score is None  # 1 of 3 weight answered: coverage 2/3 < 0.67


def test_json_problems_have_no_line_but_name_the_field(esempio, tmp_path):
    files = write_files(tmp_path, {"r.json": json.dumps({"respondent": ["x"], "answers": {"wifi": "forse"}, "notes": {"zz": "n"}})})
    with pytest.raises(InvalidInput) as caught:
        run(esempio, files["r.json"], tmp_path)
    f = files["r.json"]
    assert [str(p) for p in caught.value.problems] == [
        f"{f}: respondent: atteso un oggetto (chiave: valore) al primo livello",
        f"{f}: respondent.name: dato obbligatorio",
        f"{f}: respondent.comune: dato obbligatorio",
        f"{f}: domanda wifi: 'forse' non è tra le scelte ammesse: si, parziale, no",
        f"{f}: domanda zz: nota per 'zz', che non è una domanda del questionario",
    ]
    assert list(tmp_path.iterdir()) == [f]


def test_a_file_that_is_not_a_mapping(esempio, tmp_path):
    files = write_files(tmp_path, {"r.yaml": "- solo\n- una lista\n"})
    with pytest.raises(InvalidInput) as caught:
        run(esempio, files["r.yaml"], tmp_path)
    assert [str(p) for p in caught.value.problems] == [f"{files['r.yaml']}: atteso un oggetto (chiave: valore) al primo livello"]


def test_numbers_are_read_the_italian_and_english_way(esempio, tmp_path):
    files = write_files(tmp_path, {"carta.yaml": """
        respondent: {name: Bar Roma, comune: Crema, size: "1.200"}
        answers: {velocita: "1.000", addetti_formati: "50%", ore_perse: "2.500"}
        """})
    saved = json.loads(run(esempio, files["carta.yaml"], tmp_path / "c").path.read_text(encoding="utf-8"))
    assert saved["answers"] == {"velocita": 1000, "addetti_formati": 50, "ore_perse": 2500}
    assert saved["respondent"]["size"] == 1200


def test_ambiguous_number_in_an_answers_file_names_line_and_question(esempio, tmp_path):
    files = write_files(tmp_path, {"carta.yaml": """
        respondent: {name: Bar Roma, comune: Crema}
        answers:
          velocita: 100
          addetti_formati: "2,500"
        """})
    with pytest.raises(InvalidInput) as err:
        run(esempio, files["carta.yaml"], tmp_path / "c")
    assert [str(p) for p in err.value.problems] == [
        f"{files['carta.yaml']}: riga 4, domanda addetti_formati: '2,500' è ambiguo: può essere 2500 (separatore delle "
        "migliaia) o 2,5 (decimale); scrivere 2500 oppure 2,5",
    ]
