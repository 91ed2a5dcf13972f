"""Statistical disclosure control: the one place that decides which published figures are withheld.

Every count, share or mean that an output publishes (Markdown, workbook, charts, maps, comparisons) is
registered in one :class:`Publication` per report set, solved once, and rendered from the resulting
:class:`Protection`. So a count shown in two tables is withheld in both, and nothing can be recovered by
subtraction from everything published together.

Vocabulary
    *cell*: a count of respondents under a key (any hashable, e.g. ``("level", "impresa", "base")``).
    One key, one figure: a count published in several tables is registered once (linked tables).
    *public* cell: published whatever its size (e.g. the respondents of a sector).
    *hidden* cell: shown nowhere, but a reader can work it out, e.g. those who did *not* name a barrier
    (answered - named). Registered so that, when it describes 1..min_n-1 respondents, it is protected too.
    *line*: sum(left) = sum(right) between cells: a total and its parts, a base and its complement.
    *mean*: a mean over the respondents counted by a cell (its ``n``); a *mean line* says the mean of a
    group is the n-weighted mean of the means of its parts (so one part's mean follows from the others).
    A *share* is shown only when its part and its base are both shown (a percentage reveals its count).

Primary suppression (:attr:`Mark.PRIMARY`, "n<5"): a cell of 1..min_n-1 respondents that is not public;
a mean over 1..min_n-1 respondents.

Secondary suppression (:attr:`Mark.SECONDARY`, "riservato"): more cells are withheld until no withheld
cell and no sensitive hidden cell can be determined exactly from everything registered: the lines, the
fact that a primary cell lies in [1, min_n-1] (the "at least 1" rule), and that a secondary cell is 0 or
at least min_n (its distinct mark tells a reader that much). A table that cannot be protected even so is
left unpublished. The algorithm is in :mod:`crassess.reports.suppression`; the tests audit whole report
sets independently with linear programming (``tests/reports/audit.py``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from crassess.i18n import register, t

Key = Hashable

register({
    "sdc.secondary": {"it": "riservato", "en": "suppressed"},
    "sdc.notes": {
        "it": "`n<{n}`: cifra su meno di {n} rispondenti, omessa. `riservato`: cifra omessa solo perché non si possano "
              "ricalcolare per differenza le cifre `n<{n}` (da totali, percentuali o altre tabelle); può valere 0 o "
              "almeno {n}.",
        "en": "`n<{n}`: a figure over fewer than {n} respondents, withheld. `suppressed`: a figure withheld only so that "
              "the `n<{n}` figures cannot be worked out by subtraction (from totals, percentages or other tables); it "
              "is 0 or at least {n}.",
    },
})


class Mark(str, Enum):
    """Why a figure is withheld."""

    PRIMARY = "primary"  # it describes 1..min_n-1 respondents
    SECONDARY = "secondary"  # it would let a reader compute a primary or hidden one


@dataclass(frozen=True)
class Withheld:
    """A withheld figure as renderers receive it (never the value)."""

    mark: Mark

    @property
    def primary(self) -> bool:
        return self.mark is Mark.PRIMARY


PRIMARY = Withheld(Mark.PRIMARY)
SECONDARY = Withheld(Mark.SECONDARY)


class DisclosureError(ValueError):
    """The registered figures are inconsistent or cannot be protected (a programming error)."""


@dataclass(frozen=True)
class Cell:
    key: Key
    value: int
    public: bool = False
    hidden: bool = False
    at_least: int = 0  # what a reader knows anyway (a row listed only when not empty is >= 1)
    at_most: int | None = None

    def bounds(self, low: float, high: float) -> tuple[float, float]:
        """``[low, high]`` narrowed by what a reader knows of this cell anyway."""
        return max(low, self.at_least), high if self.at_most is None else min(high, self.at_most)


@dataclass(frozen=True)
class Line:
    """sum(left) = sum(right)."""

    left: tuple[Key, ...]
    right: tuple[Key, ...]

    @property
    def keys(self) -> tuple[Key, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class MeanCell:
    key: Key
    value: float
    n: Key
    hidden: bool = False
    public: bool = False
    keep: int = 0  # when a mean must be withheld to protect another, the lowest ``keep`` goes first


@dataclass(frozen=True)
class MeanLine:
    """The mean ``total`` is the n-weighted mean of the ``parts``."""

    total: Key
    parts: tuple[Key, ...]


def mark_label(mark: Mark | Withheld, min_n: int, lang: str | None = None) -> str:
    """``n<5`` for a primary cell, ``riservato``/``suppressed`` for a secondary one."""
    mark = mark.mark if isinstance(mark, Withheld) else mark
    return f"n<{min_n}" if mark is Mark.PRIMARY else t("sdc.secondary", lang)


def notes(min_n: int, lang: str | None = None) -> str:
    """The sentence every report prints to explain both marks."""
    return t("sdc.notes", lang, n=min_n)


class Publication:
    """Everything a report set publishes, registered before anything is rendered (mutable builder)."""

    def __init__(self, min_n: int) -> None:
        if min_n < 3:  # with 2, a primary cell is exactly 1 by definition
            raise DisclosureError("min_n must be at least 3")
        self.min_n = min_n
        self._cells: dict[Key, Cell] = {}
        self._lines: list[Line] = []
        self._means: dict[Key, MeanCell] = {}
        self._mean_lines: list[MeanLine] = []
        self._tables: dict[str, tuple[Key, ...]] = {}

    @property
    def tables(self) -> Mapping[str, tuple[Key, ...]]:
        """The named tables registered so far (read only)."""
        return dict(self._tables)

    # ------------------------------------------------------------ registering

    def table(self, name: str, keys: Iterable[Key]) -> str:
        """Name the cells one table (or chart, or list) publishes together. A table that cannot be
        protected at all (e.g. five respondents in five classes: each is 1) is then left unpublished
        instead: see :meth:`Protection.published`. Registering the same name again adds cells to it."""
        keys = tuple(keys)
        for key in keys:
            if key not in self._cells and key not in self._means:
                raise DisclosureError(f"table {name!r} with an unregistered figure {key!r}")
        self._tables[name] = tuple(dict.fromkeys(self._tables.get(name, ()) + keys))
        return name

    def count(self, key: Key, value: int, *, public: bool = False, hidden: bool = False, at_least: int = 0,
              at_most: int | None = None) -> Key:
        """Register a count. The same key again must carry the same value; it stays hidden only if hidden
        everywhere, and is public if public anywhere. ``at_least``/``at_most``: what a reader knows of it
        anyway (e.g. a table lists a comune only when it has a respondent: at least 1)."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DisclosureError(f"{key!r}: a count must be a whole number >= 0, not {value!r}")
        if key in self._means:
            raise DisclosureError(f"{key!r} is already a mean")
        if value < at_least or (at_most is not None and value > at_most):
            raise DisclosureError(f"{key!r}: {value} is outside its known bounds")
        old = self._cells.get(key)
        if old is not None:
            if old.value != value:
                raise DisclosureError(f"{key!r} registered with two values: {old.value} and {value}")
            public, hidden = public or old.public, hidden and old.hidden
            at_least = max(at_least, old.at_least)
            at_most = old.at_most if at_most is None else at_most if old.at_most is None else min(at_most, old.at_most)
        self._cells[key] = Cell(key, value, public, hidden and not public, at_least, at_most)
        return key

    def line(self, total: Key | list[Key], parts: Iterable[Key]) -> None:
        """sum(total) = sum(parts); ``total`` is one key or a *list* of keys (keys are often tuples).
        Every key must be registered."""
        left = tuple(total) if isinstance(total, list) else (total,)
        right = tuple(parts)
        for key in left + right:
            if key not in self._cells:
                raise DisclosureError(f"line with an unregistered cell {key!r}")
        if sum(self._cells[k].value for k in left) != sum(self._cells[k].value for k in right):
            raise DisclosureError(f"line {left!r} = {right!r} does not hold")
        self._lines.append(Line(left, right))

    def partition(self, total: Key, parts: Mapping[Key, int], *, public_total: bool = False,
                  hidden_total: bool = False, table: str | None = None) -> None:
        """Register ``parts`` and ``total`` = their sum (every category of a table, zeros included), and
        with ``table`` name them as one table (the total too unless hidden)."""
        for key, value in parts.items():
            self.count(key, value)
        self.count(total, sum(parts.values()), public=public_total, hidden=hidden_total)
        self.line(total, list(parts))
        if table is not None:
            self.table(table, [*parts, *(() if hidden_total else (total,))])

    def complement(self, base: Key, part: Key, rest: Key, *, public: bool = False) -> None:
        """Register the hidden ``rest`` = ``base`` - ``part`` (those without the attribute) and the line
        (``public``: a figure of a group published by name, known anyway)."""
        value = self._cells[base].value - self._cells[part].value
        self.count(rest, value, hidden=True, public=public)
        self.line(base, [part, rest])

    def mean(self, key: Key, value: float, n: Key, *, hidden: bool = False, public: bool = False, keep: int = 0) -> Key:
        """Register a mean over the respondents counted by the cell ``n`` (``public``: shown whatever n, known to
        every reader, e.g. published by another report). When a shown mean must be withheld to protect another,
        one with a lower ``keep`` goes first (then a part before its total, the smallest n)."""
        if n not in self._cells:
            raise DisclosureError(f"mean {key!r} over an unregistered count {n!r}")
        if key in self._cells:
            raise DisclosureError(f"{key!r} is already a count")
        old = self._means.get(key)
        if old is not None and (old.n != n or abs(old.value - value) > 1e-9):
            raise DisclosureError(f"mean {key!r} registered twice with different values")
        if old is not None:
            hidden, public, keep = hidden and old.hidden, public or old.public, max(keep, old.keep)
        self._means[key] = MeanCell(key, float(value), n, hidden and not public, public, keep)
        return key

    def mean_line(self, total: Key, parts: Iterable[Key]) -> None:
        """The mean ``total`` is the n-weighted mean of ``parts`` (e.g. a sector and its sub-groups)."""
        parts = tuple(parts)
        for key in (total, *parts):
            if key not in self._means:
                raise DisclosureError(f"mean line with an unregistered mean {key!r}")
        n = {k: self._cells[self._means[k].n].value for k in (total, *parts)}
        if n[total] == sum(n[k] for k in parts) and n[total]:
            weighted = sum(n[k] * self._means[k].value for k in parts) / n[total]
            if abs(weighted - self._means[total].value) > 1e-6 * max(1.0, abs(weighted)):
                raise DisclosureError(f"mean {total!r} is not the weighted mean of its parts")
        self._mean_lines.append(MeanLine(total, parts))

    # ------------------------------------------------------------ solving

    def solve(self) -> Protection:
        """Primary, then secondary suppression until nothing withheld can be determined exactly."""
        from crassess.reports.suppression import Solver, Unprotectable
        dropped: set[str] = set()
        attempts: dict[Key, int] = {}
        while True:
            hidden = {k for k, c in self._cells.items() if c.hidden}
            hidden |= {k for k, c in self._means.items() if c.hidden}
            if dropped:
                kept = {k for name, keys in self._tables.items() if name not in dropped for k in keys}
                hidden |= {k for name in dropped for k in self._tables[name] if k not in kept}
                hidden -= {k for k, c in self._cells.items() if c.public}
            try:
                withheld = Solver(self.min_n, self._cells, self._lines, self._means, self._mean_lines, self._tables,
                                  hidden).run()
            except Unprotectable as exc:
                # the tables showing the cell; then, each time it comes back, those showing the cells one
                # line further away (the cells that pin it)
                radius = attempts.get(exc.key, 0)
                near, tables = {exc.key}, set()
                for step in range(len(self._lines) + 1):
                    tables = {name for name, keys in self._tables.items() if name not in dropped and near & set(keys)}
                    if step >= radius and tables:
                        break
                    # a public cell is a known constant: the pinning goes through the others only
                    near |= {k for line in self._lines if near & set(line.keys) for k in line.keys
                             if not self._cells[k].public}
                if not tables:
                    raise DisclosureError(f"{exc.key!r} cannot be protected: public figures determine it") from None
                attempts[exc.key] = step + 1
                dropped |= tables
                continue
            return Protection(self.min_n, dict(self._cells), tuple(self._lines), dict(self._means),
                              tuple(self._mean_lines), withheld, frozenset(hidden), frozenset(dropped),
                              dict(self._tables))


