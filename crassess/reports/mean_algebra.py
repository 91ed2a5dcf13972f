"""What a reader can compute from published means: exact linear algebra over the mean lines.

Part of disclosure control (:mod:`crassess.reports.suppression` asks it). A mean line says that the n-weighted
sum of the total equals that of its parts: n_t·m_t − Σ n_p·m_p = 0 (a wave's mean and the means of those who
stayed and of those who left; a mean after = the mean before + the mean change, all over the same n). With the
shown means known, the withheld and hidden ones solve a linear system. Reduced to row echelon form (exact
fractions, one connected group of lines at a time, the non-sensitive unknowns eliminated first), every row left
on the sensitive means alone is something a reader can compute about them: a leak when it involves fewer than
min_n respondents in all (one mean of a single respondent, or "the total minus Imprese" over two small sectors,
or "the one who entered minus the one who left"). Rows of the echelon form are a basis, so this finds the
combinations a chain of subtractions gives; a smaller combination of two rows may be missed (its respondents
are then at least those of one row, never fewer than two sensitive means).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from fractions import Fraction

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


def leaks(lines: Sequence[Sequence[tuple[int, Key]]], n: Mapping[Key, int], unknown: Sequence[Key],
          sensitive: set[Key], min_n: int) -> list[tuple[Key, ...]]:
    """Groups of sensitive means whose n-weighted combination a reader can compute, over fewer than ``min_n``
    respondents. ``lines``: each a list of (coefficient, mean key) with Σ coefficient·n·mean = 0; ``unknown``:
    the means not shown (in a stable order); ``sensitive``: those that must stay unknown.

    A combination follows from shown means only if some shown mean is left in its row: a row of unknowns alone
    (the mean of a group equals the mean of its only part) says nothing about their values.
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
        for row in _echelon(rows, columns):
            support = tuple(sorted((k for k in row if k in unknown_set), key=order.__getitem__))
            known = any(k not in unknown_set for k in row)
            if support and known and all(k in sensitive for k in support) and sum(n[k] for k in support) < min_n:
                found.append(support)
    return found
