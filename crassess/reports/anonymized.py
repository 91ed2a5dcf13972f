"""``export --anonymize``: a respondent-level file that is safe to share.

- No name, contact, response id or code; the respondent is a pseudonym keyed with the campaign's secret
  (:mod:`crassess.campaign.secret`): stable across exports and waves that share the key, not recomputable without it.
- Quasi-identifiers generalised so that every row shares its sector, area, size class and sub-sector with at
  least min_n others (k-anonymity by local recoding): the comune is shown only where that holds, else its zone
  (when the campaign has zones), else nothing; then the sub-sector, then the size class are withheld for the rows
  still too rare. Size is a class (employees, members, inhabitants), never the number.
- Comuni answer for themselves: on their rows the comune and its inhabitants are never shown, unless
  ``campaign.yaml`` says ``publish_public_bodies: true`` (then they are, as the reports name them).
- Answers that identify on their own: a choice of an unscored question (e.g. ``tipo_ente`` = Chamber of
  Commerce) given by fewer than min_n respondents is withheld; unscored numbers (e.g. the number of members) are
  withheld; free text is dropped unless ``--keep-text`` (then e-mail addresses and phone numbers are blanked).
- Rows are ordered by pseudonym, not by file (file names follow respondents' names).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from crassess.campaign.data import CampaignData, CampaignResponse
from crassess.campaign.export import DROP, View, export_campaign
from crassess.campaign.secret import campaign_secret, identity_of, keyed_pseudonym
from crassess.csvfile import CsvStyle
from crassess.i18n import register, t
from crassess.questionnaire.models import Question, Questionnaire
from crassess.reports.analysis import UNKNOWN, size_class

register({
    "anon.withheld": {"it": "non diffuso", "en": "withheld"},
})

PROFILE = ("respondent", "sector", "area", "size_class", "subsector", "questionnaire", "version", "status")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)\+?\d[\d ./-]{6,}\d(?!\w)")
_REDACTED = "[…]"


def redact(text: str) -> str:
    """Free text without e-mail addresses and phone numbers (9 digits or more; best effort: names and other
    details stay)."""
    text = _EMAIL.sub(_REDACTED, text)
    return _PHONE.sub(lambda m: _REDACTED if sum(c.isdigit() for c in m.group()) >= 9 else m.group(), text)


_KEY = ("sector", "area", "size_class", "subsector")


def _generalise(rows: dict[int, dict[str, Any]], exempt: set[int], steps: Sequence[tuple[str, Any]], k: int,
                withheld: str) -> None:
    """Local recoding: while some rows share (sector, area, size class, sub-sector) with fewer than ``k`` rows, apply
    the next step (a column and its coarser value, or a function) to those rows only. Rows left with everything
    withheld but fewer than ``k`` in their sector are joined by the rows of the sector's smallest groups."""
    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row[c] for c in _KEY)

    for column, coarser in steps:
        counts = Counter(key(r) for i, r in rows.items() if i not in exempt)
        for i in [i for i, r in rows.items() if i not in exempt and counts[key(r)] < k]:
            rows[i][column] = coarser(rows[i]) if callable(coarser) else coarser
    counts = Counter(key(r) for i, r in rows.items() if i not in exempt)
    for sector in sorted({r["sector"] for r in rows.values()}):
        bottom = (sector, withheld, withheld, withheld)
        if not 0 < counts[bottom] < k:
            continue
        groups = sorted({key(r) for i, r in rows.items() if i not in exempt and r["sector"] == sector} - {bottom},
                        key=lambda g: (counts[g], str(g)))
        size = counts[bottom]
        for group in groups:  # whole groups, smallest first: no group is left smaller than k
            if size >= k:
                break
            for i, r in rows.items():
                if i not in exempt and key(r) == group:
                    r.update(area=withheld, size_class=withheld, subsector=withheld)
            size += counts[group]


