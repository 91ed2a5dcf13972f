"""The territory report: all sectors together, English numbers, synthetic notice."""

from __future__ import annotations

import re
from pathlib import Path

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import TerritoryAnalysis, analyse
from crassess.reports.territory import territory_report
from crassess.territory.comuni import load_territory
from tests._campaigns import FIVE, make_campaign


def _analysis(root: Path, responses: dict, name: str = "Prova", min_n: int = 5) -> TerritoryAnalysis:
    campaign = load_campaign(make_campaign(root, responses, name=name))
    return analyse(list(campaign.responses), load_territory(), name=campaign.name, min_n=min_n)


def _flat(text: str) -> str:
    return re.sub(r" +", " ", text)


def test_territory_report(tmp_path: Path) -> None:
    ta = _analysis(tmp_path, FIVE, name="Rilevazione | 2026")
    text = _flat(territory_report(ta, lang="it", sector_files={"impresa": "settore-imprese.md"}))
    assert text.startswith("# Stato digitale del territorio: Rilevazione \\| 2026\n")
    assert "| Competenze | – | – | 51,7 (5) |" in text
    assert "| **Complessivo** | – | – | 70,3 (5) |" in text
    assert "Comuni con almeno un'associazione o un'impresa rispondente: **2** su 113; il dettaglio per comune è nel foglio «Copertura»" in text
    assert "| Imprese | 5 | 0,0% | 0,0% | 100,0% | 0,0% |" in text  # fibre by sector
    assert "| Comuni | 0 | 113 | 0,0% |" in text and "| Imprese | 5 | non nota | – |" in text  # response rates
    assert "| Ostacolo | Imprese |" in text and "| Costi | 100,0% |" in text
    sections = re.findall(r"(?m)^## (.+)$", text)
    assert sections[:3] == ["Sintesi", "Rappresentatività", "I settori a confronto"]
    for secret in ("A srl", "e@example.org"):
        assert secret not in text


def test_english_numbers_and_synthetic_notice(tmp_path: Path) -> None:
    campaign = load_campaign(make_campaign(tmp_path, FIVE))
    ta = analyse(list(campaign.responses), load_territory(), name="x", synthetic=True)
    text = territory_report(ta, lang="en")
    assert "> **Synthetic data**" in text
    assert "70.3 (5)" in text and "70,3" not in text
