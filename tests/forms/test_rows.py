"""Columns to fields, submission metadata, raw answers: the pieces of a row's conversion."""

from __future__ import annotations

import pytest

from crassess.forms.exports import Export
from crassess.forms.intake import version_order
from crassess.forms.layout import form_layout
from crassess.forms.rows import (
    RowProblem,
    build_answers,
    map_columns,
    response_id,
    sort_cells,
    submission,
)
from crassess.territory.comuni import load_territory


@pytest.fixture()
def layout(esempio):
    return form_layout(esempio, load_territory())


def roles(header, layout):
    return [(c.header, c.role, c.field.name if c.field else None, c.choice) for c in map_columns(tuple(header), layout)]


def test_columns_by_path_name_renamed_group_and_choice(layout):
    header = ["connettivita/velocita", "velocita_status", "competenze-ore_perse", "altro_gruppo/fatturazione",
              "strumenti_group/strumenti/cloud", "strumenti/erp", "strumenti_group-strumenti/crm", "strumenti/tablet",
              "meta/rootUuid", "meta-instanceName", "_notes", "FormVersion", "today", "domanda_nuova", ""]
    assert roles(header, layout) == [
        ("connettivita/velocita", "field", "velocita", None), ("velocita_status", "field", "velocita_status", None),
        ("competenze-ore_perse", "field", "ore_perse", None), ("altro_gruppo/fatturazione", "field", "fatturazione", None),
        ("strumenti_group/strumenti/cloud", "choice", "strumenti", "cloud"), ("strumenti/erp", "choice", "strumenti", "erp"),
        ("strumenti_group-strumenti/crm", "choice", "strumenti", "crm"),
        ("strumenti/tablet", "unknown", None, None),  # not a choice of the form (added on the platform?)
        ("meta/rootUuid", "meta", None, None), ("meta-instanceName", "meta", None, None), ("_notes", "meta", None, None),
        ("FormVersion", "meta", None, None), ("today", "meta", None, None), ("domanda_nuova", "unknown", None, None),
        ("", "meta", None, None),
    ]


@pytest.mark.parametrize(("identity", "rid"), [
    ("uuid:5b0c1c6e-3a8e-4c4e-9a4e-0f5d3e6a1b21", "5b0c1c6e-3a8e-4c4e-9a4e-0f5d3e6a1b21"),
    ("5B0C1C6E-3A8E-4C4E-9A4E-0F5D3E6A1B21", "5b0c1c6e-3a8e-4c4e-9a4e-0f5d3e6a1b21"),
    ("collect:submission-7", "3e0f6bd6-7a07-5d22-9b5f-b0d0a8b0c8a4"),
])
def test_response_id(identity, rid):
    import uuid

    if identity.startswith("collect"):
        rid = str(uuid.uuid5(uuid.UUID("5b1f3c2e-7d4a-4f0e-9c61-2a8e0d9b7c35"), identity))
    assert response_id(identity) == rid


def export(source, header):
    return Export("x.csv", "", source, "", tuple(header), ())


def test_odk_submission_metadata():
    header = ["SubmissionDate", "end", "meta-instanceID", "KEY", "ReviewState", "Edits", "Status"]
    e = export("odk", header)
    sub = submission(e, 4, ["2026-11-20T09:00:05.000Z", "2026-11-20T10:04:40.880+01:00", "uuid:new", "uuid:old", "edited", "2", ""])
    assert (sub.identity, sub.instance, sub.edits, sub.edited, sub.rejected, sub.day) == ("uuid:old", "uuid:new", 2, True, False, "2026-11-20")
    sub = submission(e, 5, ["2026-11-21T09:00:05.000Z", "", "uuid:a", "uuid:a", "rejected", "0", "not decrypted"])
    assert (sub.edited, sub.rejected, sub.day) == (False, True, "2026-11-21")
    assert sub.problems == (RowProblem("corrupted", 5, "Status", "", "invio cifrato non decifrato su ODK Central (not decrypted)"),)


def test_kobo_submission_metadata():
    e = export("kobo", ["end", "_uuid", "_validation_status", "meta/rootUuid"])
    sub = submission(e, 2, ["", "b2", "validation_status_not_approved", "uuid:a1"])
    assert (sub.identity, sub.instance, sub.edited, sub.rejected, sub.day) == ("a1", "b2", True, True, "")
    sub = submission(e, 3, ["", "", "", ""])
    assert sub.problems == (RowProblem("metadata", 3, "", "", "identificativo dell'invio mancante (colonne _uuid o KEY)"),)


def test_version_order():
    e = export("odk", ["KEY", "meta-instanceID", "Edits", "end"])
    sub = submission(e, 2, ["uuid:a", "uuid:c", "2", "2026-11-20T10:00:00+01:00"])
    assert version_order(sub, {"instance_id": "uuid:b", "edits": 1}) == 1
    assert version_order(sub, {"instance_id": "uuid:b", "edits": 3}) == -1
    assert version_order(sub, {"instance_id": "uuid:c", "edits": 1}) == 0  # the same version
    assert version_order(sub, {"edits": 1}) == 0  # not from a platform (a workbook, an interview)
    kobo = submission(export("kobo", ["_uuid", "meta/rootUuid", "end"]), 2, ["c", "uuid:a", "2026-11-20T10:00:00.000+01:00"])
    assert version_order(kobo, {"instance_id": "b", "end": "2026-11-20T08:59:59.000Z"}) == 1
    assert version_order(kobo, {"instance_id": "b", "end": "2026-11-20T09:00:01Z"}) == -1
    assert version_order(kobo, {"instance_id": "b"}) == 0


def test_raw_answers(layout, esempio):
    header = ["velocita_status", "velocita", "ore_perse_status", "ore_perse", "strumenti/cloud", "strumenti/erp",
              "strumenti/nessuno", "ostacoli", "addetti_formati", "wifi"]
    columns = map_columns(tuple(header), layout)
    raw = sort_cells(columns, ["val", 120.0, "dk", "3", "1", "1", "0", "", "1.250", "na"])
    answers, problems, warnings = build_answers(esempio, raw, 7)
    # an XML number: '1.250' is one and a quarter, never a thousand two hundred and fifty
    assert answers == {"velocita": 120, "wifi": "na", "strumenti": ["cloud", "erp"], "addetti_formati": 1.25, "ore_perse": "dk"}
    assert problems == []
    assert [str(w.problem("x.csv")) for w in warnings] == ["x.csv (riga 7): colonna 'ore_perse' (ore_perse): valore '3' ignorato: la risposta è 'dk'"]
    raw = sort_cells(columns, ["", "", "", "", "0", "0", "0", "", "", ""])
    assert build_answers(esempio, raw, 8) == ({}, [], [])  # every 0/1 column at 0: not answered (ODK's default)
    raw = sort_cells(columns, ["val", "12.5", "val", "50%", "", "", "", "", "50%", ""])
    answers, problems, _ = build_answers(esempio, raw, 9)
    assert answers == {"addetti_formati": 50}  # its unit is %: "50%" is 50, through the one number parser
    assert [(p.column, p.message) for p in problems] == [
        ("velocita", "atteso un numero intero, trovato '12.5'"),
        ("ore_perse", "'50%' è una percentuale, ma qui si chiede un numero senza %"),
    ]
