"""Comparing two waves of a campaign (e.g. 2026-T0 and 2027-T1): matching respondents and their changes."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from crassess.campaign.data import CampaignData, CampaignResponse
from crassess.errors import InvalidInput, Problem
from crassess.i18n import fmt_number, pick, register, t
from crassess.questionnaire.models import Questionnaire, respondent_key
from crassess.territory.comuni import normalise

register({
    "waves.incompatible": {
        "it": "il questionario {qid} versione {va} ({a}) e versione {vb} ({b}) calcolano i punteggi in modo diverso ({why}): i punteggi non sono confrontabili; confrontare rilevazioni con la stessa struttura di punteggio",
        "en": "questionnaire {qid} version {va} ({a}) and version {vb} ({b}) score differently ({why}): the scores are not comparable; compare waves with the same scoring structure",
    },
    "waves.other_questionnaire": {
        "it": "il rispondente ha risposto al questionario {qa} in {a} e a {qb} in {b}: questionari diversi non si confrontano",
        "en": "the respondent answered questionnaire {qa} in {a} and {qb} in {b}: different questionnaires are not compared",
    },
    "waves.ambiguous": {
        "it": "più risposte con la stessa chiave ({kind}): {files}; non abbinate per questa chiave",
        "en": "several responses with the same key ({kind}): {files}; not matched by this key",
    },
    "waves.diff.added": {"it": "domande con punteggio aggiunte: {ids}", "en": "scored questions added: {ids}"},
    "waves.diff.removed": {"it": "domande con punteggio tolte: {ids}", "en": "scored questions removed: {ids}"},
    "waves.diff.changed": {"it": "domande con punteggio cambiate: {ids}", "en": "scored questions changed: {ids}"},
    "waves.diff.dimensions": {"it": "dimensioni o pesi cambiati: {ids}", "en": "dimensions or weights changed: {ids}"},
    "waves.diff.levels": {"it": "livelli cambiati", "en": "levels changed"},
    "waves.diff.order": {"it": "ordine", "en": "order"},
    "waves.diff.rule.min_coverage": {"it": "copertura minima delle dimensioni cambiata (min_coverage {a} → {b})",
                                     "en": "minimum coverage of a dimension changed (min_coverage {a} → {b})"},
    "waves.diff.rule.overall_min_coverage": {"it": "copertura minima del punteggio complessivo cambiata (overall_min_coverage {a} → {b})",
                                             "en": "minimum coverage of the overall score changed (overall_min_coverage {a} → {b})"},
    "waves.diff.rule.dont_know": {"it": "punteggio del «Non so» cambiato (dont_know {a} → {b})",
                                  "en": "scoring of \"Don't know\" changed (dont_know {a} → {b})"},
    # the dimension ids shared across sectors (questionnaires/README.md), named when the sectors word them differently
    "waves.dim.strategia": {"it": "Strategia digitale", "en": "Digital strategy"},
    "waves.dim.connettivita": {"it": "Connettività", "en": "Connectivity"},
    "waves.dim.prontezza": {"it": "Prontezza digitale", "en": "Digital readiness"},
    "waves.dim.competenze": {"it": "Competenze digitali", "en": "Digital skills"},
    "waves.dim.atteggiamento": {"it": "Atteggiamento e cambiamento", "en": "Attitude and change"},
    "waves.dim.dati_sicurezza": {"it": "Gestione dei dati e sicurezza", "en": "Data management and security"},
    "waves.dim.condivisione_dati": {"it": "Condivisione dei dati", "en": "Data sharing"},
    "waves.match.response_id": {"it": "id della risposta", "en": "response id"},
    "waves.match.respondent_id": {"it": "id del rispondente", "en": "respondent id"},
    "waves.match.name": {"it": "settore, comune e nome", "en": "sector, comune and name"},
})

MATCH_KINDS = ("response_id", "respondent_id", "name")


@dataclass(frozen=True)
class DimensionChange:
    id: str
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class RespondentChange:
    """One respondent in both waves (personal: only for that respondent's own file)."""

    key: str
    name: str
    sector: str
    comune: str | None
    comune_name: str | None
    questionnaire: str
    matched_by: str
    overall_before: float | None
    overall_after: float | None
    dimensions: tuple[DimensionChange, ...]

    @property
    def delta(self) -> float | None:
        if self.overall_before is None or self.overall_after is None:
            return None
        return self.overall_after - self.overall_before


@dataclass(frozen=True)
class AggregateChange:
    """Mean before, after and change over ``n`` matched respondents; values ``None`` when suppressed."""

    key: str
    label: str
    n: int
    before: float | None
    after: float | None
    delta: float | None
    suppressed: bool


@dataclass(frozen=True)
class DimensionBySector:
    """One dimension's change in each sector (suppressed like the sector table, its total being ``by_dimension``)."""

    dimension: str
    label: str
    sectors: tuple[AggregateChange, ...]


@dataclass(frozen=True)
class WaveComparison:
    label_a: str
    label_b: str
    min_n: int
    responses_a: int
    responses_b: int
    drafts_a: int
    drafts_b: int
    matched_by: tuple[tuple[str, int], ...]
    only_a: int
    only_b: int
    respondents: tuple[RespondentChange, ...]
    by_sector: tuple[AggregateChange, ...]
    total: AggregateChange
    by_dimension: tuple[AggregateChange, ...]
    by_sector_dimension: tuple[DimensionBySector, ...]
    warnings: tuple[Problem, ...]

    @property
    def matched(self) -> int:
        return len(self.respondents)


# ------------------------------------------------------------------ matching


def name_key(text: str | None) -> str:
    """A name compared without case, accents, spaces and punctuation ("S.r.l." == "srl")."""
    return re.sub(r"[^a-z0-9]", "", normalise(text or ""))


def _respondent_id(item: CampaignResponse) -> str | None:
    code = item.response.respondent.id
    return respondent_key(code) or None if code else None


def _name(item: CampaignResponse) -> str | None:
    key = name_key(item.response.respondent.name)
    return f"{item.sector}|{item.response.respondent.comune or ''}|{key}" if key else None


_KEYS: dict[str, Callable[[CampaignResponse], str | None]] = {
    "response_id": lambda item: item.response.id,
    "respondent_id": _respondent_id,
    "name": _name,
}


def match_respondents(
    a: Sequence[CampaignResponse], b: Sequence[CampaignResponse]
) -> tuple[list[tuple[str, CampaignResponse, CampaignResponse]], list[Problem]]:
    """Pairs (kind, a, b): by response id, then respondent id, then sector + comune + normalised name.

    A key shared by several responses of one wave is ambiguous: it matches none of them (a later key may).
    """
    left, right = list(a), list(b)
    pairs: list[tuple[str, CampaignResponse, CampaignResponse]] = []
    warnings: list[Problem] = []
    for kind in MATCH_KINDS:
        key_of = _KEYS[kind]
        index_a, index_b = _index(left, key_of, kind, warnings), _index(right, key_of, kind, warnings)
        for key in sorted(set(index_a) & set(index_b)):
            pairs.append((kind, index_a[key], index_b[key]))
        used = {id(x) for _, x, y in pairs} | {id(y) for _, x, y in pairs}
        left = [x for x in left if id(x) not in used]
        right = [y for y in right if id(y) not in used]
    return pairs, warnings


def _index(items: list[CampaignResponse], key_of: Callable[[CampaignResponse], str | None], kind: str, warnings: list[Problem]) -> dict[str, CampaignResponse]:
    groups: dict[str, list[CampaignResponse]] = defaultdict(list)
    for item in items:
        key = key_of(item)
        if key:
            groups[key].append(item)
    for group in groups.values():
        if len(group) > 1:
            files = ", ".join(g.file.name for g in group)
            warnings.append(Problem(str(group[0].file.parent), "", t("waves.ambiguous", kind=t(f"waves.match.{kind}"), files=files)))
    return {k: g[0] for k, g in groups.items() if len(g) == 1}


# ------------------------------------------------------------------ compatibility


def structure_differences(qa: Questionnaire, qb: Questionnaire) -> list[str]:
    """Why two questionnaires score differently, in words (each part of :attr:`Questionnaire.scored_structure`).

    Empty when their scored structure is equal: targets are not part of it (they move gaps, not scores).
    """
    if qa.scored_structure_hash == qb.scored_structure_hash:
        return []
    sa, sb = qa.scored_structure, qb.scored_structure
    out = []
    questions_a, questions_b = sa["questions"], sb["questions"]
    for key, ids in (
        ("added", [q for q in questions_b if q not in questions_a]),
        ("removed", [q for q in questions_a if q not in questions_b]),
        ("changed", [q for q in questions_a if q in questions_b and questions_a[q] != questions_b[q]]),
    ):
        if ids:
            out.append(t(f"waves.diff.{key}", ids=", ".join(ids)))
    dims_a, dims_b = dict(sa["dimensions"]), dict(sb["dimensions"])
    if sa["dimensions"] != sb["dimensions"]:
        changed = [d for d in dims_a if dims_b.get(d) != dims_a[d]] + [d for d in dims_b if d not in dims_a]
        out.append(t("waves.diff.dimensions", ids=", ".join(changed) or t("waves.diff.order")))
    if sa["levels"] != sb["levels"]:
        out.append(t("waves.diff.levels"))
    for rule, before in sa["rules"].items():
        after = sb["rules"][rule]
        if before != after:
            out.append(t(f"waves.diff.rule.{rule}", a=_rule_value(before), b=_rule_value(after)))
    return out


def _rule_value(value: object) -> str:
    return fmt_number(value, decimals=4).rstrip("0").rstrip(".,") if isinstance(value, float) else str(value)


def check_compatible(pairs: Sequence[tuple[str, CampaignResponse, CampaignResponse]], labels: tuple[str, str]) -> None:
    """Refuse (:class:`InvalidInput`) pairs answered on questionnaires that score differently, saying why."""
    problems: dict[tuple[str, str, str, str], Problem] = {}
    for _, x, y in pairs:
        qa, qb = x.source_questionnaire, y.source_questionnaire
        if qa.id != qb.id:
            problems.setdefault((qa.id, qb.id, str(x.file), ""), Problem(
                str(y.file), "questionnaire", t("waves.other_questionnaire", qa=qa.id, qb=qb.id, a=labels[0], b=labels[1])))
        else:  # also the same version edited in place: what counts is how it scores
            why = structure_differences(qa, qb)
            if why:
                problems.setdefault((qa.id, qa.version, qb.version, ""), Problem(
                    "", "", t("waves.incompatible", qid=qa.id, va=qa.version, vb=qb.version, a=labels[0], b=labels[1], why="; ".join(why))))
    if problems:
        raise InvalidInput(problems=list(problems.values()))


# ------------------------------------------------------------------ changes


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _aggregate(key: str, label: str, pairs: Sequence[tuple[float, float]], min_n: int) -> AggregateChange:
    n = len(pairs)
    if n < min_n or n == 0:
        return AggregateChange(key, label, n, None, None, None, True)
    before, after = _mean([p[0] for p in pairs]), _mean([p[1] for p in pairs])
    return AggregateChange(key, label, n, before, after, _mean([p[1] - p[0] for p in pairs]), False)


def _secondary_suppression(rows: list[AggregateChange], total: AggregateChange) -> list[AggregateChange]:
    """With a total shown, one suppressed row could be recovered from the others: hide the next smallest too."""
    hidden = [r for r in rows if r.suppressed and r.n > 0]
    shown = [r for r in rows if not r.suppressed]
    if total.suppressed or len(hidden) != 1 or not shown:
        return rows
    victim = min(shown, key=lambda r: (r.n, r.key))
    return [AggregateChange(r.key, r.label, r.n, None, None, None, True) if r is victim else r for r in rows]


def _change(kind: str, x: CampaignResponse, y: CampaignResponse, names: dict[str, str], lang: str | None) -> RespondentChange:
    dims = []
    for d in y.questionnaire.dimensions:
        before = x.result.dimensions.get(d.id)
        after = y.result.dimensions[d.id]
        dims.append(DimensionChange(d.id, pick(d.label, lang), before.score if before else None, after.score))
    respondent = y.response.respondent
    return RespondentChange(
        key=y.response_id,
        name=respondent.name or x.response.respondent.name or y.response_id,
        sector=y.sector,
        comune=respondent.comune,
        comune_name=names.get(respondent.comune or ""),
        questionnaire=y.questionnaire.id,
        matched_by=kind,
        overall_before=x.result.overall,
        overall_after=y.result.overall,
        dimensions=tuple(dims),
    )


def _dimension_label(dim: str, labels: list[str], lang: str | None) -> str:
    """The dimension's label, or a common name when the sectors' questionnaires word it differently."""
    if len(labels) == 1:
        return labels[0]
    try:
        return t(f"waves.dim.{dim}", lang)
    except KeyError:
        return labels[0]


def compare_waves(a: CampaignData, b: CampaignData, min_n: int | None = None, lang: str | None = None) -> WaveComparison:
    """Match the respondents of two campaigns and compute their changes.

    All response files must be valid; drafts (unfinished interviews) are left out and counted.
    """
    a.require_valid().require_responses(complete=True)
    b.require_valid().require_responses(complete=True)
    labels = (a.campaign.label, b.campaign.label)
    if labels[0] == labels[1]:
        labels = (str(a.campaign.directory), str(b.campaign.directory))
    min_n = min_n if min_n is not None else max(a.campaign.config.min_n, b.campaign.config.min_n)
    complete_a = [r for r in a.responses if r.response.status != "draft"]
    complete_b = [r for r in b.responses if r.response.status != "draft"]
    pairs, warnings = match_respondents(complete_a, complete_b)
    check_compatible(pairs, labels)
    names = {c.istat: c.nome for c in b.territory.comuni}
    changes = sorted((_change(kind, x, y, names, lang) for kind, x, y in pairs), key=lambda c: (c.sector, c.name, c.key))

    sectors: dict[str, list[tuple[float, float]]] = defaultdict(list)
    dims: dict[str, list[tuple[float, float]]] = defaultdict(list)
    cells: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    labels_seen: dict[str, list[str]] = defaultdict(list)
    for c in changes:
        if c.overall_before is not None and c.overall_after is not None:
            sectors[c.sector].append((c.overall_before, c.overall_after))
        for d in c.dimensions:
            if d.label not in labels_seen[d.id]:
                labels_seen[d.id].append(d.label)
            if d.before is not None and d.after is not None:
                dims[d.id].append((d.before, d.after))
                cells[(c.sector, d.id)].append((d.before, d.after))
    dim_labels = {d: _dimension_label(d, labels, lang) for d, labels in labels_seen.items()}
    every = [p for values in sectors.values() for p in values]
    total = _aggregate("*", "", every, min_n)
    sector_keys = sorted({c.sector for c in changes})
    sector_rows = [_aggregate(s, s, sectors[s], min_n) for s in sector_keys]
    dim_rows = {d: _aggregate(d, dim_labels[d], dims[d], min_n) for d in dim_labels}
    by_sector_dimension = tuple(
        DimensionBySector(d, dim_labels[d], tuple(_secondary_suppression(
            [_aggregate(s, s, cells[(s, d)], min_n) for s in sector_keys], dim_rows[d])))
        for d in dim_labels
    )
    counts = {kind: sum(1 for k, _, _ in pairs if k == kind) for kind in MATCH_KINDS}
    return WaveComparison(
        label_a=labels[0],
        label_b=labels[1],
        min_n=min_n,
        responses_a=len(complete_a),
        responses_b=len(complete_b),
        drafts_a=len(a.responses) - len(complete_a),
        drafts_b=len(b.responses) - len(complete_b),
        matched_by=tuple((k, counts[k]) for k in MATCH_KINDS),
        only_a=len(complete_a) - len(pairs),
        only_b=len(complete_b) - len(pairs),
        respondents=tuple(changes),
        by_sector=tuple(_secondary_suppression(sector_rows, total)),
        total=total,
        by_dimension=tuple(dim_rows.values()),
        by_sector_dimension=by_sector_dimension,
        warnings=tuple(warnings),
    )
