"""One interview session per draft: a lock file next to the draft says who has it open, since when.

``.<draft name>.lock`` (hidden, so that nothing reading ``responses/*.json`` sees it) holds the user,
host, process id, start time and a random token. A second session is refused with those details and
may take the draft over explicitly; the first session then finds another token in the lock before
its next save and stops instead of overwriting. A lock whose process no longer runs on this host is
stale (a killed session) and is replaced without asking.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from crassess.errors import CrassessError, Problem
from crassess.i18n import register, t
from crassess.safe_text import terminal_text
from crassess.sources import atomic_write_text

register({
    "lock.holder": {"it": "{user} su {host} (processo {pid}) dalle {since} UTC", "en": "{user} on {host} (process {pid}) since {since} UTC"},
    "lock.taken_over": {
        "it": "la bozza è stata presa in carico da {holder}: questa sessione si chiude e l'ultima risposta non è stata salvata",
        "en": "the draft was taken over by {holder}: this session stops and its last answer was not saved",
    },
})


@dataclass(frozen=True)
class LockInfo:
    """Who holds a draft: read from the lock file (text from the file, made safe to print)."""

    user: str
    host: str
    pid: int
    since: str
    token: str

    def describe(self, lang: str | None = None) -> str:
        since = self.since[:16].replace("T", " ")
        return t("lock.holder", lang, user=terminal_text(self.user, True), host=terminal_text(self.host, True),
                 pid=self.pid, since=terminal_text(since, True))


class Locked(CrassessError):
    """The draft is open in another live session."""

    def __init__(self, draft: Path, holder: LockInfo):
        self.draft, self.holder = draft, holder
        super().__init__(problems=[Problem(str(draft), "", holder.describe())])


class TakenOver(CrassessError):
    """Another session took this draft over: this one must not write it any more."""

    def __init__(self, draft: Path, holder: LockInfo | None):
        who = holder.describe() if holder else "?"
        super().__init__(problems=[Problem(str(draft), "", t("lock.taken_over", holder=who))])


def lock_path(draft: Path) -> Path:
    return draft.with_name(f".{draft.name}.lock")


def read_lock(draft: Path) -> LockInfo | None:
    """The lock of ``draft``, or ``None`` when there is none; an unreadable lock reads as held by "?"."""
    try:
        data = json.loads(lock_path(draft).read_text(encoding="utf-8"))
        return LockInfo(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]), str(data["token"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return LockInfo("?", "?", 0, "", "")


def process_alive(pid: int) -> bool:
    """Whether a process of this host runs with ``pid`` (unknown on Windows: assumed alive)."""
    if os.name != "posix":
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def is_stale(info: LockInfo) -> bool:
    """A lock left by a session that ended without releasing it (killed, power cut) on this host."""
    return info.host == socket.gethostname() and not process_alive(info.pid)


def live_holder(draft: Path) -> LockInfo | None:
    """The session that has ``draft`` open now, if any (stale locks do not count)."""
    info = read_lock(draft)
    return None if info is None or is_stale(info) else info


class DraftLock:
    """This session's lock on one draft."""

    def __init__(self, draft: Path, info: LockInfo, replaced: LockInfo | None = None):
        self.draft, self.info = draft, info
        self.replaced = replaced  # the stale or taken-over lock this one replaced

    @classmethod
    def acquire(cls, draft: Path, clock: Callable[[], datetime], take_over: bool = False) -> DraftLock:
        """Lock ``draft`` for this process; :class:`Locked` when a live session holds it (unless ``take_over``)."""
        info = LockInfo(
            user=_user(), host=socket.gethostname(), pid=os.getpid(),
            since=clock().astimezone(timezone.utc).replace(microsecond=0).isoformat(), token=uuid.uuid4().hex,
        )
        path = lock_path(draft)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(info), ensure_ascii=False)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            replaced = read_lock(draft)
            if replaced is not None and not take_over and not is_stale(replaced):
                raise Locked(draft, replaced) from None
            atomic_write_text(path, text)  # replaces a stale lock, or the other session's on take-over
        else:
            replaced = None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        lock = cls(draft, info, replaced)
        if not lock.owned():  # two sessions replaced the same stale lock at once: the other one won
            raise Locked(draft, read_lock(draft) or info)
        return lock

    def owned(self) -> bool:
        held = read_lock(self.draft)
        return held is not None and held.token == self.info.token

    def check(self) -> None:
        """:class:`TakenOver` when another session has replaced this lock (called before every save)."""
        if not self.owned():
            raise TakenOver(self.draft, read_lock(self.draft))

    def release(self) -> None:
        if self.owned():
            lock_path(self.draft).unlink(missing_ok=True)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor in the password database
        return str(os.getuid()) if hasattr(os, "getuid") else "?"
