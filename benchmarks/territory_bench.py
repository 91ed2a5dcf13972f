"""Timing of status, export and compare on two generated waves (not a test: run by hand).

Usage: .venv/bin/python benchmarks/territory_bench.py [N]   (default 1000 respondents per wave)
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

from crassess.campaign.data import load_campaign_data
from crassess.campaign.export import export_campaign
from crassess.campaign.status import campaign_status
from crassess.campaign.waves import compare_waves
from crassess.questionnaire.load import load_questionnaire
from crassess.reports.wave_figures import wave_figures
from crassess.reports.wave_files import comparison_files
from crassess.territory.comuni import load_territory


def answer(qn, q, rng):
    if q.type in ("select_one", "select_multiple"):
        values = [c.value for c in qn.choices_of(q) if not c.exclusive]
        return rng.choice(values) if q.type == "select_one" else rng.sample(values, rng.randint(1, len(values)))
    if q.type in ("integer", "decimal"):
        s = q.scoring
        if s is None:
            return None
        lo, hi = (s.bands[0][0], s.bands[-1][0]) if s.bands else sorted((s.min, s.max))
        return int(rng.uniform(lo, hi))
    return None


def wave(root: Path, label: str, people: range, seed: int, second: bool = False) -> Path:
    """One wave: new response ids in each; respondents with a stable code, except one in 20, whose name gets a legal
    form in the second wave (so near misses are proposed)."""
    qn = load_questionnaire("impresa")
    comuni = load_territory().comuni
    rng = random.Random(seed)
    (root / "responses").mkdir(parents=True)
    (root / "campaign.yaml").write_text(f"name: Bench\nwave: {label}\n", encoding="utf-8")
    for i in people:
        answers = {q.id: a for q in qn.questions if (a := answer(qn, q, rng)) is not None}
        coded = i % 20 != 0
        name = f"Impresa {i}" + (" S.r.l." if second and not coded else "")
        respondent = {"name": name, "comune": comuni[i % len(comuni)].istat, **({"id": f"CR-{i}"} if coded else {})}
        data = {"id": f"{label}-{i}", "questionnaire": {"id": qn.id, "version": qn.version},
                "respondent": respondent, "answers": answers, "status": "complete"}
        (root / "responses" / f"r{i}.json").write_text(json.dumps(data), encoding="utf-8")
    return root


def timed(label: str, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        # 10% leave and 10% enter between the waves
        a = wave(Path(tmp) / "a", "2026-T0", range(n), 1)
        b = wave(Path(tmp) / "b", "2027-T1", range(n // 10, n + n // 10), 2, second=True)
        data_a = timed(f"load + validate + score {n} responses", lambda: load_campaign_data(a))
        if data_a.problems:
            print("\n".join(str(p) for p in data_a.problems[:5]))
        data_b = load_campaign_data(b)
        timed("status", lambda: campaign_status(data_a))
        timed("export csv (long)", lambda: export_campaign(data_a, "csv"))
        timed("export xlsx (long)", lambda: export_campaign(data_a, "xlsx"))
        timed("export xlsx (wide)", lambda: export_campaign(data_a, "xlsx", wide=True))
        cmp = timed("compare (match, near misses, changes)", lambda: compare_waves(data_a, data_b))
        print(f"  matched {cmp.matched_by}, suggested {len(cmp.suggestions)}")
        fig = timed("compare figures (intervals, disclosure control)", lambda: wave_figures(cmp))
        timed("compare files without respondent files", lambda: comparison_files(fig, "it", respondent_files=False))
        timed("compare files (Markdown + Excel, one per respondent)", lambda: comparison_files(fig, "it"))


if __name__ == "__main__":
    main()
