"""crassess expressions as XPath: the text, and the same truth value as crassess for every answer.

The XPath is evaluated by libxml2 (lxml) over the instance a form would hold, with ODK's ``selected``,
``count-selected`` and ``if`` as extension functions; crassess evaluates the same answers itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from crassess.forms.xpath import to_xpath
from crassess.questionnaire.expressions import parse
from crassess.questionnaire.load import (
    load_questionnaire,
    shipped_files,
    validate_questionnaire,
)
from crassess.questionnaire.models import Question, Questionnaire
from crassess.questionnaire.responses import check_constraint

ABC = [{"value": v, "label": {"it": v.upper()}} for v in ("a", "b", "c")]
QN = validate_questionnaire({
    "id": "x", "version": "1", "sector": "impresa", "title": {"it": "X"},
    "levels": [{"id": "l", "from": 0, "label": {"it": "L"}}],
    "dimensions": [{"id": "d", "label": {"it": "D"}}],
    "questions": [
        {"id": "one", "type": "select_one", "choices": ABC, "label": {"it": "1"}, "allow_dk": True, "allow_na": True},
        {"id": "plain", "type": "select_one", "choices": ABC, "label": {"it": "2"}},
        {"id": "many", "type": "select_multiple", "choices": ABC, "label": {"it": "3"}, "allow_dk": True},
        {"id": "num", "type": "integer", "label": {"it": "4"}, "allow_dk": True},
        {"id": "txt", "type": "text", "label": {"it": "5"}},
    ],
}, "x.yaml")

NS = etree.FunctionNamespace(None)


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "".join(_text(v) for v in value[:1])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value.text or "" if hasattr(value, "text") else str(value)


NS["selected"] = lambda ctx, a, b: _text(b) in _text(a).split()
NS["count-selected"] = lambda ctx, a: float(len(_text(a).split()))
NS["if"] = lambda ctx, c, a, b: a if (bool(c) if not isinstance(c, str) else c != "") else b


def instance(answers: dict[str, Any], qn: Questionnaire = QN) -> etree._Element:
    """The form's instance for crassess answers: dk/na of a number or text live in its status field."""
    root = etree.Element("data")
    for q in qn.questions:
        value = answers.get(q.id)
        text = " ".join(value) if isinstance(value, list) else "" if value is None else str(value)
        if q.type in ("integer", "decimal", "text") and value in ("dk", "na"):
            text = ""
        etree.SubElement(root, q.id).text = text
    return root


def xpath_truth(source: str, answers: dict[str, Any], qn: Questionnaire = QN) -> bool:
    text = to_xpath(parse(source).tree, qn)
    for name in sorted(qn.questions_by_id, key=len, reverse=True):
        text = text.replace("${" + name + "}", f"/data/{name}")
    return bool(etree.XPath(f"boolean({text})")(instance(answers, qn)))


ANSWERS = st.fixed_dictionaries({}, optional={
    "one": st.sampled_from(["a", "b", "c", "dk", "na"]),
    "plain": st.sampled_from(["a", "b", "c"]),
    "many": st.one_of(st.just("dk"), st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True)),
    "num": st.one_of(st.just("dk"), st.integers(-5, 12)),
    "txt": st.sampled_from(["", "a", "dk", "3"]),
})

RELEVANT = [
    "${one} = 'a'", "${one} != 'a'", "${one} = ''", "${one} != ''", "${one}", "not(${one})", "${one} = 'dk'",
    "${one} = ${plain}", "${plain} != ${one}", "${one} > 2", "${one} != 3",
    "selected(${many}, 'a')", "not(selected(${many}, 'b'))", "selected(${many}, 'dk')", "count-selected(${many}) > 1",
    "count-selected(${many}) = 0", "${many} = 'a b'", "${many}",
    "${num} > 5", "${num} = ''", "${num} >= 0 and ${num} <= 10", "${num}", "${num} != 3",
    "${one} = 'a' or ${plain} = 'b' and ${num} > 1", "(${one} = 'a' or ${plain} = 'b') and ${num} > 1",
    "not(${one} = 'a' or selected(${many}, 'c'))", "${txt} = \"l'a\"", "${txt} > 2.5",
]


