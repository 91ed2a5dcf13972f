"""The XLSForm of every shipped questionnaire goes through pyxform, the reference converter, without a
warning, and its XForm carries the questionnaire: binds (relevant, constraint, required), translations."""

from __future__ import annotations

import io
import shutil
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from click.testing import CliRunner
from pyxform.xls2xform import convert

from crassess.cli.main import cli
from crassess.forms.layout import Group, form_layout
from crassess.forms.xlsform import build_xlsform
from crassess.forms.xpath import to_xpath
from crassess.questionnaire.load import (
    load_questionnaire,
    shipped_files,
    validate_questionnaire,
)
from crassess.sheets import workbook_bytes
from crassess.territory.comuni import load_territory
from tests.conftest import EXAMPLE
from tests.forms.platforms import NS

IT, EN = "Italiano (it)", "English (en)"
FORMS = [*shipped_files(), EXAMPLE]


def converted(qn):
    layout = form_layout(qn, load_territory())
    data = workbook_bytes(build_xlsform(layout))
    result = convert(xlsform=io.BytesIO(data))
    return layout, data, result


class XForm:
    def __init__(self, text: str):
        self.root = ET.fromstring(text)
        model = self.root.find("h:head/x:model", NS)
        assert model is not None
        self.binds = {b.get("nodeset"): b for b in model.findall("x:bind", NS)}
        self.texts = {t.get("lang"): {x.get("id"): "".join(x.find("x:value", NS).itertext()) for x in t.findall("x:text", NS)}
                      for t in model.findall("x:itext/x:translation", NS)}
        self.defaults = [t.get("lang") for t in model.findall("x:itext/x:translation", NS) if t.get("default") == "true()"]
        self.data = next(i for i in model.findall("x:instance", NS) if "id" not in i.attrib)[0]


def absolute(text: str, layout) -> str:
    paths = {f.name: "/data/" + "/".join((*f.path, f.name)) for f in layout.fields}
    for name in sorted(paths, key=len, reverse=True):
        text = text.replace("${" + name + "}", f" {paths[name]} ")
    return " ".join(text.split())


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_pyxform_accepts_it_and_the_binds_carry_the_questionnaire(path):
    qn = load_questionnaire(path)
    layout, _, result = converted(qn)
    assert result.warnings == []
    form = XForm(result.xform)
    assert (form.data.get("id"), form.data.get("version")) == (qn.id, qn.version)
    assert form.root.findtext("h:head/h:title", namespaces=NS) == qn.title["it"]
    assert form.defaults == [IT] and set(form.texts) == {IT, EN}
    where = {(f.kind, f.key): "/data/" + "/".join((*f.path, f.name)) for f in layout.fields}
    for q in qn.questions:
        node = where[("question", q.id)]
        bind = form.binds[node]
        status = where.get(("status", q.id))
        asked = form.binds[status] if status else bind
        assert asked.get("required") == ("true()" if q.required else None), q.id
        relevant = " ".join((asked.get("relevant") or "").split())
        assert relevant == (absolute(to_xpath(q.relevant_expr.tree, qn), layout) if q.relevant else ""), q.id
        if status:
            assert (bind.get("relevant"), bind.get("required")) == (f" {status}  = 'val'", "true()")
        constraint = bind.get("constraint") or ""
        if q.constraint:
            assert absolute(to_xpath(q.constraint_expr.tree, qn, q), layout) in " ".join(constraint.split()), q.id
        for c in qn.choices_of(q):
            if c.exclusive:
                assert f"selected(., '{c.value}')" in constraint and "count-selected(.) > 1" in constraint
        if constraint:
            messages = [form.texts[lang][f"{node}:jr:constraintMsg"] for lang in (IT, EN)]
            if q.constraint_message:
                assert messages[0].startswith(q.constraint_message["it"]) and messages[1].startswith(q.constraint_message.get("en", q.constraint_message["it"]))
        assert form.texts[IT][f"{asked.get('nodeset')}:label"] == q.label["it"]
        assert form.texts[EN][f"{asked.get('nodeset')}:label"] == q.label.get("en", q.label["it"])
        if q.hint:
            assert form.texts[EN][f"{asked.get('nodeset')}:hint"] == q.hint.get("en", q.hint["it"])
    assert form.binds["/data/crassess_version"].get("calculate") == f"'{qn.version}'"
    assert form.binds["/data/profile/respondent_name"].get("required") == "true()"


