"""The shipped map data (boundaries, population, example zones) and reading users' boundaries and zones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crassess.errors import InvalidInput
from crassess.territory.comuni import Comune, Territory, load_territory
from crassess.territory.geography import (
    EXAMPLE_ZONES,
    SHIPPED_BOUNDARIES,
    boundaries_for,
    load_boundaries,
    load_population,
    load_zones,
)
from tests.conftest import write_files

SMALL = Territory((Comune("019035", "Crema"), Comune("019036", "Cremona"), Comune("019037", "Cremosano")), "small.csv")
SQUARE = [[[9.9, 45.1], [10.0, 45.1], [10.0, 45.2], [9.9, 45.2], [9.9, 45.1]]]


def feature(properties: dict, coordinates: object = SQUARE, kind: str = "Polygon") -> dict:
    return {"type": "Feature", "properties": properties, "geometry": {"type": kind, "coordinates": coordinates}}


def geojson(tmp_path: Path, features: list, name: str = "c.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def messages(exc: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_shipped_boundaries_have_exactly_the_113_comuni_of_the_list():
    land = load_territory()
    boundaries = boundaries_for(land)
    assert boundaries is not None
    assert [(s.istat, s.nome) for s in boundaries.shapes] == [(c.istat, c.nome) for c in land.comuni]
    assert len(boundaries.shapes) == 113
    raw = json.loads(SHIPPED_BOUNDARIES.read_text(encoding="utf-8"))
    assert sorted(f["properties"]["istat"] for f in raw["features"]) == [c.istat for c in land.comuni]
    assert SHIPPED_BOUNDARIES.stat().st_size < 300_000
    assert boundaries.credit() == "Fonte: ISTAT, Openpolis (CC BY 4.0)"
    assert boundaries.credit("en") == "Source: ISTAT, Openpolis (CC BY 4.0)"
    assert boundaries.bounds() == (9.4544, 44.9372, 10.5969, 45.5045)
    rings = [ring for s in boundaries.shapes for poly in s.polygons for ring in poly]
    assert all(ring[0] == ring[-1] and len(ring) >= 4 for ring in rings)
    assert sum(len(ring) for ring in rings) == 5051  # positions, as SOURCE.md counts them (closing repeats included)
    assert [s.istat for s in boundaries.shapes if len(s.polygons) > 1] == ["019049", "019094"]  # Gombito, Sergnano


def test_shipped_population_and_example_zones():
    population = load_population()
    assert len(population) == 113 and set(population) == {c.istat for c in load_territory().comuni}
    assert sum(population.values()) == 351_169
    assert (population["019036"], population["019035"], population["019104"]) == (70_637, 33_786, 420)
    zones = load_zones(EXAMPLE_ZONES)
    assert zones.names == ("Cremonese", "Cremasco", "Casalasco")
    assert [len(zones.members(z)) for z in zones.names] == [42, 53, 18]
    assert (zones.zone_of["019035"], zones.zone_of["019036"], zones.zone_of["019021"]) == ("Cremasco", "Cremonese", "Casalasco")


def test_another_territory_without_boundaries_has_no_map(tmp_path):
    assert boundaries_for(SMALL) is None


def test_users_boundaries_with_other_code_properties(tmp_path):
    path = geojson(tmp_path, [
        feature({"PRO_COM_T": "019035", "COMUNE": "Crema"}),
        feature({"pro_com": 19036}, [SQUARE], "MultiPolygon"),
        feature({"istat": "19037"}),
        feature({"istat": "019999"}),  # outside the territory: ignored
    ])
    boundaries = load_boundaries(path, SMALL)
    assert [s.istat for s in boundaries.shapes] == ["019035", "019036", "019037"]
    assert boundaries.shapes[0].polygons == boundaries.shapes[1].polygons == ((tuple(tuple(p) for p in SQUARE[0]),),)
    assert boundaries.credit() == "Confini: c.geojson"
    assert boundaries_for(SMALL, path) == boundaries


def test_bad_boundaries_every_problem_located(tmp_path):
    path = geojson(tmp_path, [
        feature({"nome": "Crema"}),
        feature({"istat": "Crema"}),
        feature({"istat": "019035"}, [[[600000, 5000000], [600100, 5000000], [600100, 5000100], [600000, 5000000]]]),
        feature({"istat": "019035"}),
        feature({"istat": "019036"}, None, "Point"),
        {"type": "Nope"},
    ])
    with pytest.raises(InvalidInput) as exc:
        load_boundaries(path, SMALL)
    f = str(path)
    assert messages(exc) == [
        f"{f}: features[0]: nessuna proprietà con il codice ISTAT (attese: istat, pro_com_t, pro_com, com_istat_code, cod_istat, codice_istat, istat_code)",
        f"{f}: features[1]: 'Crema' non è un codice ISTAT (6 cifre)",
        f"{f}: features[2] (019035 Crema): coordinata (600000, 5000000) fuori da longitudine/latitudine: il GeoJSON deve essere in WGS84 (EPSG:4326, RFC 7946); riproiettare, es. ogr2ogr -t_srs EPSG:4326",
        f"{f}: features[3] (019035 Crema): codice ISTAT 019035 ripetuto (già in features[2])",
        f"{f}: features[4] (019036 Cremona): geometria 'Point' non ammessa: attesi Polygon o MultiPolygon",
        f"{f}: features[5]: atteso un oggetto Feature",
        f"{f}: comuni del territorio senza confini (1): Cremosano (019037)",
    ]


@pytest.mark.parametrize(("coordinates", "message"), [
    ([[[9.9, 45.1], [10.0, 45.1], [9.9, 45.1]]], "un anello ha 3 punti: ne servono almeno 4, il primo uguale all'ultimo"),
    ([[["a", 45.1]]], "coordinate non valide: attese liste di anelli di punti [lon, lat]"),
    ([], "coordinate non valide: attese liste di anelli di punti [lon, lat]"),
])
def test_bad_rings(tmp_path, coordinates, message):
    path = geojson(tmp_path, [feature({"istat": c}) for c in ("019035", "019036")] + [feature({"istat": "019037"}, coordinates)])
    with pytest.raises(InvalidInput) as exc:
        load_boundaries(path, SMALL)
    assert messages(exc) == [f"{path}: features[2] (019037 Cremosano): {message}"]


@pytest.mark.parametrize(("text", "message"), [
    ('{"type": "Feature"}', 'atteso un GeoJSON FeatureCollection ("type": "FeatureCollection" con "features")'),
    ("[" * 100_000 + "]" * 100_000, "JSON annidato troppo in profondità"),
    ('{"type": "FeatureCollection", "features": [', None),
])
def test_not_a_feature_collection(tmp_path, text, message):
    path = tmp_path / "x.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_boundaries(path, SMALL)
    if message:
        assert messages(exc) == [f"{path}: {message}"]
    else:
        assert messages(exc)[0].startswith(f"{path}: riga 1: errore di sintassi JSON")


def test_a_file_of_thousands_of_bad_features_is_summarised(tmp_path):
    path = geojson(tmp_path, [feature({"nome": "x"})] * 1000)
    with pytest.raises(InvalidInput) as exc:
        load_boundaries(path, SMALL)
    lines = messages(exc)
    assert len(lines) == 32 and lines[30] == f"{path}: ... e altri 970 problemi"
    assert lines[31].endswith("comuni del territorio senza confini (3): Crema (019035), Cremona (019036), Cremosano (019037)")


def test_zones_file(tmp_path):
    path = write_files(tmp_path, {"z.csv": """
        ISTAT;Zona
        19035;Cremasco
        019036; Cremonese

        019037;Cremasco
        """})["z.csv"]
    zones = load_zones(path, SMALL)
    assert dict(zones.zone_of) == {"019035": "Cremasco", "019036": "Cremonese", "019037": "Cremasco"}
    assert zones.names == ("Cremasco", "Cremonese") and zones.members("Cremasco") == ("019035", "019037")


def test_bad_zones_every_problem_with_its_line(tmp_path):
    path = write_files(tmp_path, {"z.csv": """
        istat,zona
        019035,Cremasco
        Cremona,Cremonese
        019999,Altro
        019035,Cremasco
        019037,
        019037,Cremasco,extra
        """})["z.csv"]
    with pytest.raises(InvalidInput) as exc:
        load_zones(path, SMALL)
    f = str(path)
    assert messages(exc) == [
        f"{f}: riga 3: atteso il codice ISTAT, trovato il nome 'Cremona': usare 019036",
        f"{f}: riga 4: codice ISTAT '019999' non è un comune del territorio (small.csv)",
        f"{f}: riga 5: comune 019035 ripetuto (già a riga 2)",
        f"{f}: riga 6: zona vuota per il comune 019037",
        f"{f}: riga 7: attese 2 celle, trovate 3",
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("codice,area\n019035,x\n", "riga 1: attese le colonne 'istat' e 'zona' (codice ISTAT e nome della zona)"),
    ("", "riga 1: attese le colonne 'istat' e 'zona' (codice ISTAT e nome della zona)"),
    ("istat,zona\n", "riga 2: nessuna riga: atteso almeno un comune con la sua zona"),
    ("istat,zona\n019035," + "x" * 41 + "\n", "riga 2: nome di zona di oltre 40 caratteri"),
])
def test_zones_header_and_empty(tmp_path, text, message):
    path = tmp_path / "z.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        load_zones(path, SMALL)
    assert messages(exc) == [f"{path}: {message}"]
