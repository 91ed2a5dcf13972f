"""Storing responses in a campaign: paths from the full id, the conflict rule, the writers' lock (real processes)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crassess.campaign.store import (
    LOCK_FILE,
    CampaignBusy,
    Record,
    ResponseStore,
    campaign_lock,
    campaign_of,
    response_digest,
    response_key,
    response_name,
)
from crassess.i18n import set_language

ROOT = Path(__file__).resolve().parents[2]
A = "1f0c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01"
B = "1f0c2c5e-0000-4000-8000-000000000000"  # the same first 8 characters as A


def response(rid: str, name: str = "Rossi srl", wifi: str = "si", **extra) -> dict:
    return {"id": rid, "questionnaire": {"id": "esempio", "version": "1.0.0"}, "respondent": {"name": name},
            "answers": {"wifi": wifi}, "notes": {}, "status": "complete", **extra}


def test_the_path_comes_from_the_full_id():
    assert response_key(A) == A
    assert response_key("1F0C2C5E-8D2A-4B8E-9A43-0B7F3C0C1A01") == "x1b92a1f00caed3758abfec7b0d3d1db4"  # not canonical: hashed
    assert response_key("abc") == "xba7816bf8f01cfea414140de5dae2223"  # sha256("abc")
    assert response_name(response(A)) != response_name(response(B))  # a shared prefix never shares a path
    assert response_name(response(A, name="../Caffè L'Arte")) == f"caffe-l-arte-{A}"
    assert response_name(response(A, name="")) == f"risposta-{A}"


def test_digest_ignores_status_and_provenance():
    assert response_digest(response(A)) == response_digest(response(A, status="draft", provenance={"source_file": "x"}))
    assert response_digest(response(A)) != response_digest(response(A, wifi="no"))


def test_campaign_of_a_response_file(tmp_path):
    assert campaign_of(tmp_path / "camp" / "responses" / "r.json") == tmp_path / "camp"
    assert campaign_of(tmp_path / "altrove" / "r.json") == tmp_path / "altrove"


def test_add_written_unchanged_conflict(tmp_path):
    store = ResponseStore(tmp_path)
    first = store.add(Record.of(response(A)))
    assert first.outcome == "written" and first.path == tmp_path / "responses" / f"rossi-srl-{A}.json"
    assert store.add(Record.of(response(A, status="draft"))).outcome == "unchanged"
    other = store.add(Record.of(response(A, name="Rossi S.r.l.", wifi="no")))
    assert other.outcome == "conflict" and other.path == first.path
    assert other.copy is not None and other.copy.parent == tmp_path / "conflicts"
    assert json.loads(first.path.read_text())["answers"] == {"wifi": "si"}  # never replaced
    assert json.loads(other.copy.read_text())["answers"] == {"wifi": "no"}
    second = store.add(Record.of(response(B)))
    assert second.outcome == "written" and second.path != first.path
    assert sorted(p.name for p in (tmp_path / "responses").iterdir()) == sorted([first.path.name, second.path.name])


def test_a_new_store_finds_what_another_wrote(tmp_path):
    ResponseStore(tmp_path).add(Record.of(response(A)))
    assert ResponseStore(tmp_path).add(Record.of(response(A, wifi="no"))).outcome == "conflict"


def test_older_file_names_and_hand_copies_are_read_for_their_id(tmp_path):
    (tmp_path / "responses").mkdir()
    (tmp_path / "responses" / "rossi-srl-1f0c2c5e.json").write_text(json.dumps(response(A)))  # an older name
    store = ResponseStore(tmp_path)
    assert store.add(Record.of(response(A))).outcome == "unchanged"
    assert store.add(Record.of(response(A, wifi="no"))).outcome == "conflict"


def test_a_file_whose_name_lies_is_never_overwritten(tmp_path):
    (tmp_path / "responses").mkdir()
    lying = tmp_path / "responses" / f"rossi-srl-{A}.json"
    lying.write_text(json.dumps(response(B)))  # renamed by hand: holds B under A's name
    store = ResponseStore(tmp_path)
    stored = store.add(Record.of(response(A)))
    assert stored.outcome == "written" and stored.path != lying
    assert json.loads(lying.read_text())["id"] == B
    assert store.add(Record.of(response(B))).outcome == "unchanged"


def test_save_replaces_the_interviews_own_file(tmp_path):
    store = ResponseStore(tmp_path)
    path = store.save(Record.of(response(A)))
    assert store.save(Record.of(response(A, name="Nuovo nome", wifi="no"))) == path  # the file keeps its name
    assert json.loads(path.read_text())["answers"] == {"wifi": "no"}


def test_lock_is_reentrant_and_records_the_generation(tmp_path):
    store = ResponseStore(tmp_path)
    with store.locked(), store.locked():
        store.add(Record.of(response(A)))
    info = json.loads((tmp_path / LOCK_FILE).read_text())
    assert info == {"generation": 1}  # the holder is cleared when released


# ------------------------------------------------------------------ two real processes


def _python(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CRASSESS_LANG": "it"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


HOLD = """
    import sys, time
    from pathlib import Path
    from crassess.campaign.store import campaign_lock
    with campaign_lock(Path(sys.argv[1]), "crassess import"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
"""


def _holding(tmp_path, seconds: str) -> subprocess.Popen:
    holder = _python(HOLD, str(tmp_path), seconds)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


def test_a_second_writer_waits_then_refuses_naming_the_holder(tmp_path):
    holder = _holding(tmp_path, "30")
    try:
        started = time.monotonic()
        with pytest.raises(CampaignBusy) as err:
            with campaign_lock(tmp_path, timeout=0.5):
                pass
        assert 0.5 <= time.monotonic() - started < 5
        message = str(err.value)
        assert message.startswith(f"{tmp_path}: la campagna è in uso da 'crassess import' (processo {holder.pid} su ")
        assert message.endswith("; attesi 0.5 s: riprovare quando ha finito")
        set_language("en")
        with pytest.raises(CampaignBusy) as err:
            with campaign_lock(tmp_path, timeout=0.1):
                pass
        assert f"the campaign is in use by 'crassess import' (process {holder.pid} on " in str(err.value)
    finally:
        holder.kill()
        holder.wait()


def test_the_second_writer_gets_the_lock_when_the_first_releases_it(tmp_path):
    holder = _holding(tmp_path, "0.5")
    try:
        with campaign_lock(tmp_path, timeout=20):
            assert holder.wait(timeout=20) == 0
    finally:
        holder.kill()


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_holder_leaves_no_stale_lock(tmp_path, sig):
    holder = _holding(tmp_path, "60")
    os.kill(holder.pid, sig)
    holder.wait(timeout=10)
    started = time.monotonic()
    with campaign_lock(tmp_path, timeout=5):
        assert time.monotonic() - started < 1


WRITER = """
    import sys
    from pathlib import Path
    from crassess.campaign.store import Record, ResponseStore
    campaign, wifi = Path(sys.argv[1]), sys.argv[2]
    store = ResponseStore(campaign, "writer " + wifi)
    outcomes = []
    for i in range(100):
        rid = f"00000000-0000-4000-8000-{i:012d}"
        record = Record.of({"id": rid, "respondent": {"name": f"R{i}"}, "answers": {"wifi": wifi}, "notes": {}})
        with store.locked():  # one write per lock, as an interview saves: the two writers interleave
            outcomes.append(store.add(record).outcome)
    print(" ".join(outcomes))
"""


def test_two_writers_of_the_same_ids_lose_nothing(tmp_path):
    """Two processes store the same 100 ids with different answers at once: each id has one response file,
    the other version is a conflict copy, and no version is lost."""
    writers = [_python(WRITER, str(tmp_path), wifi) for wifi in ("si", "no")]
    outputs = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        outputs.append(out.split())
    assert all(len(o) == 100 for o in outputs)
    for i in range(100):
        assert sorted([outputs[0][i], outputs[1][i]]) == ["conflict", "written"]
    stored = [json.loads(p.read_text()) for p in (tmp_path / "responses").glob("*.json")]
    copies = [json.loads(p.read_text()) for p in (tmp_path / "conflicts").glob("*.json")]
    assert len(stored) == 100 and len({r["id"] for r in stored}) == 100
    assert len(copies) == 100
    versions = {(r["id"], r["answers"]["wifi"]) for r in stored + copies}
    assert len(versions) == 200  # both versions of every id are kept


SAVER = """
    import sys, time
    from pathlib import Path
    from crassess.campaign.store import Record, ResponseStore
    store = ResponseStore(Path(sys.argv[1]), "crassess interview")
    rid = "99999999-0000-4000-8000-000000000000"
    for i in range(50):
        store.save(Record.of({"id": rid, "respondent": {"name": "Intervista"}, "answers": {"n": i}, "notes": {}}))
    print("saved")
"""


def test_an_interview_saves_while_an_import_writes(tmp_path):
    writer = _python(WRITER, str(tmp_path), "si")
    saver = _python(SAVER, str(tmp_path))
    for proc in (writer, saver):
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert len(list((tmp_path / "responses").glob("*.json"))) == 101
    saved = json.loads((tmp_path / "responses" / "intervista-99999999-0000-4000-8000-000000000000.json").read_text())
    assert saved["answers"] == {"n": 49}
