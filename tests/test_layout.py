"""The package's shape: imports flow one way between the pipeline's subpackages, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crassess"

# The base modules (errors, i18n, sources, ...) may be imported from anywhere and import only each other.
# A subpackage may import the base modules, itself and the subpackages of a lower rank; the interview, the
# spreadsheets and the reports share a rank, so none of them imports another. The online forms sit above
# them: they read untrusted files with the spreadsheets' safe readers and extend its batch import.
RANKS = {
    "questionnaire": 1,
    "territory": 2,
    "scoring": 3,
    "campaign": 4,
    "interview": 5,
    "spreadsheets": 5,
    "reports": 5,
    "forms": 6,  # above spreadsheets: reuses its safe readers and batch import
    "demo": 7,
    "cli": 8,
    "__main__": 9,
}
MAX_LINES = 520  # "about 500": split a module by what it does before it grows past this


def _unit(parts: tuple[str, ...]) -> str | None:
    """The subpackage (or top-level module) a dotted ``crassess.…`` path belongs to; None for base modules."""
    head = parts[0] if parts else ""
    return head if head in RANKS else None


def _imports(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """Every ``crassess`` import of a module, at any depth (functions and TYPE_CHECKING blocks included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names if node.module == "crassess"]
        for name in names:
            if name.split(".")[0] == "crassess" and name != "crassess":
                found.append((node.lineno, tuple(name.split(".")[1:])))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def violations() -> list[str]:
    out = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).with_suffix("").parts
        mine = _unit(rel)
        for line, target in _imports(path):
            theirs = _unit(target)
            if theirs is None or theirs == mine:
                continue
            if mine is None:
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: a base module imports crassess.{'.'.join(target)}")
            elif RANKS[theirs] >= RANKS[mine]:
                out.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {mine} imports {theirs} (same rank or above)")
    return out


def test_imports_flow_one_way() -> None:
    assert violations() == []


def test_the_checker_sees_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "crassess"
    for rel, text in {
        "errors.py": "from crassess.reports import analysis\n",
        "scoring/engine.py": "def f():\n    from crassess.campaign.data import load\n",
        "reports/x.py": "from crassess.spreadsheets.read import a\nfrom crassess.reports import y\n",
        "campaign/ok.py": "from crassess.scoring.engine import score\nfrom crassess.i18n import t\n",
    }.items():
        (fake / rel).parent.mkdir(parents=True, exist_ok=True)
        (fake / rel).write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    assert violations() == [
        "crassess/errors.py:1: a base module imports crassess.reports",
        "crassess/reports/x.py:1: reports imports spreadsheets (same rank or above)",
        "crassess/scoring/engine.py:2: scoring imports campaign (same rank or above)",
    ]


def test_every_subpackage_says_what_it_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        text = init.read_text(encoding="utf-8")
        doc = ast.get_docstring(ast.parse(text))
        assert doc and "May import" in doc, init
        assert "import" not in text.replace(doc, ""), f"{init}: no re-exports in __init__"
        assert init.parent.name in RANKS, f"{init.parent.name}: give it a rank in RANKS"


def test_modules_stay_small() -> None:
    big = {str(p.relative_to(PACKAGE.parent)): n for p in _modules()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert big == {}
