"""One session per draft, with real processes: who holds it, stale locks, taking over."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from crassess.errors import CrassessError
from crassess.interview.dialog import Interrupted
from crassess.interview.drafts import DraftStore
from crassess.interview.locks import (
    DraftLock,
    Locked,
    TakenOver,
    live_holder,
    lock_path,
    read_lock,
)
from crassess.interview.resume import open_draft
from crassess.questionnaire.models import QuestionnaireRef, Respondent, Response
from tests.interview.scripted import Script

ROOT = Path(__file__).resolve().parents[2]


def clock() -> datetime:
    return datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)


def response(name: str, answers: dict | None = None) -> Response:
    return Response(id="6f1c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01", questionnaire=QuestionnaireRef(id="esempio", version="1.0.0"),
                    respondent=Respondent(name=name), answers=answers or {}, status="draft")


HOLDER = """
import sys
from datetime import datetime, timezone
from pathlib import Path
from crassess.interview.drafts import DraftStore
from crassess.questionnaire.models import QuestionnaireRef, Respondent, Response

store = DraftStore(path=Path(sys.argv[1]))
response = Response(id="6f1c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01", questionnaire=QuestionnaireRef(id="esempio", version="1.0.0"),
                    respondent=Respondent(name="first"), answers={"velocita": 1}, status="draft")
store.save(response)
print("saved", flush=True)
for line in sys.stdin:  # one more save per line read
    try:
        store.save(response.model_copy(update={"answers": {"velocita": int(line)}}))
        print("saved", flush=True)
    except Exception as exc:
        print(type(exc).__name__, exc, flush=True)
"""


@pytest.fixture()
def holder(tmp_path):
    """A second interview process holding ``draft.json`` (it saved once); writes one more save per line sent."""
    draft = tmp_path / "responses" / "draft.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLDER), str(draft)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout.readline().strip() == "saved"
    yield proc, draft
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def test_a_second_session_is_told_who_has_the_draft_since_when(holder):
    proc, draft = holder
    with pytest.raises(Locked) as caught:
        DraftLock.acquire(draft, clock)
    info = caught.value.holder
    assert (info.pid, info.host) == (proc.pid, socket.gethostname())
    assert info.describe("it") == f"{info.user} su {info.host} (processo {proc.pid}) dalle {info.since[:16].replace('T', ' ')} UTC"
    assert live_holder(draft) == info
    assert lock_path(draft).name == ".draft.json.lock"  # hidden: nothing reading responses/*.json sees it


def test_a_killed_session_leaves_a_stale_lock_that_the_next_one_replaces(holder):
    proc, draft = holder
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert read_lock(draft).pid == proc.pid  # left behind
    assert live_holder(draft) is None
    lock = DraftLock.acquire(draft, clock)
    assert lock.replaced.pid == proc.pid and read_lock(draft).pid == os.getpid()
    lock.release()
    assert not lock_path(draft).exists()


def test_taking_over_stops_the_other_session_before_it_overwrites(holder):
    proc, draft = holder
    store = DraftStore(path=draft, clock=clock)
    store.open(take_over=True)
    store.save(response("second", {"velocita": 2}))
    proc.stdin.write("3\n")
    proc.stdin.flush()
    line = proc.stdout.readline()
    assert line.startswith(f"TakenOver {draft}: la bozza è stata presa in carico da ")
    assert json.loads(draft.read_text(encoding="utf-8"))["answers"] == {"velocita": 2}  # not overwritten
    store.release()


def test_the_lock_menu_read_only_take_over_or_cancel(tmp_path):
    draft = tmp_path / "responses" / "d.json"
    other = DraftLock.acquire(draft, clock)  # another session of this very process: alive
    for choice, expected in (("read", False), ("take", True)):
        store = DraftStore(path=draft, clock=clock)
        script = Script([("choose", choice)])
        assert open_draft(script, store) is expected
        assert script.menus[0][1:] == (["read", "take", "cancel"], "read")
        assert script.menus[0][0].startswith("Questa bozza è aperta in un'altra sessione: ")
    assert store.lock is not None and store.lock.owned() and not other.owned()
    with pytest.raises(TakenOver):
        other.check()
    with pytest.raises(Interrupted, match="Nulla è stato modificato"):
        open_draft(Script([("choose", "cancel")]), DraftStore(path=draft, clock=clock))


def test_an_unreadable_lock_counts_as_held(tmp_path):
    draft = tmp_path / "d.json"
    lock_path(draft).write_text("{ rotto", encoding="utf-8")
    with pytest.raises(Locked) as caught:
        DraftLock.acquire(draft, clock)
    assert caught.value.holder.describe("en") == "? on ? (process 0) since  UTC"
    DraftLock.acquire(draft, clock, take_over=True).release()


def test_a_saving_error_is_still_a_clean_error(tmp_path):
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    store = DraftStore(path=tmp_path / "file.txt" / "d.json", clock=clock)
    with pytest.raises(CrassessError, match="impossibile salvare la risposta qui"):
        store.save(response("x"))
    assert store.lock is None
