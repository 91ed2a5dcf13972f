"""The Digital Center programme and the digital twin: needs counted once per organisation, min_size respected,
protected by the report set's disclosure control (audited), rendered in the reports, the workbook and the
summary sentences; the demo's sections hold the analysis' numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from crassess.campaign.scored import load_campaign
from crassess.reports.analysis import analyse
from crassess.reports.disclosure import PRIMARY, SECONDARY
from crassess.reports.programme import ALL, catalogue_of, count_programme, merged
from crassess.reports.programme_md import programme_sentences, twin_sentences
from crassess.reports.results import TerritoryAnalysis
from crassess.reports.sector import sector_report
from crassess.reports.territory import territory_report
from crassess.reports.workbook import build_workbook
from crassess.sheets import workbook_bytes
from crassess.territory.comuni import load_territory
from tests.conftest import write_files
from tests.reports.audit import audit

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = """\
services:
  - {id: rete, label: {it: Rete, en: Network}, description: {it: Linee., en: Lines.}}
  - {id: corsi, label: {it: Corsi, en: Courses}, description: {it: Formazione., en: Training.}}
  - {id: dati, label: {it: Dati, en: Data}, description: {it: Gemello., en: Twin.}}
"""
QUESTIONNAIRE = """\
id: prog
version: "1"
sector: impresa
title: {it: Programma, en: Programme}
services: servizi.yaml
levels:
  - {id: base, from: 0, label: {it: Base, en: Basic}}
  - {id: avanzato, from: 50, label: {it: Avanzato, en: Advanced}}
dimensions:
  - {id: d, label: {it: Digitale, en: Digital}, target: 100}
choices:
  sn:
    - {value: si, label: {it: Sì, en: "Yes"}, score: 100}
    - {value: "no", label: {it: "No", en: "No"}, score: 0}
  bisogni: {from: services}
  disponibilita_gemello:
    - {value: "no", label: {it: "No", en: "No"}}
    - {value: forse, label: {it: Forse, en: Maybe}}
    - {value: condizioni, label: {it: A condizioni, en: On conditions}}
    - {value: si, label: {it: Sì, en: "Yes"}}
    - {value: gia, label: {it: Già, en: Already}}
  dati_gemello:
    - {value: nessuno, label: {it: Nessuno, en: None}, score: 0}
    - {value: strutturati, label: {it: Strutturati, en: Structured}, score: 50}
    - {value: automatici, label: {it: Automatici, en: Automatic}, score: 100}
questions:
  - {id: q1, type: select_one, choices: sn, dimension: d, effort: low, service: rete, label: {it: "Rete?"}, action: {it: Posare la fibra., en: Lay fibre.}}
  - {id: q2, type: select_one, choices: sn, dimension: d, effort: high, service: corsi, min_size: 10, label: {it: "Corsi?"}, action: {it: Formare tutti., en: Train everyone.}}
  - {id: gemello_dati, type: select_one, choices: dati_gemello, dimension: d, effort: medium, service: dati, label: {it: "Dati?"}, action: {it: Descrivere i dati., en: Describe the data.}}
  - {id: esigenze_top3, type: select_multiple, choices: bisogni, required: false, label: {it: Servizi}}
  - {id: gemello_disponibilita, type: select_one, choices: disponibilita_gemello, allow_dk: true, label: {it: "Disponibili?"}}
