"""Matching respondents across waves: keys, legal forms, near misses proposed, the user's match file."""

from __future__ import annotations

import pytest

from crassess.campaign.data import load_campaign_data
from crassess.campaign.matching import (
    core_name,
    match_respondents,
    name_key,
    read_decisions,
)
from crassess.errors import InvalidInput
from tests.waves_fixtures import business_waves, campaign, response


def test_name_key_ignores_case_accents_spaces_and_punctuation():
    assert name_key("Caffè Verdi S.r.l.") == name_key("caffe  verdi srl") == "caffeverdisrl"


@pytest.mark.parametrize("a, b", [
    ("Impresa sintetica 08 S.r.l.", "Impresa sintetica 08"),
    ("Rossi & C. S.n.c.", "ROSSI"),
    ("Caffè L'Arte s.r.l.s.", "caffe l arte"),
    ("Bianchi F.lli snc", "Bianchi"),
    ("Società Agricola Verdi s.s.", "Verdi"),
    ("Beta S.p.A.", "BETA spa"),
    ("Gamma Soc. Coop.", "Gamma società cooperativa"),
    ("Verdi ditta individuale", "Verdi"),
])
def test_core_name_drops_legal_forms_accents_and_punctuation(a, b):
    assert core_name(a) == core_name(b) != ""


def test_core_name_keeps_a_name_that_is_only_a_legal_form():
    assert core_name("S.r.l.") == "srl"
    assert core_name("Alfa") != core_name("Beta")


def _items(tmp_path, wave, rows):
    folder = campaign(tmp_path / wave, wave, {f"r{i}": response(f"{wave}-{i}", name, comune, 0, 0) for i, (name, comune) in enumerate(rows)})
    return [r for r in load_campaign_data(folder).responses]


def test_similar_names_are_suggested_best_first_and_each_response_once(tmp_path):
    a = _items(tmp_path, "A", [("Caffè Rossi", "Cremona"), ("Ferramenta Bianchi", "Crema"), ("Tutt'altro", "Crema")])
    b = _items(tmp_path, "B", [("Caffe Rosi", "Cremona"), ("Ferramenta Bianchi srl", "Soresina"), ("Caffè Rossi bis", "Cremona")])
    result = match_respondents(a, b)
    assert result.pairs == ()
    assert [(s.a.response.respondent.name, s.b.response.respondent.name, s.reasons, s.similarity) for s in result.suggestions] == [
        ("Ferramenta Bianchi", "Ferramenta Bianchi srl", ("legal_form", "moved"), 1.0),
        ("Caffè Rossi", "Caffe Rosi", ("similar",), 0.95),  # 2 x 9 / 19; "Caffè Rossi bis" (0.87) is left alone
    ]


def test_other_sectors_are_never_suggested(tmp_path):
    a = campaign(tmp_path / "a", "A", {"x": response("a1", "Soresina Servizi", "Soresina", 0, 0, qid="mini_comune")})
    b = campaign(tmp_path / "b", "B", {"x": response("b1", "Soresina Servizi", "Soresina", 0, 0)})
    assert match_respondents(load_campaign_data(a).responses, load_campaign_data(b).responses).suggestions == ()


def _decisions(tmp_path, text):
    a, b = business_waves(tmp_path / "w")
    path = tmp_path / "abbinamenti.csv"
    path.write_text(text, encoding="utf-8")
    return path, read_decisions(path, load_campaign_data(a).responses, load_campaign_data(b).responses, ("T0", "T1"))


def test_match_file_read_in_either_language_and_separator(tmp_path):
    path, decisions = _decisions(tmp_path, "conferma;risposta_a;risposta_b;motivo\nSì;a-s8;b-s8;x\nno;a-verdi;b-verdi;\n;a-l1;b-e1;\n")
    assert decisions.confirmed == (("a-s8", "b-s8"),)
    assert decisions.rejected == frozenset({("a-verdi", "b-verdi")})
    path, decisions = _decisions(tmp_path, "confirm,response_a,response_b\nx,a-s8,b-s8\n")
    assert decisions.confirmed == (("a-s8", "b-s8"),)


def test_match_file_problems_all_at_once_with_lines(tmp_path):
    with pytest.raises(InvalidInput) as err:
        _decisions(tmp_path, "conferma;risposta_a;risposta_b\nforse;a-s8;b-s8\nsì;a-zz;b-s8\nsì;a-s8;b-s8\nsì;a-s8;b-verdi\n")
    path = tmp_path / "abbinamenti.csv"
    assert [str(p) for p in err.value.problems] == [
        f"{path}: riga 2: 'forse' in conferma: scrivere sì oppure no (o lasciare vuoto)",
        f"{path}: riga 3: la risposta 'a-zz' non è nella rilevazione T0",
        f"{path}: riga 5: la risposta 'a-s8' è in due abbinamenti confermati (righe 4 e 5)",
    ]
    with pytest.raises(InvalidInput) as err:
        _decisions(tmp_path, "nome;cognome\n")
    assert [p.message for p in err.value.problems] == ["colonne obbligatorie mancanti: conferma, risposta_a, risposta_b"]


def test_a_confirmed_pair_already_matched_is_ignored_with_a_warning(tmp_path):
    a, b = business_waves(tmp_path)
    from crassess.campaign.matching import Decisions

    result = match_respondents(load_campaign_data(a).responses, load_campaign_data(b).responses, Decisions((("a-c1", "b-c1"),)))
    assert [p.message for p in result.warnings] == ["la risposta 'a-c1' è già abbinata per codice del rispondente: riga ignorata"]
    assert sum(1 for p in result.pairs if p.kind == "confirmed") == 0
