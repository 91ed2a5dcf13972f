"""The committed demo reports (reports/demo) are what `crassess demo` produces today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crassess.demo import (
    CAMPAIGN_FOLDER,
    CONTRACT_SPEEDS,
    PLAN,
    build_responses,
    coverage,
    populations,
    run_demo,
    split_for_forms,
    split_for_spreadsheets,
    synthetic_indicators,
)
from crassess.questionnaire.load import load_questionnaire
from crassess.reports.build import ReportOptions
from crassess.territory.comuni import load_territory

COMMITTED = Path(__file__).resolve().parent.parent / "reports" / "demo"


def _markdown(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.md"))
            if CAMPAIGN_FOLDER not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """One demo run (Markdown and workbook, charts linked but not drawn) shared by the tests."""
    out = tmp_path_factory.mktemp("demo")
    return out, run_demo(out, ReportOptions(), draw=False)


def test_committed_demo_is_up_to_date(demo_out: tuple[Path, object]) -> None:
    committed = _markdown(COMMITTED)
    if not committed:
        pytest.skip("reports/demo/*.md not committed yet: run `make demo` and commit the Markdown")
    fresh = _markdown(demo_out[0])
    assert sorted(fresh) == sorted(committed), "run `make demo` and commit reports/demo"
    for name, text in fresh.items():
        assert text == committed[name], f"{name} is stale: run `make demo` and commit reports/demo"


def test_synthetic_campaign_is_fixed_and_flagged(demo_out: tuple[Path, object]) -> None:
    tmp_path, run = demo_out
    questionnaires = {sector: load_questionnaire(qid) for sector, (qid, *_) in PLAN.items()}
    first = build_responses(questionnaires, load_territory())
    assert first == build_responses(questionnaires, load_territory())
    complete = [r for _, r in first if r.status == "complete"]
    assert 55 <= len(complete) <= 65
    assert {r.questionnaire.id for r in complete} == {qid for qid, *_ in PLAN.values()}
    comuni = [r.respondent.comune for r in complete if r.questionnaire.id == PLAN["comune"][0]]
    assert len(comuni) == len(set(comuni))  # each comune answers once
    assert run.problems == ()  # type: ignore[attr-defined]
    assert len(run.campaign.responses) == len(complete)  # type: ignore[attr-defined]
    for name in ("territorio.md", "settore-comuni.md", "settore-associazioni.md", "settore-imprese.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "> **Dati sintetici**" in text
        assert "sintetica" not in text and "Comune di" not in text and "esempio.invalid" not in text  # no names, contacts
    assert (tmp_path / CAMPAIGN_FOLDER / "campaign.yaml").read_text(encoding="utf-8").endswith("synthetic: true\n")
    territory = (tmp_path / "territorio.md").read_text(encoding="utf-8")
    assert "**Resistenza al cambiamento.** Punteggio medio di «Atteggiamento e gestione del cambiamento»" in territory
    assert "Imprese: fibra attiva per il " in territory
    rows = list(load_workbook(tmp_path / "dati.xlsx")["Rispondenti"].iter_rows(min_row=2, values_only=True))
    comuni = [row for row in rows if row[1] == "Comuni"]
    assert len(comuni) == 18 and all(row[3:6] == (None, None, None) for row in comuni)
    assert not any(isinstance(v, str) and ("sintetica" in v or "Comune di" in v) for row in rows for v in row)


def test_part_of_the_demo_comes_back_through_returned_workbooks(demo_out: tuple[Path, object]) -> None:
    tmp_path, _ = demo_out
    returned = sorted(p.name for p in (tmp_path / CAMPAIGN_FOLDER / "restituiti").glob("*.xlsx"))
    assert len(returned) == 14  # every third complete association and business
    imported = [p for p in (tmp_path / CAMPAIGN_FOLDER / "responses").glob("*.json") if not p.name.startswith("demo-")]
    workbooks = [p for p in imported if '"source_file": "demo-' in p.read_text(encoding="utf-8")]
    assert len(workbooks) == 14
    text = workbooks[0].read_text(encoding="utf-8")
    assert '"source_file": "' in text and '"imported_at": "2026-11-20T09:00:00+00:00"' in text


def test_part_of_the_demo_comes_back_through_an_online_form(demo_out: tuple[Path, object]) -> None:
    from pyxform.xls2xform import convert

    tmp_path, _ = demo_out
    campaign = tmp_path / CAMPAIGN_FOLDER
    assert sorted(p.name for p in (campaign / "moduli").glob("*.xlsx")) == ["comune.xlsx", "impresa.xlsx"]
    assert convert(xlsform=str(campaign / "moduli" / "impresa.xlsx")).warnings == []
    exports = sorted(p.name for p in (campaign / "invii").iterdir())
    assert exports == ["comune_-_all_versions_-_XML_values.csv", "impresa_-_all_versions_-_XML_values.csv"]
    online = [json.loads(p.read_text(encoding="utf-8")) for p in (campaign / "responses").glob("*.json")]
    online = [d for d in online if d.get("provenance", {}).get("platform") == "kobo"]
    questionnaires = {sector: load_questionnaire(campaign / "questionnaires" / f"{qid}.yaml") for sector, (qid, *_) in PLAN.items()}
    chosen, _ = split_for_forms(split_for_spreadsheets(build_responses(questionnaires, load_territory()))[1])
    assert sorted(d["id"] for d in online) == sorted(r.id for _, r in chosen) and len(chosen) >= 10
    assert {r.questionnaire.id for _, r in chosen} == {"comune", "impresa"}
    assert all(d["status"] == "complete" and d["provenance"]["imported_at"] == "2026-11-20T09:00:00+00:00" for d in online)


def test_a_rerun_gives_the_same_bytes(demo_out: tuple[Path, object]) -> None:
    """Run again into the same folder: the campaign starts from nothing, so nothing of the first run lingers."""
    import hashlib

    out = demo_out[0]
    digest = lambda: {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
                      for p in sorted(out.rglob("*")) if p.is_file() and p.name != ".crassess.lock"}
    before = digest()
    run_demo(out, ReportOptions(), draw=False)
    assert digest() == before


def test_the_demo_never_deletes_a_real_campaign(tmp_path: Path) -> None:
    from crassess.errors import UsageError

    real = tmp_path / CAMPAIGN_FOLDER
    (real / "responses").mkdir(parents=True)
    (real / "campaign.yaml").write_text("name: Cremona 2026\n", encoding="utf-8")
    with pytest.raises(UsageError):
        run_demo(tmp_path, ReportOptions(), draw=False)
    assert (real / "campaign.yaml").read_text(encoding="utf-8") == "name: Cremona 2026\n"
def test_population_table_is_istat_2023() -> None:
    people = populations()
    assert len(people) == 113 and sum(people.values()) == 351169
    assert (people["019104"], people["019036"]) == (420, 70637)  # Ticengo, Cremona
    assert sum(1 for p in people.values() if p < 5000) == 101


def test_synthetic_respondents_agree_with_their_comune_and_the_indicators() -> None:
    territory = load_territory()
    questionnaires = {sector: load_questionnaire(qid) for sector, (qid, *_) in PLAN.items()}
    ftth = {row.split(";")[0]: float(row.split(";")[1].replace(",", ".")) for row in synthetic_indicators(territory).splitlines()[1:]}
    people = populations()
    assert ftth == coverage(territory)
    bands = {"quasi_tutti": (90, 100), "maggioranza": (50, 90), "minoranza": (10, 50), "quasi_nessuno": (0, 10)}
    lines = {"comune": "fibra_municipio", "associazione": "linea_sede", "impresa": "linea_principale"}
    for _, r in build_responses(questionnaires, territory):
        a, istat, sector = r.answers, r.respondent.comune or "", r.questionnaire.id
        if sector == "comune":
            assert r.respondent.size == people[istat]
            # about 6.5 employees per 1,000 inhabitants: Ticengo (420) 2-6, Cremona (70,637) some 300-700
            assert 1 + people[istat] * 0.0065 * 0.4 <= a["dipendenti"] <= 1 + people[istat] * 0.0065 * 2.5, (istat, a["dipendenti"])
            if a.get("copertura_territorio") not in (None, "dk"):
                low, high = bands[a["copertura_territorio"]]
                assert low <= ftth[istat] <= high, (istat, a["copertura_territorio"], ftth[istat])
        elif a.get(lines[sector]) == "ftth":
            assert a.get("fibra_disponibile") == "si", r.respondent.name  # no fibre line where fibre is not available
        line = a.get(lines[sector])
        speed = next((a[q] for q in ("banda_municipio", "velocita_sede", "velocita") if q in a), None)
        if line in CONTRACT_SPEEDS and isinstance(speed, int):
            assert speed in CONTRACT_SPEEDS[line], (r.respondent.name, line, speed)
        measured = a.get("velocita_misurata")
        if isinstance(measured, float) and isinstance(speed, int):
            assert 0.45 * speed <= measured <= 0.95 * speed
