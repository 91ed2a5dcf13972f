"""Importing KoboToolbox and ODK Central exports of the shipped questionnaires' forms into a campaign."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest

from crassess.demo import PLAN, build_responses
from crassess.forms.intake import import_paths
from crassess.forms.layout import FormLayout, form_layout
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Response
from crassess.spreadsheets.batch import report_name
from crassess.territory.comuni import load_territory
from tests.forms.platforms import (
    kobo_csv,
    kobo_rows,
    kobo_submissions,
    kobo_xlsx,
    odk_csv,
    odk_rows,
    odk_submissions,
    odk_zip,
    shape,
    xform,
)

NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.timezone.utc)
NAMES = ['Caffè "Città Digitale" srl', "Niccolò D'Alò; Forlì", "Società Agricola Ferrè"]


@lru_cache(maxsize=1)
def _all() -> tuple[Response, ...]:
    questionnaires = {sector: load_questionnaire(qid) for sector, (qid, *_) in PLAN.items()}
    return tuple(r for _, r in build_responses(questionnaires, load_territory()))


@lru_cache(maxsize=4)
def layout_of(qid: str) -> FormLayout:
    return form_layout(load_questionnaire(qid), load_territory())


def responses(qid: str, n: int = 3) -> list[Response]:
    """``n`` complete synthetic responses of ``qid``, the first ones named with accents, quotes and ';'."""
    found = [r for r in _all() if r.questionnaire.id == qid and r.status == "complete"][:n]
    return [r.model_copy(update={"respondent": r.respondent.model_copy(update={"name": NAMES[i]})}) if i < len(NAMES) else r
            for i, r in enumerate(found)]


def kobo_subs(qid: str, items: list[Response], **extra: Any) -> list[dict[str, Any]]:
    return kobo_submissions(layout_of(qid), items, **extra)


def odk_subs(qid: str, items: list[Response]) -> list[dict[str, Any]]:
    return odk_submissions(layout_of(qid), items)


def other_answer(r: Response) -> Response:
    """``r`` with another choice in its last answered select_one whose choices do not gate other questions."""
    qn = load_questionnaire(r.questionnaire.id)
    gates = {ref for q in qn.questions if q.relevant_expr for ref in q.relevant_expr.refs}
    q = next(q for q in reversed(qn.questions) if q.type == "select_one" and q.id in r.answers and q.id not in gates
             and r.answers[q.id] not in ("dk", "na"))
    value = next(c.value for c in qn.choices_of(q) if c.value != r.answers[q.id])
    return r.model_copy(update={"answers": {**r.answers, q.id: value}})


def run(paths: list[Path], campaign: Path, **kw: Any):
    return import_paths(paths, campaign, now=NOW, **kw)


def stored(campaign: Path) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in (json.loads(p.read_text(encoding="utf-8")) for p in sorted((campaign / "responses").glob("*.json")))}


def same_as(data: dict[str, Any], r: Response) -> None:
    assert data["answers"] == r.answers
    assert data["respondent"] == r.respondent.model_dump(exclude_none=True)
    assert data["questionnaire"] == {"id": r.questionnaire.id, "version": r.questionnaire.version}
    assert data["status"] == "complete"


@pytest.mark.parametrize("qid", ["comune", "associazione", "impresa"])
def test_kobo_semicolon_csv_with_groups_round_trip(tmp_path, qid):
    items = responses(qid)
    form = shape(xform(layout_of(qid)))
    path = tmp_path / f"{qid}_2026_11_20.csv"
    path.write_bytes(kobo_csv(kobo_rows(form, kobo_subs(qid, items))))
    result = run([path], tmp_path / "camp")
    assert result.ok and dict(result.submissions.counts) == {"imported": 3} and result.exports == 1
    assert dict(result.files.counts) == {} and result.submissions.warnings == 0
    data = stored(tmp_path / "camp")
    for r in items:
        same_as(data[r.id], r)
    first = data[items[0].id]
    assert first["respondent"]["name"] == 'Caffè "Città Digitale" srl'
    assert first["provenance"] == {"source_file": path.name, "source_sha256": result_sha(path), "platform": "kobo",
                                   "instance_id": items[0].id, "row": 2, "end": "2026-11-20T10:00:00.000+01:00",
                                   "imported_at": "2026-12-01T08:00:00+00:00"}
    again = run([path], tmp_path / "camp")
    assert dict(again.submissions.counts) == {"unchanged": 3} and again.ok


def result_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("groups", "split", "separator", "bom"), [
    (False, True, ",", True),    # re-saved by Excel as "CSV UTF-8": ',' and a BOM, no group names
    (True, False, ";", False),   # select_multiple exported as a single column
    (False, False, ";", False),
])
def test_kobo_csv_variants(tmp_path, groups, split, separator, bom):
    items = responses("impresa")
    form = shape(xform(layout_of("impresa")))
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo_csv(kobo_rows(form, kobo_subs("impresa", items), groups=groups, split=split), separator, bom))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 3}
    for r in items:
        same_as(stored(tmp_path / "camp")[r.id], r)


def test_kobo_per_choice_columns_alone(tmp_path):
    """"Separate columns" only: the answers of a select_multiple are read from its 0/1 columns."""
    items = responses("impresa")
    form = shape(xform(layout_of("impresa")))
    rows = kobo_rows(form, kobo_subs("impresa", items))
    summaries = [i for i, h in enumerate(rows[0]) if h.rsplit("/", 1)[-1] in form.multiple]
    path = tmp_path / "dettaglio.csv"
    path.write_bytes(kobo_csv([[c for i, c in enumerate(row) if i not in summaries] for row in rows]))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 3}
    for r in items:
        same_as(stored(tmp_path / "camp")[r.id], r)


def test_kobo_xlsx_with_typed_numbers_and_hxl_row(tmp_path):
    items = responses("associazione")
    form = shape(xform(layout_of("associazione")))
    rows = kobo_rows(form, kobo_subs("associazione", items))
    rows.insert(1, ["#org" if h.endswith("respondent_name") else "" for h in rows[0]])  # HXL tags row
    path = tmp_path / "Maturità digitale delle associazioni.xlsx"
    path.write_bytes(kobo_xlsx(form, rows, "Maturità digitale delle associ"))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 3} and dict(result.files.counts) == {}
    data = stored(tmp_path / "camp")
    for r in items:
        same_as(data[r.id], r)
    assert data[items[0].id]["provenance"]["row"] == 3


@pytest.mark.parametrize(("split", "group_names"), [(True, True), (False, False)])
def test_odk_central_csv(tmp_path, split, group_names):
    items = responses("comune")
    form = shape(xform(layout_of("comune")))
    path = tmp_path / "comune.csv"
    path.write_bytes(odk_csv(odk_rows(form, odk_subs("comune", items), split=split, group_names=group_names)))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 3} and result.submissions.warnings == 0
    data = stored(tmp_path / "camp")
    for r in items:
        same_as(data[r.id], r)
        assert data[r.id]["provenance"]["platform"] == "odk" and data[r.id]["provenance"]["edits"] == 0


def test_odk_central_zip(tmp_path):
    items = responses("comune", 2)
    form = shape(xform(layout_of("comune")))
    path = tmp_path / "comune.csv.zip"
    path.write_bytes(odk_zip(form, odk_csv(odk_rows(form, odk_subs("comune", items)))))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 2}
    assert sorted(stored(tmp_path / "camp")) == sorted(r.id for r in items)


def test_odk_edited_submission_replaces_its_predecessor(tmp_path):
    items = responses("impresa", 2)
    form = shape(xform(layout_of("impresa")))
    first = tmp_path / "v1.csv"
    first.write_bytes(odk_csv(odk_rows(form, odk_subs("impresa", items))))
    assert dict(run([first], tmp_path / "camp").submissions.counts) == {"imported": 2}
    edited = other_answer(items[1])
    subs = odk_subs("impresa", [items[0], edited])
    subs[1].update({"instanceID": "uuid:f4e8a1c7-2b3d-4e59-a0c6-9d17b8e2f305", "Edits": "1", "ReviewState": "edited"})
    second = tmp_path / "v2.csv"
    second.write_bytes(odk_csv(odk_rows(form, subs)))
    before = next(p for p in (tmp_path / "camp" / "responses").glob("*.json") if json.loads(p.read_text())["id"] == items[1].id)
    old = before.read_bytes()
    lines: list[str] = []
    result = run([second], tmp_path / "camp", on_row=lambda o: lines.extend(str(w) for w in o.warnings))
    assert dict(result.submissions.counts) == {"unchanged": 1, "replaced": 1} and result.ok
    data = json.loads(before.read_text())
    assert data["answers"] == edited.answers and data["provenance"]["edits"] == 1
    assert data["provenance"]["instance_id"] == "uuid:f4e8a1c7-2b3d-4e59-a0c6-9d17b8e2f305"
    copies = list((tmp_path / "camp" / "replaced").glob("*.json"))
    assert len(copies) == 1 and copies[0].read_bytes() == old
    assert lines == [f"{second} (riga 2): invio modificato su ODK Central: sostituisce la versione importata prima ({before}); "
                     f"la precedente è copiata in {copies[0]}"]
    again = run([first], tmp_path / "camp")  # the older export once more: the edit stays
    assert dict(again.submissions.counts) == {"unchanged": 1, "older": 1} and again.ok
    assert json.loads(before.read_text())["answers"] == edited.answers


def test_kobo_edited_submission_by_root_uuid_and_end(tmp_path):
    items = responses("associazione", 1)
    form = shape(xform(layout_of("associazione")))
    first = tmp_path / "k1.csv"
    first.write_bytes(kobo_csv(kobo_rows(form, kobo_subs("associazione", items))))
    run([first], tmp_path / "camp")
    edited = other_answer(items[0])
    subs = kobo_subs("associazione", [edited])
    subs[0].update({"_uuid": "0e7d4c2b-95a1-4f3e-b6c8-7d2a1e9f4b53", "end": "2026-11-21T08:00:00.000+01:00"})
    second = tmp_path / "k2.csv"
    second.write_bytes(kobo_csv(kobo_rows(form, subs)))
    result = run([second], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"replaced": 1}
    assert stored(tmp_path / "camp")[items[0].id]["answers"] == edited.answers


def test_same_id_other_content_without_an_edit_is_a_conflict(tmp_path):
    items = responses("impresa", 1)
    form = shape(xform(layout_of("impresa")))
    first = tmp_path / "a.csv"
    first.write_bytes(kobo_csv(kobo_rows(form, kobo_subs("impresa", items))))
    run([first], tmp_path / "camp")
    changed = other_answer(items[0])
    second = tmp_path / "b.csv"
    second.write_bytes(kobo_csv(kobo_rows(form, kobo_subs("impresa", [changed]))))
    result = run([second], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"conflict": 1} and not result.ok
    assert len(list((tmp_path / "camp" / "conflicts").glob("*.json"))) == 1
    assert stored(tmp_path / "camp")[items[0].id]["answers"] == items[0].answers


def test_rejected_on_the_platform_are_skipped(tmp_path):
    items = responses("impresa", 3)
    form = shape(xform(layout_of("impresa")))
    subs = kobo_subs("impresa", items)
    subs[1]["_validation_status"] = "validation_status_not_approved"
    subs[2]["_validation_status"] = "validation_status_on_hold"
    path = tmp_path / "k.csv"
    path.write_bytes(kobo_csv(kobo_rows(form, subs)))
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 2, "skipped": 1} and result.ok
    assert items[1].id not in stored(tmp_path / "camp")
    odk = odk_subs("impresa", items)
    odk[0]["ReviewState"] = "rejected"
    other = tmp_path / "o.csv"
    other.write_bytes(odk_csv(odk_rows(form, odk)))
    warnings: list[str] = []
    result = run([other], tmp_path / "camp", on_row=lambda o: warnings.extend(str(w) for w in o.warnings))
    assert dict(result.submissions.counts) == {"skipped": 1, "unchanged": 1, "imported": 1}
    existing = next(p for p in (tmp_path / "camp" / "responses").glob("*.json") if json.loads(p.read_text())["id"] == items[0].id)
    assert warnings == [f"{other} (riga 4): invio rifiutato su ODK Central, ma la risposta {items[0].id} è già nella campagna "
                        f"({existing}): toglierla a mano se non deve contare"]


# ------------------------------------------------------------ bad rows, written by hand

EXAMPLE = str(Path(__file__).resolve().parents[2] / "examples" / "esempio.yaml")
HEAD = ("start;end;profile/respondent_name;profile/respondent_comune;profile/respondent_size;profile/respondent_subsector;"
        "profile/respondent_id;profile/respondent_contact;profile/respondent_interviewer;profile/respondent_date;"
        "connettivita/fibra_disponibile;connettivita/fibra_sede;connettivita/velocita_status;connettivita/velocita;"
        "connettivita/wifi;strumenti_group/strumenti;strumenti_group/strumenti/cloud;strumenti_group/strumenti/erp;"
        "strumenti_group/strumenti/crm;strumenti_group/strumenti/nessuno;strumenti_group/fatturazione;"
        "competenze/addetti_formati;competenze/ore_perse_status;competenze/ore_perse;competenze/formazione;other/ostacoli;"
        "other/ostacoli/costi;other/ostacoli/competenze;other/ostacoli/altro;other/note_finali;crassess_questionnaire;"
        "crassess_version;crassess_content;_id;_uuid;_submission_time;_validation_status;_notes;_status;_submitted_by;"
        "__version__;_tags;meta/rootUuid;_index")
UA, UB, UC = "5b0c1c6e-3a8e-4c4e-9a4e-0f5d3e6a1b21", "a3f2d9e4-7c61-4b0a-8d5e-2b9c4e1f7a08", "c91b7e30-4d2f-4a6b-9e15-58f0a3d7c2e6"


def kobo_line(*cells: str) -> str:
    return '"' + '";"'.join(c.replace('"', '""') for c in cells) + '"\r\n'


def esempio_export(tmp_path: Path, content: str, rows: list[list[str]]) -> Path:
    path = tmp_path / "esempio_-_latest_version_-_XML_values_-_2026-12-01.csv"
    path.write_bytes((kobo_line(*HEAD.split(";")) + "".join(kobo_line(*r) for r in rows)).encode("utf-8"))
    return path


def esempio_row(uid: str, index: int, content: str, **cells: str) -> list[str]:
    values = dict(zip(HEAD.split(";"), [""] * len(HEAD.split(";"))))
    values.update({
        "start": "2026-11-20T10:58:01.123+01:00", "end": "2026-11-20T11:04:40.880+01:00",
        "profile/respondent_name": "Caffè L'Arte; Crema", "profile/respondent_comune": "019035", "profile/respondent_size": "12",
        "profile/respondent_subsector": "I", "profile/respondent_id": "01234560193", "profile/respondent_date": "2026-11-20",
        "connettivita/fibra_disponibile": "si", "connettivita/fibra_sede": "parziale", "connettivita/velocita_status": "val",
        "connettivita/velocita": "100", "connettivita/wifi": "na", "strumenti_group/strumenti": "cloud erp",
        "strumenti_group/strumenti/cloud": "1", "strumenti_group/strumenti/erp": "1", "strumenti_group/strumenti/crm": "0",
        "strumenti_group/strumenti/nessuno": "0", "strumenti_group/fatturazione": "si", "competenze/addetti_formati": "37.5",
        "competenze/ore_perse_status": "dk", "competenze/formazione": "dk", "other/ostacoli": "costi altro",
        "other/ostacoli/costi": "1", "other/ostacoli/competenze": "0", "other/ostacoli/altro": "1",
        "other/note_finali": 'Nota con "virgolette"', "crassess_questionnaire": "esempio", "crassess_version": "1.0.0",
        "crassess_content": content, "_id": str(301457112 + index), "_uuid": uid, "_submission_time": "2026-11-20T10:04:42",
        "_status": "submitted_via_web", "__version__": "vGjqkYb7VHP9S6NQqeJ4vW", "meta/rootUuid": f"uuid:{uid}", "_index": str(index),
    })
    values.update({k.replace("__", "/"): v for k, v in cells.items()})
    return list(values.values())


def test_a_valid_row_all_fields(tmp_path, esempio):
    content = esempio.content_hash[:12]
    path = esempio_export(tmp_path, content, [esempio_row(UA, 1, content)])
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE])
    assert dict(result.submissions.counts) == {"imported": 1}
    data = stored(tmp_path / "camp")[UA]
    assert data["respondent"] == {"name": "Caffè L'Arte; Crema", "comune": "019035", "size": 12, "subsector": "I",
                                  "id": "01234560193", "date": "2026-11-20"}
    assert data["answers"] == {"fibra_disponibile": "si", "fibra_sede": "parziale", "velocita": 100, "wifi": "na",
                               "strumenti": ["cloud", "erp"], "fatturazione": "si", "addetti_formati": 37.5, "ore_perse": "dk",
                               "formazione": "dk", "ostacoli": ["costi", "altro"], "note_finali": 'Nota con "virgolette"'}
    assert (tmp_path / "camp" / "responses" / f"caffe-l-arte-crema-{UA}.json").is_file()


def test_bad_rows_rejected_with_row_column_and_question_others_imported(tmp_path, esempio):
    content = esempio.content_hash[:12]
    bad = esempio_row(UB, 2, content, profile__respondent_comune="019999", profile__respondent_size="-3",
                      connettivita__fibra_sede="forse", connettivita__velocita="20000", connettivita__wifi="dk",
                      strumenti_group__strumenti="cloud nessuno", competenze__addetti_formati="abc")
    other = esempio_row(UC, 3, content, crassess_version="0.9")
    path = esempio_export(tmp_path, content, [esempio_row(UA, 1, content), bad, other])
    lines: list[str] = []
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE], on_row=lambda o: lines.extend(map(str, o.problems)))
    assert dict(result.submissions.counts) == {"imported": 1, "rejected": 2} and not result.ok
    assert dict(result.submissions.reasons) == {"invalid": 1, "version": 1}
    assert sorted(stored(tmp_path / "camp")) == [UA]
    report = tmp_path / "camp" / "errors" / report_name(str(path), result_sha(path))
    name = path.name
    assert report.read_bytes().decode("utf-8-sig").splitlines() == [
        "File;Riga;Colonna;Domanda;Invio;Problema;Atteso",
        f"{name};3;profile/respondent_comune;respondent_comune;{UB};comune '019999' sconosciuto;un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove",
        f"{name};3;profile/respondent_size;respondent_size;{UB};atteso un numero intero non negativo, trovato '-3';un numero intero non negativo",
        f"{name};3;connettivita/fibra_sede;fibra_sede;{UB};'forse' non è tra le scelte ammesse: si, parziale, no;una tra: si, parziale, no",
        f"{name};3;connettivita/velocita;velocita;{UB};vincolo non rispettato: Un valore tra 0 e 10000 Mbit/s;un numero intero",
        f"{name};3;connettivita/wifi;wifi;{UB};'Non so' (dk) non è ammesso per questa domanda;una tra: si, parziale, no, na",
        f"{name};3;strumenti_group/strumenti;strumenti;{UB};la scelta 'nessuno' esclude tutte le altre;una tra: cloud, erp, crm, nessuno",
        f"{name};3;competenze/addetti_formati;addetti_formati;{UB};atteso un numero, trovato 'abc';un numero",
        f"{name};4;crassess_version;;{UC};l'invio è per il questionario esempio versione 0.9, ma è caricata la versione 1.0.0;",
    ]
    assert lines[0] == f"{path} (riga 3): colonna 'profile/respondent_comune' (respondent_comune): comune '019999' sconosciuto — un comune del territorio (nome o codice ISTAT), oppure «Fuori territorio» per una sede altrove"
    assert lines[-1] == f"{path} (riga 4): colonna 'crassess_version': l'invio è per il questionario esempio versione 0.9, ma è caricata la versione 1.0.0"


def test_questionnaire_and_content_checks(tmp_path, esempio):
    content = esempio.content_hash[:12]
    rows = [esempio_row(UA, 1, "0123456789ab"), esempio_row(UB, 2, content, crassess_questionnaire="impresa"),
            esempio_row(UC, 3, content, crassess_questionnaire="")]
    path = esempio_export(tmp_path, content, rows)
    lines: list[str] = []
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE], on_row=lambda o: lines.extend(map(str, o.problems)))
    assert dict(result.submissions.reasons) == {"version": 1, "questionnaire": 1, "metadata": 1}
    assert lines == [
        f"{path} (riga 2): colonna 'crassess_content': il modulo è stato fatto da un contenuto diverso del questionario esempio 1.0.0 (stessa versione): esportare di nuovo il modulo",
        f"{path} (riga 3): colonna 'crassess_questionnaire': l'invio è per il questionario impresa 1.0.0, ma questa importazione accetta: esempio 1.0.0",
        f"{path} (riga 4): l'invio non indica il suo questionario (colonne crassess_questionnaire e crassess_version): il modulo non viene da 'crassess questionnaires xlsform'",
    ]


def test_metadata_columns_are_recognised_unknown_ones_warned(tmp_path, esempio):
    content = esempio.content_hash[:12]
    head = HEAD.replace("start;end;", "start;end;today;username;deviceid;audit;") + ";meta/instanceName;_geolocation;extra/domanda_aggiunta"
    row = esempio_row(UA, 1, content)
    row = row[:2] + ["2026-11-20", "rilevatore01", "collect:Wz3x9AbC12De45Fg", ""] + row[2:] + ["Caffè", "[]", "sì, certo"]
    path = tmp_path / "k.csv"
    path.write_bytes((kobo_line(*head.split(";")) + kobo_line(*row)).encode("utf-8"))
    warnings: list[str] = []
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE], on_row=lambda o: warnings.extend(map(str, o.warnings)))
    assert dict(result.submissions.counts) == {"imported": 1}
    assert warnings == [f"{path} (riga 2): colonna 'extra/domanda_aggiunta': la colonna non è nel questionario esempio 1.0.0: valore 'sì, certo' ignorato"]


def test_a_label_export_is_refused_as_a_whole(tmp_path, esempio):
    head = HEAD.replace("profile/respondent_name", "Nome dell'organizzazione").replace("connettivita/fibra_sede", "La sede è collegata in fibra?")
    row = esempio_row(UA, 1, esempio.content_hash[:12])
    path = tmp_path / "etichette.csv"
    path.write_bytes((kobo_line(*head.split(";")) + kobo_line(*row)).encode("utf-8"))
    result = run([path], tmp_path / "camp", questionnaires=[EXAMPLE])
    assert dict(result.files.counts) == {"rejected": 1} and dict(result.files.reasons) == {"layout": 1}
    assert [str(p) for p in result.files.attention[0].problems] == [
        f"{path}: intestazioni non riconosciute (manca respondent_name): esportare con «XML values and headers» (valori e intestazioni XML), non con le etichette"]
    assert not (tmp_path / "camp" / "responses").exists()
    assert (tmp_path / "camp" / "errors" / report_name(str(path), result_sha(path))).is_file()


def test_a_csv_that_is_neither_keeps_the_workbook_reason(tmp_path):
    path = tmp_path / "altro.csv"
    path.write_text("nome;cognome\nMario;Rossi\n", encoding="utf-8")
    result = run([path], tmp_path / "camp")
    assert dict(result.files.reasons) == {"layout": 1} and result.exports == 0
    assert [str(p) for p in result.files.attention[0].problems] == [
        f"{path}: CSV!A1: intestazione non trovata: servono le colonne 'ID' e 'Risposta'"]


def test_source_forced_and_unreadable_exports(tmp_path):
    items = responses("impresa", 1)
    form = shape(xform(layout_of("impresa")))
    rows = kobo_rows(form, kobo_subs("impresa", items))
    rows = [[c for h, c in zip(rows[0], row) if h not in ("_id", "_submission_time", "_index")] for row in rows]
    plain = tmp_path / "senza-meta.csv"
    plain.write_bytes(kobo_csv(rows))
    assert dict(run([plain], tmp_path / "camp", source="kobo").submissions.counts) == {"imported": 1}
    empty = tmp_path / "vuoto.zip"
    empty.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    result = run([empty], tmp_path / "camp2")
    assert dict(result.files.reasons) == {"layout": 1}
    assert [str(p) for p in result.files.attention[0].problems] == [f"{empty}: l'archivio non contiene la tabella CSV degli invii"]


def test_workbooks_and_exports_in_one_import(tmp_path, esempio):
    from tests.spreadsheet_fixtures import fill

    (tmp_path / "in").mkdir()
    fill(tmp_path / "in" / "rossi.xlsx", esempio, {"fibra_disponibile": "Sì", "wifi": "No"})
    content = esempio.content_hash[:12]
    esempio_export(tmp_path / "in", content, [esempio_row(UA, 1, content)])
    seen: list[str] = []
    result = run([tmp_path / "in"], tmp_path / "camp", questionnaires=[EXAMPLE], on_file=lambda o: seen.append(o.status))
    assert dict(result.files.counts) == {"imported": 1} and dict(result.submissions.counts) == {"imported": 1}
    assert sorted(seen) == ["export", "imported"] and result.ok


# ------------------------------------------------------------ the command


def table_rows(output: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines()
            if line.startswith("│") and "Esito" not in line and "Outcome" not in line]


def test_cli_import_of_an_export(tmp_path, esempio):
    from click.testing import CliRunner

    from crassess.cli.main import cli

    content = esempio.content_hash[:12]
    bad = esempio_row(UB, 2, content, connettivita__fibra_sede="forse")
    rejected = esempio_row(UC, 3, content, _validation_status="validation_status_not_approved")
    path = esempio_export(tmp_path, content, [esempio_row(UA, 1, content), bad, rejected])
    args = ["import", str(path), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert f"{path} (riga 3): colonna 'connettivita/fibra_sede' (fibra_sede): 'forse' non è tra le scelte ammesse: si, parziale, no — una tra: si, parziale, no" in result.output
    report = tmp_path / "camp" / "errors" / report_name(str(path), result_sha(path))
    assert f"{path} (riga 3): rapporto errori: {report}" in result.output
    assert table_rows(result.output) == [["importati", "1"], ["invariati (già importati)", "0"],
                                         ["sostituiti (modificati sulla piattaforma)", "0"],
                                         ["versioni precedenti (non importate)", "0"],
                                         ["conflitti (stesso id, risposte diverse)", "0"],
                                         ["saltati (rifiutati sulla piattaforma)", "1"], ["scartati", "1"],
                                         ["motivo: risposte non valide", "1"]]
    assert "Invii dei moduli online" in result.output and "esportazioni lette: 1" in result.output
    assert "Traceback" not in result.output
    good = esempio_export(tmp_path / "ok", content, [esempio_row(UA, 1, content)]) if (tmp_path / "ok").mkdir() is None else None
    again = CliRunner().invoke(cli, ["import", str(good), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE, "--lang", "en"])
    assert again.exit_code == 0, again.output
    assert table_rows(again.output)[:2] == [["imported", "0"], ["unchanged (already imported)", "1"]]
    assert "Online form submissions" in again.output and "File" not in again.output.split("Online form")[0]


def test_cli_source_option(tmp_path):
    from click.testing import CliRunner

    from crassess.cli.main import cli

    result = CliRunner().invoke(cli, ["import", "x.csv", "--campaign", str(tmp_path), "--source", "ona"])
    assert result.exit_code == 2
    help_text = CliRunner().invoke(cli, ["import", "--help"]).output
    assert "--source [kobo|odk]" in help_text and "Example:" in help_text


def test_same_name_and_id_prefix_never_overwrite(tmp_path):
    item = responses("impresa", 1)[0]
    twins = [item.model_copy(update={"id": f"00000000-0000-4000-8000-00000000000{i}"}) for i in (1, 2)]
    form = shape(xform(layout_of("impresa")))
    path = tmp_path / "k.csv"
    path.write_bytes(kobo_csv(kobo_rows(form, kobo_subs("impresa", twins))))
    (tmp_path / "camp" / "responses").mkdir(parents=True)
    squatter = tmp_path / "camp" / "responses" / "caffe-citta-digitale-srl-00000000.json"
    squatter.write_text("non è JSON", encoding="utf-8")  # an invalid file of the campaign is never written over
    result = run([path], tmp_path / "camp")
    assert dict(result.submissions.counts) == {"imported": 2}
    assert sorted(p.name for p in (tmp_path / "camp" / "responses").iterdir()) == [
        "caffe-citta-digitale-srl-00000000-0000-4000-8000-000000000001.json",
        "caffe-citta-digitale-srl-00000000-0000-4000-8000-000000000002.json",
        "caffe-citta-digitale-srl-00000000.json",
    ]
    assert squatter.read_text(encoding="utf-8") == "non è JSON"


def test_cli_lists_the_first_bad_submissions_then_counts_the_rest(tmp_path, esempio):
    from click.testing import CliRunner

    from crassess.cli.main import cli
    from crassess.spreadsheets.progress import MAX_LISTED_ROWS

    content = esempio.content_hash[:12]
    bad = [esempio_row(f"uuid-bad-{i:03}", i + 2, content, connettivita__fibra_sede="forse") for i in range(MAX_LISTED_ROWS + 5)]
    path = esempio_export(tmp_path, content, [esempio_row(UA, 1, content), *bad])
    result = CliRunner().invoke(cli, ["import", str(path), "--campaign", str(tmp_path / "camp"), "-q", EXAMPLE])
    assert result.exit_code == 1, result.output
    listed = [line for line in result.output.splitlines() if "'forse' non è tra le scelte ammesse" in line]
    assert len(listed) == MAX_LISTED_ROWS  # one problem each: the first 20 submissions
    errors = tmp_path / "camp" / "errors"
    assert f"… e altri 5 invii con problemi, non elencati qui: tutti nei rapporti errori in {errors}" in result.output
    report = next(errors.iterdir()).read_bytes().decode("utf-8-sig").splitlines()
    assert len(report) == 1 + MAX_LISTED_ROWS + 5  # the report has them all
