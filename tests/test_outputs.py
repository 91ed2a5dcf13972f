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
