"""Time `crassess report` stages on a synthetic campaign of N respondents (default 600).

Usage: .venv/bin/python benchmarks/bench_reports.py [N] [--charts png|svg|none]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from crassess import demo
from crassess.campaign.scored import load_campaign
from crassess.questionnaire.load import load_questionnaire
from crassess.reports.build import (
    ReportOptions,
    analyse_campaign,
    build_reports,
    write_reports,
)
from crassess.territory.comuni import load_territory


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 600
    charts = sys.argv[sys.argv.index("--charts") + 1] if "--charts" in sys.argv else "none"
    scale = n / 60
    demo.PLAN = {s: (qid, round(count * scale), 0, base) for s, (qid, count, _, base) in demo.PLAN.items()}
    demo.PLAN["comune"] = (demo.PLAN["comune"][0], min(113, demo.PLAN["comune"][1]), 0, demo.PLAN["comune"][3])
    questionnaires = {s: load_questionnaire(qid) for s, (qid, *_) in demo.PLAN.items()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campagna"
        responses = demo.build_responses(questionnaires, load_territory())
        demo.write_campaign(folder, responses)
        options = ReportOptions(charts=charts)
        t0 = time.perf_counter()
        campaign = load_campaign(folder)
        t1 = time.perf_counter()
        ta = analyse_campaign(campaign, options)
        t2 = time.perf_counter()
        files = build_reports(ta, options)
        t3 = time.perf_counter()
        write_reports(files, Path(tmp) / "out")
        t4 = time.perf_counter()
    print(f"{len(campaign.responses)} respondents, charts={charts}: load+score {t1 - t0:.2f} s, "
          f"analyse {t2 - t1:.2f} s, render {t3 - t2:.2f} s, write {t4 - t3:.2f} s, total {t4 - t0:.2f} s, "
          f"{len(files)} files")


if __name__ == "__main__":
    main()
