"""Reading returned files in worker processes: a file that crashes its reader is refused, named, and the
others are still read; workers never outlive the process that started them.

Every file is read in a worker, never in the main process: calamine aborts the process (it does not raise)
when an allocation fails, and such an abort must cost one file, not the batch. When a worker dies (a crash,
``MemoryError`` beyond recovery, ``SIGKILL`` by the system), the pool breaks and every file in flight is read
again, one at a time in a fresh pool, so that only the file that breaks it again is refused ("crashed").
A worker limits the address space it may add (:data:`WORKER_MEMORY`) and exits as soon as its parent is gone.
"""

from __future__ import annotations

import ctypes
import faulthandler
import importlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from crassess.campaign.store import Record
from crassess.csvfile import CsvStyle
from crassess.errors import Problem
from crassess.i18n import register, set_language, t
from crassess.questionnaire.load import load_questionnaire
from crassess.spreadsheets.container import Rejected, reject
from crassess.spreadsheets.extract import CellProblem
from crassess.spreadsheets.report import errors_report
from crassess.spreadsheets.validate import FileResult, Questionnaires, read_returned

register({
    "imp.crashed": {
        "it": "la lettura del file ha interrotto il processo che lo leggeva ({detail}): file rifiutato; se è un file valido, aprirlo e salvarlo di nuovo come .xlsx",
        "en": "reading the file stopped the process reading it ({detail}): file refused; if it is a valid file, open it and save it again as .xlsx",
    },
    "imp.crashed.died": {"it": "processo terminato: memoria esaurita o arresto anomalo", "en": "process ended: out of memory or crashed"},
})

PARALLEL_MIN_FILES = 40
CHUNK = 16
WINDOW = 4  # chunks in flight per worker: bounds memory whatever the number of files
WORKER_MEMORY = 2 * 2**30  # address space a worker may add: an allocation beyond fails in the worker, not the machine
_WATCH_SECONDS = 0.5

_WORKER: dict[str, Any] = {}
T = TypeVar("T")


@dataclass(frozen=True)
class Prepared:
    """A file read, validated and serialised in a worker: the main process only decides and writes.

    ``record`` is the response to store; a rejected file has none, and ``report`` is its errors report.
    """

    file: str
    sha256: str
    reason: str | None
    record: Record | None
    report: bytes
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


@dataclass(frozen=True)
class ImportSetup:
    """What every worker needs, picklable: questionnaire files, campaign territory, language, import time."""

    explicit: tuple[str, ...]
    local: tuple[str, ...]
    territory: str | None
    lang: str
    stamp: str
    sep: str | None = None  # --sep of the errors reports (default by language)

    @property
    def style(self) -> CsvStyle:
        return CsvStyle.for_language(self.lang, self.sep)

    def questionnaires(self) -> Questionnaires:
        return Questionnaires([load_questionnaire(s) for s in self.explicit], [load_questionnaire(s) for s in self.local])


