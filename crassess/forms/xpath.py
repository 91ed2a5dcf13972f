"""crassess expressions (``relevant``, ``constraint``) written as XLSForm/XPath with the same meaning.

The syntax is already an XLSForm subset; what differs is "Non so"/"Non applicabile". In crassess a
``dk`` or ``na`` answer reads as ``''``; in the form a select question that offers them holds ``'dk'`` or
``'na'``. Where that could change the result (a bare reference, a comparison with ``''``, ``'dk'``,
``'na'`` or another reference, ``count-selected``), the reference is wrapped so it reads ``''`` (``0`` for
``count-selected``). A number or text question keeps its status in a companion field, so its own value
is already empty for ``dk``/``na``. A bare reference used as a condition is written as a test of its value
(ODK Collect reads the value, a browser's XPath would only ask whether the field exists).
"""

from __future__ import annotations

from collections.abc import Callable

from crassess.questionnaire.expressions import (
    BoolOp,
    Call,
    Compare,
    Current,
    Literal,
    Node,
    Ref,
)
from crassess.questionnaire.models import Question, Questionnaire

SPECIAL_LITERALS = ("", "dk", "na")


def quote(text: str) -> str:
    return f'"{text}"' if "'" in text else f"'{text}'"


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


class _Printer:
    def __init__(self, qn: Questionnaire, question: Question | None):
        self.qn = qn
        self.question = question

    def _specials(self, name: str) -> bool:
        """Whether the form's value of ``name`` may be ``'dk'``/``'na'`` (a select offering them)."""
        q = self.qn.questions_by_id.get(name)
        return bool(q and q.type.startswith("select") and (q.allow_dk or q.allow_na))

    def _current_specials(self) -> bool:
        q = self.question
        return bool(q and q.type.startswith("select") and (q.allow_dk or q.allow_na))

    def _plain_ref(self, node: Node) -> str:
        return "." if isinstance(node, Current) else "${" + node.name + "}"  # type: ignore[union-attr]

    def _has_specials(self, node: Node) -> bool:
        if isinstance(node, Ref):
            return self._specials(node.name)
        return isinstance(node, Current) and self._current_specials()

    def value(self, node: Node) -> str:
        """``node`` as a value: a reference that may hold dk/na reads as ``''``."""
        if isinstance(node, (Ref, Current)) and self._has_specials(node):
            ref = self._plain_ref(node)
            return f"if({self._is_special(ref, node)}, '', {ref})"
        return self.expr(node)

    def _is_special(self, ref: str, node: Node) -> str:
        name = node.name if isinstance(node, Ref) else (self.question.id if self.question else "")
        q = self.qn.questions_by_id.get(name)
        if q is not None and q.type == "select_multiple":
            return f"selected({ref}, 'dk') or selected({ref}, 'na')"
        return f"{ref} = 'dk' or {ref} = 'na'"

    def expr(self, node: Node) -> str:
        return _PRINTERS[type(node)](self, node)

    def condition(self, node: Node) -> str:
        """``node`` where a truth value is wanted. A bare reference is true when it has an answer (not 0 for
        a number), as in crassess: said explicitly, since XPath would test that the field exists."""
        if not isinstance(node, (Ref, Current)):
            return self.expr(node)
        name = node.name if isinstance(node, Ref) else (self.question.id if self.question else "")
        q = self.qn.questions_by_id.get(name)
        value = self.value(node)
        if q is not None and q.type in ("integer", "decimal"):
            return f"{value} != '' and {value} != 0"
        return f"{value} != ''"

    def literal(self, node: Literal) -> str:
        return _number(node.value) if isinstance(node.value, float) else quote(node.value)

    def ref(self, node: Ref | Current) -> str:
        return self.value(node) if self._has_specials(node) else self._plain_ref(node)

    def compare(self, node: Compare) -> str:
        return f"{self._side(node.left, node.right)} {node.op} {self._side(node.right, node.left)}"

    def _side(self, node: Node, other: Node) -> str:
        # A reference compared with an ordinary literal reads the same with or without dk/na:
        # 'dk' and '' are both unequal to 'si' and both NaN as numbers.
        if isinstance(node, (Ref, Current)) and isinstance(other, Literal) and other.value not in SPECIAL_LITERALS:
            return self._plain_ref(node)
        text = self.value(node)
        return f"({text})" if isinstance(node, (Compare, BoolOp)) else text

    def boolop(self, node: BoolOp) -> str:
        def side(child: Node) -> str:
            text = self.condition(child)
            return f"({text})" if isinstance(child, BoolOp) and child.op == "or" and node.op == "and" else text

        return f"{side(node.left)} {node.op} {side(node.right)}"

    def call(self, node: Call) -> str:
        first = node.args[0] if node.args else None
        if node.name == "count-selected" and first is not None and self._has_specials(first):
            ref = self._plain_ref(first)
            return f"if({self._is_special(ref, first)}, 0, count-selected({ref}))"
        if node.name == "selected" and first is not None:
            choice = node.args[1]
            ordinary = isinstance(choice, Literal) and choice.value not in SPECIAL_LITERALS
            target = self._plain_ref(first) if ordinary else self.value(first)
            return f"selected({target}, {self.expr(choice)})"
        if node.name == "not":
            return f"not({self.condition(node.args[0])})"
        return f"{node.name}({', '.join(self.expr(a) for a in node.args)})"


_PRINTERS: dict[type, Callable[[_Printer, Node], str]] = {
    Literal: _Printer.literal,  # type: ignore[dict-item]
    Ref: _Printer.ref,  # type: ignore[dict-item]
    Current: _Printer.ref,  # type: ignore[dict-item]
    Compare: _Printer.compare,  # type: ignore[dict-item]
    BoolOp: _Printer.boolop,  # type: ignore[dict-item]
    Call: _Printer.call,  # type: ignore[dict-item]
}


def to_xpath(tree: Node, questionnaire: Questionnaire, question: Question | None = None) -> str:
    """``tree`` (a parsed crassess expression) as XLSForm text; ``question`` is the one ``.`` stands for."""
    return _Printer(questionnaire, question).condition(tree)
