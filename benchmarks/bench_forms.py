"""Benchmark of `crassess import` on one KoboToolbox export of N submissions of the `impresa` form.

Usage:
    .venv/bin/python benchmarks/bench_forms.py             # 5,000 submissions
    .venv/bin/python benchmarks/bench_forms.py --n 1000

Writes the export as KoboToolbox does (``;``, every cell quoted, groups in the headers, 0/1 columns per
choice), then times the import as a separate process into a fresh campaign, and again (every row
unchanged), with the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crassess.demo import PLAN, build_responses  # noqa: E402
from crassess.forms.layout import form_layout  # noqa: E402
from crassess.forms.sample import kobo_csv  # noqa: E402
from crassess.questionnaire.load import load_questionnaire  # noqa: E402
from crassess.territory.comuni import load_territory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args()
    questionnaires = {sector: load_questionnaire(qid) for sector, (qid, *_) in PLAN.items()}
    pool = [r for _, r in build_responses(questionnaires, load_territory()) if r.questionnaire.id == "impresa" and r.status == "complete"]
    items = [pool[i % len(pool)].model_copy(update={"id": str(uuid.UUID(int=i + 1, version=4))}) for i in range(args.n)]
    layout = form_layout(questionnaires["impresa"], load_territory())
    work = Path(tempfile.mkdtemp(prefix="crassess-forms-"))
    try:
        export = work / "impresa_-_all_versions_-_XML_values.csv"
        export.write_bytes(kobo_csv(layout, items))
        print(f"export: {args.n} submissions, {len(layout.fields)} fields, {export.stat().st_size / 2**20:.1f} MB")
        command = [str(ROOT / ".venv" / "bin" / "crassess"), "import", str(export), "--campaign", str(work / "camp")]
        for label in ("first import", "again (unchanged)"):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            assert done.returncode == 0, done.stderr[-2000:]
            print(f"{label}: {elapsed:.2f} s ({elapsed / args.n * 1000:.2f} ms/submission)")
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of the import: {rss:.0f} MB; responses written: {len(list((work / 'camp' / 'responses').glob('*.json')))}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
