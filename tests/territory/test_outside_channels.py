"""``fuori_territorio`` end to end in every collection channel: the template's comune cell, a returned workbook,
an answers file, the XLSForm (through pyxform) and a KoboToolbox export of it, and the respondent's report."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
from click.testing import CliRunner
from pyxform.xls2xform import convert

from crassess.campaign.scored import load_campaign
from crassess.cli.main import cli
from crassess.forms.layout import form_layout
from crassess.forms.xlsform import build_xlsform
from crassess.reports.analysis import analyse
from crassess.reports.respondent import respondent_report
from crassess.sheets import workbook_bytes
from crassess.territory.comuni import load_territory
from tests._campaigns import make_campaign, response
from tests.conftest import EXAMPLE, write_files
from tests.forms.platforms import NS
from tests.forms.test_intake import UA, esempio_export, esempio_row
from tests.forms.test_intake import run as import_exports
from tests.spreadsheet_fixtures import fill
from tests.spreadsheets.test_template import _list_values

GOOD = {"fibra_disponibile": "Sì", "fibra_sede": "Sì", "wifi": "In parte", "strumenti.cloud": "Sì"}
ANSWERS = """
respondent:
  name: Associazione Milanese
  comune: fuori territorio
  size: 4
answers:
  fibra_disponibile: si
"""


def stored(campaign: Path) -> dict[str, str]:
    return {d["respondent"]["name"]: d["respondent"]["comune"]
            for d in (json.loads(p.read_text(encoding="utf-8")) for p in (campaign / "responses").glob("*.json"))}


def test_template_offers_it_and_a_returned_workbook_is_read_back(tmp_path, esempio):
    path = fill(tmp_path / "r.xlsx", esempio, GOOD, profile={"comune": "Fuori territorio"})
    book = openpyxl.load_workbook(path)
    profile = {str(dv.sqref): dv for dv in book["Profilo"].data_validations.dataValidation}
    listed = _list_values(book, profile["C3"].formula1)
    assert "Fuori territorio" in listed and "«Fuori territorio»" in profile["C3"].prompt
    assert book["Profilo"]["D3"].value == "Un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove"
    english = fill(tmp_path / "e.xlsx", esempio, GOOD, lang="en", rid="21111111-2222-4333-8444-555555555555",
                   profile={"comune": "Outside the territory", "name": "Outside Ltd"})
    result = CliRunner().invoke(cli, ["import", str(path), str(english), "--campaign", str(tmp_path / "camp"), "-q", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "camp") == {"Rossi Meccanica srl": "fuori_territorio", "Outside Ltd": "fuori_territorio"}


def test_answers_file(tmp_path):
    files = write_files(tmp_path, {"carta.yaml": ANSWERS})
    result = CliRunner().invoke(cli, ["interview", str(EXAMPLE), "--campaign", str(tmp_path / "c"), "--answers", str(files["carta.yaml"])])
    assert result.exit_code == 0, result.output
    assert stored(tmp_path / "c") == {"Associazione Milanese": "fuori_territorio"}


def test_xlsform_choice_through_pyxform_and_a_kobo_export_of_it(tmp_path, esempio):
    result = convert(xlsform=io.BytesIO(workbook_bytes(build_xlsform(form_layout(esempio, load_territory())))))
    model = ET.fromstring(result.xform).find("h:head/x:model", NS)
    comuni = next(i for i in model.findall("x:instance", NS) if i.get("id") == "comuni")
    last = comuni[0][-1]
    assert last.findtext("x:name", namespaces=NS) == "fuori_territorio"
    labels = {t.get("lang"): {x.get("id"): "".join(x.find("x:value", NS).itertext()) for x in t.findall("x:text", NS)}
              for t in model.findall("x:itext/x:translation", NS)}
    text_id = last.findtext("x:itextId", namespaces=NS)
    assert (labels["Italiano (it)"][text_id], labels["English (en)"][text_id]) == ("Fuori territorio", "Outside the territory")
    content = esempio.content_hash[:12]
    path = esempio_export(tmp_path, content, [esempio_row(UA, 1, content, profile__respondent_comune="fuori_territorio")])
    imported = import_exports([path], tmp_path / "camp", questionnaires=[EXAMPLE])
    assert dict(imported.submissions.counts) == {"imported": 1}
    assert stored(tmp_path / "camp") == {"Caffè L'Arte; Crema": "fuori_territorio"}


def test_the_respondents_report_says_outside_the_territory(tmp_path):
    make_campaign(tmp_path / "camp", {"a.json": response(name="Associazione Milanese", comune="fuori_territorio", size=4)})
    campaign = load_campaign(tmp_path / "camp")
    ta = analyse(list(campaign.responses), load_territory(), name="Prova", min_n=5)
    [r] = ta.respondents
    assert r.comune is None  # in no comune: no comune-level figure takes it in
    it = respondent_report(r, ta.name, ta.comuni_names, lang="it", min_n=5)
    en = respondent_report(r, ta.name, ta.comuni_names, lang="en", min_n=5)
    assert "fuori_territorio" not in it + en
    assert re.search(r"\| Comune +\| Fuori territorio +\|", it) and re.search(r"\| Municipality +\| Outside the territory +\|", en)
