"""Responses written as a KoboToolbox submissions export of their form (the demo's online channel).

The layout is KoboToolbox's standard CSV with "XML values and headers", group names in the headers and
select_multiple as a summary column plus one 0/1 column per choice: ``;``-separated, every cell quoted,
CRLF, UTF-8 without BOM, the platform's metadata columns last (``_id``, ``_uuid``, ``_submission_time``,
``_validation_status``, ``_status``, ``_submitted_by``, ``__version__``, ``meta/rootUuid``, ``_index``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from crassess.forms.layout import VALUE, Field, FormLayout
from crassess.questionnaire.models import Response

KOBO_META = ("_id", "_uuid", "_submission_time", "_validation_status", "_status", "_submitted_by", "__version__",
             "meta/rootUuid", "_index")


def _number(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _columns(layout: FormLayout) -> list[tuple[str, Field, str | None]]:
    """(header, field, choice) in export order; notes are not exported by KoboToolbox."""
    out: list[tuple[str, Field, str | None]] = []
    for f in layout.fields:
        if f.kind == "note":
            continue
        out.append((f.header("/"), f, None))
        if f.xls_type.startswith("select_multiple"):
            out += [(f"{f.header('/')}/{value}", f, value) for value in layout.choice_values(f)]
    return out


def _cell(layout: FormLayout, response: Response, f: Field, choice: str | None, when: str) -> str:
    answers, respondent = response.answers, response.respondent.model_dump(exclude_none=True)
    qn = layout.questionnaire
    if f.kind == "meta":
        return when
    if f.kind == "calculate":
        return {"questionnaire": qn.id, "version": qn.version, "content": layout.content_tag()}[f.key]
    if f.kind == "profile":
        return _number(respondent.get(f.key, ""))
    value = answers.get(f.key)
    if f.kind == "status":
        return "" if value is None else value if value in ("dk", "na") else VALUE
    if value is None or (f.key in layout.status_of and value in ("dk", "na")):
        return ""
    if choice is not None:
        chosen = [value] if isinstance(value, str) else value
        return "1" if choice in chosen else "0"
    if isinstance(value, list):
        return " ".join(value)
    return _number(value)


def kobo_csv(layout: FormLayout, responses: Sequence[Response], asset_version: str = "vDemo") -> bytes:
    """The responses as KoboToolbox exports them; each response id becomes the submission's ``_uuid``."""
    columns = _columns(layout)
    lines = [[h for h, _, _ in columns] + list(KOBO_META)]
    for index, response in enumerate(responses, start=1):
        day = response.respondent.date or "2026-11-20"
        when = f"{day}T10:00:00.000+01:00"
        rid = response.id or ""
        number = int(hashlib.sha256(rid.encode()).hexdigest()[:8], 16)
        cells = [_cell(layout, response, f, choice, when) for _, f, choice in columns]
        cells += [str(number), rid, f"{day}T09:00:05", "", "submitted_via_web", "", asset_version, f"uuid:{rid}", str(index)]
        lines.append(cells)
    text = "".join('"' + '";"'.join(cell.replace('"', '""') for cell in line) + '"\r\n' for line in lines)
    return text.encode("utf-8")