@pytest.mark.parametrize("path", FORMS, ids=[p.stem for p in FORMS])
def test_choice_labels_in_both_languages(path):
    qn = load_questionnaire(path)
    layout, _, result = converted(qn)
    form = XForm(result.xform)
    for f in layout.fields:
        if f.question is None or f.kind != "question" or not f.list_name:
            continue
        choices = qn.choices_of(f.question)
        for index, c in enumerate(choices):
            assert form.texts[IT][f"{f.list_name}-{index}"] == c.label["it"]
            assert form.texts[EN][f"{f.list_name}-{index}"] == c.label.get("en", c.label["it"])
        extra = [form.texts[IT][f"{f.list_name}-{i}"] for i in range(len(choices), len(layout.choice_values(f)))]
        assert extra == ["Non so"] * f.question.allow_dk + ["Non applicabile"] * f.question.allow_na


def test_workbook_sheets_and_settings(esempio, tmp_path):
    layout, data, _ = converted(esempio)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["survey", "choices", "settings"]
    survey = list(wb["survey"].iter_rows(values_only=True))
    assert survey[0] == ("type", "name", f"label::{IT}", f"label::{EN}", f"hint::{IT}", f"hint::{EN}", "required",
                         "relevant", "constraint", f"constraint_message::{IT}", f"constraint_message::{EN}",
                         "appearance", "calculation", "default")
    rows = {r[1]: r for r in survey[1:] if r[1]}
    assert rows["respondent_comune"][:4] == ("select_one comuni", "respondent_comune", "Comune", "Comune (municipality)")
    assert rows["respondent_comune"][11] == "autocomplete" and rows["respondent_date"][13] == "today()"
    assert rows["velocita_status"][:4] == ("select_one answer_dk", "velocita_status", "Velocità di download della linea (Mbit/s)",
                                           "Download speed of the line (Mbit/s)")
    assert rows["velocita"][:4] == ("integer", "velocita", "Valore", "Value")
    assert rows["velocita"][7:11] == ("${velocita_status} = 'val'", ". >= 0 and . <= 10000", "Un valore tra 0 e 10000 Mbit/s",
                                      "A value between 0 and 10000 Mbit/s")
    assert rows["strumenti"][8:11] == ("not((selected(., 'nessuno')) and count-selected(.) > 1)",
                                       "'Nessuno': non si può combinare con altre scelte", "'None': cannot be combined with other choices")
    assert [r[:2] for r in survey if r[0] in ("begin_group", "end_group")][:3] == [
        ("begin_group", "profile"), ("end_group", "profile"), ("begin_group", "connettivita")]
    assert list(wb["settings"].iter_rows(values_only=True)) == [
        ("form_title", "form_id", "version", "default_language", "style", "instance_name"),
        ("Questionario di esempio", "esempio", "1.0.0", IT, "pages", "${respondent_name}"),
    ]
    assert data == workbook_bytes(build_xlsform(form_layout(esempio, load_territory())))  # same input, same bytes


