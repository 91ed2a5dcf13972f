"""The XLSForm expression subset used by ``relevant`` and ``constraint``.

Parsed once at load time into a small tree; evaluated by walking it (never ``eval``).
Values: a missing, ``na`` or ``dk`` answer is the empty string ``''``; a
select_multiple answer is its list of values (space-separated in comparisons).
:meth:`Expression.decide` can instead treat some answers as unknown (three-valued logic).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Union

from crassess.i18n import t

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<ref>\$\{(?P<refname>[A-Za-z_][A-Za-z0-9_.-]*)\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op><=|>=|!=|=|<|>|\(|\)|,)
    | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    | (?P<dot>\.)
    )""",
    re.VERBOSE,
)
_COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
_SMART_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


class ExpressionError(ValueError):
    """An expression that does not parse; the message is in the user's language."""


@dataclass(frozen=True)
class Literal:
    value: str | float


@dataclass(frozen=True)
class Ref:
    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the answer being constrained."""


@dataclass(frozen=True)
class Compare:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class BoolOp:
    op: str  # "and" | "or"
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


Node = Union[Literal, Ref, Current, Compare, BoolOp, Call]


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source, tree and the question ids it reads."""

    source: str
    tree: Node
    refs: tuple[str, ...]
    uses_current: bool

    def evaluate(self, values: Mapping[str, Any], current: Any = None) -> bool:
        return _truth(_eval(self.tree, values, current, frozenset()))

    def decide(self, values: Mapping[str, Any], unknown: Collection[str]) -> bool | None:
        """Kleene's three-valued evaluation: ``None`` when the result hinges on an answer named in ``unknown``.

        A definite result holds whatever those answers are: ``${a} = 'x' and ${b} = 'y'`` with ``a``
        unknown is false when ``b`` is not ``'y'``, undecided otherwise.
        """
        value = _eval(self.tree, values, None, frozenset(unknown))
        return None if value is UNKNOWN else _truth(value)


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    text = source.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            bad = text[pos:].lstrip()[:1]
            if bad in "'\"":
                raise ExpressionError(t("expr.unterminated"))
            raise ExpressionError(t("expr.unexpected_char", char=bad, pos=len(text) - len(text[pos:].lstrip()) + 1))
        kind = m.lastgroup if m.lastgroup != "refname" else "ref"
        if m.group("ref"):
            tokens.append(("ref", m.group("refname"), m.start("ref")))
        else:
            tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return tokens


