"""The restructured territory and sector reports on the committed demo (reports/demo, kept current by
tests/test_demo.py): sections in place, the Sintesi's numbers equal to the analysis, the length limits."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from openpyxl import load_workbook

from crassess.campaign.scored import load_campaign
from crassess.demo import CAMPAIGN_FOLDER, INDICATORS_FILE
from crassess.reports.build import ReportOptions, analyse_campaign, join_indicators
from crassess.reports.fibre import RANKED, coverage_ranking
from crassess.reports.markdown import num
from crassess.reports.programme_md import programme_sentences, twin_sentences
from crassess.reports.results import TerritoryAnalysis
from crassess.reports.summary import context, dimension_gaps, top_row
from crassess.reports.territory import territory_report
from tests.conftest import ROOT

DEMO = ROOT / "reports" / "demo"
WORDS = 2000  # the whole territorio.md, tables included
OTHERS = ("Programma per la Provincia e il Digital Center", "Gemello digitale")
SECTOR_FILES = {"comune": "settore-comuni.md", "associazione": "settore-associazioni.md", "impresa": "settore-imprese.md"}


def words(text: str) -> int:
    """Words as a reader counts them: tokens with a letter or digit (not table rules or pipes)."""
    return sum(1 for token in text.split() if re.search(r"\w", token))


def _text(name: str) -> str:
    return re.sub(r" +", " ", (DEMO / name).read_text(encoding="utf-8"))


def _section(text: str, title: str) -> str:
    return text.split(f"\n## {title}\n")[1].split("\n## ")[0]


@lru_cache(maxsize=1)
def _demo() -> tuple[TerritoryAnalysis, list[tuple[str, float]]]:
    campaign = load_campaign(DEMO / CAMPAIGN_FOLDER)
    options = ReportOptions(indicators=DEMO / CAMPAIGN_FOLDER / INDICATORS_FILE)
    return analyse_campaign(campaign, options), coverage_ranking(join_indicators(campaign, options.indicators))  # type: ignore[arg-type]


def test_the_territory_report_is_short_and_in_order() -> None:
    raw = (DEMO / "territorio.md").read_text(encoding="utf-8")
    assert words(raw) < WORDS
    assert re.findall(r"(?m)^## (.+)$", raw)[:9] == [
        "Sintesi", "Rappresentatività", "I settori a confronto", "Dove manca la fibra", "Ostacoli e resistenze",
        "Esigenze verso il Digital Center", *OTHERS, "Mappe"]
    assert words(_section(raw, "Sintesi")) <= 350
    for plain in ("copertura_ftth_pct |", "Punteggio medio dei raggiunti", "Divario medio della dimensione"):
        assert plain not in raw


@pytest.mark.parametrize("path", sorted(p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*.md") if CAMPAIGN_FOLDER not in p.parts))
def test_no_table_line_over_200_characters(path: str) -> None:
    long = [line for line in (DEMO / path).read_text(encoding="utf-8").splitlines() if line.startswith("|") and len(line) > 200]
    assert long == []


def test_the_sintesi_says_what_the_analysis_found() -> None:
    ta, ranking = _demo()
    sintesi = _section(_text("territorio.md"), "Sintesi")
    low = [c for c, v in ranking if v < 50]
    worst = ", ".join(f"{ta.comuni_names[c]} ({num(v, 'it')}%)" for c, v in ranking[:3])
    assert f"{len(low)} comuni su 113 hanno meno del 50% degli indirizzi coperti in fibra; i meno coperti sono {worst}." in sintesi
    for s, sa in ta.sectors.items():
        gap = dimension_gaps(sa)[0]
        assert f"({num(gap.mean, 'it')} contro {num(gap.target, 'it')}, {num(gap.gap, 'it')} punti sotto)" in sintesi
        assert f"fibra attiva per il {num(sa.fibre.shares['adopted'], 'it')}%" in sintesi  # type: ignore[union-attr]
        reason = top_row(context(sa, "motivi_resistenza"))
        assert reason is not None and f"({num(reason.share, 'it')}%)" in sintesi  # type: ignore[arg-type]
        assert num(sa.dimensions["atteggiamento"].mean, "it") in sintesi
    services, steps = programme_sentences(ta, "it")
    assert services in sintesi and steps in sintesi  # the Digital Center's first steps, not one sector's
    assert steps.count(") ") >= 3 and "1) " in steps and "3) " in steps
    assert f"**Gemello digitale.** {twin_sentences(ta, 'it')[0]}" in sintesi
    assert "**Attenzione al campione.** Imprese: tasso di risposta 0,1%." in sintesi


def test_fibre_one_definition_and_the_ranking() -> None:
    ta, ranking = _demo()
    text = _text("territorio.md")
    fibre = _section(text, "Dove manca la fibra")
    for i, (code, value) in enumerate(ranking[:RANKED], 1):
        assert f"| {i} | {ta.comuni_names[code]} | {num(value, 'it')} |" in fibre
    assert f"| {RANKED + 1} |" not in fibre and "113" in fibre
    cremona = ta.fibre_by_comune["019036"]
    # the same cell in the Sintesi's definition, the table by comune and the workbook: the respondents' answer
    share = cremona.shares["not_adopted"]
    assert ("| Cremona | 92,2 | 13 |" in fibre) and "(punti)" not in text
    sheet = load_workbook(DEMO / "dati.xlsx")["Indicatori"]
    header = [c.value for c in sheet[1]]
    row = next(dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "019036")
    assert row["Disponibile, non attivata (%)"] == (share if isinstance(share, float) else None)
    assert [r[0] for r in sheet.iter_rows(min_row=2, max_row=4, values_only=True)] == [1, 2, 3]
    assert "Lavori annunciati" in fibre and "Sede: Sede in una frazione o zona industriale" in fibre


def test_representativeness_and_needs_in_the_territory_report() -> None:
    ta, _ = _demo()
    text = _text("territorio.md")
    rep = _section(text, "Rappresentatività")
    assert "| Comuni | 18 | 113 | 15,9% |" in rep and "| Associazioni | 18 | 40 | 45,0% |" in rep
    places = ta.sectors["impresa"].places
    assert places is not None and "| 5.000–14.999 | 23,4% |" in rep
    needs = _section(text, "Esigenze verso il Digital Center")
    members = next(f for f in ta.sectors["associazione"].context if f.question_id == "esigenze_associati")
    best = top_row(members)
    assert "Associazioni per gli associati |" in needs and best is not None
    association = _text("settore-associazioni.md")
    assert f"| {num(best.share, 'it')}%" in association.split("### Secondo l'ente, quali sono i tre servizi")[1]  # type: ignore[arg-type]
    assert f"{num(best.share, 'it')}% |" in needs  # type: ignore[arg-type]


@pytest.mark.parametrize("sector", SECTOR_FILES)
def test_sector_reports_have_the_same_structure(sector: str) -> None:
    ta, _ = _demo()
    text = _text(SECTOR_FILES[sector])
    sections = re.findall(r"(?m)^## (.+)$", text)
    for title in ("Sintesi", "Dimensioni", "Le domande più deboli", "Ostacoli", "Connettività", "Esigenze", "Piano d'azione del settore"):
        assert title in sections
    assert sections[0] == "Sintesi"
    sa = ta.sectors[sector]
    gaps = dimension_gaps(sa)
    dims = [line.split("|")[1].strip() for line in _section(text, "Dimensioni").splitlines() if line.startswith("| ")][1:-1]
    labels = {d.id: d.label["it"] for d in sa.questionnaire.dimensions}  # type: ignore[union-attr]
    assert dims == [labels[g.dimension] for g in gaps]  # by gap to target, furthest first
    need = top_row(sa.needs)
    assert need is not None and f"({num(need.share, 'it')}%)" in _section(text, "Sintesi")  # type: ignore[arg-type]


def test_summary_extra_sentences_close_the_sintesi() -> None:
    ta, _ = _demo()
    text = territory_report(ta, lang="it", summary_extra=["Prima frase aggiunta.", "Seconda frase."])
    assert "\nPrima frase aggiunta.\n\nSeconda frase.\n\n## Rappresentatività" in text  # one paragraph each


def test_workbook_sintesi_sheet_per_sector() -> None:
    ta, _ = _demo()
    ws = load_workbook(DEMO / "dati.xlsx")["Sintesi"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == "Settore")
    assert list(rows[start][:11]) == ["Settore", "n", "Popolazione", "Tasso di risposta (%)", "Complessivo", "IC 95% inf.",
                                      "IC 95% sup.", "Fibra attiva (%)", "Fibra disponibile non attivata (%)",
                                      "Esigenza più indicata", "Quota esigenza (%)"]
    imprese = rows[start + 3]
    sa = ta.sectors["impresa"]
    assert imprese[:7] == ("Imprese", 24, 28000, pytest.approx(24 / 280), pytest.approx(sa.overall.mean),
                           pytest.approx(sa.overall.ci[0]), pytest.approx(sa.overall.ci[1]))  # type: ignore[index]
    assert imprese[7] == pytest.approx(sa.fibre.shares["adopted"])  # type: ignore[union-attr]
