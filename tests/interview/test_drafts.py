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
