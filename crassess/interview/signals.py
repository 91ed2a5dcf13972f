"""SIGTERM and SIGHUP end an interview like Ctrl-C: the prompt is closed properly (terminal mode and
cursor restored), the draft is already saved and the command to resume it is printed.

The signal is turned into :class:`Terminated` (a ``KeyboardInterrupt``) at a safe point: inside a
prompt it asks the running prompt_toolkit application to exit, elsewhere it is raised at once, and
while a draft is being written it waits until the write is over (:func:`deferred`).
"""

from __future__ import annotations

import functools
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

HANDLED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
_received: list[int] = []


class Terminated(KeyboardInterrupt):
    """The interview was ended by a signal (exit code 128 + its number)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _handler(signum: int, frame: Any) -> None:
    from prompt_toolkit.application.current import get_app_or_none

    for sig in HANDLED:  # one is enough: a closing terminal sends SIGHUP again (the shell passes it on)
        signal.signal(sig, signal.SIG_IGN)
    _received.append(signum)

    app = get_app_or_none()
    loop = getattr(app, "loop", None)
    if app is not None and app.is_running and loop is not None and not app.future.done():
        # the prompt ends through its own exit path, which restores the terminal
        loop.call_soon_threadsafe(functools.partial(_exit, app, Terminated(signum)))
        return
    raise Terminated(signum)


def _exit(app: Any, exc: BaseException) -> None:
    if app.future is not None and not app.future.done():
        app.exit(exception=exc)


def received() -> int | None:
    """The signal that is ending the interview, if any: after SIGHUP the terminal is gone and writing to it
    fails (``OSError``), which then means :class:`Terminated` too."""
    return _received[-1] if _received else None


@contextmanager
def interrupting() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP interrupt the interview (previous handlers restored after)."""
    _received.clear()
    previous = {sig: signal.signal(sig, _handler) for sig in HANDLED}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def deferred() -> Iterator[None]:
    """Signals that would interrupt are held back while inside (a draft being written is never cut)."""
    held = (*HANDLED, signal.SIGINT)
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
