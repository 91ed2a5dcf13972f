"""Writing command outputs atomically, with clean errors instead of tracebacks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from crassess.errors import InvalidInput, Problem, UsageError
from crassess.i18n import register, t
from crassess.sources import atomic_write_bytes

register({
    "out.not_writable": {"it": "impossibile scrivere: {error}", "en": "cannot write: {error}"},
    "out.is_dir": {"it": "è una cartella: indicare un file", "en": "is a folder: give a file"},
    "out.is_file": {"it": "è un file: indicare una cartella", "en": "is a file: give a folder"},
})


def write_output(path: Path, data: bytes) -> Path:
    """Write one output file atomically (never half a file)."""
    if path.is_dir():
        raise UsageError(problems=[Problem(str(path), "", t("out.is_dir"))])
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise InvalidInput(problems=[Problem(str(path), "", t("out.not_writable", error=exc.strerror or exc))]) from None
    return path


def write_outputs(folder: Path, files: Iterable[tuple[str, bytes]]) -> Path:
    """Write files (relative path, bytes) under ``folder``, each atomically."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(problems=[Problem(str(folder), "", t("out.is_file"))])
    for relative, data in files:
        write_output(folder / relative, data)
    return folder