def _die_with_parent(parent: int) -> None:
    """Exit when the parent process is gone (killed, even with SIGKILL): Linux tells at once, else a watch."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(_WATCH_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="crassess-parent-watch", daemon=True).start()


def _address_space() -> int:
    """The address space the process uses now (Linux), else 0."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _limit_memory() -> None:
    """At most :data:`WORKER_MEMORY` more address space than the worker starts with (a forked worker shares
    what its parent had mapped, e.g. the libraries of the reports), so an allocation beyond fails here."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + WORKER_MEMORY
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass  # not on this platform: the bounds checked before reading still hold


def _load(setup: ImportSetup) -> None:
    """The questionnaires and settings of the workers; loaded once in the main process, so that workers
    started by ``fork`` find them ready (and the libraries imported)."""
    if _WORKER.get("setup") == setup:
        return
    importlib.import_module("python_calamine")  # imported once, before the workers start

    source = setup.questionnaires()
    territory = Path(setup.territory) if setup.territory else None
    _WORKER.update(setup=setup, source=source, lang=setup.lang, stamp=setup.stamp, territory=territory, style=setup.style)


def _quiet() -> None:
    """A reader that aborts (calamine prints "memory allocation of N bytes failed") must not write over the
    progress bar: the file's outcome says what happened. ``CRASSESS_DEBUG=1`` keeps the workers' stderr."""
    if os.environ.get("CRASSESS_DEBUG"):
        return
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def init_worker(setup: ImportSetup, parent: int) -> None:
    _die_with_parent(parent)
    _quiet()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _limit_memory()
    set_language(setup.lang)
    _load(setup)


def prepare(result: FileResult, lang: str, stamp: str, style: CsvStyle | None = None) -> Prepared:
    """The response record (with its import time) or the errors report of one file, ready to write."""
    warnings = tuple(w.problem(result.file) for w in result.warnings)
    if result.response is None:
        problems = tuple(p.problem(result.file) for p in result.problems)
        report = errors_report(result.file, result.problems, lang, style) if result.reason != "not_found" else b""
        return Prepared(result.file, result.sha256, result.reason, None, report, problems, warnings)
    response = result.response
    response["provenance"]["imported_at"] = stamp
    return Prepared(result.file, result.sha256, None, Record.of(response), b"", (), warnings)


def read_chunk(paths: list[str]) -> list[Prepared]:
    source, lang, stamp, territory = _WORKER["source"], _WORKER["lang"], _WORKER["stamp"], _WORKER["territory"]
    return [prepare(read_returned(Path(p), source, lang, territory), lang, stamp, _WORKER["style"]) for p in paths]


def crashed(file: str, detail: str, lang: str, style: CsvStyle | None = None) -> Prepared:
    """The outcome of a file whose reading killed its worker twice."""
    problem = CellProblem("crashed", "", "", "", t("imp.crashed", lang, detail=detail))
    return Prepared(file, "", "crashed", None, errors_report(file, [problem], lang, style), (problem.problem(file),), ())


def _chunks(paths: Iterable[Path], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for path in paths:
        chunk.append(str(path))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Pool:
    """A process pool that can be replaced when a worker dies."""

    def __init__(self, setup: ImportSetup, workers: int):
        self.setup, self.workers = setup, workers
        self.executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=init_worker, initargs=(self.setup, os.getpid()))

    def submit(self, chunk: list[str]) -> Future[list[Prepared]]:
        return self.executor.submit(read_chunk, chunk)

    def renew(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new()

    def close(self, abort: bool = False) -> None:
        """Shut the pool down; ``abort`` (an interrupted import) ends the workers at once instead of waiting."""
        if abort:
            for process in list(getattr(self.executor, "_processes", {}).values()):
                process.terminate()
        self.executor.shutdown(wait=not abort, cancel_futures=True)


def _isolated(pool: _Pool, files: list[str], lang: str) -> Iterator[Prepared]:
    """Each file alone in the pool: the one that breaks it again is refused; the pool is renewed after it."""
    for file in files:
        try:
            yield from pool.submit([file]).result()
        except BrokenProcessPool:
            yield crashed(file, t("imp.crashed.died", lang), lang, pool.setup.style)
            pool.renew()
        except Exception as exc:  # a bug met by this file alone: still one file, not the batch
            yield crashed(file, f"{type(exc).__name__}: {str(exc)[:120]}", lang, pool.setup.style)


def read_all(paths: Sequence[Path], setup: ImportSetup, workers: int) -> Iterator[Prepared]:
    """Read, validate and serialise every file in worker processes (``workers`` of them when the files are
    many), results in input order with at most a few chunks in flight (constant memory)."""
    count = workers if len(paths) >= PARALLEL_MIN_FILES else 1
    _load(setup)
    pool = _Pool(setup, max(1, count))
    window = WINDOW * max(1, count)
    pending: deque[tuple[list[str], Future[list[Prepared]]]] = deque()
    finished = False
    try:
        chunks = _chunks(paths, CHUNK if count > 1 else 1)
        while True:
            while len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append((chunk, pool.submit(chunk)))
            if not pending:
                finished = True
                return
            chunk, future = pending.popleft()
            try:
                yield from future.result()
            except Exception:  # BrokenProcessPool (a worker died), or a bug in one of the files in flight
                lost = chunk + [f for c, _ in pending for f in c]
                pending.clear()
                pool.renew()
                yield from _isolated(pool, lost, setup.lang)
    finally:
        pool.close(abort=not finished)



def _call(read: Callable[..., T], args: tuple[Any, ...]) -> tuple[T | None, tuple[str, tuple[Problem, ...]] | None]:
    """In the worker: the value, or the refusal as plain data (a :class:`Rejected` does not pickle)."""
    try:
        return read(*args), None
    except Rejected as exc:
        return None, (exc.reason, tuple(exc.problems))


class Isolated:
    """Reads one file at a time in a worker process with the same limits as :func:`read_all` (memory, parent
    watch, no stderr): a file that kills its worker or fails unexpectedly is refused ("crashed"), named, and
    the next file gets a fresh worker. ``read`` must be a module-level function (it is pickled)."""

    def __init__(self, setup: ImportSetup):
        self.setup = setup
        self.pool: _Pool | None = None

    def __enter__(self) -> Isolated:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if self.pool is not None:
            self.pool.close(abort=kind is not None)
            self.pool = None

    def read(self, file: str, read: Callable[..., T], *args: Any) -> T:
        """``read(*args)`` in the worker; :class:`Rejected` when it refuses the file or the worker dies."""
        if self.pool is None:
            _load(self.setup)
            self.pool = _Pool(self.setup, 1)
        try:
            value, refused = self.pool.executor.submit(_call, read, args).result()
        except BrokenProcessPool:
            self.pool.renew()
            raise reject("crashed", file, t("imp.crashed", detail=t("imp.crashed.died"))) from None
        except Exception as exc:  # MemoryError under the worker's limit, or a bug met by this file alone
            self.pool.renew()
            raise reject("crashed", file, t("imp.crashed", detail=f"{type(exc).__name__}: {str(exc)[:120]}")) from None
        if refused is not None:
            raise Rejected(*refused)
        return value  # type: ignore[return-value]
