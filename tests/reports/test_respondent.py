"""The respondent report: exact text, position in the sector, neutralised notes."""

from __future__ import annotations

import re
from pathlib import Path

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import TerritoryAnalysis, analyse
from crassess.reports.respondent import respondent_report
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response


def _analysis(root: Path, responses: dict, name: str = "Prova", min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, responses, name=name))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=min_n)


def _flat(text: str) -> str:
    return re.sub(r" +", " ", text)


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

**71,3 / 100**: livello **Moderatamente avanzato**.

Livelli: Base 0–25, Medio 25–50, Moderatamente avanzato 50–75, Avanzato 75–100.

## Dimensioni

| Dimensione         |   Punteggio | Livello   |   Obiettivo |   Divario |   Copertura |   Non so |
|:-------------------|------------:|:----------|------------:|----------:|------------:|---------:|
| Connettività       |        80,0 | Avanzato  |        80,0 |       0,0 |        100% |        0 |
| Strumenti digitali |        83,3 | Avanzato  |        75,0 |       0,0 |        100% |        0 |
| Competenze         |        41,7 | Medio     |        75,0 |      33,3 |        100% |        0 |

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


def test_note_keys_and_texts_are_neutralised(tmp_path: Path) -> None:
    data = response(name="N")
    data["notes"] = {"wifi": "da **rifare**", "<b>altro|": "# titolo"}
    ta = _analysis(tmp_path, {"n.json": data})
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert text.endswith("## Note\n\n"
                         "- C'è una rete Wi-Fi protetta per il personale?: da \\*\\*rifare\\*\\*\n"
                         "- &lt;b&gt;altro\\|: \\# titolo\n")