def _rare_choices(data: CampaignData, k: int) -> dict[tuple[str, str], set[str]]:
    """Per (questionnaire, unscored choice question): the values given by fewer than ``k`` respondents."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for item in data.responses:
        for q in item.questionnaire.questions:
            if q.type in ("select_one", "select_multiple") and not _scored(item.questionnaire, q):
                value = item.response.answers.get(q.id)
                values = value if isinstance(value, list) else [value] if value is not None else []
                counts.setdefault((item.questionnaire.id, q.id), Counter()).update(str(v) for v in values)
    return {key: {v for v, n in counter.items() if n < k and v not in ("na", "dk")} for key, counter in counts.items()}


_SCORED: dict[tuple[str, str, str], frozenset[str]] = {}


def _scored(qn: Questionnaire, q: Question) -> bool:
    key = (qn.id, qn.version, qn.content_hash)
    if key not in _SCORED:
        _SCORED[key] = frozenset(s.id for s in qn.scored_questions)
    return q.id in _SCORED[key]


def anonymized_view(data: CampaignData, key: bytes, *, keep_text: bool = False, zones: Mapping[str, str] | None = None,
                    lang: str | None = None) -> View:
    """The anonymised view of a campaign's responses for :func:`crassess.campaign.export.export_campaign`."""
    config = data.campaign.config
    k = config.min_n
    withheld = t("anon.withheld", lang)
    names = {c.istat: c.nome for c in data.territory.comuni}
    rows: dict[int, dict[str, Any]] = {}
    exempt: set[int] = set()
    for item in data.responses:
        r = item.response.respondent
        public_body = item.sector == "comune" and config.publish_public_bodies
        own_comune = item.sector == "comune" and not public_body
        rows[id(item)] = {
            "respondent": keyed_pseudonym(key, identity_of(item.response.id, r.id, item.response.model_dump(mode="json"),
                                                            r.comune if item.sector == "comune" else None)),
            "sector": item.sector,
            "area": withheld if own_comune or not r.comune else names.get(r.comune, r.comune),
            "size_class": withheld if own_comune else size_class(item.sector, r.size),
            "subsector": (r.subsector or "").strip() or UNKNOWN,
            "questionnaire": item.questionnaire.id,
            "version": item.questionnaire.version,
            "status": item.response.status or "complete",
            "_comune": r.comune,
        }
        if public_body:
            exempt.add(id(item))
    steps: list[tuple[str, Any]] = []
    if zones:
        steps.append(("area", lambda row: zones.get(row["_comune"] or "", withheld) if row["area"] != withheld else withheld))
    steps += [("area", withheld), ("subsector", withheld), ("size_class", withheld)]
    _generalise(rows, exempt, steps, k, withheld)
    for row in rows.values():
        row.pop("_comune")
        if row["subsector"] == UNKNOWN:
            row["subsector"] = None
        if row["size_class"] == UNKNOWN:
            row["size_class"] = None
    rare = _rare_choices(data, k)

    def answer(item: CampaignResponse, q: Question, value: Any) -> Any:
        if q.type == "text":
            if not keep_text:
                return DROP
            return redact(value) if isinstance(value, str) else value
        if value is None or value in ("na", "dk") or _scored(item.questionnaire, q):
            return value
        if q.type in ("integer", "decimal"):
            return withheld
        hidden = rare.get((item.questionnaire.id, q.id), set())
        if isinstance(value, list):
            kept = [v for v in value if str(v) not in hidden]
            return kept + [withheld] if len(kept) < len(value) else value
        return withheld if str(value) in hidden else value

    def order(items: Sequence[CampaignResponse]) -> list[CampaignResponse]:
        return sorted(items, key=lambda item: (rows[id(item)]["respondent"], item.questionnaire.id))

    return View(PROFILE, PROFILE, lambda item: dict(rows[id(item)]), answer, order, frozenset({withheld}))


def export_anonymized(data: CampaignData, fmt: str, wide: bool = False, lang: str | None = None, style: CsvStyle | None = None,
                      keep_text: bool = False) -> bytes:
    """``export --anonymize``: the campaign's secret (created on first need), then the anonymised view exported."""
    data.require_valid().require_responses()  # before a secret is created for nothing
    view = anonymized_view(data, campaign_secret(data.campaign), keep_text=keep_text, lang=lang)
    return export_campaign(data, fmt, wide, lang, style, view)
