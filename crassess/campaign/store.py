"""Storing responses in a campaign: one home for every writer (import, interview, online forms).

- **Lock.** Writers of one campaign are serialised by an OS lock on ``CAMPAIGN/.crassess.lock``
  (``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows). The operating system releases it when its
  holder ends, however it ends (a crash, ``kill -9``, a power cut), so a lock is never left stale. A second
  writer waits for it at most ``timeout`` seconds (default 30, or ``CRASSESS_LOCK_TIMEOUT``), then gives up
  with :class:`CampaignBusy`, which names the holder (command, process, host, since when). Writers hold the
  lock only while writing (milliseconds), never while reading a file or waiting for a person.
- **Paths.** A response is stored at ``responses/<name>-<full id>.json``: the path comes from the full
  response id (an id that is not a canonical uuid gives the first 32 hex digits of its sha256), so two
  responses never share a path; a file keeps its path once written.
- **Same id, other content.** :meth:`ResponseStore.add` (returned files, online forms) never replaces a
  response: the same id with the same answers, notes and respondent is *unchanged*; with other content it
  is a *conflict*, and the new version goes to ``conflicts/<name>-<id>-<digest8>.json``. The check and the
  write happen under the lock, against what is on disk at that moment, so it holds under concurrency.
  :meth:`ResponseStore.save` (the interview's own draft) replaces the file that holds its id.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from crassess.errors import CrassessError, Problem
from crassess.i18n import register, t
from crassess.safe_text import safe_filename
from crassess.sources import atomic_write_bytes, dump_json

register({
    "store.busy": {
        "it": "la campagna è in uso da {holder}; attesi {timeout} s: riprovare quando ha finito",
        "en": "the campaign is in use by {holder}; waited {timeout} s: try again when it has finished",
    },
    "store.holder": {"it": "'{what}' (processo {pid} su {host}, dalle {since})", "en": "'{what}' (process {pid} on {host}, since {since})"},
    "store.holder_unknown": {"it": "un altro processo", "en": "another process"},
    "store.unwritable": {"it": "impossibile scrivere nella campagna: {error}", "en": "cannot write into the campaign: {error}"},
})

RESPONSES_DIR = "responses"
CONFLICTS_DIR = "conflicts"
LOCK_FILE = ".crassess.lock"
DEFAULT_TIMEOUT = 30.0
_POLL = 0.02
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_CANONICAL = re.compile(_UUID)
_NAMED = re.compile(rf"-({_UUID}|x[0-9a-f]{{32}})(?:-[0-9a-f]{{8}})?\.json")


class CampaignBusy(CrassessError):
    """Another writer held the campaign's lock for longer than the timeout (exit 1)."""


class CampaignUnwritable(CrassessError):
    """The campaign folder (or a file in it) cannot be written; ``path`` and ``error`` say where and why."""

    def __init__(self, path: Path, error: str):
        self.path, self.error = path, error
        super().__init__(problems=[Problem(str(path), "", t("store.unwritable", error=error))])


# ------------------------------------------------------------------ the lock


