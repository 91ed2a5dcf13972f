"""Who is who across two waves: matching respondents by stable keys, and near misses proposed, never assumed.

Automatic matches, in order: the response id (the same file updated), the respondent's stable code
(``respondent.id``: tax code, REA number...), then sector + comune + name compared without case, accents,
spaces and punctuation. What is left may still be the same organisation under another legal form
("Impresa 08 S.r.l." / "Impresa 08"), in another comune (it moved) or with a slightly different name: such
pairs are *suggested*, with the reason, in a small match file the user confirms (``--matches``); a pair is
matched only once confirmed there.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from crassess.campaign.data import CampaignResponse
from crassess.csvfile import sniff_separator
from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.questionnaire.models import respondent_key
from crassess.sources import read_text
from crassess.territory.comuni import normalise

register({
    "waves.ambiguous": {
        "it": "più risposte con la stessa chiave ({kind}): {files}; non abbinate per questa chiave",
        "en": "several responses with the same key ({kind}): {files}; not matched by this key",
    },
    "waves.match.response_id": {"it": "id della risposta", "en": "response id"},
    "waves.match.respondent_id": {"it": "codice del rispondente", "en": "respondent code"},
    "waves.match.name": {"it": "settore, comune e nome", "en": "sector, comune and name"},
    "waves.match.confirmed": {"it": "abbinamento confermato", "en": "confirmed match"},
    "waves.why.legal_form": {"it": "stesso nome a meno della forma giuridica", "en": "same name but for the legal form"},
    "waves.why.similar": {"it": "nome simile", "en": "similar name"},
    "waves.why.moved": {"it": "comune diverso", "en": "another comune"},
    "waves.why.rejected": {"it": "scartato", "en": "rejected"},
    "mf.columns": {"it": "colonne obbligatorie mancanti: {missing}", "en": "required columns missing: {missing}"},
    "mf.decision": {"it": "'{value}' in {column}: scrivere sì oppure no (o lasciare vuoto)", "en": "'{value}' in {column}: write yes or no (or leave it empty)"},
    "mf.unknown": {"it": "la risposta '{id}' non è nella rilevazione {wave}", "en": "response '{id}' is not in wave {wave}"},
    "mf.twice": {"it": "la risposta '{id}' è in due abbinamenti confermati (righe {first} e {line})", "en": "response '{id}' is in two confirmed matches (lines {first} and {line})"},
    "mf.already": {"it": "la risposta '{id}' è già abbinata per {how}: riga ignorata", "en": "response '{id}' is already matched by {how}: line ignored"},
})

MATCH_KINDS = ("response_id", "respondent_id", "name", "confirmed")
SIMILAR = 0.85  # difflib ratio of the names without legal form, from which a pair is suggested
FUZZY_LIMIT = 250_000  # name comparisons per sector at most (beyond: only exact names without legal form)

# Legal forms and what usually follows a name, dropped from its end to compare names ("s.r.l." -> "srl").
LEGAL_FORMS = frozenset({
    "srl", "srls", "spa", "sapa", "sas", "snc", "ss", "sc", "scarl", "scrl", "scpa", "scpl", "coop", "cooperativa",
    "soc", "societa", "semplice", "agricola", "consortile", "onlus", "aps", "odv", "ets", "asd", "ssd", "ssdrl",
    "unipersonale", "uninominale", "ditta", "individuale", "impresa", "in", "liquidazione", "c", "e", "&", "flli",
    "fratelli", "di",
})
_LEADING = frozenset({"ditta", "impresa", "societa", "soc", "coop", "cooperativa", "agricola", "sociale"})
_BOTH = ("ditta individuale", "impresa individuale")


@dataclass(frozen=True)
class Pair:
    kind: str
    a: CampaignResponse
    b: CampaignResponse


@dataclass(frozen=True)
class Suggestion:
    """A possible match for the user to confirm or reject in the match file (``decision`` None: undecided)."""

    a: CampaignResponse
    b: CampaignResponse
    reasons: tuple[str, ...]
    similarity: float
    decision: bool | None = None


@dataclass(frozen=True)
class Decisions:
    """What the user decided in a match file: response-id pairs confirmed and rejected."""

    confirmed: tuple[tuple[str, str], ...] = ()
    rejected: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Matching:
    pairs: tuple[Pair, ...]
    suggestions: tuple[Suggestion, ...]  # decided ones too, so the match file keeps every decision
    warnings: tuple[Problem, ...]


# ------------------------------------------------------------------ keys


def name_key(text: str | None) -> str:
    """A name compared without case, accents, spaces and punctuation ("S.r.l." == "srl")."""
    return re.sub(r"[^a-z0-9]", "", normalise(text or ""))


def core_name(text: str | None) -> str:
    """The name without its legal form: "Rossi & C. S.n.c." and "ROSSI" give "rossi"."""
    plain = normalise((text or "").replace(".", ""))  # "s.r.l." -> "srl", "f.lli" -> "flli"
    for phrase in _BOTH:
        plain = plain.replace(phrase, " ")
    words = re.sub(r"[^a-z0-9&]+", " ", plain).split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    while len(words) > 1 and words[0] in _LEADING:
        words.pop(0)
    return "".join(words)


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


# ------------------------------------------------------------------ matching


def match_respondents(a: Sequence[CampaignResponse], b: Sequence[CampaignResponse], decisions: Decisions = Decisions()) -> Matching:
    """Pairs by response id, then respondent code, then sector + comune + normalised name, then the pairs the user
    confirmed; near misses among the rest become suggestions.

    A key shared by several responses of one wave is ambiguous: it matches none of them (a later key may). A
    confirmed pair whose responses were already matched automatically is ignored with a warning.
    """
    left, right = list(a), list(b)
    pairs: list[Pair] = []
    warnings: list[Problem] = []
    for kind in MATCH_KINDS[:-1]:
        key_of = _KEYS[kind]
        index_a, index_b = _index(left, key_of, kind, warnings), _index(right, key_of, kind, warnings)
        found = [Pair(kind, index_a[key], index_b[key]) for key in sorted(set(index_a) & set(index_b))]
        pairs += found
        left, right = _rest(left, found), _rest(right, found)
    by_id_a = {x.response_id: x for x in left}
    by_id_b = {y.response_id: y for y in right}
    auto = {x.response_id: p.kind for p in pairs for x in (p.a, p.b)}
    confirmed = []
    for rid_a, rid_b in decisions.confirmed:
        if rid_a in by_id_a and rid_b in by_id_b:
            confirmed.append(Pair("confirmed", by_id_a.pop(rid_a), by_id_b.pop(rid_b)))
        else:
            done = rid_a if rid_a in auto else rid_b
            warnings.append(Problem("", "", t("mf.already", id=done, how=t(f"waves.match.{auto.get(done, 'confirmed')}"))))
    pairs += confirmed
    left, right = _rest(left, confirmed), _rest(right, confirmed)
    suggestions = _suggest(left, right, decisions.rejected)
    decided = [Suggestion(p.a, p.b, ("confirmed",), 1.0, True) for p in confirmed]
    ids_a, ids_b = {x.response_id: x for x in a}, {y.response_id: y for y in b}
    rejected = [Suggestion(ids_a[ra], ids_b[rb], ("rejected",), 0.0, False) for ra, rb in sorted(decisions.rejected)
                if ra in ids_a and rb in ids_b]
    return Matching(tuple(pairs), tuple(decided + rejected + suggestions), tuple(warnings))


def _rest(items: list[CampaignResponse], pairs: Sequence[Pair]) -> list[CampaignResponse]:
    used = {id(p.a) for p in pairs} | {id(p.b) for p in pairs}
    return [x for x in items if id(x) not in used]


def _index(items: list[CampaignResponse], key_of: Callable[[CampaignResponse], str | None], kind: str,
           warnings: list[Problem]) -> dict[str, CampaignResponse]:
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


def _suggest(left: list[CampaignResponse], right: list[CampaignResponse], rejected: frozenset[tuple[str, str]]) -> list[Suggestion]:
    """Near misses within a sector, best first, each response in at most one suggestion."""
    candidates: list[Suggestion] = []
    for sector in sorted({x.sector for x in left} & {y.sector for y in right}):
        xs = [(x, core_name(x.response.respondent.name)) for x in left if x.sector == sector]
        ys = [(y, core_name(y.response.respondent.name)) for y in right if y.sector == sector]
        fuzzy = len(xs) * len(ys) <= FUZZY_LIMIT
        for x, cx in xs:
            if not cx:
                continue
            matcher = difflib.SequenceMatcher(None, cx, autojunk=False)
            for y, cy in ys:
                if not cy or (x.response_id, y.response_id) in rejected:
                    continue
                if cx == cy:
                    ratio = 1.0
                elif not fuzzy or min(len(cx), len(cy)) < 4:
                    continue
                else:
                    matcher.set_seq2(cy)
                    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
                        continue
                    ratio = matcher.ratio()
                    if ratio < SIMILAR:
                        continue
                candidates.append(Suggestion(x, y, _reasons(x, y, ratio), round(ratio, 2)))
    candidates.sort(key=lambda s: (-s.similarity, s.a.sector, s.a.response_id, s.b.response_id))
    used: set[int] = set()
    chosen = []
    for s in candidates:
        if id(s.a) not in used and id(s.b) not in used:
            used |= {id(s.a), id(s.b)}
            chosen.append(s)
    return chosen


def _reasons(x: CampaignResponse, y: CampaignResponse, ratio: float) -> tuple[str, ...]:
    reasons = []
    if name_key(x.response.respondent.name) != name_key(y.response.respondent.name):
        reasons.append("legal_form" if ratio == 1.0 else "similar")
    if (x.response.respondent.comune or "") != (y.response.respondent.comune or ""):
        reasons.append("moved")
    return tuple(reasons)


# ------------------------------------------------------------------ the match file

MATCH_COLUMNS = {  # key -> header per language (either is accepted on reading)
    "confirm": {"it": "conferma", "en": "confirm"},
    "response_a": {"it": "risposta_a", "en": "response_a"},
    "file_a": {"it": "file_a", "en": "file_a"},
    "name_a": {"it": "nome_a", "en": "name_a"},
    "comune_a": {"it": "comune_a", "en": "comune_a"},
    "response_b": {"it": "risposta_b", "en": "response_b"},
    "file_b": {"it": "file_b", "en": "file_b"},
    "name_b": {"it": "nome_b", "en": "name_b"},
    "comune_b": {"it": "comune_b", "en": "comune_b"},
    "reason": {"it": "motivo", "en": "reason"},
    "similarity": {"it": "somiglianza", "en": "similarity"},
}
YES = frozenset({"si", "sì", "s", "x", "yes", "y", "ok", "1", "vero", "true"})
NO = frozenset({"no", "n", "0", "falso", "false"})


def read_decisions(path: Path, a: Sequence[CampaignResponse], b: Sequence[CampaignResponse], labels: tuple[str, str]) -> Decisions:
    """The confirmed and rejected pairs of a match file (CSV, ``;`` ``,`` or tab); every problem at once, by line."""
    import csv
    import io

    file = str(path)
    text = read_text(path)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text)))
    header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    heads = {normalise(c).strip(): i for i, c in enumerate(rows[header_at])} if header_at is not None else {}
    columns = {key: next((heads[h] for h in names.values() if h in heads), None) for key, names in MATCH_COLUMNS.items()}
    missing = [MATCH_COLUMNS[k][labels_lang()] for k in ("confirm", "response_a", "response_b") if columns[k] is None]
    if missing:
        raise InvalidInput(problems=[Problem(file, t("place.line", line=(header_at or 0) + 1), t("mf.columns", missing=", ".join(missing)))])
    ids = ({x.response_id for x in a}, {y.response_id for y in b})
    problems: list[Problem] = []
    confirmed: list[tuple[str, str]] = []
    rejected: set[tuple[str, str]] = set()
    seen: dict[str, int] = {}
    assert header_at is not None
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        cell = lambda key: row[columns[key]].strip() if columns[key] is not None and columns[key] < len(row) else ""  # noqa: E731
        if not any(c.strip() for c in row):
            continue
        place, line = t("place.line", line=i + 1), i + 1
        decision = normalise(cell("confirm")).strip()
        if decision and decision not in YES | NO:
            problems.append(Problem(file, place, t("mf.decision", value=cell("confirm"), column=MATCH_COLUMNS["confirm"][labels_lang()])))
            continue
        if not decision:
            continue  # a proposal not decided yet (perhaps of an earlier run): nothing to check
        pair = (cell("response_a"), cell("response_b"))
        bad = [(rid, labels[w]) for w, rid in enumerate(pair) if rid not in ids[w]]
        problems += [Problem(file, place, t("mf.unknown", id=rid, wave=wave)) for rid, wave in bad]
        if bad:
            continue
        if decision in NO:
            rejected.add(pair)
            continue
        for rid in pair:
            if rid in seen:
                problems.append(Problem(file, place, t("mf.twice", id=rid, first=seen[rid], line=line)))
        seen.update({rid: line for rid in pair})
        confirmed.append(pair)
    if problems:
        raise InvalidInput(problems=problems)
    return Decisions(tuple(confirmed), frozenset(rejected))


def labels_lang() -> str:
    from crassess.i18n import get_language

    return get_language()
