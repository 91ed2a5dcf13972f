"""The comparison's aggregate report: both kinds of change labelled, intervals, marks, no respondent; the workbook."""

from __future__ import annotations

import io

import openpyxl

from crassess.campaign.data import load_campaign_data
from crassess.campaign.waves import compare_waves
from crassess.reports.wave_figures import wave_figures
from crassess.reports.waves import (
    build_comparison_workbook,
    fmt_delta,
    fmt_interval,
    render_markdown,
)
from crassess.sheets import workbook_bytes
from tests.waves_fixtures import business_waves


def _figures(tmp_path):
    a, b = business_waves(tmp_path)
    return wave_figures(compare_waves(load_campaign_data(a), load_campaign_data(b)))


def test_fmt_delta_and_interval():
    assert [fmt_delta(v, "it") for v in (3.25, -1.5, 0.0, 0.01, None)] == ["+3,3", "-1,5", "0,0", "0,0", "–"]
    assert (fmt_interval((-5.44, 48.6), "it"), fmt_interval((-5.44, 48.6), "en"), fmt_interval(None, "it")) == (
        "[-5,4; 48,6]", "[-5.4, 48.6]", "–")


def test_markdown_labels_both_changes_with_intervals_and_names_nobody(tmp_path):
    fig = _figures(tmp_path)
    text = render_markdown(fig, "it", "rispondenti/abbinamenti.csv")
    lines = text.splitlines()
    assert lines[2] == (
        "Risposte complete: 12 in Cremona digitale 2026-T0, 12 in Cremona digitale 2027-T1. Stessi rispondenti in "
        "entrambe: 6 (codice del rispondente: 6). Solo in Cremona digitale 2026-T0: 6; solo in Cremona digitale 2027-T1: 6. "
        "Non confrontabili (stesso rispondente, questionari diversi): 1. Possibili abbinamenti da confermare: 2 (elenco "
        "riservato in rispondenti/abbinamenti.csv).")
    assert "### Tra gli stessi rispondenti" in lines and "### Tra le medie delle rilevazioni" in lines
    assert "| Imprese   |   6 |                       41,7 |                       62,5 |        +20,8 | [1,1; 40,6] |" in lines
    assert ("| Imprese   |                           11 |                             40,9 |                           12 |"
            "                             62,5 |        +21,6 | [-5,4; 48,6] |") in lines
    assert "| Comuni    |                             1 |                             0 |             0 |" in text
    assert "`n<3`: cifra su meno di 3 rispondenti, omessa. `riservato`:" in text
    assert "Gli intervalli descrivono solo l'errore di campionamento" in text
    for name in ("Alfa", "Gamma", "Lasciata", "Entrata", "Verdi", "sintetica", "Soresina Servizi", "C1", "a-c1"):
        assert name not in text


def test_markdown_in_english(tmp_path):
    text = render_markdown(_figures(tmp_path), "en")
    assert "### Among the same respondents" in text and "### Between the waves' means" in text
    assert "| Businesses     |   6 |                       41.7 |                       62.5 |    +20.8 | [1.1, 40.6] |" in text


def test_workbook_numbers_stay_numbers_and_marks_go_in_their_column(tmp_path):
    fig = _figures(tmp_path)
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(build_comparison_workbook(fig, "it"))))
    assert wb.sheetnames == ["Sintesi", "Rispondenti", "Settori", "Dimensioni", "Settori e dimensioni"]
    rows = [[c.value for c in row] for row in wb["Settori"].iter_rows()]
    assert rows[0][:8] == ["Settore", "N", "Tra gli stessi rispondenti: Cremona digitale 2026-T0",
                           "Tra gli stessi rispondenti: Cremona digitale 2027-T1", "Variazione", "IC 95% min", "IC 95% max", "Riservatezza"]
    assert rows[2] == ["Imprese", 6, 41.67, 62.5, 20.83, 1.08, 40.58, None, 11, 40.91, 12, 62.5, 21.59, -5.44, 48.62, None]
    assert rows[1][8:] == [1, None, 0, None, None, None, None, "n<3"]  # Comuni: one in wave A, withheld
    assert rows[3][8:] == [12, None, 12, 62.5, None, None, None, "riservato"]  # the total would reveal it
    assert wb["Settori"].cell(3, 3).data_type == "n"
    flows = [[c.value for c in row] for row in wb["Rispondenti"].iter_rows()]
    assert flows[2] == ["Imprese", 11, 12, 6, 5, 5, 1]
