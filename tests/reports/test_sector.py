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
    assert "| Competenze | 5 | 51,7 | 41,7 | 14,9 | 33,2–70,2 | 41,7 | 75,0 | 75,0 |" in text
    assert "| Moderatamente avanzato | n<5 | n<5 |" in text and "| Avanzato | n<5 | n<5 |" in text
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
    ta = _analysis(tmp_path, FIVE, min_n=2)
    text = _flat(sector_report(ta.sectors["impresa"], ta, lang="it"))
    assert "| 1 | Adottare un piano di formazione digitale. | Competenze | 3 (60,0%) | 0,0 | 23,3 | breve (entro 12 mesi) |" in text
    assert "Passare a una linea" not in text
    assert "Sono mostrate le prime 1 di 2; l'elenco completo è nel foglio Azioni del file Excel." in text


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
