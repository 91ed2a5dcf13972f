"""Writing command outputs atomically, with clean errors instead of tracebacks."""

from __future__ import annotations

import hashlib
import json
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


MANIFEST = ".crassess-files.json"  # in a folder crassess writes: what it wrote there, with each file's sha256


def write_outputs(folder: Path, files: Iterable[tuple[str, bytes]], replace: bool = False) -> Path:
    """Write files (relative path, bytes) under ``folder``, each atomically.

    With ``replace``, the folder's previous run is replaced: files crassess wrote there last time (listed in its
    manifest) and not written now are removed, unless changed since (then they are left, like every file crassess
    did not write); the new manifest is written last.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(problems=[Problem(str(folder), "", t("out.is_file"))])
    written: dict[str, str] = {}
    for relative, data in files:
        write_output(folder / relative, data)
        written[relative] = hashlib.sha256(data).hexdigest()
    if replace:
        for relative, digest in _previous(folder).items():
            if relative not in written:
                _remove(folder, relative, digest)
        text = json.dumps({"files": dict(sorted(written.items()))}, indent=1, sort_keys=True) + "\n"
        write_output(folder / MANIFEST, text.encode("utf-8"))
    return folder


def _previous(folder: Path) -> dict[str, str]:
    """The manifest of the folder's previous run (nothing when missing or unreadable: then nothing is removed)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = data["files"]
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _remove(folder: Path, relative: str, digest: str) -> None:
    """Remove one file of a previous run: only inside the folder, only a regular file, only if unchanged; then
    its folders if left empty."""
    root = folder.resolve()
    path = (folder / relative).resolve()
    if root not in path.parents or (folder / relative).is_symlink() or not path.is_file():
        return
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return
        path.unlink()
        parent = path.parent
        while parent != root and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    except OSError:
        return
