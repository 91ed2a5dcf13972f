"""Time the maps: one map drawn (SVG and PNG) from data in memory, and the whole `crassess map` command.

Usage: .venv/bin/python benchmarks/bench_maps.py [--runs 5]

Uses the committed demo campaign (reports/demo/campagna) and the shipped example zones. Prints the median
of the runs and the load average (the development machine is shared: figures vary with it).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CAMPAIGN = ROOT / "reports" / "demo" / "campagna"


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _cpu(fn, runs: int) -> float:
    """Median CPU time (user + system) of this process: less dependent on the other jobs of the machine."""
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def _child_cpu(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    t0 = time.perf_counter()
    from crassess.campaign.scored import load_campaign
    from crassess.reports.build import ReportOptions, analyse_campaign
    from crassess.reports.map_layers import fibre_layer, gap_layer, respondents_layer, score_layer
    from crassess.reports.mapset import draw, map_context
    from crassess.territory.geography import EXAMPLE_ZONES, load_zones
    from crassess.territory.indicators import load_indicators

    campaign = load_campaign(CAMPAIGN)
    ta = analyse_campaign(campaign, ReportOptions())
    ctx = map_context(CAMPAIGN, campaign.territory)
    zones = load_zones(EXAMPLE_ZONES, campaign.territory)
    table = load_indicators(CAMPAIGN / "indicatori-sintetici.csv", campaign.territory)
    t1 = time.perf_counter()
    first = _median(lambda: draw(respondents_layer(ta, "it"), ctx, "svg", "it"), 1)  # imports matplotlib, projects
    print(f"load and score the demo campaign: {t1 - t0:.2f} s; first map (matplotlib import, projection): {first:.2f} s")
    layers = {
        "fibra (113 comuni)": lambda: fibre_layer(table, campaign.territory, "it"),
        "rispondenti": lambda: respondents_layer(ta, "it"),
        "punteggio (3 zone)": lambda: score_layer(ta, zones, "impresa", "it"),
        "divario (3 zone)": lambda: gap_layer(ta, zones, "it"),
    }
    for name, make in layers.items():
        layer = make()
        svg = _median(lambda: draw(layer, ctx, "svg", "it"), runs)
        png = _median(lambda: draw(layer, ctx, "png", "it"), runs)
        cpu_svg = _cpu(lambda: draw(layer, ctx, "svg", "it"), runs)
        cpu_png = _cpu(lambda: draw(layer, ctx, "png", "it"), runs)
        size = len(draw(layer, ctx, "svg", "it"))
        print(f"{name:22s} figures {_median(make, runs) * 1000:5.1f} ms, SVG {svg:.3f} s (CPU {cpu_svg:.3f} s, "
              f"{size // 1024} KB), PNG {png:.3f} s (CPU {cpu_png:.3f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "fibra": ["--show", "fibra", "--indicators", str(CAMPAIGN / "indicatori-sintetici.csv")],
            "divario": ["--show", "divario", "--zones", str(EXAMPLE_ZONES)],
        }
        for name, args in commands.items():
            out = str(Path(tmp) / "m.svg")
            cmd = [sys.executable, "-m", "crassess", "map", "--campaign", str(CAMPAIGN), *args, "-o", out]
            wall = _median(lambda: subprocess.run(cmd, check=True, capture_output=True), max(3, runs // 2))
            cpu = _child_cpu(cmd, max(3, runs // 2))
            print(f"crassess map --show {name:8s} whole command (new process): {wall:.2f} s (CPU {cpu:.2f} s)")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
