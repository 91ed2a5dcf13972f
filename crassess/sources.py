"""Reading user files safely: size limits, YAML/JSON with line numbers, atomic writes."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from crassess.errors import InvalidInput, Problem
from crassess.i18n import t

MAX_TEXT_BYTES = 20 * 1024 * 1024

Path_ = tuple[Any, ...]


def read_text(path: Path, limit: int = MAX_TEXT_BYTES) -> str:
    """The UTF-8 text of ``path`` (BOM tolerated), or :class:`InvalidInput` naming the file."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise InvalidInput(problems=[Problem(str(path), "", t("file.too_big", limit=limit // 2**20))])
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(problems=[Problem(str(path), "", t("file.not_found"))]) from None
    except IsADirectoryError:
        raise InvalidInput(problems=[Problem(str(path), "", t("file.is_dir"))]) from None
    except OSError as exc:
        raise InvalidInput(problems=[Problem(str(path), "", t("file.unreadable", error=exc.strerror))]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(problems=[Problem(str(path), "", t("file.not_utf8"))]) from None


class LineMap:
    """Maps a path inside a YAML document (keys and list indexes) to its 1-based line."""

    def __init__(self, lines: dict[Path_, int]):
        self._lines = lines

    def line(self, path: Sequence[Any]) -> int | None:
        path = tuple(path)
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path[:-1]
        return self._lines.get((), None)

    @classmethod
    def from_node(cls, node: yaml.Node | None) -> LineMap:
        lines: dict[Path_, int] = {}

        def walk(n: yaml.Node, path: Path_) -> None:
            lines.setdefault(path, n.start_mark.line + 1)
            if isinstance(n, yaml.MappingNode):
                for key, value in n.value:
                    sub = (*path, key.value)
                    lines[sub] = key.start_mark.line + 1
                    walk(value, sub)
                    lines[sub] = key.start_mark.line + 1
            elif isinstance(n, yaml.SequenceNode):
                for i, item in enumerate(n.value):
                    walk(item, (*path, i))

        if node is not None:
            walk(node, ())
        return cls(lines)


def load_yaml(path: Path) -> tuple[Any, LineMap]:
    """Parse a YAML (or JSON) file safely; syntax errors name the line."""
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = t("place.line", line=mark.line + 1) if mark else ""
        detail = getattr(exc, "problem", None) or str(exc)
        raise InvalidInput(problems=[Problem(str(path), place, t("yaml.syntax", error=detail))]) from None
    return data, LineMap.from_node(node)


def load_json(path: Path) -> Any:
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            problems=[Problem(str(path), t("place.line", line=exc.lineno), t("json.syntax", error=exc.msg))]
        ) from None
    except RecursionError:  # "[[[[..." nested thousands deep: refused, never a crash
        raise InvalidInput(problems=[Problem(str(path), "", t("json.too_deep"))]) from None


def load_data(path: Path) -> tuple[Any, LineMap | None]:
    """JSON by suffix, else YAML (YAML also reads JSON, with line numbers)."""
    if path.suffix.lower() == ".json":
        return load_json(path), None
    return load_yaml(path)


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    ``durable=False`` skips the per-file fsync, for batches that sync once at the end (``os.sync``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report or response is an ordinary file
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_leftover_temporaries(folder: Path) -> list[Path]:
    """Delete the temporary files :func:`atomic_write_bytes` left in ``folder`` when its process was killed
    mid-write (``.<name>.<random>.tmp``). Call it holding the writers' lock of the folder (for a campaign,
    :func:`crassess.campaign.store.campaign_lock`), so that no write is in progress. Returns what was removed;
    files that cannot be removed are left alone."""
    removed = []
    for tmp in sorted(folder.glob(".*.tmp")) if folder.is_dir() else []:
        try:
            if tmp.is_file() and not tmp.is_symlink():
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            continue
    return removed


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
