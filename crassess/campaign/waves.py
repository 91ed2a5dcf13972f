"""Comparing two waves of a campaign (e.g. 2026-T0 and 2027-T1): who is in both, each one's change, and the
scores of both waves as the samples the report's figures are computed from (:mod:`crassess.reports.wave_figures`).

Matching is :mod:`crassess.campaign.matching`; this module checks that matched pairs can be compared and
collects what the reports need. No figure is published from here: disclosure control happens in the reports.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crassess.campaign.data import CampaignData, CampaignResponse
from crassess.campaign.matching import (
    MATCH_KINDS,
    Decisions,
    Pair,
    Suggestion,
    match_respondents,
    read_decisions,
)
from crassess.errors import InvalidInput, Problem
from crassess.i18n import fmt_number, pick, register, t
from crassess.questionnaire.models import Questionnaire

register({
    "waves.incompatible": {
        "it": "il questionario {qid} versione {va} ({a}) e versione {vb} ({b}) calcolano i punteggi in modo diverso ({why}): i punteggi non sono confrontabili; confrontare rilevazioni con la stessa struttura di punteggio",
        "en": "questionnaire {qid} version {va} ({a}) and version {vb} ({b}) score differently ({why}): the scores are not comparable; compare waves with the same scoring structure",
    },
    "waves.other_questionnaire": {
        "it": "non confrontabili: {fa} ({a}, questionario {qa}) e {fb} ({b}, questionario {qb}) sono lo stesso rispondente ({how}) ma questionari diversi",
        "en": "not comparable: {fa} ({a}, questionnaire {qa}) and {fb} ({b}, questionnaire {qb}) are the same respondent ({how}) but different questionnaires",
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
})


OVERALL = ""  # the measure key of the overall score (dimensions use their id)


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
class Member:
    """A respondent of one wave only (entered or left): for the restricted lists, never for the reports."""

    wave: str
    sector: str
    name: str
    comune: str | None
    comune_name: str | None
    file: str
    response_id: str


@dataclass(frozen=True)
class NotComparable:
    """The same respondent (by response id, code or name) on different questionnaires in the two waves."""

    file_a: str
    file_b: str
    questionnaire_a: str
    questionnaire_b: str
    matched_by: str
    sector_a: str
    sector_b: str
    response_a: str
    response_b: str


@dataclass(frozen=True)
class Sample:
    """The scores of one measure (overall or a dimension) in one sector, or in all (``sector`` "*").

    ``a`` and ``b`` are every complete response of each wave with a score; ``pairs`` the matched respondents
    with a score in both. ``rest_a`` are the scores of ``a`` outside the pairs (respondents who left, or
    without this score in the other wave), ``rest_b`` likewise: they are never published, but the reports
    must know them to keep "mean of the wave minus mean of the pairs" from revealing them.
    """

    sector: str
    measure: str
    label: str
    a: tuple[float, ...]
    b: tuple[float, ...]
    pairs: tuple[tuple[float, float], ...]
    rest_a: tuple[float, ...]
    rest_b: tuple[float, ...]


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
    respondents: tuple[RespondentChange, ...]
    samples: tuple[Sample, ...]  # by sector then "*", overall first then dimensions
    entered: tuple[Member, ...]  # only in B (names: restricted files only)
    left: tuple[Member, ...]  # only in A
    not_comparable: tuple[NotComparable, ...]
    suggestions: tuple[Suggestion, ...]
    warnings: tuple[Problem, ...]
    sectors: tuple[str, ...] = field(default=())

    @property
    def matched(self) -> int:
        return len(self.respondents)

    @property
    def only_a(self) -> int:
        return self.responses_a - self.matched

    @property
    def only_b(self) -> int:
        return self.responses_b - self.matched

    def sample(self, sector: str, measure: str = OVERALL) -> Sample | None:
        return next((s for s in self.samples if s.sector == sector and s.measure == measure), None)

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


def split_comparable(pairs: Sequence[Pair], labels: tuple[str, str]) -> tuple[list[Pair], list[NotComparable], list[Problem]]:
    """Pairs on the same questionnaire, and the others listed as not comparable (with a warning naming both
    files). Versions of one questionnaire that score differently refuse the comparison (:class:`InvalidInput`),
    saying why: every pair would be affected."""
    problems: dict[tuple[str, str, str], Problem] = {}
    same, other, warnings = [], [], []
    for pair in pairs:
        qa, qb = pair.a.source_questionnaire, pair.b.source_questionnaire
        if qa.id != qb.id:
            other.append(NotComparable(str(pair.a.file), str(pair.b.file), qa.id, qb.id, pair.kind, pair.a.sector, pair.b.sector,
                                       pair.a.response_id, pair.b.response_id))
            warnings.append(Problem(str(pair.b.file), "questionnaire", t(
                "waves.other_questionnaire", fa=pair.a.file, fb=pair.b.file, qa=qa.id, qb=qb.id, a=labels[0], b=labels[1],
                how=t(f"waves.match.{pair.kind}"))))
            continue
        same.append(pair)
        why = structure_differences(qa, qb)  # also the same version edited in place: what counts is how it scores
        if why:
            problems.setdefault((qa.id, qa.version, qb.version), Problem(
                "", "", t("waves.incompatible", qid=qa.id, va=qa.version, vb=qb.version, a=labels[0], b=labels[1], why="; ".join(why))))
    if problems:
        raise InvalidInput(problems=list(problems.values()))
    return same, other, warnings


# ------------------------------------------------------------------ changes


def _change(pair: Pair, names: dict[str, str], lang: str | None) -> RespondentChange:
    x, y = pair.a, pair.b
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
        matched_by=pair.kind,
        overall_before=x.result.overall,
        overall_after=y.result.overall,
        dimensions=tuple(dims),
    )


def _member(wave: str, item: CampaignResponse, names: dict[str, str]) -> Member:
    r = item.response.respondent
    return Member(wave, item.sector, r.name or item.response_id, r.comune, names.get(r.comune or ""), str(item.file), item.response_id)


def _dimension_label(dim: str, labels: list[str], lang: str | None) -> str:
    """The dimension's label, or a common name when the sectors' questionnaires word it differently."""
    if len(labels) == 1:
        return labels[0]
    try:
        return t(f"waves.dim.{dim}", lang)
    except KeyError:
        return labels[0]


def _scores(item: CampaignResponse) -> dict[str, float]:
    """A response's overall and dimension scores by measure key (only those that exist)."""
    out = {d: dim.score for d, dim in item.result.dimensions.items() if dim.score is not None}
    if item.result.overall is not None:
        out[OVERALL] = item.result.overall
    return out