class _Parser:
    # or_expr := and_expr ('or' and_expr)* ; and_expr := cmp ('and' cmp)*
    # cmp := atom (op atom)? ; atom := literal | ref | '.' | call | '(' or_expr ')'
    def __init__(self, tokens: list[tuple[str, str, int]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        tok = self.peek()
        if tok is None:
            raise ExpressionError(t("expr.unexpected_end"))
        self.i += 1
        return tok

    def expect(self, value: str) -> None:
        tok = self.take()
        if tok[1] != value:
            raise ExpressionError(t("expr.unexpected_token", token=tok[1], pos=tok[2] + 1))

    def parse(self) -> Node:
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            raise ExpressionError(t("expr.unexpected_token", token=tok[1], pos=tok[2] + 1))
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while (tok := self.peek()) and tok[0] == "name" and tok[1] == "or":
            self.take()
            node = BoolOp("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.comparison()
        while (tok := self.peek()) and tok[0] == "name" and tok[1] == "and":
            self.take()
            node = BoolOp("and", node, self.comparison())
        return node

    def comparison(self) -> Node:
        node = self.atom()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in _COMPARISONS:
            self.take()
            node = Compare(tok[1], node, self.atom())
        return node

    def atom(self) -> Node:
        kind, value, pos = self.take()
        if kind == "number":
            return Literal(float(value))
        if kind == "string":
            return Literal(value[1:-1])
        if kind == "ref":
            return Ref(value)
        if kind == "dot":
            return Current()
        if kind == "op" and value == "(":
            node = self.or_expr()
            self.expect(")")
            return node
        if kind == "name":
            return self.call(value, pos)
        raise ExpressionError(t("expr.unexpected_token", token=value, pos=pos + 1))

    def call(self, name: str, pos: int) -> Node:
        arity = _ARITY.get(name)
        if arity is None:
            raise ExpressionError(t("expr.unknown_function", name=name))
        self.expect("(")
        args: list[Node] = []
        if not (self.peek() and self.peek()[1] == ")"):
            args.append(self.or_expr())
            while self.peek() and self.peek()[1] == ",":
                self.take()
                args.append(self.or_expr())
        self.expect(")")
        if len(args) != arity:
            raise ExpressionError(t("expr.arity", name=name, n=arity))
        if name in ("selected", "count-selected") and not isinstance(args[0], (Ref, Current)):
            raise ExpressionError(t("expr.needs_ref", name=name))
        return Call(name, tuple(args))


def parse(source: str) -> Expression:
    """Parse ``source``; raises :class:`ExpressionError` with a located message."""
    text = source.translate(_SMART_QUOTES)
    tree = _Parser(_tokenize(text)).parse()
    refs: list[str] = []
    uses_current = False

    def walk(node: Node) -> None:
        nonlocal uses_current
        if isinstance(node, Ref) and node.name not in refs:
            refs.append(node.name)
        elif isinstance(node, Current):
            uses_current = True
        elif isinstance(node, (Compare, BoolOp)):
            walk(node.left)
            walk(node.right)
        elif isinstance(node, Call):
            for arg in node.args:
                walk(arg)

    walk(tree)
    return Expression(source, tree, tuple(refs), uses_current)


# ---------------------------------------------------------------- evaluation


def _value(raw: Any) -> Any:
    if raw is None or raw in ("na", "dk"):
        return ""
    return raw


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(_as_text(value).strip())
    except ValueError:
        return math.nan


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not math.isnan(value) and value != 0
    if isinstance(value, list):
        return bool(value)
    return value != ""


_NUMERIC_OPS: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(op: str, left: Any, right: Any) -> bool:
    # XPath 1.0: relational operators always compare numbers; = and != compare
    # numbers when either side is a number, else strings.
    numeric = op not in ("=", "!=") or isinstance(left, (int, float)) or isinstance(right, (int, float))
    if numeric:
        return _NUMERIC_OPS[op](_as_number(left), _as_number(right))
    return _NUMERIC_OPS[op](_as_text(left), _as_text(right))  # type: ignore[arg-type]


def _selected_values(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    text = _as_text(value)
    return text.split() if text else []


_ARITY = {"selected": 2, "count-selected": 1, "not": 1}

_FUNCTIONS: dict[str, Callable[[list[Any]], Any]] = {
    "selected": lambda a: _as_text(a[1]) in _selected_values(a[0]),
    "count-selected": lambda a: float(len(_selected_values(a[0]))),
    "not": lambda a: not _truth(a[0]),
}


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


def _logic(op: str, left: bool | None, right: bool | None) -> Any:
    """``and``/``or`` of Kleene's logic, ``None`` standing for unknown."""
    decisive = op == "or"  # the value that settles the result whatever the other side is
    if left is decisive or right is decisive:
        return decisive
    return UNKNOWN if left is None or right is None else not decisive


def _eval(node: Node, values: Mapping[str, Any], current: Any, unknown: frozenset[str]) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Ref):
        return UNKNOWN if node.name in unknown else _value(values.get(node.name))
    if isinstance(node, Current):
        return _value(current)
    if isinstance(node, BoolOp):
        sides = [_eval(side, values, current, unknown) for side in (node.left, node.right)]
        left, right = (None if v is UNKNOWN else _truth(v) for v in sides)
        return _logic(node.op, left, right)
    args = [_eval(a, values, current, unknown) for a in ((node.left, node.right) if isinstance(node, Compare) else node.args)]
    if any(a is UNKNOWN for a in args):
        return UNKNOWN
    if isinstance(node, Compare):
        return _compare(node.op, args[0], args[1])
    return _FUNCTIONS[node.name](args)