def test_text_that_looks_like_a_formula_stays_text():
    qn = validate_questionnaire({
        "id": "f", "version": "1", "sector": "impresa", "title": {"it": "=HYPERLINK(\"x\")"},
        "levels": [{"id": "l", "from": 0, "label": {"it": "L"}}], "dimensions": [{"id": "d", "label": {"it": "=1+1"}}],
        "questions": [{"id": "q", "type": "text", "label": {"it": "=cmd|' /C calc'!A0"}}],
    }, "f.yaml")
    layout, data, result = converted(qn)
    ws = openpyxl.load_workbook(io.BytesIO(data))["survey"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert XForm(result.xform).texts[IT]["/data/other/q:label"] == "=cmd|' /C calc'!A0"


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_form():
    # ODK Validate (JavaRosa) parses every XPath; one questionnaire, as a JVM start costs seconds
    convert(xlsform=io.BytesIO(converted(load_questionnaire("impresa"))[1]), validate=True)  # raises when invalid


def test_cli_writes_the_form(tmp_path):
    out = tmp_path / "impresa-modulo.xlsx"
    result = CliRunner().invoke(cli, ["questionnaires", "xlsform", "impresa", "-o", str(out)])
    assert result.exit_code == 0, result.output
    qn = load_questionnaire("impresa")
    groups = sum(isinstance(n, Group) for n in form_layout(qn, load_territory()).nodes)
    assert result.output == (f"{out}: modulo XLSForm di impresa {qn.version}: {len(qn.questions)} domande in {groups} gruppi, "
                             "113 comuni, italiano e inglese\n")
    assert convert(xlsform=str(out)).warnings == []
    territory = tmp_path / "comuni.csv"
    territory.write_text("istat,nome\n099001,Atlantide\n", encoding="utf-8")
    comune = tmp_path / "comune.xlsx"
    result = CliRunner().invoke(cli, ["questionnaires", "xlsform", "comune", "-o", str(comune), "--territory", str(territory), "--lang", "en"])
    qn = load_questionnaire("comune")
    groups = sum(isinstance(n, Group) for n in form_layout(qn, load_territory()).nodes)
    assert result.output == f"{comune}: XLSForm of comune {qn.version}: {len(qn.questions)} questions in {groups} groups, 1 comuni, Italian and English\n"
    choices = list(openpyxl.load_workbook(comune)["choices"].iter_rows(values_only=True))
    assert [r for r in choices if r[0] == "comuni"] == [("comuni", "099001", "Atlantide", "Atlantide"),
                                                        ("comuni", "fuori_territorio", "Fuori territorio", "Outside the territory")]


@pytest.mark.parametrize(("args", "code", "message"), [
    (["impresa", "-o", "{tmp}/modulo.xls"], 2, "{tmp}/modulo.xls: il modulo va scritto in un file .xlsx"),
    (["nessuno", "-o", "{tmp}/m.xlsx"], 1, "nessuno: questionario 'nessuno' non trovato; disponibili: associazione, comune, impresa"),
    (["impresa", "-o", "{tmp}"], 2, "{tmp}: il modulo va scritto in un file .xlsx"),
    (["impresa", "-o", "{tmp}/m.xlsx", "--territory", "{tmp}/assente.csv"], 1, "{tmp}/assente.csv: file non trovato"),
])
def test_cli_errors(tmp_path, args, code, message):
    result = CliRunner().invoke(cli, ["questionnaires", "xlsform", *(a.format(tmp=tmp_path) for a in args)])
    assert result.exit_code == code
    assert result.output.strip().splitlines()[-1] == message.format(tmp=tmp_path)
    assert not (tmp_path / "m.xlsx").exists()


def test_value_of_a_companion_carries_the_unit():
    qn = validate_questionnaire({
        "id": "u", "version": "1", "sector": "impresa", "title": {"it": "U"},
        "levels": [{"id": "l", "from": 0, "label": {"it": "L"}}], "dimensions": [{"id": "d", "label": {"it": "D"}}],
        "questions": [{"id": "quota", "dimension": "d", "type": "decimal", "unit": "%", "allow_dk": True,
                       "label": {"it": "Quota online", "en": "Online share"}}],
    }, "u.yaml")
    layout, data, result = converted(qn)
    assert result.warnings == []
    texts = XForm(result.xform).texts
    assert (texts[IT]["/data/d/quota:label"], texts[EN]["/data/d/quota:label"]) == ("Valore (%)", "Value (%)")
    assert (texts[IT]["/data/d/quota_status:label"], texts[EN]["/data/d/quota_status:label"]) == ("Quota online", "Online share")
