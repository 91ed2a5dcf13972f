"""Hostile submission exports, through ``crassess import`` (a file diverted from the workbook import) and with
``--source``: read in a worker process with the workers' memory limit and within the bounds of returned files,
refused with a located reason; the other files are still imported."""

from __future__ import annotations

import io
import os
import signal
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crassess.cli.main import cli
from crassess.forms import exports
from crassess.forms.exports import MAX_EXPORT_CELLS, MAX_EXPORT_ROWS
from tests.conftest import EXAMPLE
from tests.forms.test_intake import UA, esempio_export, esempio_row, run

HEAD = "start;end;profile/respondent_name;_uuid;_index"


def kobo_file(tmp_path: Path, name: str, lines: int, cells: int = 5, cell: str = "x") -> Path:
    """A KoboToolbox-looking CSV: its metadata header and ``lines`` rows of ``cells`` cells."""
    head = ";".join(HEAD.split(";") + [f"g/q{i}" for i in range(cells - 5)]) + "\n"
    path = tmp_path / name
    path.write_bytes((head + (";".join([cell] * cells) + "\n") * lines).encode())
    return path


def valid_export(tmp_path: Path, esempio) -> Path:
    content = esempio.content_hash[:12]
    return esempio_export(tmp_path, content, [esempio_row(UA, 1, content)])


def outcomes(result) -> dict[str, tuple[str, str | None, list[str]]]:
    return {Path(o.file).name: (o.status, o.reason, [str(p) for p in o.problems]) for o in result.files.attention}


@pytest.mark.parametrize("source", [None, "kobo"])
def test_too_many_cells_refused_at_the_line_others_imported(tmp_path, esempio, source):
    # 4,001 lines of 250 cells: within the lines and columns of a returned CSV, so a plain import diverts it
    path = kobo_file(tmp_path, "celle.csv", 4_000, 250)
    result = run([path, valid_export(tmp_path, esempio)], tmp_path / "camp", questionnaires=[EXAMPLE], source=source)
    line = MAX_EXPORT_CELLS // 250 + 1  # the header's cells count too: 4,000 lines fill 1,000,000 cells exactly
    assert outcomes(result) == {"celle.csv": ("rejected", "too_big", [f"{path}: riga {line}: troppe celle: al massimo 1000000"])}
    assert dict(result.submissions.counts) == {"imported": 1}
    assert (tmp_path / "camp" / "errors").is_dir()


def test_too_many_lines_refused_with_source(tmp_path, esempio):
    path = kobo_file(tmp_path, "righe.csv", MAX_EXPORT_ROWS)
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE], source="kobo")
    assert outcomes(result) == {"righe.csv": ("rejected", "too_big", [f"{path}: riga 10001: troppe righe: al massimo 10000"])}


def test_too_many_lines_refused_without_source(tmp_path, esempio):
    """The workbook import refuses it first, for the same bound: it is not diverted."""
    path = kobo_file(tmp_path, "righe.csv", MAX_EXPORT_ROWS)
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE])
    assert outcomes(result)["righe.csv"][:2] == ("rejected", "too_big") and result.exports == 0


@pytest.mark.parametrize("source", [None, "kobo"])
def test_a_huge_cell_is_refused_at_its_line(tmp_path, esempio, source):
    path = kobo_file(tmp_path, "cella.csv", 2, cell="y" * 200_000)
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE], source=source)
    status, reason, problems = outcomes(result)["cella.csv"]
    assert (status, reason) == ("rejected", "corrupted")
    assert problems[0].startswith(f"{path}: riga 2: CSV non leggibile: field larger than field limit")


def test_zip_bomb_workbook_export_refused(tmp_path, esempio):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<c>" + b"\0" * 60 * 2**20 + b"</c>")
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run([path, valid_export(tmp_path, esempio)], tmp_path / "camp", questionnaires=[EXAMPLE], source="kobo")
    status, reason, problems = outcomes(result)["kobo.xlsx"]
    assert (status, reason) == ("rejected", "unsafe") and "decompresso sarebbe troppo grande" in problems[0]


def _hostile_table(real):
    """exports._table that kills or exhausts its process on some files, as a crash of python-calamine would."""
    def table(path: Path, data: bytes, file: str):
        if "abort" in path.name:
            os.kill(os.getpid(), signal.SIGKILL)
        if "memoria" in path.name:
            bytearray(3 * 2**30)  # beyond the worker's memory limit: MemoryError in the worker, not the machine
        return real(path, data, file)
    return table


@pytest.mark.parametrize("source", [None, "kobo"])
def test_an_export_that_kills_or_exhausts_its_reader_is_refused_and_the_others_imported(tmp_path, esempio, monkeypatch, source):
    monkeypatch.setattr(exports, "_table", _hostile_table(exports._table))  # inherited by the forked worker
    good = valid_export(tmp_path, esempio)
    hostile = [kobo_file(tmp_path, name, 2) for name in ("abort.csv", "memoria.csv")]
    result = run([hostile[0], good, hostile[1]], tmp_path / "camp", questionnaires=[EXAMPLE], source=source)
    found = outcomes(result)
    assert found["abort.csv"][:2] == ("rejected", "crashed")
    assert "memoria esaurita o arresto anomalo" in found["abort.csv"][2][0]
    assert found["memoria.csv"][:2] == ("rejected", "crashed") and "MemoryError" in found["memoria.csv"][2][0]
    assert dict(result.submissions.counts) == {"imported": 1} and result.exports == 1


def test_the_command_names_the_refused_export(tmp_path, esempio):
    path = kobo_file(tmp_path, "righe.csv", MAX_EXPORT_ROWS)
    out = CliRunner().invoke(cli, ["import", str(path), "--campaign", str(tmp_path / "camp"), "-q", str(EXAMPLE),
                                   "--source", "kobo", "--lang", "en"])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert f"{path}: line 10001: too many lines: at most 10000" in out.output
