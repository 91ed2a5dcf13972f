"""``crassess interview`` in a real terminal (a pseudo-terminal), ended by SIGTERM or SIGHUP."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from crassess.questionnaire.responses import load_response
from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals and POSIX signals")


class Terminal:
    """A process on a pseudo-terminal of 80x24: type into it, read what it printed (answering the cursor
    position requests a terminal answers: without them prompt_toolkit hides the lines under a list)."""

    def __init__(self, args: list[str], cwd: Path):
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": "xterm"}
        env.pop("CRASSESS_LANG", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "crassess", *args], stdin=slave, stdout=slave, stderr=slave,
                                     cwd=cwd, env=env, start_new_session=True)
        os.close(slave)
        self.master = master
        self.screen = b""

    def read_until(self, pattern: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.screen.decode("utf-8", "replace"))
            if re.search(pattern, text):
                return text
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                self.screen += chunk
                for _ in range(chunk.count(b"\x1b[6n")):  # prompt_toolkit asks where the cursor is, as terminals answer
                    os.write(self.master, b"\x1b[1;1R")
        raise AssertionError(f"{pattern!r} not seen in:\n{self.screen.decode('utf-8', 'replace')}")

    def type(self, text: str) -> None:
        os.write(self.master, text.encode("utf-8"))

    def finish(self, timeout: float = 20) -> int:
        code = self.proc.wait(timeout)
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    break
                chunk = os.read(self.master, 65536)
                if not chunk:
                    break
                self.screen += chunk
        except OSError:
            pass
        os.close(self.master)
        return code


def start(tmp_path: Path, *extra: str) -> tuple[Terminal, Path]:
    term = Terminal(["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), *extra], tmp_path)
    term.read_until("Name of the organisation" if "en" in extra else "Nome dell'organizzazione")
    term.type("Rossi srl\r")
    term.read_until("Comune")
    term.type("Cremona\r")
    term.read_until("(si può saltare)|(optional)")
    [draft] = (tmp_path / "c" / "responses").glob("rossi-srl-*.json")
    return term, draft


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_the_interview_like_ctrl_c(tmp_path, signum, code):
    term, draft = start(tmp_path, "--lang", "en")
    assert (draft.parent / f".{draft.name}.lock").exists()
    term.proc.send_signal(signum)
    assert term.finish() == code
    out = term.screen.decode("utf-8", "replace")
    plain = re.sub(r"\s+", " ", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out))
    assert f"To resume: crassess interview {EXAMPLE} --resume {draft} --lang en" in plain
    assert out.rfind("\x1b[?25h") > out.rfind("\x1b[?25l")  # the cursor is shown again
    assert load_response(draft).respondent.comune == "019036"
    assert not (draft.parent / f".{draft.name}.lock").exists()


@pytest.mark.timeout(60)
def test_in_a_list_a_typed_command_runs_and_an_unknown_one_picks_nothing(tmp_path):
    term, draft = start(tmp_path)
    term.type("\r" + "\x1b[B" * 2 + "\r" + "\r" + "\r")  # size skipped (empty), subsector: C, contact, interviewer
    term.read_until("Data dell'intervista")
    term.type("\r")
    term.read_until(r"\[fibra_disponibile\][\s\S]*Nota su questa domanda")
    term.type(":x\r")  # unknown: refused, nothing picked
    term.read_until("comando non disponibile qui")
    term.type(":i\r")  # back to the date
    term.read_until(r"Risposta ← Indietro")
    term.read_until(r"Data dell'intervista \(AAAA-MM-GG\)\s+Comandi: :i indietro\s+\? Risposta 2026")
    term.proc.send_signal(signal.SIGTERM)
    assert term.finish() == 143
    assert load_response(draft).answers == {}
