"""Interview files in a campaign: safe names, drafts found by questionnaire."""

from __future__ import annotations

import json

import pytest

from crassess.interview.drafts import DraftStore, list_drafts, response_path, slug
from crassess.questionnaire.models import QuestionnaireRef, Respondent, Response
from tests.conftest import write_files


def test_slug_makes_safe_file_names():
    assert slug("Caffè L'Arte srl") == "caffe-l-arte-srl"
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("C:\\Users\\x; rm -rf /") == "c-users-x-rm-rf"
    assert slug("   ") == "risposta"
    assert slug("x" * 100) == "x" * 40


def test_response_path_and_store(tmp_path):
    response = Response(
        id="1f0c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01", questionnaire=QuestionnaireRef(id="esempio", version="1.0.0"),
        respondent=Respondent(name="Rossi Meccanica srl"), status="draft",
    )
    # the full id, never a prefix: two responses never share a path
    assert response_path(tmp_path, response) == tmp_path / "responses" / "rossi-meccanica-srl-1f0c2c5e-8d2a-4b8e-9a43-0b7f3c0c1a01.json"
    store = DraftStore(campaign=tmp_path)
    first = store.save(response)
    renamed = response.model_copy(update={"respondent": Respondent(name="Altro nome")})
    assert store.save(renamed) == first  # the file keeps its name for the whole interview
    assert json.loads(first.read_text(encoding="utf-8"))["respondent"] == {"name": "Altro nome"}


def test_list_drafts_only_of_the_questionnaire_and_readable(esempio, tmp_path):
    def response(qid: str, status: str) -> str:
        return json.dumps({"questionnaire": {"id": qid, "version": "1.0.0"}, "status": status, "answers": {}})

    write_files(tmp_path, {
        "responses/a.json": response("esempio", "draft"),
        "responses/b.json": response("esempio", "complete"),
        "responses/c.json": response("impresa", "draft"),
        "responses/d.json": "{ non è JSON",
        "responses/e.yaml": response("esempio", "draft"),
    })
    assert [p.name for p, _ in list_drafts(tmp_path, esempio)] == ["a.json"]
    assert list_drafts(tmp_path / "manca", esempio) == []


def test_a_place_that_cannot_be_written_is_a_clean_error(tmp_path):
    from crassess.errors import CrassessError

    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    response = Response(id="1f0c2c5e-0000", questionnaire=QuestionnaireRef(id="esempio", version="1.0.0"), respondent=Respondent(name="R"))
    store = DraftStore(campaign=tmp_path / "file.txt")
    with pytest.raises(CrassessError) as caught:
        store.save(response)
    # an id that is not a canonical uuid gives 32 hex digits of its sha256
    target = tmp_path / "file.txt" / "responses" / "r-x71d3d0ace714e78fdaf37ec8ac7d54e2.json"
    assert str(caught.value) == f"{target}: impossibile salvare la risposta qui: File exists"
    assert store.path is None


def test_leftovers_of_interrupted_saves_are_removed_under_the_campaign_lock(tmp_path):
    folder = tmp_path / "responses"
    folder.mkdir()
    leftovers = [folder / ".rossi-1f0c2c5e.json.k2j3h4.tmp", folder / ".verdi-2a0c2c5e.json.p9q8r7.tmp"]
    kept = [folder / "rossi-1f0c2c5e.json", folder / "nota.tmp"]  # a response; a file of the user's, not hidden
    for path in leftovers + kept:
        path.write_text("{", encoding="utf-8")
    store = DraftStore(campaign=tmp_path)
    assert store.clean() == leftovers
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in kept)
    assert DraftStore(campaign=tmp_path / "nuova").clean() == []


def test_no_cleaning_while_another_writer_holds_the_campaign(tmp_path, monkeypatch):
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    folder = tmp_path / "responses"
    folder.mkdir()
    (folder / ".a.json.x1.tmp").write_text("{", encoding="utf-8")
    holder = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from crassess.campaign.store import campaign_lock
        with campaign_lock(Path({str(tmp_path)!r}), "crassess import"):
            print("held", flush=True)
            sys.stdin.readline()
    """)
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**__import__("os").environ, "PYTHONPATH": str(root)})
    try:
        assert proc.stdout.readline().strip() == "held"
        store = DraftStore(campaign=tmp_path)
        monkeypatch.setattr("crassess.interview.drafts.CLEAN_TIMEOUT", 0.2)
        assert store.clean() == []  # the writer may be in the middle of a save: its file is left alone
        assert (folder / ".a.json.x1.tmp").exists()
    finally:
        proc.communicate("\n", timeout=10)
    assert store.clean() == [folder / ".a.json.x1.tmp"]


def test_a_response_is_found_by_the_hash_of_its_source(tmp_path):
    from crassess.interview.drafts import find_by_source

    write_files(tmp_path, {
        "responses/a.json": json.dumps({"questionnaire": {"id": "esempio", "version": "1.0.0"}, "provenance": {"source_sha256": "ab12"}}),
        "responses/b.json": json.dumps({"questionnaire": {"id": "esempio", "version": "1.0.0"}}),
        "responses/c.json": "{ rotto",
    })
    path, response = find_by_source(tmp_path / "responses", "ab12")
    assert path.name == "a.json" and response.provenance.source_sha256 == "ab12"
    assert find_by_source(tmp_path / "responses", "cd34") is None
    assert find_by_source(tmp_path / "manca", "ab12") is None