@pytest.mark.parametrize(("source", "xpath"), [
    ("${plain} = 'a'", "${plain} = 'a'"),
    ("${one} = 'a'", "${one} = 'a'"),
    ("${one} = ''", "if(${one} = 'dk' or ${one} = 'na', '', ${one}) = ''"),
    ("${one}", "if(${one} = 'dk' or ${one} = 'na', '', ${one}) != ''"),
    ("not(${num}) or ${txt}", "not(${num} != '' and ${num} != 0) or ${txt} != ''"),
    ("count-selected(${many}) > 1", "if(selected(${many}, 'dk') or selected(${many}, 'na'), 0, count-selected(${many})) > 1"),
    ("selected(${many}, 'a')", "selected(${many}, 'a')"),
    ("(${plain} = 'a' or ${plain} = 'b') and ${num} >= 1.50", "(${plain} = 'a' or ${plain} = 'b') and ${num} >= 1.5"),
    ("${txt} = \"l'a\" and not(${num} = 3.)", "${txt} = \"l'a\" and not(${num} = 3)"),
    ("${txt} = ‘x’", "${txt} = 'x'"),
])
def test_xpath_text(source, xpath):
    assert to_xpath(parse(source).tree, QN) == xpath


def test_dot_of_a_select_offering_dont_know():
    constraint = to_xpath(parse(". != 'b'").tree, QN, QN.question("one"))
    assert constraint == ". != 'b'"
    assert to_xpath(parse("count-selected(.) < 3").tree, QN, QN.question("many")) == (
        "if(selected(., 'dk') or selected(., 'na'), 0, count-selected(.)) < 3")


@settings(max_examples=150, deadline=None)
@given(answers=ANSWERS)
def test_relevant_means_the_same_in_the_form(answers):
    for source in RELEVANT:
        assert xpath_truth(source, answers) == parse(source).evaluate(answers), (source, answers)


def _answer(qn: Questionnaire, q: Question) -> st.SearchStrategy[Any]:
    specials = [s for s in ("dk", "na") if getattr(q, f"allow_{s}")]
    values = [c.value for c in qn.choices_of(q)]
    plain: st.SearchStrategy[Any] = {
        "select_one": st.sampled_from(values or ["x"]),
        "select_multiple": st.lists(st.sampled_from(values or ["x"]), min_size=1, max_size=3, unique=True),
        "integer": st.integers(-3, 200), "decimal": st.floats(-3, 200, allow_nan=False), "text": st.text(max_size=3),
    }[q.type]
    return st.one_of(plain, st.sampled_from(specials)) if specials else plain


SHIPPED = [(qn, q.relevant) for qn in map(load_questionnaire, shipped_files()) for q in qn.questions if q.relevant]


@pytest.mark.parametrize(("qn", "source"), SHIPPED, ids=[f"{qn.id}:{src}" for qn, src in SHIPPED])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_shipped_relevant_means_the_same_in_the_form(qn, source, data):
    refs = parse(source).refs
    answers = {ref: data.draw(st.one_of(st.none(), _answer(qn, qn.question(ref)))) for ref in refs}
    answers = {k: v for k, v in answers.items() if v is not None}
    assert xpath_truth(source, answers, qn) == parse(source).evaluate(answers)


@pytest.mark.parametrize("source", [". >= 0 and . <= 10", ". != 'b'", "count-selected(.) < 3", "selected(., 'a') or . = ''"])
@settings(max_examples=60, deadline=None)
@given(answers=ANSWERS)
def test_constraint_means_the_same_in_the_form(source, answers):
    """crassess skips a constraint for dk/na; the form must let them through too (an empty value is never checked)."""
    target = {". >= 0 and . <= 10": "num", ". != 'b'": "one", "count-selected(.) < 3": "many", "selected(., 'a') or . = ''": "many"}[source]
    value = answers.get(target)
    if value is None or (target == "num" and value == "dk"):
        return  # no value in the form: neither checks it
    question = QN.question(target).model_copy(update={"constraint": source})
    ok = check_constraint(question, value, answers) is None
    q = question
    text = to_xpath(parse(source).tree, QN, q)
    if q.type.startswith("select") and (q.allow_dk or q.allow_na):
        specials = [s for s in ("dk", "na") if getattr(q, f"allow_{s}")]
        test = "selected(., '{}')" if q.type == "select_multiple" else ". = '{}'"
        text = " or ".join([test.format(s) for s in specials] + [f"({text})"])
    root = instance(answers)
    assert bool(etree.XPath(f"boolean({text})")(root.find(target))) == ok, (source, answers)
