"""Markdown reports: exact respondent report, privacy of sector and territory reports, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _campaigns import FIVE, make_campaign, response
from hypothesis import given
from hypothesis import strategies as st

from crassess.analysis import TerritoryAnalysis, analyse
from crassess.campaign import load_campaign
from crassess.comuni import load_territory
from crassess.report_md import md_text, respondent_report, sector_report, table, territory_report


def _analysis(root: Path, responses: dict, name: str = "Prova", min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, responses, name=name))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=min_n)


def _flat(text: str) -> str:
    return re.sub(r" +", " ", text)


@pytest.mark.parametrize(("raw", "expected"), [
    ("a | b", r"a \| b"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("R&D", "R&amp;D"),
    ("# titolo", r"\# titolo"),
    ("- voce", r"\- voce"),
    ("1. primo", r"1\. primo".replace(r"1\.", "\\1.")),
    ("**forte** _x_ `code` [link](http://x)", r"\*\*forte\*\* \_x\_ \`code\` \[link\](http://x)"),
    ("riga\nnuova\r\n  fine  ", "riga nuova fine"),
    ("versione 1.0.0", "versione 1.0.0"),
    ("a\x00b\x07c", "abc"),
])
def test_md_text_neutralises(raw: str, expected: str) -> None:
    assert md_text(raw) == expected


EXPECTED_RESPONDENT = """\
# Rapporto di maturità digitale: Rossi \\| &lt;b&gt;Meccanica&lt;/b&gt;

- Campagna: Prova
- Questionario: Questionario di esempio (esempio 1.0.0)

## Profilo

|              |                                       |
|:-------------|:--------------------------------------|
| Nome         | Rossi \\| &lt;b&gt;Meccanica&lt;/b&gt; |
| Settore      | impresa                               |
| Comune       | Cremona                               |
| Dimensione   | 12 addetti                            |
| Sottosettore | \\=HYPERLINK("x")                      |
| Contatto     | rossi@example.org                     |

## Punteggio complessivo

**71,3 / 100**: livello **Intermedio**.

Livelli: Iniziale 0–25, Di base 25–50, Intermedio 50–75, Avanzato 75–100.

## Dimensioni

| Dimensione         |   Punteggio | Livello   |   Obiettivo |   Divario |   Copertura |   Non so |
|:-------------------|------------:|:----------|------------:|----------:|------------:|---------:|
| Connettività       |        80,0 | Avanzato  |        80,0 |       0,0 |        100% |        0 |
| Strumenti digitali |        83,3 | Avanzato  |        75,0 |       0,0 |        100% |        0 |
| Competenze         |        41,7 | Di base   |        75,0 |      33,3 |        100% |        0 |

## Punti di forza

- Strumenti digitali: 83,3 (obiettivo 75,0)
- Connettività: 80,0 (obiettivo 80,0)

Risposte al massimo del punteggio:

- La sede è collegata in fibra?
- Le fatture sono gestite in un sistema digitale integrato?

## Azioni prioritarie

|   # | Azione                                       | Dimensione   |   Punteggio della domanda |   Priorità |
|----:|:---------------------------------------------|:-------------|--------------------------:|-----------:|
|   1 | Adottare un piano di formazione digitale.    | Competenze   |                       0,0 |       3333 |
|   2 | Formare almeno metà del personale.           | Competenze   |                      50,0 |       1667 |
|   3 | Ridurre i fermi con assistenza e formazione. | Competenze   |                      75,0 |        833 |

Ordinate per priorità = peso della dimensione × divario della dimensione × peso della domanda × (100 − punteggio della domanda).

## Posizione nel settore

Il settore ha meno di 5 rispondenti: il confronto non è disponibile.

![Profilo delle dimensioni](r-radar.png)

## Note

