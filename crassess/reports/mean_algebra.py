"""What a reader can compute from published means: exact linear algebra over the mean lines.

Part of disclosure control (:mod:`crassess.reports.suppression` asks it). A mean line says that the n-weighted
sum of the total equals that of its parts: n_t·m_t − Σ n_p·m_p = 0 (a wave's mean and the means of those who
stayed and of those who left; a mean after = the mean before + the mean change, all over the same n). With the
shown means known, the withheld and hidden ones solve a linear system. For every sensitive mean, and every two
whose respondents are fewer than min_n together, the lines are combined so that every other unknown cancels:
what is left about them, beyond what the lines say with no shown mean in them (a group's mean equals its only
part's), is a leak (one mean of a single respondent, "the total minus Imprese" over two small sectors, "the one
who entered minus the one who left"). Larger groups are checked through the rows of the reduced echelon form
(exact fractions, one connected group of lines at a time): a combination of several rows may be missed there.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction
from typing import Any

Key = Hashable


def _components(lines: Sequence[Sequence[tuple[int, Key]]]) -> list[list[int]]:
    """Lines grouped by the means they share (union-find over the lines)."""
    parent = list(range(len(lines)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[Key, int] = {}
    for i, line in enumerate(lines):
        for _, key in line:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(lines)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _echelon(rows: list[dict[Key, Fraction]], columns: Sequence[Key]) -> list[dict[Key, Fraction]]:
    """Reduced row echelon form over ``columns`` in that order (rows as sparse dicts)."""
    rows = [dict(r) for r in rows if r]
    out: list[dict[Key, Fraction]] = []
    for col in columns:
        pivot = next((r for r in rows if r.get(col)), None)
        if pivot is None:
            continue
        rows.remove(pivot)
        scale = pivot[col]
        pivot = {k: v / scale for k, v in pivot.items()}
        for other in rows + out:
            factor = other.get(col)
            if factor:
                for k, v in pivot.items():
                    value = other.get(k, Fraction(0)) - factor * v
                    if value:
                        other[k] = value
                    else:
                        other.pop(k, None)
        out.append(pivot)
        rows = [r for r in rows if r]
    return out


def _pairs_and_singles(rows: list[dict[Key, Fraction]], unknown: list[Key], known: list[Key], n: Mapping[Key, int],
                       sensitive: list[Key], min_n: int) -> list[tuple[Key, ...]]:
    """Exact for one or two sensitive means: is there a combination of the lines whose unknown part lies on them
    alone and that involves a shown mean? (numpy: the lines' coefficient vectors that cancel every other unknown,
    then the ranks of what they give on the pair and on the shown means)."""
    import numpy as np

    if not rows or not sensitive:
        return []
    col = {k: i for i, k in enumerate(unknown)}
    r_u = np.array([[float(r.get(k, 0)) for k in unknown] for r in rows])
    r_k = np.array([[float(r.get(k, 0)) for k in known] for r in rows]) if known else np.zeros((len(rows), 0))
    found = []
    candidates = [(k,) for k in sensitive] + [
        (a, b) for i, a in enumerate(sensitive) for b in sensitive[i + 1:] if n[a] + n[b] < min_n]
    for group in candidates:
        if sum(n[k] for k in group) >= min_n:
            continue
        others = [col[k] for k in unknown if k not in group]
        if others:
            u, sv, _ = np.linalg.svd(r_u[:, others], full_matrices=True)
            rank = int((sv > 1e-9 * max(1.0, sv.max(initial=0.0))).sum())
            space = u[:, rank:]  # combinations of the lines that cancel every other unknown
        else:
            space = np.eye(len(rows))
        if space.shape[1] == 0:
            continue
        on_group = space.T @ r_u[:, [col[k] for k in group]]
        on_known = space.T @ r_k if r_k.shape[1] else np.zeros((space.shape[1], 0))
        # what the lines say about the group, less what they say with no shown mean in it (identities)
        said = _rank(on_group) + _rank(on_known) - _rank(np.hstack([on_group, on_known]))
        if said > 0:
            found.append(group)
    return found


def _rank(matrix: Any) -> int:
    import numpy as np

    return int(np.linalg.matrix_rank(matrix, tol=1e-9)) if matrix.size else 0


def leaks(lines: Sequence[Sequence[tuple[int, Key]]], n: Mapping[Key, int], unknown: Sequence[Key],
          sensitive: set[Key], min_n: int) -> list[tuple[Key, ...]]:
    """Groups of sensitive means whose n-weighted combination a reader can compute, over fewer than ``min_n``
    respondents. ``lines``: each a list of (coefficient, mean key) with Σ coefficient·n·mean = 0; ``unknown``:
    the means not shown (in a stable order); ``sensitive``: those that must stay unknown.

    A combination follows from shown means only if some shown mean enters it: a row of unknowns alone (the mean
    of a group equals the mean of its only part) says nothing about their values. One or two means are checked
    exactly; larger groups through the rows of the echelon form.
    """
    unknown_set = set(unknown)
    order = {k: i for i, k in enumerate(unknown)}
    found: list[tuple[Key, ...]] = []
    for group in _components([[t for t in line if t[1] in unknown_set] for line in lines]):
        rows = []
        for i in group:
            row: dict[Key, Fraction] = {}
            for coefficient, key in lines[i]:
                row[key] = row.get(key, Fraction(0)) + coefficient * n[key]
            rows.append({k: v for k, v in row.items() if v})
        columns = sorted({k for r in rows for k in r if k in unknown_set}, key=lambda k: (k in sensitive, order[k]))
        known = sorted({k for r in rows for k in r if k not in unknown_set}, key=str)
        small = _pairs_and_singles(rows, columns, known, n, [k for k in columns if k in sensitive], min_n)
        found += small
        if small:
            continue
        for row in _echelon(rows, columns):
            support = tuple(sorted((k for k in row if k in unknown_set), key=order.__getitem__))
            if support and any(k not in unknown_set for k in row) and all(k in sensitive for k in support) \
                    and sum(n[k] for k in support) < min_n:
                found.append(support)
    return found
