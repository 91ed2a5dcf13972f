"""The respondent report (DMA style): exact text, level texts, comparison group named, needs and barriers
answered with services, actions by horizon with min_size, singular and plural, neutralised notes."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from crassess.campaign.scored import load_campaign
from crassess.questionnaire.load import validate_level_guide
from crassess.reports.analysis import TerritoryAnalysis, analyse
from crassess.reports.respondent import respondent_report, size_text
from crassess.reports.tally import horizon
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response
from tests.conftest import write_files

GUIDE_TEXT = """\
levels:
  - {id: base, text: {it: Si parte da zero., en: Starting from scratch.}}
  - {id: medio, text: {it: Basi disomogenee., en: Uneven basics.}, dimensions: {competenze: {it: Formazione occasionale., en: Occasional training.}}}
  - {id: moderatamente_avanzato, text: {it: Quasi all'obiettivo., en: Nearly there.}}
  - {id: avanzato, text: {it: Maturo., en: Mature.}, dimensions: {connettivita: {it: Fibra e riserva., en: Fibre and backup.}}}
"""
GUIDE = validate_level_guide(yaml.safe_load(GUIDE_TEXT), "livelli.yaml")


def _analysis(root: Path, responses: dict, name: str = "Prova", min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, responses, name=name))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=min_n)


def _flat(text: str) -> str:
    return re.sub(r" +", " ", text)


def _section(text: str, title: str) -> str:
    """The lines of the section ``## title`` (up to the next ``## ``), stripped."""
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0].strip()


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

## In sintesi

Punteggio complessivo **71,3 / 100**: livello **Moderatamente avanzato**. L'obiettivo è 75,0: mancano 3,8 punti.

Quasi all'obiettivo.

La dimensione più forte è «Strumenti digitali» (83,3); la più lontana dall'obiettivo è «Competenze» (33,3 punti sotto).

Livelli: Base 0–25, Medio 25–50, Moderatamente avanzato 50–75, Avanzato 75–100.

Nessun confronto: il settore ha meno di 5 rispondenti.

## Le dimensioni

| Dimensione         |   Punteggio | Livello   |   Obiettivo |   Distanza dall'obiettivo |
|:-------------------|------------:|:----------|------------:|--------------------------:|
| Connettività       |        80,0 | Avanzato  |        80,0 |                 raggiunto |
| Strumenti digitali |        83,3 | Avanzato  |        75,0 |                 raggiunto |
| Competenze         |        41,7 | Medio     |        75,0 |                      33,3 |

### Connettività: 80,0 (Avanzato)

Fibra e riserva.

L'obiettivo (80,0) è raggiunto.

### Strumenti digitali: 83,3 (Avanzato)

Maturo.

L'obiettivo (75,0) è raggiunto.

### Competenze: 41,7 (Medio)

Formazione occasionale.

L'obiettivo è 75,0: mancano 33,3 punti.

![Profilo delle dimensioni](r-radar.png)

## Esigenze, ostacoli e servizi del Digital Center

Non sono state indicate esigenze né ostacoli.

## Azioni consigliate

Le azioni vengono dalle risposte con più margine di miglioramento nelle dimensioni sotto l'obiettivo (al massimo 10; quelle pensate per organizzazioni più grandi non sono proposte). L'orizzonte dipende dall'impegno che l'azione richiede: **breve** (entro 12 mesi) per un impegno basso, giorni di lavoro senza spese rilevanti; **medio** (12-24 mesi) per settimane di lavoro o un piccolo acquisto; **lungo** (oltre 24 mesi) per un vero progetto.

### Breve termine (entro 12 mesi)

1. *Competenze* – Adottare un piano di formazione digitale. Servizio del Digital Center: Formazione sulle competenze digitali di base.

### Orizzonte da definire

2. *Competenze* – Formare almeno metà del personale.
3. *Competenze* – Ridurre i fermi con assistenza e formazione.

## Punti di forza

- Strumenti digitali: 83,3 (obiettivo 75,0)
- Connettività: 80,0 (obiettivo 80,0)

Risposte al massimo del punteggio:

- La sede è collegata in fibra?
- Le fatture sono gestite in un sistema digitale integrato?

## Note

- Note finali: \\=1+1 &lt;i&gt;ciao&lt;/i&gt;
"""


def test_exact_respondent_report(tmp_path: Path) -> None:
    # connettivita (2x100 + 70 + 50)/4 = 80; strumenti (2x75 + 100)/3 = 83.3; competenze (50 + 75 + 0)/3 = 41.7
    # overall (2x80 + 83.3 + 41.7)/4 = 71.25, 3.75 under 75. Actions by priority 33.3 x (100 - item):
    # formazione (0, effort low: short term, its service), addetti_formati (50), ore_perse (75): no effort, no horizon
    ta = _analysis(tmp_path, {"r.json": response(
        {"note_finali": "=1+1 <i>ciao</i>", "ostacoli": []}, name="Rossi | <b>Meccanica</b>", comune="Cremona", size=12,
        subsector='=HYPERLINK("x")', contact="rossi@example.org")})
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5, radar="r-radar.png", guide=GUIDE)
    assert text == EXPECTED_RESPONDENT


def test_comparison_with_the_sector_is_named(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE)
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="en", min_n=5)
    # overall 71.25 against 71.25, 62.5, 75.42, 79.58, 62.5: mean 70.25; no sub-sector in the profile
    assert "Overall score **71.3 / 100**: level **Moderately advanced**. The target is 75.0: 3.8 points to go. " \
           "Comparison group mean: 70.3." in text
    assert ("Comparison group: all 5 businesses that responded, yours included. The profile gives no size or "
            "sub-sector: no comparison with similar organisations is possible.") in text
    assert "| Skills | 41.7 | Average | 75.0 | 33.3 | 51.7 |" in _flat(text)  # (41.7 + 41.7 + 58.3 + 75 + 41.7) / 5
    assert "The target is 75.0: 33.3 points to go. Below the comparison group mean (51.7)." in text


def _firm(i: int, sub: str, answers: dict[str, Any] | None = None) -> dict[str, Any]:
    return response(answers, name=f"F{i:02}", comune="Cremona", size=3, subsector=sub)


def test_peer_group_is_named_with_its_mean(tmp_path: Path) -> None:
    # 7 manufacturers of 3 staff, 3 with a slow line (overall 62.5, connettivita 62.5), 4 at 71.25 and 80
    firms = {f"{i:02}.json": _firm(i, "C", {"velocita": 20} if i < 3 else {}) for i in range(7)}
    firms.update({f"{i:02}.json": _firm(i, "G") for i in range(7, 12)})
    ta = _analysis(tmp_path, firms)
    by_name = {r.scored.response.respondent.name: r for r in ta.respondents}
    text = respondent_report(by_name["F03"], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert ("Gruppo di confronto: le 7 imprese della sezione ATECO C – Attività manifatturiere con meno di 10 addetti "
            "che hanno risposto, compresa la vostra.") in text
    assert "Media del gruppo di confronto: 67,5." in text  # (3 x 62.5 + 4 x 71.25) / 7
    assert "| Connettività | 80,0 | Avanzato | 80,0 | raggiunto | 72,5 |" in _flat(text)  # (3 x 62.5 + 4 x 80) / 7
    assert "L'obiettivo (80,0) è raggiunto. Sopra la media del gruppo di confronto (72,5)." in text
    other = respondent_report(by_name["F07"], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert ("Gruppo di confronto: tutte le 12 imprese che hanno risposto, compresa la vostra. Le imprese della sezione "
            "ATECO G – Commercio; riparazione di autoveicoli con meno di 10 addetti sono troppo poche per un confronto "
            "riservato: ne servono almeno 5 oltre alla vostra.") in other


# ------------------------------------------------------------------ needs, barriers, actions

CATALOGUE = """\
services:
  - id: corsi
    label: {it: Corsi di base, en: Basic courses}
    description: {it: Corsi brevi per tutti., en: Short courses for everyone.}
    barriers: {ostacoli: [tempo], motivi_resistenza: [eta]}
  - id: fondi
    label: {it: Bandi, en: Calls}
    description: {it: Aiuto con i bandi., en: Help with calls.}
    barriers: {ostacoli: [costi, tempo]}
  - id: rete
    label: {it: Connettività, en: Connectivity}
    description: {it: Linee più veloci., en: Faster lines.}
"""
EFFORTS = ["low", "high", "medium", "low", "medium", None, "low", "high", "low", "medium", "low", "low"]


def _questionnaire(sector: str = "impresa") -> str:
    questions = []
    for i, effort in enumerate(EFFORTS, 1):
        extra = f", effort: {effort}" if effort else ""
        extra += ", min_size: 2" if i == 3 else ""
        extra += ", service: corsi" if i % 2 else ""
        dim = "persone" if i <= 6 else "dati"
        questions.append(f"  - {{id: q{i:02}, type: select_one, choices: sn, dimension: {dim}, allow_dk: true, "
                         f"label: {{it: Domanda {i}}}, action: {{it: Azione {i}., en: Action {i}.}}{extra}}}")
    return f"""\
id: dma
version: "1"
sector: {sector}
title: {{it: Prova DMA, en: DMA test}}
services: servizi.yaml
levels:
  - {{id: base, from: 0, label: {{it: Base, en: Basic}}}}
  - {{id: avanzato, from: 50, label: {{it: Avanzato, en: Advanced}}}}
dimensions:
  - {{id: persone, label: {{it: Persone, en: People}}, target: 100}}
  - {{id: dati, label: {{it: Dati, en: Data}}, target: 100}}
choices:
  sn:
    - {{value: si, label: {{it: Sì, en: "Yes"}}, score: 100}}
    - {{value: "no", label: {{it: "No", en: "No"}}, score: 0}}
  bisogni: {{from: services}}
  ostacoli:
    - {{value: costi, label: {{it: Costi alti, en: High costs}}}}
    - {{value: tempo, label: {{it: Poco tempo, en: Little time}}}}
    - {{value: altro, label: {{it: Altro, en: Other}}}}
    - {{value: nessuno, label: {{it: Nessun ostacolo, en: No barrier}}, exclusive: true}}
  resistenza:
    - {{value: eta, label: {{it: L'età, en: Age}}}}
    - {{value: nessuno, label: {{it: Nessuna resistenza, en: No resistance}}, exclusive: true}}
questions:
{chr(10).join(questions)}
  - {{id: esigenze_top3, type: select_multiple, choices: bisogni, required: false, label: {{it: Servizi}}}}
  - {{id: ostacoli, type: select_multiple, choices: ostacoli, required: false, label: {{it: Ostacoli}}}}
  - {{id: motivi_resistenza, type: select_multiple, choices: resistenza, required: false, label: {{it: Resistenze}}}}
"""


def _dma(root: Path, sizes: dict[str, float | None], answers: dict[str, Any] | None = None, sector: str = "impresa") -> TerritoryAnalysis:
    write_files(root, {"questionnaires/dma.yaml": _questionnaire(sector), "questionnaires/servizi.yaml": CATALOGUE})
    base = {f"q{i:02}": "no" for i in range(1, 13)}
    for name, size in sizes.items():
        data = {"id": f"id-{name}", "questionnaire": {"id": "dma", "version": "1"}, "status": "complete",
                "respondent": {"name": name, "comune": "Crema", "size": size}, "answers": {**base, **(answers or {})}}
        write_files(root, {f"responses/{name}.json": json.dumps(data)})
    campaign = load_campaign(root)
    assert campaign.problems == ()
    return analyse(list(campaign.responses), load_territory(), name="Prova", min_n=5)


def _report(ta: TerritoryAnalysis, name: str, lang: str = "it") -> str:
    r = next(r for r in ta.respondents if r.scored.response.respondent.name == name)
    return respondent_report(r, ta.name, ta.comuni_names, lang=lang, min_n=5, guide=GUIDE)


def test_needs_and_barriers_are_answered_with_services(tmp_path: Path) -> None:
    ta = _dma(tmp_path, {"Uno": 4}, {"esigenze_top3": ["fondi", "rete"], "ostacoli": ["costi", "tempo", "altro"],
                                     "motivi_resistenza": ["eta"]})
    assert _section(_report(ta, "Uno"), "Esigenze, ostacoli e servizi del Digital Center") == """\
Quello che avete indicato, con il servizio del Digital Center che può rispondere.

### Servizi che avete chiesto

- **Bandi**: Aiuto con i bandi.
- **Connettività**: Linee più veloci.

### Ostacoli che avete indicato

- Costi alti → Bandi
- Poco tempo → Corsi di base; Bandi
- Altro → da approfondire con il Digital Center

### Motivi di resistenza agli strumenti digitali

- L'età → Corsi di base"""
    none = _dma(tmp_path / "n", {"Due": 4}, {"ostacoli": ["nessuno"], "motivi_resistenza": ["nessuno"]})
    assert _section(_report(none, "Due", "en"), "Needs, barriers and Digital Center services") == """\
What you told us, with the Digital Center service that can answer it.

### Barriers you named

- No barrier

### Reasons for resisting digital tools

- No resistance"""


def test_actions_grouped_by_horizon_at_most_ten_and_min_size_respected(tmp_path: Path) -> None:
    # every answer "no": 12 actions of equal priority, in questionnaire order; q03 needs 2 staff or more
    ta = _dma(tmp_path, {"Solo": 1, "Cinque": 5})
    solo = _section(_report(ta, "Solo"), "Azioni consigliate").split("\n\n", 1)[1]
    assert solo == """\
### Breve termine (entro 12 mesi)

1. *Persone* – Azione 1. Servizio del Digital Center: Corsi di base.
2. *Persone* – Azione 4.
3. *Dati* – Azione 7. Servizio del Digital Center: Corsi di base.
4. *Dati* – Azione 9. Servizio del Digital Center: Corsi di base.
5. *Dati* – Azione 11. Servizio del Digital Center: Corsi di base.

### Medio termine (12-24 mesi)

6. *Persone* – Azione 5. Servizio del Digital Center: Corsi di base.
7. *Dati* – Azione 10.

### Lungo termine (oltre 24 mesi)

8. *Persone* – Azione 2.
9. *Dati* – Azione 8.

### Orizzonte da definire

10. *Persone* – Azione 6."""
    five = _report(ta, "Cinque")
    assert "Azione 3. Servizio" in five and "Azione 11." not in five  # q03 proposed, so q11 is the 11th
    assert "Priorit" not in five and "5750" not in five  # no raw priority numbers


def test_horizon_of_effort() -> None:
    assert [horizon(e) for e in ("low", "medium", "high", None)] == ["short", "medium", "long", "unset"]


@pytest.mark.parametrize(("sector", "one", "many"), [
    ("impresa", "1 addetto", "12 addetti"), ("comune", "1 abitante", "7.267 abitanti"), ("associazione", "1 socio", "12 soci"),
])
def test_singular_and_plural(sector: str, one: str, many: str) -> None:
    assert size_text(1, sector, "it") == one
    assert size_text(7267 if sector == "comune" else 12, sector, "it") == many


def test_singular_and_plural_in_the_report(tmp_path: Path) -> None:
    ta = _dma(tmp_path, {"Solo": 1}, {"q01": "dk", "q07": "dk", "q08": "dk"})
    text = _flat(_report(ta, "Solo"))
    assert "| Dimensione | 1 addetto |" in text
    assert "1 risposta «Non so»" in text and "2 risposte «Non so»" in text
    en = _flat(_report(ta, "Solo", "en"))
    assert "| Size | 1 staff member |" in en and "1 \"Don't know\" answer" in en and "2 \"Don't know\" answers" in en
    comune = _dma(tmp_path / "c", {"Piccolo": 1}, sector="comune")
    assert "| Dimensione | 1 abitante |" in _flat(_report(comune, "Piccolo"))
    soci = _dma(tmp_path / "a", {"Circolo": 1}, sector="associazione")
    assert "| Dimensione | 1 socio |" in _flat(_report(soci, "Circolo"))


def test_note_keys_and_texts_are_neutralised(tmp_path: Path) -> None:
    data = response(name="N")
    data["notes"] = {"wifi": "da **rifare**", "<b>altro|": "# titolo"}
    ta = _analysis(tmp_path, {"n.json": data})
    text = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert text.endswith("## Note\n\n"
                         "- C'è una rete Wi-Fi protetta per il personale?: da \\*\\*rifare\\*\\*\n"
                         "- &lt;b&gt;altro\\|: \\# titolo\n")
