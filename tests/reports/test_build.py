"""`crassess report`: files, names, formats, exit codes, determinism."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from crassess.campaign.scored import load_campaign
from crassess.cli.main import cli
from crassess.reports.build import (
    FILE_NAMES,
    ReportOptions,
    analyse_campaign,
    build_reports,
)
from tests._campaigns import FIVE, make_campaign, response


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_report_writes_every_file(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE, name="Prova")
    code, out, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "out"), "--charts", "svg")
    assert (code, err) == (0, "")
    names = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert names == sorted([
        "dati.xlsx", "territorio.md", "settore-comuni.md", "settore-associazioni.md", "settore-imprese.md",
        "grafici/settore-imprese-livelli.svg", "grafici/settore-imprese-dimensioni.svg", "grafici/territorio-settori.svg",
        "grafici/mappa-rispondenti.svg", "grafici/mappa-rispondenti-imprese.svg",  # no zones: no zone maps
        *[f"rispondenti/{k}-srl.md" for k in "abcde"], *[f"rispondenti/{k}-srl-radar.svg" for k in "abcde"],
    ])
    assert out.startswith(f"Scritti 20 file in {tmp_path / 'out'}\n")
    assert "(grafici/settore-imprese-dimensioni.svg)" in (tmp_path / "out" / "settore-imprese.md").read_text()


def test_english_names_and_md_only(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE)
    code, _, _ = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"), "--format", "md",
                      "--lang", "en", "--charts", "none")
    assert code == 0
    top = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert top == ["respondents", "sector-associations.md", "sector-businesses.md", "sector-municipalities.md", "territory.md"]
    assert FILE_NAMES["en"]["workbook"] == "data.xlsx"


def test_default_out_is_named_after_the_campaign(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    campaign = make_campaign(tmp_path / "c", FIVE, name="Rilevazione 2026")
    monkeypatch.chdir(tmp_path)
    code, _, _ = _run("report", "--campaign", str(campaign), "--format", "md", "--charts", "none")
    assert code == 0 and (tmp_path / "reports" / "rilevazione-2026" / "territorio.md").is_file()


def test_invalid_files_are_reported_and_left_out(tmp_path: Path) -> None:
    responses = dict(FIVE, **{"z.json": response({"formazione": "forse"}, name="Z")})
    campaign = make_campaign(tmp_path / "c", responses)
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"), "--charts", "none")
    assert code == 1
    assert err == (f"{campaign / 'responses' / 'z.json'}: domanda formazione: 'forse' non è tra le scelte ammesse: "
                   "si, parziale, no (escluso)\n")
    assert "Non sono conteggiate 0 bozze e 1 file non validi." in (tmp_path / "o" / "territorio.md").read_text()


def test_usage_errors(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE)
    assert _run("report", "--campaign", str(campaign), "--format", "pdf")[0] == 2
    assert _run("report", "--campaign", str(campaign), "--min-n", "1")[0] == 2
    code, _, err = _run("report", "--campaign", str(campaign), "--date", "ieri")
    assert code == 2 and "AAAA-MM-GG" in err
    code, _, err = _run("report", "--campaign", str(tmp_path / "nope"))
    assert (code, err) == (1, f"{tmp_path / 'nope'}: cartella della campagna non trovata\n")


def test_markdown_is_deterministic_and_dated_only_on_request(tmp_path: Path) -> None:
    campaign = load_campaign(make_campaign(tmp_path, FIVE))
    options = ReportOptions(formats=("md",), charts="png", draw_charts=False)
    first = build_reports(analyse_campaign(campaign, options), options)
    second = build_reports(analyse_campaign(load_campaign(tmp_path), options), options)
    assert first == second
    assert not any(b"Data del rapporto" in v for v in first.values())
    dated = ReportOptions(formats=("md",), charts="none", date="2026-11-25")
    assert "Data del rapporto: 2026-11-25" in build_reports(analyse_campaign(campaign, dated), dated)["territorio.md"].decode()


def test_workbook_cells_are_deterministic(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    campaign = load_campaign(make_campaign(tmp_path, FIVE))
    options = ReportOptions(formats=("xlsx",))

    def cells() -> list:
        data = build_reports(analyse_campaign(campaign, options), options)["dati.xlsx"]
        wb = load_workbook(io.BytesIO(data))
        return [(ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row]

    assert cells() == cells()


def test_unwritable_output_is_named(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE)
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "blocker"), "--format", "xlsx")
    assert code == 1
    assert err.startswith(f"{tmp_path / 'blocker' / 'dati.xlsx'}: impossibile scrivere il file: ")


def test_min_n_from_campaign_yaml_and_the_option_wins(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE)
    (campaign / "campaign.yaml").write_text("name: Prova\nmin_n: 6\n", encoding="utf-8")
    assert _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "a"), "--format", "md", "--charts", "none")[0] == 0
    assert "meno di 6 rispondenti: le sue cifre sono omesse" in (tmp_path / "a" / "settore-imprese.md").read_text()
    assert _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "b"), "--format", "md", "--charts", "none",
                "--min-n", "5")[0] == 0
    assert "| Competenze | 5 |" in _flat((tmp_path / "b" / "settore-imprese.md").read_text())


def test_indicators_join_fibre_coverage_beside_adoption(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    # Cremona: 10 businesses, 2 without fibre; Crema: 5, all with fibre
    responses = {f"c{i}.json": response({"fibra_sede": "no"} if i < 2 else {}, name=f"C{i}", comune="Cremona") for i in range(10)}
    responses |= {f"k{i}.json": response({}, name=f"K{i}", comune="Crema") for i in range(5)}
    campaign = make_campaign(tmp_path / "c", responses, name="Prova")
    ind = tmp_path / "banda.csv"
    ind.write_text("istat;ftth_pct;popolazione\n019036;90;71000\n019035;50,5;33000\n", encoding="utf-8")
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "out"), "--charts", "none",
                        "--indicators", str(ind))
    assert (code, err) == (0, "")
    text = _flat((tmp_path / "out" / "territorio.md").read_text(encoding="utf-8"))
    # ranked by open-data coverage, lowest first; the respondents' shares are the protected cells
    assert "| 1 | Crema | 50,5 | 5 | 100,0 |" in text
    # Cremona: 8 of 10 would give away the 2 without fibre: withheld here as in the table by comune
    assert "| 2 | Cremona | 90,0 | 10 | riservato |" in text
    assert "| Cremona | 90,0 | 10 | 0,0% | n<5 | riservato | 0,0% |" in text
    assert "| Crema | 50,5 | 5 | 0,0% | 0,0% | 100,0% | 0,0% |" in text
    assert text.index("## Dove manca la fibra") < text.index("### Copertura in fibra per comune (dati aperti)") < text.index("## Metodo")
    assert "(punti)" not in text  # "available but not adopted" is the respondents' answer, never coverage minus adoption
    ws = load_workbook(tmp_path / "out" / "dati.xlsx")["Indicatori"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 113
    assert rows["019035"] == (1, "019035", "Crema", 50.5, 33000, 5, 100, 0, None, None)
    assert rows["019036"] == (2, "019036", "Cremona", 90, 71000, 10, None, None, None,
                             "Fibra attiva (%): riservato; Disponibile, non attivata (%): n<5")
    assert rows["019001"] == (None, "019001", "Acquanegra Cremonese", None, None, 0, None, None, None, None)


def test_bad_indicators_file_every_error_and_nothing_written(tmp_path: Path) -> None:
    campaign = make_campaign(tmp_path / "c", FIVE, name="Prova")
    ind = tmp_path / "banda.csv"
    ind.write_text("istat,ftth_pct\n019036,90\n019036,80\n999999,1\n019035,molto\n", encoding="utf-8")
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "out"), "--indicators", str(ind))
    assert code == 1
    lines = err.strip().splitlines()
    assert [line.split(": ")[1] for line in lines] == ["riga 3", "riga 4", "riga 5"]
    assert all(line.startswith(str(ind)) for line in lines)
    assert not (tmp_path / "out").exists()


def _flat(text: str) -> str:
    import re

    return re.sub(r" +\|", " |", re.sub(r"\| +", "| ", text))
