"""The maps in the report set and `crassess map`: files, sections, workbook images, errors, another territory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from crassess.cli.main import cli
from crassess.territory.geography import EXAMPLE_ZONES
from tests._campaigns import make_campaign, response
from tests.conftest import ROOT, write_files

CREMONA, CREMA, CASALMAGGIORE = "019036", "019035", "019021"
ZONES = "istat,zona\n019036,Nord\n019021,Centro\n019035,Sud\n"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    people = [(CREMONA, {})] * 5 + [(CASALMAGGIORE, {"formazione": "si"})] * 5 + [(CREMA, {"fibra_sede": "no"})] * 5
    files = {f"r{i}.json": response(answers, name=f"R{i}", comune=comune) for i, (comune, answers) in enumerate(people)}
    root = make_campaign(tmp_path / "c", files)
    write_files(root, {"zone.csv": ZONES, "campaign.yaml": "name: Prova\nzones: zone.csv\n",
                       "ftth.csv": "istat;ftth\n019036;81,5\n019035;40\n"})
    return root


def test_report_shows_the_maps(campaign, tmp_path):
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"), "--indicators", str(campaign / "ftth.csv"))
    assert (code, err) == (0, "")
    maps = sorted(p.name for p in (tmp_path / "o" / "grafici").glob("mappa-*"))
    assert maps == ["mappa-fibra-non-attivata-imprese.svg", "mappa-fibra-non-attivata.svg", "mappa-fibra.svg",
                    "mappa-punteggio-imprese.svg", "mappa-rispondenti-imprese.svg", "mappa-rispondenti.svg"]
    territory = (tmp_path / "o" / "territorio.md").read_text(encoding="utf-8")
    section = territory[territory.index("## Mappe"):]
    assert "Zone dal file zone.csv: Nord, Centro, Sud; comuni senza zona: 110." in section
    for name in ("fibra", "rispondenti", "punteggio-imprese", "fibra-non-attivata"):
        assert f"(grafici/mappa-{name}.svg)" in section
    sector = (tmp_path / "o" / "settore-imprese.md").read_text(encoding="utf-8")
    assert "(grafici/mappa-rispondenti-imprese.svg)" in sector and "(grafici/mappa-punteggio-imprese.svg)" in sector
    assert "mappa" not in (tmp_path / "o" / "settore-comuni.md").read_text(encoding="utf-8")
    svg = (tmp_path / "o" / "grafici" / "mappa-punteggio-imprese.svg").read_text(encoding="utf-8")
    assert "Cremona (019036) · 70.637 abitanti · zona Nord: 71,3" in svg and "Campagna: Prova · crassess" in svg
    sheet = load_workbook(tmp_path / "o" / "dati.xlsx")["Mappe"]
    assert len(sheet._images) == 4  # fibre, respondents, the businesses' score, fibre not adopted


def test_charts_none_draws_no_map(campaign, tmp_path):
    assert _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"), "--charts", "none")[0] == 0
    assert not (tmp_path / "o" / "grafici").exists()
    assert "## Mappe" not in (tmp_path / "o" / "territorio.md").read_text(encoding="utf-8")
    assert "Mappe" not in load_workbook(tmp_path / "o" / "dati.xlsx").sheetnames


def test_another_territory_without_boundaries_gets_a_note(tmp_path):
    root = make_campaign(tmp_path / "c", {"a.json": response({}, name="A", comune="019036")})
    write_files(root, {"comuni.csv": "istat,nome\n019036,Cremona\n019035,Crema\n", "campaign.yaml": "name: X\nterritory: comuni.csv\n"})
    assert _run("report", "--campaign", str(root), "-o", str(tmp_path / "o"))[0] == 0
    assert "Mappe non disponibili: nessun file dei confini per questo territorio" in (tmp_path / "o" / "territorio.md").read_text(encoding="utf-8")
    code, out, err = _run("map", "--campaign", str(root), "--show", "rispondenti", "-o", str(tmp_path / "r.svg"))
    assert (code, out) == (0, "") and "nessun file dei confini" in err and not (tmp_path / "r.svg").exists()


def test_another_territory_with_its_boundaries(tmp_path):
    root = make_campaign(tmp_path / "c", {"a.json": response({}, name="A", comune="019036")})
    square = '[[[9.9,45.1],[10.0,45.1],[10.0,45.2],[9.9,45.2],[9.9,45.1]]]'
    features = ",".join(f'{{"type":"Feature","properties":{{"PRO_COM_T":"{c}"}},"geometry":{{"type":"Polygon","coordinates":{square}}}}}'
                        for c in ("019036", "019035"))
    write_files(root, {"comuni.csv": "istat,nome\n019036,Cremona\n019035,Crema\n", "confini.geojson": f'{{"type":"FeatureCollection","features":[{features}]}}',
                       "campaign.yaml": "name: X\nterritory: comuni.csv\nboundaries: confini.geojson\n"})
    code, out, _ = _run("map", "--campaign", str(root), "--show", "rispondenti", "-o", str(tmp_path / "r.svg"))
    assert (code, out) == (0, f"{tmp_path / 'r.svg'}\n")
    svg = (tmp_path / "r.svg").read_text(encoding="utf-8")
    assert svg.count('<g id="comune-') == 2 and "Confini: confini.geojson" in svg and "Fonte: ISTAT" not in svg


def test_map_command(campaign, tmp_path):
    out = tmp_path / "m.png"
    code, stdout, err = _run("map", "--campaign", str(campaign), "--show", "punteggio", "--sector", "impresa", "-o", str(out))
    assert (code, stdout, err) == (0, f"{out}\n", "") and out.read_bytes().startswith(b"\x89PNG")
    code, _, _ = _run("map", "--campaign", str(campaign), "--show", "fibra", "--indicators", str(campaign / "ftth.csv"),
                      "-o", str(tmp_path / "f.svg"))
    assert code == 0 and "81,5%" in (tmp_path / "f.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--show", "fibra", "--indicators", "ftth.csv", "--column", "fibra"], 1, "ftth.csv: colonna 'fibra' assente; colonne: ftth"),
    (["--show", "punteggio", "--sector", "imprese"], 2, "--sector: settore 'imprese' sconosciuto; ammessi: comune, associazione, impresa"),
    (["--show", "punteggio", "--sector", "impresa", "--dimension", "fibra"], 2,
     "--dimension: dimensione 'fibra' sconosciuta per il settore impresa; dimensioni: connettivita, strumenti, competenze"),
    (["--show", "punteggio"], 2, "--show: --show punteggio richiede --sector (comune, associazione, impresa)"),
    (["--show", "fibra"], 2, "--show: --show fibra richiede --indicators FILE.csv"),
    (["--show", "rispondenti", "--dimension", "connettivita"], 2, "--dimension: --dimension non si applica a --show rispondenti"),
    (["--show", "rispondenti", "--sector", "comune"], 1,
     "--sector: comune: quali comuni hanno risposto non è pubblicato (campaign.yaml: publish_public_bodies: false)"),
    (["--show", "divario", "--zones", "nessuno.csv"], 1, "nessuno.csv: file non trovato"),
])
def test_map_errors(campaign, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(campaign)
    result = _run("map", "--campaign", ".", *args, "-o", str(tmp_path / "m.svg"))
    assert (result[0], result[2].strip()) == (code, message)
    assert not (tmp_path / "m.svg").exists()


def test_map_needs_zones_and_an_image_name(tmp_path):
    root = make_campaign(tmp_path / "c", {"a.json": response({}, name="A", comune="019036")})
    assert _run("map", "--campaign", str(root), "--show", "divario", "-o", str(tmp_path / "d.svg"))[2].strip() == (
        "--zones: --show divario richiede le zone: --zones FILE.csv o zones: in campaign.yaml")
    assert _run("map", "--campaign", str(root), "--show", "rispondenti", "-o", str(tmp_path / "d.pdf"))[2].strip() == (
        f"{tmp_path / 'd.pdf'}: formato dell'immagine dal nome del file: attesi .svg o .png")


def test_bad_zones_in_campaign_yaml_stop_the_report(campaign, tmp_path):
    (campaign / "zone.csv").write_text("istat,zona\nCremona,Nord\n", encoding="utf-8")
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"))
    assert code == 1 and "zone.csv: riga 2: atteso il codice ISTAT, trovato il nome 'Cremona': usare 019036" in err
    assert not (tmp_path / "o").exists()
    (campaign / "campaign.yaml").write_text("name: Prova\nzones: altro.csv\n", encoding="utf-8")
    code, _, err = _run("report", "--campaign", str(campaign), "-o", str(tmp_path / "o"))
    assert code == 1 and "campaign.yaml: riga 2: zones: file 'altro.csv' non trovato" in err


def test_two_processes_write_the_same_bytes(tmp_path):
    """Another process, another hash seed: the same map, byte for byte."""
    campaign = ROOT / "reports" / "demo" / "campagna"
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"m{seed}.svg"
        subprocess.run([sys.executable, "-m", "crassess", "map", "--campaign", str(campaign), "--show", "divario", "--zones", str(EXAMPLE_ZONES), "-o", str(out)],
                       check=True, env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and b'<g id="comune-019036">' in outputs[0]