def _samples(a: list[CampaignResponse], b: list[CampaignResponse], pairs: list[Pair], lang: str | None) -> tuple[Sample, ...]:
    """Per sector, then over all sectors ("*"): the overall score, then each dimension (shared ids together)."""
    labels: dict[str, list[str]] = defaultdict(list)
    for item in (*a, *b):
        for d in item.questionnaire.dimensions:
            label = pick(d.label, lang)
            if label not in labels[d.id]:
                labels[d.id].append(label)
    names = {d: _dimension_label(d, ls, lang) for d, ls in labels.items()}
    sectors = sorted({x.sector for x in (*a, *b)})
    scores = {id(x): _scores(x) for x in (*a, *b)}
    out = []
    for sector in (*sectors, "*"):
        in_a = [x for x in a if sector in ("*", x.sector)]
        in_b = [y for y in b if sector in ("*", y.sector)]
        in_pairs = [p for p in pairs if sector in ("*", p.b.sector)]
        measures = [OVERALL] if sector != "*" or len(sectors) > 1 else []
        measures += [d for d in names if any(d in scores[id(x)] for x in in_a + in_b)]
        for measure in measures:
            paired = [(scores[id(p.a)][measure], scores[id(p.b)][measure], p) for p in in_pairs
                      if measure in scores[id(p.a)] and measure in scores[id(p.b)]]
            used = {id(x) for _, _, p in paired for x in (p.a, p.b)}
            values_a = [(x, scores[id(x)][measure]) for x in in_a if measure in scores[id(x)]]
            values_b = [(y, scores[id(y)][measure]) for y in in_b if measure in scores[id(y)]]
            if not values_a and not values_b:
                continue
            out.append(Sample(
                sector, measure, names.get(measure, ""),
                tuple(v for _, v in values_a), tuple(v for _, v in values_b),
                tuple((before, after) for before, after, _ in paired),
                tuple(v for x, v in values_a if id(x) not in used),
                tuple(v for y, v in values_b if id(y) not in used),
            ))
    return tuple(out)


def compare_waves(a: CampaignData, b: CampaignData, min_n: int | None = None, lang: str | None = None,
                  matches: Path | Decisions | None = None) -> WaveComparison:
    """Match the respondents of two campaigns and collect their changes and both waves' scores.

    All response files must be valid and each wave must have a complete response; drafts (unfinished
    interviews) are left out and counted. ``matches`` is the user's match file (or its decisions): the
    suggestions confirmed or rejected.
    """
    a.require_valid().require_responses(complete=True)
    b.require_valid().require_responses(complete=True)
    labels = (a.campaign.label, b.campaign.label)
    if labels[0] == labels[1]:
        labels = (str(a.campaign.directory), str(b.campaign.directory))
    min_n = min_n if min_n is not None else max(a.campaign.config.min_n, b.campaign.config.min_n)
    complete_a = [r for r in a.responses if r.response.status != "draft"]
    complete_b = [r for r in b.responses if r.response.status != "draft"]
    if isinstance(matches, Path):
        matches = read_decisions(matches, complete_a, complete_b, labels)
    matching = match_respondents(complete_a, complete_b, matches or Decisions())
    pairs, other, warnings = split_comparable(matching.pairs, labels)
    names = {c.istat: c.nome for c in b.territory.comuni} | {c.istat: c.nome for c in a.territory.comuni}
    changes = sorted((_change(p, names, lang) for p in pairs), key=lambda c: (c.sector, c.name, c.key))
    in_a = {id(p.a) for p in matching.pairs}
    in_b = {id(p.b) for p in matching.pairs}
    counts = {kind: sum(1 for p in pairs if p.kind == kind) for kind in MATCH_KINDS}
    return WaveComparison(
        label_a=labels[0],
        label_b=labels[1],
        min_n=min_n,
        responses_a=len(complete_a),
        responses_b=len(complete_b),
        drafts_a=len(a.responses) - len(complete_a),
        drafts_b=len(b.responses) - len(complete_b),
        matched_by=tuple((k, counts[k]) for k in MATCH_KINDS),
        respondents=tuple(changes),
        samples=_samples(complete_a, complete_b, pairs, lang),
        entered=tuple(_member(labels[1], y, names) for y in complete_b if id(y) not in in_b),
        left=tuple(_member(labels[0], x, names) for x in complete_a if id(x) not in in_a),
        not_comparable=tuple(other),
        suggestions=matching.suggestions,
        warnings=tuple(matching.warnings) + tuple(warnings),
        sectors=tuple(sorted({x.sector for x in (*complete_a, *complete_b)})),
    )
