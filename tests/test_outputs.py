"""Writing outputs: atomic, and clean errors for folders, files and unwritable places."""

from __future__ import annotations

import pytest

from crassess.errors import InvalidInput, UsageError
from crassess.outputs import write_output, write_outputs


def test_write_files_under_a_folder(tmp_path):
    write_outputs(tmp_path / "out", [("a.md", b"x"), ("sub/b.md", b"y")])
    assert (tmp_path / "out" / "sub" / "b.md").read_bytes() == b"y"


def test_folder_given_for_a_file_and_file_for_a_folder(tmp_path):
    with pytest.raises(UsageError) as err:
        write_output(tmp_path, b"x")
    assert err.value.problems[0].message == "è una cartella: indicare un file"
    (tmp_path / "f").write_text("keep")
    with pytest.raises(UsageError):
        write_outputs(tmp_path / "f", [("a", b"x")])
    assert (tmp_path / "f").read_text() == "keep"


def test_unwritable_place(tmp_path):
    (tmp_path / "f").write_text("keep")
    with pytest.raises(InvalidInput) as err:
        write_output(tmp_path / "f" / "x.csv", b"x")
    assert err.value.problems[0].message.startswith("impossibile scrivere")


def test_replace_removes_only_what_the_previous_run_wrote_and_left_unchanged(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, [("a.md", b"1"), ("sub/old.md", b"2"), ("edited.md", b"3")], replace=True)
    (out / "mine.txt").write_text("the user's own file")
    (out / "edited.md").write_text("changed by the user")
    write_outputs(out, [("a.md", b"new")], replace=True)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        ".crassess-files.json", "a.md", "edited.md", "mine.txt"]  # sub/ removed once empty
    assert (out / "a.md").read_bytes() == b"new"


def test_replace_never_leaves_the_folder_nor_follows_a_tampered_manifest(tmp_path):
    out = tmp_path / "out"
    outside = tmp_path / "precious.txt"
    outside.write_text("x")
    out.mkdir()
    import hashlib
    import json

    digest = hashlib.sha256(b"x").hexdigest()
    (out / ".crassess-files.json").write_text(json.dumps({"files": {"../precious.txt": digest, "/etc/hostname": digest}}))
    write_outputs(out, [("a.md", b"1")], replace=True)
    assert outside.read_text() == "x"
    (out / ".crassess-files.json").write_text("not json")
    write_outputs(out, [("b.md", b"1")], replace=True)  # an unreadable manifest removes nothing
    assert (out / "a.md").exists()


def test_without_replace_nothing_is_removed(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, [("a.md", b"1")], replace=True)
    write_outputs(out, [("b.md", b"1")])
    assert (out / "a.md").exists() and (out / "b.md").exists()
