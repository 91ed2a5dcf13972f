"""Secondary suppression: the solver behind :meth:`crassess.reports.disclosure.Publication.solve`.

Not used directly: outputs register their figures in a :class:`~crassess.reports.disclosure.Publication`.

More cells are withheld (``Mark.SECONDARY``, "riservato") until no withheld cell and no sensitive hidden
cell can be determined exactly. The reader is assumed to know every line, that a primary cell lies in
[1, min_n-1] (the "at least 1" rule), and nothing about a hidden cell but that it is >= 0. Until nothing
changes:

1. Bounds: a shown or public cell is its value; a primary cell [1, min_n-1]; a secondary or hidden cell
   [0, inf); a shown or withheld one narrowed by what a reader knows of it anyway (``at_least``,
   ``at_most``: a table lists it only when not empty), not a hidden one. Every line
   tightens the bounds of its cells from the others' bounds, to a fixed point (interval propagation:
   sound, it never claims more than a reader can deduce).
2. A withheld or sensitive hidden cell whose bounds meet is *pinned*: in a line that pins it (fewest
   unknowns first) one more shown cell is withheld: the smallest above min_n, else the smallest
   non-zero one, a zero only when nothing else is left; when the cell's own lines have nothing left,
   the cells pinning it are protected instead. When nothing at all is left (five respondents, public,
   in five classes: each is 1), the tables holding the cell are left unpublished
   (``Protection.published``; if it comes back, those holding the cells one line further away): their
   cells become hidden and the solve starts again. With no table to drop, ``DisclosureError``: the caller
   made public what determines a sensitive figure.
3. The same again, knowing also that a secondary cell is never 1..min_n-1 (it would be primary): its
   distinct mark tells a reader that much. Here only the primary and sensitive hidden cells must stay
   ambiguous (a secondary cell pinned at 0 or 7 tells nothing about fewer than min_n respondents).
   Only non-zero cells are added (a withheld zero cannot open such a line); when none is left, tables
   are left unpublished as in step 2 (a cell in no named table keeps step 2's protection only).
4. Witnesses: propagation works line by line and misses what only a combination of lines gives (the
   row totals of a table add up to the grand total). So every watched cell must also have a *witness*:
   another whole-number solution of every line, consistent with what a reader knows of each cell, in
   which the cell differs by one (in a two-way table, a rectangle of withheld cells shifted by one).
   It is searched as chains of unit moves through the lines (breadth first), then depth first
   (bounded). A witness proves the cell is not determined; a cell without one gets one more shown cell
   withheld around it while any is left, then its tables are left unpublished as in step 2 (the search
   is not complete, so this may withhold more than needed, never less).
5. Means: a mean line with exactly one unknown mean (withheld, or hidden and sensitive) gets a second
   one: the shown mean with the smallest n.

This covers one withheld cell beside its total, two withheld cells of a known sum of 2 (each >= 1, so
both 1), and a cell withheld in one table but computable from another. The tests audit whole report sets
independently with linear programming (``tests/reports/audit.py``).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence

from crassess.reports.disclosure import (
    Cell,
    DisclosureError,
    Key,
    Line,
    Mark,
    MeanCell,
    MeanLine,
)

INF = math.inf
WITNESS_BUDGET = 100  # nodes of the depth-first fallback per cell and direction
WITNESS_DEPTH = 40  # cells moved at most


class Unprotectable(Exception):
    """Nothing left to withhold around ``key``: the caller drops the tables holding it."""

    def __init__(self, key: Key) -> None:
        super().__init__(key)
        self.key = key


class Solver:
    """Secondary suppression over the cells and lines of a publication (see the module docstring)."""

    def __init__(self, min_n: int, cells: Mapping[Key, Cell], lines: Sequence[Line], means: Mapping[Key, MeanCell],
                 mean_lines: Sequence[MeanLine], tables: Mapping[str, tuple[Key, ...]], hidden: set[Key]) -> None:
        self.m = min_n
        self.hidden = hidden
        self.cells = cells
        self.order = {k: i for i, k in enumerate(self.cells)}
        self.lines = lines
        self.means = means
        self.mean_lines = mean_lines
        self.tables = tables
        self.witnessed: set[tuple[Key, bool]] = set()
        self.withheld: dict[Key, Mark] = {}
        for key, cell in self.cells.items():
            if not cell.public and key not in hidden and 0 < cell.value < self.m:
                self.withheld[key] = Mark.PRIMARY
        for key, mean in self.means.items():
            if key not in hidden and not mean.public and 0 < self.cells[mean.n].value < self.m:
                self.withheld[key] = Mark.PRIMARY
        # a line repeated (the same relation registered by two tables, perhaps with public zeros) is kept once
        seen: set[tuple[frozenset[tuple[Key, int]], int]] = set()
        unique = []
        for ln in self.lines:
            terms = [(1, k) for k in ln.left] + [(-1, k) for k in ln.right]
            free = frozenset((k, c) for c, k in terms if not cells[k].public)
            constant = sum(c * cells[k].value for c, k in terms if cells[k].public)
            if free and (free, constant) not in seen:
                seen.add((free, constant))
                unique.append(ln)
        self.lines = unique
        self.terms = [[(1, k) for k in ln.left] + [(-1, k) for k in ln.right] for ln in self.lines]
        self.coef: dict[tuple[int, Key], int] = {}
        for i, terms in enumerate(self.terms):
            for c, k in terms:
                self.coef[(i, k)] = self.coef.get((i, k), 0) + c
        self.lines_of: dict[Key, list[int]] = {}
        for i, ln in enumerate(self.lines):
            for k in dict.fromkeys(ln.keys):
                self.lines_of.setdefault(k, []).append(i)

    def run(self) -> dict[Key, Mark]:
        while True:
            changed = self.protect(holes=False)
            changed |= self.protect(holes=True)
            changed |= self.protect_means()
            changed = changed or self.protect_mean_chains()
            if not changed:
                return self.withheld

    def unknown(self, key: Key) -> bool:
        return key in self.withheld or key in self.hidden

    def guarded(self, key: Key) -> bool:
        """Must not be determinable: withheld, or hidden and describing 1..min_n-1 respondents."""
        return key in self.withheld or (key in self.hidden and 0 < self.cells[key].value < self.m)

    def bounds(self, holes: bool) -> tuple[dict[Key, float], dict[Key, float]]:
        lo: dict[Key, float] = {}
        hi: dict[Key, float] = {}
        for key, cell in self.cells.items():
            mark = self.withheld.get(key)
            if mark is Mark.PRIMARY:
                lo[key], hi[key] = cell.bounds(1, self.m - 1)
            elif mark is Mark.SECONDARY:
                lo[key], hi[key] = cell.bounds(0, INF)
            elif key in self.hidden:  # shown nowhere: not even listed
                lo[key], hi[key] = 0, INF
            else:
                lo[key] = hi[key] = cell.value
        gap = {k for k, mk in self.withheld.items() if mk is Mark.SECONDARY} if holes else set()
        queue, queued = deque(range(len(self.lines))), set(range(len(self.lines)))
        budget = 200 * max(1, len(self.lines))
        while queue and budget > 0:
            budget -= 1
            index = queue.popleft()
            queued.discard(index)
            terms = self.terms[index]
            low = [(lo[k] if c > 0 else -hi[k]) for c, k in terms]  # lower bound of c*x
            high = [(hi[k] if c > 0 else -lo[k]) for c, k in terms]
            low_fin, low_inf = sum(v for v in low if v != -INF), sum(1 for v in low if v == -INF)
            high_fin, high_inf = sum(v for v in high if v != INF), sum(1 for v in high if v == INF)
            for (c, key), lw, hg in zip(terms, low, high):
                rest_low = -INF if low_inf - (lw == -INF) else low_fin - (lw if lw != -INF else 0)
                rest_high = INF if high_inf - (hg == INF) else high_fin - (hg if hg != INF else 0)
                # c*x = -(rest) with rest in [rest_low, rest_high]
                if c > 0:
                    new_lo, new_hi = -rest_high, -rest_low
                else:
                    new_lo, new_hi = rest_low, rest_high
                new_lo = max(lo[key], math.ceil(new_lo - 1e-9) if new_lo != -INF else -INF)
                new_hi = min(hi[key], math.floor(new_hi + 1e-9) if new_hi != INF else INF)
                if key in gap:
                    if 1 <= new_lo <= self.m - 1:
                        new_lo = self.m
                    if 1 <= new_hi <= self.m - 1:
                        new_hi = 0
                if new_lo > hi[key] or new_hi < lo[key] or new_lo > new_hi:
                    raise DisclosureError(f"inconsistent lines around {key!r}")
                if new_lo != lo[key] or new_hi != hi[key]:
                    lo[key], hi[key] = new_lo, new_hi
                    for other in self.lines_of[key]:
                        if other not in queued:
                            queue.append(other)
                            queued.add(other)
        return lo, hi

    def candidate(self, key: Key, zeros: bool, expand: set[Key] | None) -> Key | None:
        """A shown cell whose withholding can free ``key``: in its own lines first (fewest unknowns first),
        else in the lines of the unknown cells around it (those in ``expand``; all when ``None``). A
        non-zero cell anywhere around is preferred to a zero in the cell's own line: a withheld zero
        helps only a reader who ignores the marks."""
        for nonzero in (True, False) if zeros else (True,):
            frontier, seen = [key], {key}
            while frontier:
                for cell in frontier:
                    lines = sorted(self.lines_of.get(cell, ()),
                                   key=lambda i: (sum(self.unknown(k) for k in self.lines[i].keys), i))
                    for index in lines:
                        shown = [k for k in self.lines[index].keys if not self.unknown(k) and not self.cells[k].public
                                 and (self.cells[k].value > 0 or not nonzero)]
                        if shown:  # a cell of exactly min_n could only drop to 0 (step 3): larger ones first
                            return min(shown, key=lambda k: (self.cells[k].value == 0, self.cells[k].value <= self.m,
                                                             self.cells[k].value, self.order[k]))
                around = []
                for cell in frontier:
                    for index in self.lines_of.get(cell, ()):
                        for other in self.lines[index].keys:
                            if other not in seen and self.unknown(other) and (expand is None or other in expand):
                                seen.add(other)
                                around.append(other)
                frontier = around
        return None

    def protect(self, holes: bool) -> bool:
        changed = False
        while True:
            lo, hi = self.bounds(holes)
            pinned = {k for k in self.cells if lo[k] == hi[k] and self.unknown(k)}
            # with the marks known, only figures about 1..min_n-1 respondents must stay ambiguous
            watched = [k for k in self.cells if self.guarded(k)
                       and not (holes and self.withheld.get(k) is Mark.SECONDARY)]
            targets = [k for k in watched if k in pinned]
            expand: set[Key] | None = pinned
            if not targets:  # propagation sees nothing: every watched cell needs a second solution
                targets = [k for k in watched if not self.witness(k, holes)]
                expand = None
            if not targets:
                return changed
            for key in targets:
                found = self.candidate(key, zeros=not holes, expand=expand)
                if found is not None:
                    self.withheld[found] = Mark.SECONDARY
                    changed = True
                    break
            else:
                if not holes and expand is not None:
                    raise Unprotectable(targets[0])
                # a cell with the marks known, or without a witness: its table is left out (no witness is
                # no proof of a leak, but nothing is left to withhold around it)
                tabled = [k for k in targets if any(k in keys for keys in self.tables.values())]
                if not tabled:
                    return changed  # best effort for figures outside any named table
                raise Unprotectable(tabled[0])

    # ------------------------------------------------------------ witnesses

    def witness(self, key: Key, holes: bool) -> bool:
        """Whether another whole-number solution moves ``key`` by one, every moved cell staying within what
        a reader knows of it: then ``key`` is not determined. Found once, a witness stays valid (more
        withheld cells only add freedom), so it is cached. Not finding one (the search is bounded) only
        costs a cell more withheld."""
        if (key, holes) in self.witnessed:
            return True
        for step in (1, -1):
            if self.can_move(key, step, holes) and (self.close({key: step}, holes)
                                                    or self.extend({key: step}, holes, [WITNESS_BUDGET])):
                self.witnessed.add((key, holes))
                return True
        return False

    def needs(self, moves: Mapping[Key, int]) -> dict[int, int]:
        """The contribution each line touched by ``moves`` still needs to balance (0s left out)."""
        needs: dict[int, int] = {}
        for k, step in moves.items():
            for i in self.lines_of.get(k, ()):
                needs[i] = needs.get(i, 0) - self.coef[(i, k)] * step
        return {i: v for i, v in needs.items() if v}

    def close(self, moves: dict[Key, int], holes: bool) -> bool:
        """Balance every line ``moves`` touch with chains of further unit moves, one open line at a time:
        each chain (breadth first) ends in a cell of no other line or in another open line whose need it
        meets (a rectangle in a two-way table)."""
        open_needs = self.needs(moves)
        for _ in range(WITNESS_DEPTH):
            if not open_needs:
                return True
            start, need = next(iter(open_needs.items()))
            if abs(need) != 1:
                return False
            chain = self.chain(start, need, moves, open_needs, holes)
            if chain is None:
                return False
            moves.update(chain)
            if len(moves) > WITNESS_DEPTH:
                return False
            open_needs = self.needs(moves)
        return False

    def chain(self, start: int, need: int, moves: Mapping[Key, int], open_needs: Mapping[int, int],
              holes: bool) -> dict[Key, int] | None:
        back: dict[int, tuple[int | None, Key | None, int]] = {start: (None, None, 0)}
        queue = deque([(start, need)])
        while queue:
            line, required = queue.popleft()
            for c, cell in self.terms[line]:
                step = required * c
                if cell in moves or not self.can_move(cell, step, holes):
                    continue
                others = [i for i in self.lines_of[cell] if i != line]
                # a cell in three lines or more: the chain goes on through one, the others stay open
                # for the caller's next chains
                for nxt in others or [None]:
                    after = 0 if nxt is None else open_needs.get(nxt, 0) - self.coef[(nxt, cell)] * step
                    if after == 0:  # the chain ends: walk back to the start
                        found = {cell: step}
                        while line != start:
                            line, cell, step = back[line]  # type: ignore[assignment]
                            found[cell] = step
                        return found
                    if nxt in back or nxt in open_needs or abs(after) != 1:
                        continue
                    back[nxt] = (line, cell, step)  # type: ignore[index]
                    queue.append((nxt, after))  # type: ignore[arg-type]
        return None

    def can_move(self, key: Key, step: int, holes: bool) -> bool:
        if not self.unknown(key):
            return False
        cell = self.cells[key]
        value = cell.value + step
        low, high = (0, INF) if key in self.hidden else cell.bounds(0, INF)
        if not low <= value <= high:
            return False
        mark = self.withheld.get(key)
        if mark is Mark.PRIMARY:
            return 1 <= value <= self.m - 1
        if mark is Mark.SECONDARY and holes:
            return value >= self.m  # 0 or >= min_n, and a unit step cannot jump the gap
        return True

    def extend(self, moves: dict[Key, int], holes: bool, budget: list[int]) -> bool:
        """Depth-first fallback (cells in three lines or more): balance the first unbalanced line by moving
        one more unknown cell, preferring moves that also balance other lines."""
        budget[0] -= 1
        if budget[0] < 0 or len(moves) > WITNESS_DEPTH:
            return False
        needs = self.needs(moves)
        if not needs:
            return True
        index, need = next(iter(needs.items()))
        need = 1 if need > 0 else -1
        options = []
        for c, k in self.terms[index]:
            step = need * c
            if k in moves or not self.can_move(k, step, holes):
                continue
            gain = 0
            for other in self.lines_of.get(k, ()):
                if other != index:
                    before = needs.get(other, 0)
                    after = before - self.coef[(other, k)] * step
                    gain += (abs(after) < abs(before)) - (abs(after) > abs(before))
            options.append((-gain, self.order[k], k, step))
        for _, _, k, step in sorted(options, key=lambda o: (o[0], o[1])):
            moves[k] = step
            if self.extend(moves, holes, budget):
                return True
            del moves[k]
            if budget[0] < 0:
                return False
        return False

    def protect_means(self) -> bool:
        changed = False
        again = True
        while again:
            again = False
            for ml in self.mean_lines:
                keys = (ml.total, *ml.parts)
                unknown = [k for k in keys if k in self.withheld or k in self.hidden]
                if len(unknown) != 1:
                    continue
                mean = self.means[unknown[0]]
                if unknown[0] not in self.withheld and not 0 < self.cells[mean.n].value < self.m:
                    continue  # a hidden mean over enough respondents needs no protection
                shown = [k for k in keys if k not in unknown and not self.means[k].public]
                if not shown:
                    if self.withheld.get(unknown[0]) is Mark.SECONDARY:
                        continue  # public figures give it: it protected nothing (protect_mean_chains guards the rest)
                    raise Unprotectable(unknown[0])
                pick = min(shown, key=lambda k: (self.means[k].keep, k == ml.total, self.cells[self.means[k].n].value, keys.index(k)))
                self.withheld[pick] = Mark.SECONDARY
                changed = again = True
        return changed

    def protect_mean_chains(self) -> bool:
        """Chains of mean lines (see :mod:`crassess.reports.mean_algebra`): when a reader can compute a sensitive
        mean, or a combination of sensitive means over fewer than min_n respondents, withhold one more shown mean
        of a line around it (the lowest ``keep``, a part before a total, the smallest n first)."""
        from crassess.reports.mean_algebra import leaks

        if not self.mean_lines:
            return False
        n = {k: self.cells[m.n].value for k, m in self.means.items()}
        lines = [[(1, ml.total), *((-1, p) for p in ml.parts)] for ml in self.mean_lines]
        unknown = [k for k in self.means if k in self.withheld or k in self.hidden]
        sensitive = {k for k in unknown if self.withheld.get(k) is Mark.PRIMARY or (k in self.hidden and 0 < n[k] < self.m)}
        found = leaks(lines, n, unknown, sensitive, self.m)
        if not found:
            return False
        order = {k: i for i, k in enumerate(self.means)}
        near = set(found[0])
        while True:  # the lines around the leak, then the lines around those, and so on
            around = [ml for ml in self.mean_lines if near & {ml.total, *ml.parts}]
            shown = {k: ml.total == k for ml in around for k in (*ml.parts, ml.total)
                     if k not in self.withheld and k not in self.hidden and not self.means[k].public}
            if shown:
                pick = min(shown, key=lambda k: (self.means[k].keep, shown[k], n[k], order[k]))
                self.withheld[pick] = Mark.SECONDARY
                return True
            wider = near | {k for ml in around for k in (ml.total, *ml.parts)}
            if wider == near:
                raise Unprotectable(found[0][0])
            near = wider
