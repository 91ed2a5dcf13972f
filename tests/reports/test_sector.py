"""The sector report: figures, privacy, road-map, sub-sector labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import TerritoryAnalysis, analyse
from crassess.reports.respondent import respondent_report
from crassess.reports.sector import sector_report
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign, response


def _analysis(root: Path, responses: dict, name: str = "Prova", min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, responses, name=name))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=min_n)


def _flat(text: str) -> str:
    return re.sub(r" +", " ", text)


def test_sector_report_figures_and_privacy(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="it"))
    assert "- Rispondenti: **5**" in text
    # P10 and P90 only from 10 respondents; no minimum or maximum (single respondents' scores)
    # dimensions furthest from target first: competenze 75 - 51.7 = 23.3
    assert "| Competenze | 5 | 51,7 | 33,2–70,2 | 75,0 | 23,3 |" in text
    assert text.index("## Sintesi") < text.index("## Chi ha risposto")
    assert "**Divari dagli obiettivi.** Le dimensioni più lontane dall'obiettivo: Competenze (51,7 contro 75,0)" in text
    assert "| Moderatamente avanzato | n<5 | n<5 |" in text and "| Avanzato | n<5 | n<5 |" in text
    assert "`n<5`: cifra su meno di 5 rispondenti, omessa. `riservato`: cifra omessa solo perché" in text
    assert "la dimensione più vicina è Strumenti digitali (media 83,3, obiettivo 75,0), la più lontana Competenze" in text
    assert "(più risposte possibili: le quote non sommano a 100)" in text
    assert "| *Nessuna risposta (non so, non pertinente o mancante)* | 0 | 0,0% |" in text
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


def test_sector_road_map_shows_the_first_actions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("crassess.reports.sector.SECTOR_ACTIONS", 1)
    twice = {**FIVE, **{f"2{k}": {**v, "id": f"2{v['id']}"} for k, v in FIVE.items()}}
    ta = _analysis(tmp_path, twice, min_n=3)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="it"))
    assert "1. Competenze: Adottare un piano di formazione digitale. Rispondenti interessati: 6 (60,0%); orizzonte breve (entro 12 mesi)." in text
    assert "**Primi passi** (dai piani d'azione). 1) Adottare un piano di formazione digitale (Competenze, entro 12 mesi)." in text
    assert "Passare a una linea" not in text.split("## Piano d'azione del settore")[1]
    assert "Sono mostrate le prime 1 di 2; l'elenco completo è nel foglio Azioni del file Excel." in text


def test_subsector_codes_are_labelled(tmp_path: Path) -> None:
    codes = ["C"] * 6 + ["G"] * 5 + ["=x"] * 2
    responses = {f"{i:02d}.json": response(name=f"R{i}", subsector=code) for i, code in enumerate(codes)}
    ta = _analysis(tmp_path, responses)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="en"))
    assert "| \\=x | n<5 | n<5 |" in text
    # 6 + 5 shown would give away the 2 of "=x" (13 - 6 - 5): the smallest cell above min-n is withheld too,
    # with its own mark (a withheld 5 could only be 0 or 5: 13 - 5 = 6 + 2 again)
    assert "| C – Manufacturing | suppressed | suppressed |" in text
    assert "| G – Wholesale and retail trade; repair of vehicles | 5 | 38.5% |" in text
    mine = respondent_report(ta.respondents[0], ta.name, ta.comuni_names, lang="it", min_n=5)
    assert "| Sottosettore | C – Attività manifatturiere |" in _flat(mine)


def _comuni(root: Path, names: list[str], public_bodies: bool) -> TerritoryAnalysis:
    make_campaign(root, {})
    text = (root / "questionnaires" / "esempio.yaml").read_text(encoding="utf-8")
    (root / "questionnaires" / "esempio-c.yaml").write_text(
        text.replace("id: esempio", "id: esempio-c").replace("sector: impresa", "sector: comune"), encoding="utf-8")
    responses = {f"m{i}.json": {**response(name=f"Comune di {n}", comune=n), "questionnaire": {"id": "esempio-c", "version": "1.0.0"}}
                 for i, n in enumerate(names)}
    campaign = load_campaign(make_campaign(root, responses, name="Prova"))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=5, public_bodies=public_bodies)


def test_public_bodies_are_named_only_when_the_campaign_says_so(tmp_path: Path) -> None:
    from crassess.reports.territory import territory_report
    from crassess.reports.workbook import build_workbook

    names = ["Crema", "Pandino", "Soresina", "Ostiano", "Vailate", "Sergnano"]
    hidden = _comuni(tmp_path / "a", names, False)
    text = _flat(sector_report(hidden.sectors["comune"], hidden, lang="it"))
    assert "Hanno risposto 6 comuni su 113. Per riservatezza non sono pubblicati né i loro nomi né la loro distribuzione" in text
    assert "Pandino" not in text and "Per classe dimensionale" not in text and "Risultati per comune" not in text
    assert "Pandino" not in _flat(territory_report(hidden, lang="it"))
    rows = [r for r in build_workbook(hidden, "it")["Rispondenti"].iter_rows(min_row=2, values_only=True)]
    assert all(not any(r[3:7]) for r in rows)  # no ISTAT code, comune, size or size class
    named = _comuni(tmp_path / "b", names, True)
    text = _flat(sector_report(named.sectors["comune"], named, lang="it"))
    assert "**Enti pubblici per nome**: la campagna pubblica i risultati dei singoli Comuni con il loro nome" in text
    assert "## Risultati per comune" in text and "| Pandino | 71,3 | Moderatamente avanzato | 80,0 | 83,3 | 41,7 |" in text
    assert "### Per classe dimensionale (abitanti)" in text and "| non indicato | 6 | 100,0% |" in text  # published
    territory = _flat(territory_report(named, lang="it"))
    assert "### Comuni che hanno risposto al questionario dei Comuni (6)" in territory
    assert "Crema, Ostiano, Pandino, Sergnano, Soresina, Vailate." in territory