- Note finali: \\=1+1 &lt;i&gt;ciao&lt;/i&gt;
"""


def test_exact_respondent_report(tmp_path: Path) -> None:
    # connettivita (2x100 + 70 + 50)/4 = 80; strumenti (2x75 + 100)/3 = 83.3; competenze (50 + 75 + 0)/3 = 41.7
    # overall (2x80 + 83.3 + 41.7)/4 = 71.25; priorities 33.3 x (100 - item): 3333, 1667, 833
    ta = _analysis(tmp_path, {"r.json": response(
        {"note_finali": "=1+1 <i>ciao</i>"}, name="Rossi | <b>Meccanica</b>", comune="Cremona", size=12,
        subsector='=HYPERLINK("x")', contact="rossi@example.org")})
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5, radar="r-radar.png")
    assert text == EXPECTED_RESPONDENT


def test_respondent_position_in_a_large_enough_sector(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE)
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="en", min_n=5)
    # overall 71.25 against 71.25, 62.5, 75.42, 79.58, 62.5: mean 70.25, median 71.25
    assert "| Overall | 71.3 | 70.3 | 71.3 |" in _flat(text)
    assert "| Skills | 41.7 | 51.7 | 41.7 |" in _flat(text)
    assert "Compared with 5 respondents of the sector." in text


def test_sector_report_figures_and_privacy(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="it"))
    assert "- Rispondenti: **5**" in text
    assert "| Competenze | 5 | 51,7 | 41,7 | 14,9 | 33,2–70,2 | 41,7 | 75,0 | 75,0 |" in text
    assert "| Intermedio | n<5 | n<5 |" in text and "| Avanzato | n<5 | n<5 |" in text
    for secret in ("A srl", "E srl", "e@example.org"):
        assert secret not in text
    assert "## Piano d'azione del settore" in text
    assert "Nessuna azione riguarda almeno 5 rispondenti." in text


def test_small_sector_report_withholds_everything(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, {k: FIVE[k] for k in ("a.json", "b.json")})
    text = sector_report(ta.sectors["impresa"], ta, lang="it")
    assert "Il settore ha meno di 5 rispondenti: le sue cifre sono omesse." in text
    assert "Competenze" not in text and "A srl" not in text
    assert sector_report(ta.sectors["comune"], ta, lang="en").endswith("No respondent in this sector.\n")


def test_territory_report(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE, name="Rilevazione | 2026")
    text = _flat(territory_report(ta, lang="it", sector_files={"impresa": "settore-imprese.md"}))
    assert text.startswith("# Stato digitale del territorio: Rilevazione \\| 2026\n")
    assert "| Competenze | – | – | 51,7 (5) |" in text
    assert "| **Complessivo** | – | – | 70,3 (5) |" in text
    assert "Comuni con almeno un rispondente: **2** su 113." in text
    assert "| Cremona | 0 | n<5 | n<5 |" in text  # 4 respondents
    assert "Comuni raggiunti per settore: 0 dal questionario dei comuni, 0 da associazioni, 2 da imprese." in text
    assert "### Comuni senza rispondenti (111)" in text
    assert "Imprese (5 risposte): fibra non disponibile 0,0%, disponibile ma non attivata 0,0%, fibra attiva 100,0%." in text
    assert "Imprese: la voce più indicata è «Costi» (100,0%)." in text
    for secret in ("A srl", "e@example.org"):
        assert secret not in text


def test_english_numbers_and_synthetic_notice(tmp_path: Path) -> None:
    campaign = load_campaign(make_campaign(tmp_path, FIVE))
    ta = analyse(list(campaign.responses), load_territory(), name="x", synthetic=True)
    text = territory_report(ta, lang="en")
    assert "> **Synthetic data**" in text
    assert "70.3 (5)" in text and "70,3" not in text


def test_sector_road_map_shows_the_first_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crassess.report_md.SECTOR_ACTIONS", 1)
    ta = _analysis(tmp_path, FIVE, min_n=2)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="it"))
    assert "| 1 | Adottare un piano di formazione digitale. | Competenze | 3 (60,0%) | 0,0 | 23,3 | breve (entro 12 mesi) |" in text
    assert "Passare a una linea" not in text
    assert "Sono mostrate le prime 1 di 2; l'elenco completo è nel foglio Azioni del file Excel." in text


@given(st.text())
def test_md_text_is_always_inert(raw: str) -> None:
    out = md_text(raw)
    assert "<" not in out and ">" not in out and "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)[|*_`\[\]]", out) is None  # every special character escaped
    row = table(["a", "b"], [[out, "x"]]).splitlines()[2]
    assert len(re.findall(r"(?<!\\)\|", row)) == 3  # the cell never adds a column


def test_subsector_codes_are_labelled(tmp_path: Path) -> None:
    codes = ["C"] * 6 + ["G"] * 5 + ["=x"] * 2
    responses = {f"{i:02d}.json": response(name=f"R{i}", subsector=code) for i, code in enumerate(codes)}
    ta = _analysis(tmp_path, responses)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="en"))
    assert "| C – Manufacturing | 6 | 46.2% |" in text
    assert "| \\=x | n<5 | n<5 |" in text
    # 5 would give away the 2 of "=x" (13 - 6 - 5): withheld too
    assert "| G – Wholesale and retail trade; repair of vehicles | n<5 | n<5 |" in text
    mine = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert "| Sottosettore | C – Attività manifatturiere |" in _flat(mine)


def test_note_keys_and_texts_are_neutralised(tmp_path: Path) -> None:
    data = response(name="N")
    data["notes"] = {"wifi": "da **rifare**", "<b>altro|": "# titolo"}
    ta = _analysis(tmp_path, {"n.json": data})
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert text.endswith("## Note\n\n"
                         "- C'è una rete Wi-Fi protetta per il personale?: da \\*\\*rifare\\*\\*\n"
                         "- &lt;b&gt;altro\\|: \\# titolo\n")
