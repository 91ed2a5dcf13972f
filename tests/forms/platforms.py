"""Submission exports built as KoboToolbox and ODK Central write them, from the form's XForm (pyxform).

The columns come from the XForm's primary instance, which is what both platforms read, and not from
crassess's own layout module, so the importer is checked against an independent reading of the form.
Byte conventions (from /work/notes/forms-formats.md, taken from formpack, kpi and central-backend):

- KoboToolbox standard CSV: ``;``, every cell quoted, ``"`` doubled, CRLF, UTF-8 without BOM; XML values
  and headers; group paths joined with ``/`` (or bare names); select_multiple as the space-separated
  summary then ``<question header>/<choice>`` columns with ``1``/``0`` for every choice of the form, all
  ``""`` when the question is absent; notes and ``meta/instanceID`` not exported; metadata columns last.
- ODK Central root table: ``,``, quoted only when needed, LF, UTF-8 without BOM; ``SubmissionDate`` first,
  group paths joined with ``-`` (notes and ``meta-instanceID`` included), split select_multiple columns
  ``<path>/<value>`` only for values found in the data (``0`` by default), metadata columns last.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import Any

import openpyxl
from pyxform.xls2xform import convert

from crassess.forms.layout import FormLayout
from crassess.forms.xlsform import build_xlsform
from crassess.questionnaire.models import Response
from crassess.sheets import workbook_bytes

NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms"}
KOBO_META = ("_id", "_uuid", "_submission_time", "_validation_status", "_status", "_submitted_by", "__version__",
             "meta/rootUuid", "_index")
ODK_META = ("KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
            "ReviewState", "DeviceID", "Edits", "FormVersion")

_XFORMS: dict[int, tuple[FormLayout, str]] = {}


def xform(layout: FormLayout) -> str:
    """The XForm pyxform makes of crassess's XLSForm (once per layout)."""
    if id(layout) not in _XFORMS:
        _XFORMS[id(layout)] = (layout, convert(xlsform=io.BytesIO(workbook_bytes(build_xlsform(layout)))).xform)
    return _XFORMS[id(layout)][1]


@dataclass(frozen=True)
class Shape:
    """What the platforms see of a form: leaf paths in instance order, select lists, types, calculations."""

    form_id: str
    version: str
    paths: tuple[tuple[str, ...], ...]
    multiple: dict[str, tuple[str, ...]]
    types: dict[str, str]
    notes: frozenset[str]
    calculations: dict[str, str]


def shape(text: str) -> Shape:
    root = ET.fromstring(text)
    model = root.find("h:head/x:model", NS)
    assert model is not None
    instances = model.findall("x:instance", NS)
    data = next(i for i in instances if "id" not in i.attrib)[0]
    lists = {i.get("id"): tuple(item.findtext("x:name", namespaces=NS) for item in i.iter(f"{{{NS['x']}}}item"))
             for i in instances if i.get("id")}
    paths: list[tuple[str, ...]] = []

    def walk(node: ET.Element, path: tuple[str, ...]) -> None:
        for child in node:
            name = child.tag.split("}")[-1]
            if len(child):
                walk(child, (*path, name))
            else:
                paths.append((*path, name))

    walk(data, ())
    binds = {b.get("nodeset", "").split("/")[-1]: b for b in model.findall("x:bind", NS)}
    multiple = {}
    for select in root.iter(f"{{{NS['x']}}}select"):
        itemset = select.find("x:itemset", NS)
        assert itemset is not None
        multiple[select.get("ref", "").split("/")[-1]] = lists[itemset.get("nodeset", "").split("'")[1]]
    preloaded = {n for n, b in binds.items() if any(key.endswith("preload") for key in b.attrib)}
    notes = frozenset(n for n, b in binds.items() if b.get("readonly") == "true()" and not b.get("calculate") and n not in preloaded)
    calculations = {n: b.get("calculate", "").strip("'") for n, b in binds.items() if b.get("calculate") and n.startswith("crassess_")}
    return Shape(data.get("id", ""), data.get("version", ""), tuple(paths), multiple,
                 {n: b.get("type", "") for n, b in binds.items()}, notes, calculations)


def leaf_values(layout: FormLayout, response: Response, when: str = "2026-11-20T10:00:00.000+01:00") -> dict[str, Any]:
    """A response as the values a form filled in by its respondent would hold, by leaf name."""
    values: dict[str, Any] = {"start": when, "end": when}
    for key, value in response.respondent.model_dump(exclude_none=True).items():
        values[f"respondent_{key}"] = str(value)
    companions = {qid for qid in response.answers} & set(layout.status_of)
    for qid, value in response.answers.items():
        if qid in companions:
            values[f"{qid}_status"] = value if value in ("dk", "na") else "val"
            if value in ("dk", "na"):
                continue
        values[qid] = value
    return values