@dataclass(frozen=True)
class Protection:
    """The solved publication: what is shown, what is withheld and why. Renderers read figures from here."""

    min_n: int
    cells: Mapping[Key, Cell]
    lines: tuple[Line, ...]
    means: Mapping[Key, MeanCell]
    mean_lines: tuple[MeanLine, ...]
    withheld: Mapping[Key, Mark] = field(default_factory=dict)
    hidden: frozenset[Key] = frozenset()  # never shown: hidden cells and those of unpublished tables
    dropped: frozenset[str] = frozenset()  # tables that could not be protected: not to be published
    tables: Mapping[str, tuple[Key, ...]] = field(default_factory=dict)

    def published(self, table: str) -> bool:
        """False for a table that could not be protected even with every cell withheld: leave it out
        (say so in its place) and show none of its figures."""
        return table not in self.dropped

    def status(self, key: Key) -> Mark | None:
        """``None`` when shown, else why it is withheld."""
        self._check(key)
        return self.withheld.get(key)

    def count(self, key: Key) -> int | Withheld:
        """The count, or :class:`Withheld` with its mark."""
        return self._figure(key, Cell)  # type: ignore[return-value]

    def mean(self, key: Key) -> float | Withheld:
        """The mean, or :class:`Withheld` with its mark."""
        return self._figure(key, MeanCell)  # type: ignore[return-value]

    def _figure(self, key: Key, kind: type) -> int | float | Withheld:
        cell = self._check(key)
        if not isinstance(cell, kind):
            raise DisclosureError(f"{key!r} is not a {'count' if kind is Cell else 'mean'}")
        mark = self.withheld.get(key)
        return Withheld(mark) if mark else cell.value

    def share(self, part: Key, base: Key) -> float | Withheld | None:
        """100 x part / base, shown only when both counts are shown; ``None`` when the base is 0."""
        p, b = self.count(part), self.count(base)
        if isinstance(p, Withheld):
            return p
        if isinstance(b, Withheld):
            return b
        return None if b == 0 else 100.0 * p / b

    def shown(self, key: Key) -> bool:
        return self.status(key) is None

    def _check(self, key: Key) -> Cell | MeanCell:
        cell = self.cells.get(key) or self.means.get(key)
        if cell is None:
            raise DisclosureError(f"{key!r} was not registered: every published figure goes through disclosure")
        if key in self.hidden:
            raise DisclosureError(f"{key!r} is hidden or in an unpublished table: it is never published")
        return cell