@dataclass
class LockState:
    """What the lock file says while held: the generation counts the writes of every writer so far."""

    generation: int
    changed: bool = False


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return timeout
    try:
        return float(os.environ.get("CRASSESS_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_info(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_info(fd: int, info: Mapping[str, Any]) -> None:
    data = json.dumps(info, ensure_ascii=False).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data.ljust(512))  # padded: a waiter reading it never sees the tail of a longer, older text
    os.ftruncate(fd, max(512, len(data)))


def _holder(info: Mapping[str, Any]) -> str:
    if not info.get("pid"):
        return t("store.holder_unknown")
    return t("store.holder", what=info.get("what", "crassess"), pid=info["pid"], host=info.get("host", "?"), since=info.get("since", "?"))


@contextmanager
def campaign_lock(campaign: Path, what: str = "crassess", timeout: float | None = None) -> Iterator[LockState]:
    """Hold the campaign's writer lock; wait at most ``timeout`` seconds, then :class:`CampaignBusy`.

    ``what`` says who holds it (e.g. ``"crassess import"``), for the message another writer gets. Set
    ``state.changed`` when something was written, so that other writers know their view is stale.
    """
    wait = _timeout(timeout)
    path = campaign / LOCK_FILE
    try:
        campaign.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise CampaignUnwritable(path, exc.strerror or str(exc)) from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                message = t("store.busy", holder=_holder(_read_info(fd)), timeout=f"{wait:g}")
                raise CampaignBusy(problems=[Problem(str(campaign), "", message)])
            time.sleep(_POLL)
        try:
            generation = int(_read_info(fd).get("generation", 0))
        except (TypeError, ValueError):
            generation = 0
        state = LockState(generation)
        since = datetime.now(timezone.utc).astimezone().replace(microsecond=0).isoformat()
        _write_info(fd, {"generation": generation, "what": what, "pid": os.getpid(), "host": socket.gethostname(), "since": since})
        try:
            yield state
        finally:
            _write_info(fd, {"generation": state.generation + (1 if state.changed else 0)})
            _unlock(fd)
    finally:
        os.close(fd)


# ------------------------------------------------------------------ where a response lives


def response_key(response_id: str) -> str:
    """The part of a file name that stands for the full response id: the id itself when it is a canonical
    uuid, else ``x`` + 32 hex digits of its sha256 (never a prefix: two ids never share a key)."""
    if _CANONICAL.fullmatch(response_id):
        return response_id
    return "x" + hashlib.sha256(response_id.encode("utf-8")).hexdigest()[:32]


def response_name(response: Mapping[str, Any]) -> str:
    """``<name>-<key>``: the respondent's name made safe (ASCII letters, digits, dashes) and the id's key."""
    respondent = response.get("respondent") or {}
    name = respondent.get("name") if isinstance(respondent, Mapping) else None
    return f"{safe_filename(str(name or ''), 'risposta', 40)}-{response_key(str(response['id']))}"


def response_digest(response: Mapping[str, Any]) -> str:
    """What makes two versions of a response "the same": answers, notes and respondent (not status or provenance)."""
    key = {k: response.get(k) or {} for k in ("answers", "notes", "respondent")}
    return hashlib.sha256(json.dumps(key, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Record:
    """A response ready to store: its id, file name (without ``.json``), content digest and JSON bytes.

    Picklable, so that worker processes can prepare records and the writer only decides and writes.
    """

    id: str
    name: str
    digest: str
    data: bytes

    @classmethod
    def of(cls, response: Mapping[str, Any]) -> Record:
        """The record of a JSON-ready response (a dict with an ``id``), serialised as every response file is."""
        return cls(str(response["id"]), response_name(response), response_digest(response), dump_json(response).encode("utf-8"))


@dataclass(frozen=True)
class Stored:
    """What :meth:`ResponseStore.add` did: ``written`` (at ``path``), ``unchanged`` (already at ``path``) or
    ``conflict`` (``path`` holds another version, left untouched; the new one is at ``copy``)."""

    outcome: Literal["written", "unchanged", "conflict"]
    path: Path
    copy: Path | None = None


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


class ResponseStore:
    """The responses of one campaign by id (``responses/*.json``); every write under the campaign lock.

    The index of ids comes from the file names (``<name>-<full id>.json``), so it costs a directory listing,
    not a read per file; files named otherwise (older versions, copied by hand) are read once.
    """

    def __init__(self, campaign: Path, what: str = "crassess", timeout: float | None = None):
        self.campaign = Path(campaign)
        self.responses = self.campaign / RESPONSES_DIR
        self.what, self.timeout = what, timeout
        self._index: dict[str, Path] = {}
        self._read: dict[str, tuple[int, int, str | None]] = {}  # name -> (mtime_ns, size, id) of files read
        self._generation: int | None = None
        self._state: LockState | None = None
        self.written = 0

    @contextmanager
    def locked(self) -> Iterator[ResponseStore]:
        """Hold the lock across several writes (re-entrant); the index is refreshed if others wrote."""
        if self._state is not None:
            yield self
            return
        with campaign_lock(self.campaign, self.what, self.timeout) as state:
            if state.generation != self._generation:
                self._refresh()
            self._state = state
            try:
                yield self
            finally:
                self._state = None
                self._generation = state.generation + (1 if state.changed else 0)

    def find(self, response_id: str) -> Path | None:
        """The file in ``responses/`` that holds ``response_id`` (as of the last refresh under the lock)."""
        if self._generation is None:
            self._refresh()
        return self._index.get(response_key(response_id))

    def add(self, record: Record) -> Stored:
        """Store a returned response unless its id is already there: unchanged, or a conflict (never replaced)."""
        with self.locked():
            existing = self._holding(record.id)
            if existing is not None:
                if response_digest(existing[1]) == record.digest:
                    return Stored("unchanged", existing[0])
                copy = self.campaign / CONFLICTS_DIR / f"{record.name}-{record.digest[:8]}.json"
                self._write(copy, record.data, durable=False)
                return Stored("conflict", existing[0], copy)
            path = self.responses / f"{record.name}.json"
            if path.exists():  # a file renamed by hand to this name holds another id: never overwrite it
                path = path.with_name(f"{record.name}-{record.digest[:8]}.json")
            self._write(path, record.data, durable=False)
            self._index[response_key(record.id)] = path
            return Stored("written", path)

    def save(self, record: Record, path: Path | None = None) -> Path:
        """Write the interview's own response: at ``path``, else over the file holding its id, else at a new path."""
        with self.locked():
            target = path or self.find(record.id) or self.responses / f"{record.name}.json"
            self._write(target, record.data, durable=True)
            if target.parent == self.responses:
                self._index.setdefault(response_key(record.id), target)
            return target

    def write_file(self, path: Path, data: bytes) -> None:
        """Any other file of the campaign (an errors report), written atomically under the lock."""
        with self.locked():
            self._write(path, data, durable=False)

    def sync(self) -> None:
        """One sync for a batch of :meth:`add` (each write is an atomic rename, without its own fsync)."""
        if self.written and hasattr(os, "sync"):
            os.sync()

    # ---- internals
    def _write(self, path: Path, data: bytes, durable: bool) -> None:
        assert self._state is not None, "write only under the lock"
        try:
            atomic_write_bytes(path, data, durable=durable)
        except OSError as exc:
            raise CampaignUnwritable(path, exc.strerror or str(exc)) from None
        self._state.changed = True
        self.written += 1

    def _holding(self, response_id: str) -> tuple[Path, dict[str, Any]] | None:
        """The file holding ``response_id`` and its content, checked: a file whose name lies is re-indexed."""
        path = self.find(response_id)
        if path is None:
            return None
        data = _read_json(path)
        if data is not None and data.get("id") == response_id:
            return path, data
        self._refresh(force={path.name})
        path = self._index.get(response_key(response_id))
        data = _read_json(path) if path else None
        return (path, data) if path and data is not None and data.get("id") == response_id else None

    def _refresh(self, force: frozenset[str] | set[str] = frozenset()) -> None:
        """Rebuild the index from the listing of ``responses/`` (sorted: the first file of an id wins)."""
        index: dict[str, Path] = {}
        try:
            entries = sorted((e.name, e) for e in os.scandir(self.responses) if e.name.endswith(".json") and not e.name.startswith("."))
        except OSError:
            entries = []
        for name, entry in entries:
            match = _NAMED.search(name)
            if match and name not in force:
                index.setdefault(match.group(1), Path(entry.path))
                continue
            rid = self._id_of(Path(entry.path), entry, name in force)
            if rid is not None:
                index.setdefault(response_key(rid), Path(entry.path))
        self._index = index
        if self._state is not None:
            self._generation = self._state.generation

    def _id_of(self, path: Path, entry: os.DirEntry[str], reread: bool) -> str | None:
        try:
            stat = entry.stat()
        except OSError:
            return None
        known = self._read.get(path.name)
        if known and not reread and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        data = _read_json(path)
        rid = data.get("id") if data and isinstance(data.get("id"), str) else None
        self._read[path.name] = (stat.st_mtime_ns, stat.st_size, rid)
        return rid


def campaign_of(response_file: Path) -> Path:
    """The campaign folder of a response file: the parent of ``responses/``, else the file's folder."""
    parent = Path(response_file).parent
    return parent.parent if parent.name == RESPONSES_DIR else parent