def kobo_submissions(layout: FormLayout, items: list[Response], **extra: Any) -> list[dict[str, Any]]:
    """Responses as KoboToolbox submissions: leaf values and Kobo's metadata (``_uuid`` = the response id)."""
    out = []
    for i, r in enumerate(items):
        sub = leaf_values(layout, r)
        sub.update({"_id": str(301457112 + i), "_uuid": r.id, "meta/rootUuid": f"uuid:{r.id}", "_submission_time": "2026-11-20T09:00:05",
                    "_status": "submitted_via_web", "__version__": "vGjqkYb7VHP9S6NQqeJ4vW"})
        sub.update(extra)
        out.append(sub)
    return out


def odk_submissions(layout: FormLayout, items: list[Response]) -> list[dict[str, Any]]:
    """Responses as ODK Central submissions (``KEY`` = ``meta-instanceID`` = ``uuid:`` + the response id)."""
    return [{**leaf_values(layout, r), "instanceID": f"uuid:{r.id}", "KEY": f"uuid:{r.id}", "SubmitterID": "7",
             "SubmitterName": "Giulia Rossi", "instanceName": r.respondent.name} for r in items]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def kobo_rows(form: Shape, submissions: list[dict[str, Any]], groups: bool = True, split: bool = True) -> list[list[str]]:
    """Header and rows of a KoboToolbox export; each submission holds leaf values and Kobo's metadata."""
    header: list[str] = []
    columns: list[tuple[str, str | None]] = []
    for path in form.paths:
        name = path[-1]
        if path[0] == "meta" or name in form.notes:
            continue
        head = "/".join(path) if groups else name
        header.append(head)
        columns.append((name, None))
        if split and name in form.multiple:
            for choice in form.multiple[name]:
                header.append(f"{head}/{choice}")
                columns.append((name, choice))
    rows = [header + list(KOBO_META)]
    for index, sub in enumerate(submissions, start=1):
        cells = []
        for name, choice in columns:
            value = form.calculations.get(name, sub.get(name))
            if choice is None:
                cells.append(_text(value))
            else:
                cells.append("" if value in (None, "", []) else "1" if choice in _text(value).split() else "0")
        cells += [str(sub.get(m, "")) for m in KOBO_META[:-1]] + [str(index)]
        rows.append(cells)
    return rows


def kobo_csv(rows: list[list[str]], separator: str = ";", bom: bool = False) -> bytes:
    """formpack's ``to_csv``: every cell quoted; with ``,`` and a BOM, as Excel re-saves it (quoted when needed)."""
    if separator == ";":
        text = "".join('"' + '";"'.join(c.replace('"', '""') for c in row) + '"\r\n' for row in rows)
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
        text = buffer.getvalue()
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def kobo_xlsx(form: Shape, rows: list[list[str]], sheet: str) -> bytes:
    """KoboToolbox's XLS export (an .xlsx): the asset's name as the sheet, numbers typed, 0/1 as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    header = rows[0]
    numeric = {i for i, h in enumerate(header) if form.types.get(h.split("/")[-1]) in ("int", "decimal") or h in ("_id", "_index")}
    for row in rows:
        ws.append([float(c) if i in numeric and c and row is not header else c for i, c in enumerate(row)])
    return workbook_bytes(wb)


def odk_rows(form: Shape, submissions: list[dict[str, Any]], split: bool = True, group_names: bool = True) -> list[list[str]]:
    """Header and rows of ODK Central's root table (newest first, as Central streams it)."""
    seen = {name: sorted({v for s in submissions for v in _text(s.get(name)).split()}) for name in form.multiple}
    header = ["SubmissionDate"]
    columns: list[tuple[str, str | None]] = []
    for path in form.paths:
        name = path[-1]
        head = "-".join(path) if group_names else name
        header.append(head)
        columns.append((name, None))
        if split and name in form.multiple:
            for value in seen[name]:
                header.append(f"{head}/{value}")
                columns.append((name, value))
    rows = [header + list(ODK_META)]
    for sub in reversed(submissions):
        cells = [sub.get("SubmissionDate", "2026-11-20T09:00:05.000Z")]
        for name, choice in columns:
            value = form.calculations.get(name, sub.get(name))
            cells.append(_text(value) if choice is None else "1" if choice in _text(value).split() else "0")
        cells += [str(sub.get(m, "0" if m.startswith(("Attachments", "Edits")) else "")) for m in ODK_META[:-1]]
        rows.append(cells + [form.version])
    return rows


def odk_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=",", lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def odk_zip(form: Shape, data: bytes) -> bytes:
    """``<form id>.csv.zip``: the root table named after the form id (and a repeat table beside it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{form.form_id}.csv", data)
        z.writestr(f"{form.form_id}-allegati.csv", b"PARENT_KEY,KEY\n")
    return buffer.getvalue()
