"""Scoring rules by hand-computed values on examples/esempio.yaml."""

from __future__ import annotations

import pytest

from crassess.scoring import score


def test_rossi_hand_computed(esempio):
    answers = {
        "fibra_disponibile": "si", "fibra_sede": "si", "velocita": 100, "wifi": "parziale",
        "strumenti": ["cloud", "erp"], "fatturazione": "si",
        "addetti_formati": 25, "ore_perse": 5, "formazione": "dk",
    }
    result = score(esempio, answers)
    # connettivita: (2*100 + 1*70 + 1*50) / 4 = 80
    assert result.dimensions["connettivita"].score == pytest.approx(80)
    # strumenti: (2*75 + 1*100) / 3
    assert result.dimensions["strumenti"].score == pytest.approx(250 / 3)
    # competenze: 2 of 3 answered, coverage 0.667 < 0.67 -> insufficient
    assert result.dimensions["competenze"].score is None
    assert result.dimensions["competenze"].coverage == pytest.approx(2 / 3)
    assert result.overall == pytest.approx((2 * 80 + 250 / 3) / 3)
    assert result.level == "avanzato"
    assert result.complete is False
