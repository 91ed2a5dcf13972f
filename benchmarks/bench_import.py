"""Benchmark of `crassess import`: N filled returned workbooks against the floor of reading their zip members.

Usage:
    .venv/bin/python benchmarks/bench_import.py            # 10,000 workbooks
    .venv/bin/python benchmarks/bench_import.py --n 1000   # fewer

Prints the import wall time, the floor (reading every zip member of the same files in Python), their
ratio (goal <= 3, stretch 2), the peak RSS of the import process tree (goal < 200 MB whatever N), and
the read speed of python-calamine against openpyxl on a sample of the same files.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crassess.i18n import pick, t  # noqa: E402
from crassess.questionnaire.load import load_questionnaire  # noqa: E402
from crassess.questionnaire.models import Respondent  # noqa: E402
from crassess.spreadsheets.layout import checksum, question_rows  # noqa: E402
from crassess.spreadsheets.template import build_template  # noqa: E402

QUESTIONNAIRE = ROOT / "examples" / "esempio.yaml"
VARIANTS = 25
SEED_ID = "00000000-0000-4000-8000-000000000000"


def _variant(qn, rng: random.Random) -> bytes:
    """One filled workbook (answers chosen at random), written by openpyxl as a respondent's program would."""
    import openpyxl

    buffer = io.BytesIO()
    person = Respondent(name=f"Impresa {rng.randint(1, 999)}", comune=rng.choice(["019036", "019035", "019001"]), size=rng.randint(1, 200))
    build_template(qn, "it", SEED_ID, person).save(buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    ws = wb["Domande"]
    cells = {}
    for row in question_rows(qn):
        q = row.question
        if row.kind == "choice":
            cells[row.id] = rng.choice([t("yes", "it"), t("no", "it")]) if row.choice != "nessuno" else t("no", "it")
        elif q.type == "select_one":
            cells[row.id] = rng.choice([pick(c.label, "it") for c in qn.choices_of(q)])
        elif q.type == "integer":
            cells[row.id] = rng.randint(0, 100)
        elif q.type == "decimal":
            cells[row.id] = round(rng.uniform(0, 100), 1)
        elif q.type == "text":
            cells[row.id] = "Nessuna nota"
    if cells.get("fibra_disponibile") != t("yes", "it"):
        del cells["fibra_sede"]  # a consistent respondent leaves the follow-up question empty
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value in cells:
            ws.cell(r, 4).value = cells[ws.cell(r, 1).value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _with_response_id(data: bytes, meta: dict[str, str], ids: tuple[list[str], list[str]], rid: str) -> bytes:
    """The same workbook with another response id (and its checksum) in the hidden metadata sheet."""
    new_meta = {**meta, "response_id": rid}
    new_sum = checksum(new_meta, *ids)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet5.xml":
                content = content.replace(SEED_ID.encode(), rid.encode()).replace(meta["checksum"].encode(), new_sum.encode())
            dst.writestr(info, content)
    return out.getvalue()


def generate(folder: Path, n: int) -> None:
    qn = load_questionnaire(QUESTIONNAIRE)
    rng = random.Random(20260301)
    variants = [_variant(qn, rng) for _ in range(VARIANTS)]
    meta = {"format": "crassess-workbook/1", "questionnaire": qn.id, "version": qn.version,
            "content_hash": qn.content_hash, "response_id": SEED_ID, "lang": "it"}
    ids = ([r.id for r in question_rows(qn)], ["name", "comune", "size", "subsector", "contact", "date"])
    meta["checksum"] = checksum(meta, *ids)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        (folder / f"risposta-{i:05d}.xlsx").write_bytes(_with_response_id(variants[i % VARIANTS], meta, ids, rid))


def floor(folder: Path) -> tuple[float, float]:
    """Wall and CPU seconds to read every member of every file, in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    for path in sorted(folder.iterdir()):
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                zf.read(name)
    return time.perf_counter() - start, time.process_time() - cpu


def compare_readers(folder: Path, sample: int) -> tuple[float, float, float]:
    """Seconds to read every sheet of ``sample`` files: calamine, openpyxl read-only, openpyxl normal."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    paths = sorted(folder.iterdir())[:sample]
    start = time.perf_counter()
    for path in paths:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    calamine = time.perf_counter() - start
    timings = []
    for read_only in (True, False):
        start = time.perf_counter()
        for path in paths:
            wb = openpyxl.load_workbook(path, read_only=read_only, data_only=True)
            for ws in wb.worksheets:
                for _ in ws.iter_rows(values_only=True):
                    pass
            wb.close()
        timings.append(time.perf_counter() - start)
    return calamine, timings[0], timings[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10_000, help="number of returned workbooks (default 10000)")
    parser.add_argument("--sample", type=int, default=300, help="files used to compare calamine and openpyxl")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="crassess-bench-"))
    inbox, campaign = work / "ritorni", work / "campagna"
    try:
        start = time.perf_counter()
        generate(inbox, args.n)
        size = sum(p.stat().st_size for p in inbox.iterdir())
        print(f"generated {args.n} workbooks ({size / 2**20:.1f} MB) in {time.perf_counter() - start:.1f} s")
        os.sync()  # returned files are already on disk: the import's final sync must not write them
        floor(inbox)  # warm the page cache so both timings read from memory
        base, base_cpu = floor(inbox)
        crassess = [str(Path(sys.executable).parent / "crassess")]
        start = time.perf_counter()
        proc = subprocess.run([*crassess, "import", str(inbox), "--campaign", str(campaign), "-q", str(QUESTIONNAIRE),
                               "--workers", str(args.workers)], capture_output=True, text=True)
        took = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
        imported = len(list((campaign / "responses").glob("*.json")))
        if proc.returncode != 0 or imported != args.n:
            print(proc.stdout[-2000:], proc.stderr[-2000:])
            raise SystemExit(f"import failed: exit {proc.returncode}, {imported} of {args.n} imported")
        print(f"floor (read every zip member): {base:.2f} s ({base / args.n * 1000:.2f} ms/file)")
        print(f"crassess import:               {took:.2f} s ({took / args.n * 1000:.2f} ms/file, {args.workers} workers)")
        print(f"ratio: {took / base:.2f} (goal <= 3, stretch 2)")
        print(f"CPU time: import {cpu:.2f} s (all processes), floor {base_cpu:.2f} s, ratio {cpu / base_cpu:.2f}; "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"peak RSS of the import (largest process): {peak:.0f} MB (goal < 200 MB)")
        sample = min(args.sample, args.n)
        calamine, op_ro, op_full = compare_readers(inbox, sample)
        print(f"reading all sheets of {sample} files: calamine {calamine:.2f} s, openpyxl read-only {op_ro:.2f} s "
              f"({op_ro / calamine:.1f}x), openpyxl normal {op_full:.2f} s ({op_full / calamine:.1f}x)")
    finally:
        if args.keep:
            print(f"files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
