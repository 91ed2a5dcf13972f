"""The disclosure auditor used by the tests: linear programming over everything published together.

Independent of the suppression heuristics in ``crassess.reports.disclosure``: for every withheld count,
and every hidden count describing 1..min_n-1 respondents, it minimises and maximises the count subject to
every line of the publication (its tables, totals, complements and the tables linked to them), with the
published cells fixed at their values and the reader's bounds:

- ``lp`` (the tau-ARGUS/sdcTable audit): a primary cell in [1, min_n-1], a secondary or hidden one in
  [0, inf), continuous;
- ``marks`` (stricter): whole numbers, and a secondary cell is 0 or at least min_n, as its distinct mark
  tells a reader; here only the cells describing 1..min_n-1 respondents (primary, sensitive hidden) must
  stay ambiguous.

A cell is *pinned* when its range holds a single whole number. Means: a mean line in which a sensitive
mean is the only unknown gives it away.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from crassess.reports.disclosure import Mark, Protection


@dataclass(frozen=True)
class Pinned:
    key: Hashable
    low: float
    high: float


def _components(protection: Protection, unknown: set[Hashable]) -> list[tuple[list[Hashable], list[int]]]:
    """Groups of unknown cells linked by lines, with the lines that touch them."""
    parent: dict[Hashable, Hashable] = {k: k for k in unknown}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for line in protection.lines:
        keys = [k for k in line.keys if k in unknown]
        for a, b in zip(keys, keys[1:]):
            parent[find(a)] = find(b)
    groups: dict[Hashable, list[Hashable]] = {}
    for k in unknown:
        groups.setdefault(find(k), []).append(k)
    out = []
    for members in groups.values():
        inside = set(members)
        lines = [i for i, line in enumerate(protection.lines) if inside & set(line.keys)]
        out.append((members, lines))
    return out


def audit(protection: Protection, model: str = "lp") -> list[Pinned]:
    """Every protected cell whose feasible range is a single whole number (empty: the pattern is safe)."""
    m = protection.min_n
    cells = protection.cells
    unknown = {k for k in cells if k in protection.hidden or k in protection.withheld}
    sensitive = {k for k in unknown if 0 < cells[k].value < m}
    guarded = sensitive if model == "marks" else {k for k in unknown if k in protection.withheld} | sensitive
    big = sum(c.value for c in cells.values()) + m
    pinned: list[Pinned] = []
    for members, line_ids in _components(protection, unknown):
        members.sort(key=repr)
        index = {k: i for i, k in enumerate(members)}
        secondary = [k for k in members if protection.withheld.get(k) is Mark.SECONDARY] if model == "marks" else []
        n_vars = len(members) + len(secondary)
        rows, rhs = [], []
        for i in line_ids:
            line = protection.lines[i]
            row = np.zeros(n_vars)
            constant = 0.0
            for sign, keys in ((1, line.left), (-1, line.right)):
                for k in keys:
                    if k in index:
                        row[index[k]] += sign
                    else:
                        constant += sign * cells[k].value
            rows.append(row)
            rhs.append(-constant)
        bounds = []
        for k in members:
            mark = protection.withheld.get(k)
            low, high = (1, m - 1) if mark is Mark.PRIMARY else (0, None)
            if k in protection.hidden:  # shown nowhere, not even listed
                bounds.append((low, high))
                continue
            known_high = cells[k].at_most
            bounds.append((max(low, cells[k].at_least),
                           known_high if high is None else high if known_high is None else min(high, known_high)))
        for k in secondary:  # x <= big*b and x >= m*b, b binary
            b = len(members) + secondary.index(k)
            bounds.append((0, 1))
            for coef_x, coef_b in ((1, -big), (-1, m)):
                row = np.zeros(n_vars)
                row[index[k]], row[b] = coef_x, coef_b
                rows.append(row)
                rhs.append(0)
        n_eq = len(line_ids)
        a_eq, b_eq = np.array(rows[:n_eq]), np.array(rhs[:n_eq])
        a_ub = np.array(rows[n_eq:]) if len(rows) > n_eq else None
        b_ub = np.array(rhs[n_eq:]) if len(rows) > n_eq else None
        integrality = np.ones(n_vars) if model == "marks" else None
        for k in members:
            if k not in guarded:
                continue
            ends = []
            for sense in (1, -1):
                c = np.zeros(n_vars)
                c[index[k]] = sense
                res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                              integrality=integrality, method="highs")
                if res.status == 3:  # unbounded
                    ends.append(sense * math.inf)
                elif res.status != 0:
                    raise AssertionError(f"audit LP failed around {k!r}: {res.message}")
                else:
                    ends.append(sense * res.fun)
            low, high = ends[0], ends[1]
            if math.ceil(low - 1e-7) >= math.floor(high + 1e-7):
                pinned.append(Pinned(k, low, high))
    for ml in protection.mean_lines:
        keys = (ml.total, *ml.parts)
        means = protection.means
        hidden = [k for k in keys if k in protection.withheld or k in protection.hidden]
        if len(hidden) == 1:
            k = hidden[0]
            if k in protection.withheld or 0 < cells[means[k].n].value < m:
                pinned.append(Pinned(k, means[k].value, means[k].value))
    return pinned


def pinned_in_line(values: list[int | str], total: int, min_n: int, model: str = "lp") -> list[int]:
    """An independent check of one *rendered* table: ``values`` as printed (a count, ``n<5`` or
    ``riservato``/``suppressed``), adding up to the public ``total``. The indexes of the withheld entries
    whose range, by LP over this line alone, holds a single whole number."""
    unknown = [i for i, v in enumerate(values) if isinstance(v, str)]
    rest = total - sum(v for v in values if isinstance(v, int))
    if not unknown:
        return []
    bounds, rows, rhs = [], [], []
    secondary = [i for i in unknown if not str(values[i]).startswith("n<")]
    n_vars = len(unknown) + (len(secondary) if model == "marks" else 0)
    for i in unknown:
        bounds.append((1, min_n - 1) if str(values[i]).startswith("n<") else (0, None))
    for j, i in enumerate(secondary if model == "marks" else []):  # 0 or >= min_n
        b = len(unknown) + j
        bounds.append((0, 1))
        for cx, cb in ((1, -(total + min_n)), (-1, min_n)):
            row = np.zeros(n_vars)
            row[unknown.index(i)], row[b] = cx, cb
            rows.append(row)
            rhs.append(0)
    eq = np.zeros((1, n_vars))
    eq[0, :len(unknown)] = 1
    out = []
    for k, i in enumerate(unknown):
        ends = []
        for sense in (1, -1):
            c = np.zeros(n_vars)
            c[k] = sense
            res = linprog(c, A_ub=np.array(rows) if rows else None, b_ub=np.array(rhs) if rows else None, A_eq=eq,
                          b_eq=np.array([rest]), bounds=bounds, method="highs",
                          integrality=np.ones(n_vars) if model == "marks" else None)
            assert res.status in (0, 3), res.message
            ends.append(sense * math.inf if res.status == 3 else sense * res.fun)
        if math.ceil(ends[0] - 1e-7) >= math.floor(ends[1] + 1e-7):
            out.append(i)
    return out