"""
# q1 "no": a gap on rete; q2 "no": a gap on corsi, but only from 10 employees (min_size)
PEOPLE: dict[str, tuple[str, str, list[str], str, int]] = {
    # name: q1, q2, esigenze_top3, gemello_disponibilita, size
    "R1": ("no", "si", ["rete"], "si", 20),  # rete named AND a gap: counted once
    "R2": ("no", "si", [], "si", 20),  # rete: gap only
    "R3": ("si", "si", ["rete"], "si", 20),  # rete: named only
    "R4": ("si", "no", ["corsi"], "condizioni", 20),  # corsi: both
    "R5": ("si", "no", ["dati"], "condizioni", 20),  # corsi: gap; dati named
    "R6": ("si", "no", [], "condizioni", 5),  # q2 "no" but 5 employees < min_size 10: no need
    "R7": ("si", "si", ["corsi"], "condizioni", 20),  # corsi: named
    "R8": ("si", "no", [], "si", 20),  # corsi: gap
    "R9": ("no", "si", [], "si", 20),  # rete: gap
}


def _campaign(root: Path, people: dict[str, tuple[str, str, list[str], str, int]] = PEOPLE) -> Path:
    write_files(root, {"questionnaires/prog.yaml": QUESTIONNAIRE, "questionnaires/servizi.yaml": CATALOGUE})
    for name, (q1, q2, needs, ready, size) in people.items():
        answers: dict[str, Any] = {"q1": q1, "q2": q2, "gemello_dati": "strutturati", "esigenze_top3": needs,
                                   "gemello_disponibilita": ready}
        data = {"id": f"id-{name}", "questionnaire": {"id": "prog", "version": "1"}, "status": "complete",
                "respondent": {"name": name, "comune": "Crema", "size": size}, "answers": answers}
        write_files(root, {f"responses/{name}.json": json.dumps(data)})
    return root


def _analyse(root: Path, min_n: int = 3) -> TerritoryAnalysis:
    campaign = load_campaign(_campaign(root))
    assert campaign.problems == ()
    return analyse(list(campaign.responses), load_territory(), name="Prova", min_n=min_n)


def test_an_organisation_is_counted_once_and_min_size_is_respected(tmp_path: Path) -> None:
    campaign = load_campaign(_campaign(tmp_path))
    by_sector = {"impresa": list(campaign.responses)}
    raw = count_programme(by_sector, catalogue_of(by_sector))
    # rete: R1 (named and gap, once), R2 and R9 (gap), R3 (named) = 4, not 5; corsi: R4, R5, R7, R8 (R6 too small)
    assert raw.need["impresa"] == {"rete": 4, "corsi": 4, "dati": 1}
    assert raw.named["impresa"] == {"rete": 2, "corsi": 2, "dati": 1}
    assert raw.need["comune"] == {"rete": 0, "corsi": 0, "dati": 0} and raw.n == {"comune": 0, "associazione": 0, "impresa": 9}


def test_protected_programme_and_twin(tmp_path: Path) -> None:
    ta = _analyse(tmp_path)
    pr = ta.programme
    assert pr is not None and pr.sectors == ("impresa",) and pr.published
    cells = {s.service: (s.cells["impresa"], s.total) for s in pr.services}
    # dati: 1 organisation, n<3; rete 4 and corsi 4 shown (their complements, 5, are safe; so is rete's
    # "gap but not named", 2, as the 2 who named it are n<3 in the needs table)
    assert cells == {"rete": (4, 4), "corsi": (4, 4), "dati": (PRIMARY, PRIMARY)}
    assert [s.service for s in pr.ranked()] == ["rete", "corsi", "dati"]  # shown first (catalogue order), withheld last
    shares = {s.service: s.shares["impresa"] for s in pr.services}
    assert shares["rete"] == pytest.approx(100 * 4 / 9) and shares["dati"] == PRIMARY
    # readiness: willing 5 ("si"), on conditions 4 ("condizioni"), none said no or gave no answer
    ready = pr.readiness["impresa"]
    assert ready.cells == {"willing": 5, "conditional": 4, "not": 0, "noans": 0}
    # the form of the data: all 9 "strutturati" (nothing to withhold): published whole
    form = pr.form["impresa"]
    assert form is not None and {r.value: r.count for r in form.rows} == {"strutturati": 9, "nessuno": 0, "automatici": 0}
    assert pr.form_total is not None and pr.form_total.cells == {"nessuno": 0, "strutturati": 9, "automatici": 0, "noans": 0}
    # first steps: the sector road-map's actions by horizon from effort (rete: low -> short)
    rete = next(s for s in pr.services if s.service == "rete")
    assert [(st.question_id, st.horizon) for st in rete.steps] == [("q1", "short")]
    assert audit(ta.protection) == [] and audit(ta.protection, "marks") == []


def test_sentences_are_templated_from_the_protected_figures(tmp_path: Path) -> None:
    ta = _analyse(tmp_path)
    assert programme_sentences(ta, "it") == [
        "**Servizi più richiesti al Digital Center** (organizzazioni che ne hanno bisogno): Rete 4, Corsi 4.",
        "**Primi passi del Digital Center.** 1) Rete, breve (entro 12 mesi): Posare la fibra. "
        "2) Corsi, lungo (oltre 24 mesi): Formare tutti.",
    ]
    assert twin_sentences(ta, "en") == [
        "Readiness to share data for a digital twin of the territory: Businesses 5 of 9 (55.6%) yes or already do, "
        "4 (44.4%) on conditions."]


def test_the_reports_show_the_sections(tmp_path: Path) -> None:
    ta = _analyse(tmp_path)
    text = territory_report(ta, lang="it")
    section = text.split("## Programma per la Provincia e il Digital Center\n", 1)[1].split("\n## ", 1)[0]
    assert "| Corsi      | 4 (44,4%) |        4 |" in section
    assert "| Dati       |       n<3 |      n<3 |" in section
    assert "- **Rete** (4 organizzazioni): Posare la fibra." in section
    assert "## Gemello digitale" in text and "## Piano d'azione del territorio" not in text
    sector = sector_report(ta.sectors["impresa"], ta, lang="en")
    assert "## The Digital Center's programme for the sector" in sector and "## Digital twin" in sector
    assert max(len(line) for line in (text + sector).splitlines() if line.startswith("|")) <= 200


def test_workbook_programme_sheet(tmp_path: Path) -> None:
    ta = _analyse(tmp_path)
    path = tmp_path / "dati.xlsx"
    path.write_bytes(workbook_bytes(build_workbook(ta, "it")))
    rows = list(load_workbook(path)["Programma"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Id servizio", "Servizio", "Imprese", "Imprese (%)", "Totale") and rows[0][-1] == "Cifre omesse"
    assert rows[1][:5] == ("rete", "Rete", 4, pytest.approx(44.444, abs=1e-3), 4) and rows[1][-1] is None
    assert rows[3][:5] == ("dati", "Dati", None, None, None) and rows[3][-1] == "Imprese: n<3; Imprese (%): n<3; Totale: n<3"


def test_territory_form_joins_neighbouring_answers_until_none_is_withheld() -> None:
    assert merged({"a": 1, "b": 18, "c": 0, "d": 5}, 5) == [("a", "b"), ("c",), ("d",)]
    assert merged({"a": 6, "b": 2}, 5) == [("a", "b")]
    assert merged({"a": 3}, 5) is None


def test_demo_sections_hold_the_analysis_numbers() -> None:
    campaign = load_campaign(ROOT / "reports" / "demo" / "campagna")
    ta = analyse(list(campaign.responses), campaign.territory, name=campaign.name, min_n=campaign.min_n,
                 synthetic=campaign.synthetic, population=campaign.population, indicators=True)
    text = (ROOT / "reports" / "demo" / "territorio.md").read_text(encoding="utf-8")
    pr = ta.programme
    assert pr is not None
    section = text.split("## Programma per la Provincia e il Digital Center\n", 1)[1].split("\n## ", 1)[0]
    first = ("\n" + section).split("\n| ", 1)[1].split("\n\n", 1)[0]  # the services table, first in the section
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in ("| " + first).splitlines()][2:]
    labels = {s.label["it"]: s for s in pr.services}
    assert len(rows) == len(pr.services) >= 10
    assert [labels[row[0]] for row in rows] == list(pr.ranked())
    for row in rows:
        svc = labels[row[0]]
        assert row[-1] == (str(svc.total) if isinstance(svc.total, int) else "riservato" if svc.total == SECONDARY else "n<5")
        for s, shown in zip(pr.sectors, row[1:-1]):
            count = svc.cells[s]
            assert shown.split(" ")[0] == (str(count) if isinstance(count, int) else "riservato" if count == SECONDARY else "n<5")
    first = next(s for s in pr.ranked() if isinstance(s.total, int))
    sintesi = text.split("## Sintesi\n", 1)[1].split("\n## ", 1)[0]
    assert programme_sentences(ta, "it")[0] in sintesi and first.label["it"] in programme_sentences(ta, "it")[0]
    assert twin_sentences(ta, "it")[0] in sintesi
    assert pr.form_total is not None and all(isinstance(v, int) for v in pr.form_total.cells.values())
    assert all(pr.first_steps(s) for s in pr.services if s.total)
    assert ALL == "*"


def test_a_service_is_needed_when_its_items_average_below_50(tmp_path: Path) -> None:
    from crassess.reports.programme import _gaps

    # q1 and q3 both serve rete: one "no" (0) beside a "si" (100) averages 50, not below: no need;
    # with q3 "parte" (40) the mean is 20: a need
    extra = '  - {id: q3, type: select_one, choices: snp, dimension: d, service: rete, label: {it: "Rete 2?"}}\n'
    qn = QUESTIONNAIRE.replace("  bisogni: {from: services}\n", "  bisogni: {from: services}\n  snp:\n"
                               "    - {value: si, label: {it: Sì}, score: 100}\n"
                               "    - {value: parte, label: {it: In parte}, score: 40}\n") + extra
    write_files(tmp_path, {"questionnaires/prog.yaml": qn, "questionnaires/servizi.yaml": CATALOGUE})
    for name, q3 in (("A", "si"), ("B", "parte")):
        data = {"id": f"id-{name}", "questionnaire": {"id": "prog", "version": "1"}, "status": "complete",
                "respondent": {"name": name, "comune": "Crema", "size": 20},
                "answers": {"q1": "no", "q2": "si", "q3": q3, "gemello_dati": "automatici"}}
        write_files(tmp_path, {f"responses/{name}.json": json.dumps(data)})
    campaign = load_campaign(tmp_path)
    assert campaign.problems == ()
    gaps = {r.response.respondent.name: _gaps(r) for r in campaign.responses}
    assert gaps == {"A": set(), "B": {"rete"}}
