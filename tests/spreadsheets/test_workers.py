"""Worker processes: a file that crashes its reader is refused, named, and the batch goes on; workers never
outlive the import (real processes, real signals)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crassess.spreadsheets import validate
from crassess.spreadsheets import workers as import_workers
from crassess.spreadsheets.batch import import_files
from tests.spreadsheet_fixtures import fill

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "esempio.yaml")
GOOD = {"wifi": "Sì"}

pytestmark = pytest.mark.skipif(multiprocessing.get_start_method() != "fork" or not sys.platform.startswith("linux"),
                                reason="the workers inherit the test's patches only when forked (Linux)")


def _hostile_extract(real):
    """extract_file that kills its process on some files, as a crash inside python-calamine would."""
    def extract(path, data, file):
        if "abort" in path.name:
            os.abort()                          # what calamine does when an allocation fails
        if "kill" in path.name:
            os.kill(os.getpid(), signal.SIGKILL)  # the system's out-of-memory killer
        if "memoria" in path.name:
            bytearray(3 * 2**30)                # beyond the worker's address-space limit: MemoryError
        return real(path, data, file)
    return extract


@pytest.mark.timeout(120)
@pytest.mark.parametrize("parallel", [False, True], ids=["one-worker", "two-workers"])
def test_a_crashing_file_is_refused_and_the_others_are_imported(tmp_path, esempio, monkeypatch, parallel):
    if parallel:
        monkeypatch.setattr(import_workers, "PARALLEL_MIN_FILES", 2)
        monkeypatch.setattr(import_workers, "CHUNK", 2)
    monkeypatch.setattr(validate, "extract_file", _hostile_extract(validate.extract_file))
    names = ["a", "abort", "b", "kill", "c", "memoria", "d", "e"]
    rids = [f"{i}1111111-2222-4333-8444-555555555555" for i in range(1, 9)]
    paths = [fill(tmp_path / f"{n}.xlsx", esempio, GOOD, rid=rid) for n, rid in zip(names, rids, strict=True)]
    seen = []
    summary = import_files(paths, tmp_path / "camp", [EXAMPLE], workers=2, on_file=seen.append)
    assert [o.file for o in seen] == [str(p) for p in paths]  # input order kept through the restarts
    assert dict(summary.counts) == {"imported": 5, "rejected": 3}
    assert dict(summary.reasons) == {"crashed": 2, "too_big": 1}
    by_name = {Path(o.file).stem: o for o in seen}
    assert str(by_name["abort"].problems[0]) == (
        f"{paths[1]}: la lettura del file ha interrotto il processo che lo leggeva (processo terminato: memoria esaurita o "
        "arresto anomalo): file rifiutato; se è un file valido, aprirlo e salvarlo di nuovo come .xlsx")
    assert by_name["kill"].reason == "crashed" and Path(by_name["kill"].written).parent == tmp_path / "camp" / "errors"
    assert str(by_name["memoria"].problems[0]) == f"{paths[5]}: il file richiede troppa memoria per essere letto"
    assert len(list((tmp_path / "camp" / "responses").glob("*.json"))) == 5


SLOW_IMPORT = """
    import os, sys, time
    from pathlib import Path
    from crassess.spreadsheets import validate
    real = validate.extract_file

    def slow(path, data, file):
        if "lento" in path.name:
            print("worker", os.getpid(), flush=True)
            time.sleep(600)
        return real(path, data, file)

    validate.extract_file = slow
    from crassess.spreadsheets.batch import import_files
    import_files([Path(sys.argv[1])], Path(sys.argv[2]), [sys.argv[3]])
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
    except (FileNotFoundError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie has exited; its new parent reaps it


@pytest.mark.timeout(60)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_workers_end_with_the_import(tmp_path, esempio, sig):
    inbox = tmp_path / "ritorni"
    inbox.mkdir()
    fill(inbox / "lento.xlsx", esempio, GOOD)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SLOW_IMPORT), str(inbox), str(tmp_path / "camp"), EXAMPLE],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line.startswith("worker "), parent.stderr.read() if parent.stderr else ""
    worker = int(line.split()[1])
    assert worker != parent.pid and not _gone(worker)
    parent.send_signal(sig)
    parent.wait(timeout=20)
    deadline = time.monotonic() + 10
    while not _gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(worker), f"worker {worker} outlived the import (signal {sig.name})"
