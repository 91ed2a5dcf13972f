"""Finding, loading and fully validating questionnaires (all problems at once, located)."""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from crassess.errors import InvalidInput, NotFound, Problem
from crassess.i18n import t
from crassess.questionnaire.expressions import ExpressionError, parse
from crassess.questionnaire.models import (
    SERVICES_SOURCE,
    SPECIAL_ANSWERS,
    LevelGuide,
    Questionnaire,
    ServiceCatalogue,
)
from crassess.sources import LineMap, load_data

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
M = TypeVar("M", Questionnaire, ServiceCatalogue, LevelGuide)
SERVICES_FILE = "servizi.yaml"  # in a questionnaire folder, the service catalogue (not a questionnaire)
LEVELS_FILE = "livelli.yaml"  # in a questionnaire folder, the reading guide of the levels (not a questionnaire)
_NOT_QUESTIONNAIRES = {Path(SERVICES_FILE).stem, Path(LEVELS_FILE).stem}


def shipped_dir() -> Path:
    """The questionnaires shipped with crassess (installed wheel, else the source tree)."""
    installed = _PACKAGE_DIR / "questionnaires"
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / "questionnaires"


def search_dirs() -> list[Path]:
    """Where questionnaire ids are looked up: $CRASSESS_PATH, ./questionnaires, the shipped ones."""
    dirs = [Path(p) for p in os.environ.get("CRASSESS_PATH", "").split(os.pathsep) if p]
    dirs += [Path.cwd() / "questionnaires", shipped_dir()]
    seen: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [s.resolve() for s in seen]:
            seen.append(d)
    return seen


def is_questionnaire_file(path: Path) -> bool:
    """A YAML file of a questionnaire folder that is not the service catalogue nor the level guide."""
    return path.suffix in (".yaml", ".yml") and path.stem not in _NOT_QUESTIONNAIRES and path.is_file()


def questionnaire_files(dirs: Iterable[Path] | None = None) -> list[Path]:
    files: list[Path] = []
    for d in search_dirs() if dirs is None else dirs:
        files += sorted(p for p in d.iterdir() if is_questionnaire_file(p))
    return files


def shipped_services() -> Path:
    """The service catalogue shipped with crassess, used by questionnaires without a ``services`` key."""
    return shipped_dir() / SERVICES_FILE


def shipped_files() -> list[Path]:
    return questionnaire_files([shipped_dir()]) if shipped_dir().is_dir() else []


def resolve(name: str | Path) -> Path:
    """A path as given, or the file of questionnaire id ``name`` in the search directories."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml", ".json") or path.exists():
        return path
    files = questionnaire_files()
    for f in files:
        if f.stem == str(name):
            return f
    known = ", ".join(sorted({f.stem for f in files})) or "-"
    raise NotFound(problems=[Problem(str(name), "", t("q.not_found", name=name, known=known))])


def load_questionnaire(name: str | Path) -> Questionnaire:
    """Load and validate a questionnaire by path or id; raises :class:`InvalidInput` with every problem."""
    path = resolve(name)
    data, lines = load_data(path)
    return validate_questionnaire(data, str(path), lines)


def validate_questionnaire(data: Any, file: str, lines: LineMap | None = None) -> Questionnaire:
    lines = lines or LineMap({})
    _require_mapping(data, file)
    catalogue, problems = _catalogue_of(data, file, lines)
    data = _expand_service_lists(data, catalogue)
    problems += check_semantics(data, file, lines, catalogue)
    return _build(Questionnaire, data, file, lines, problems).attach_catalogue(catalogue)


def _require_mapping(data: Any, file: str) -> None:
    if not isinstance(data, dict):
        raise InvalidInput(problems=[Problem(file, "", t("data.not_mapping"))])


def _build(model: type[M], data: Any, file: str, lines: LineMap, problems: list[Problem]) -> M:
    """The validated model, or :class:`InvalidInput` with ``problems`` and the model's own, sorted by line."""
    built: M | None = None
    try:
        built = model.model_validate(data)
    except ValidationError as exc:
        problems = problems + flatten(exc, file, lines, data)
    if problems:
        raise InvalidInput(problems=_sorted_unique(problems))
    assert built is not None
    return built


# ------------------------------------------------------------------ service catalogue


def load_services(path: Path | None = None) -> ServiceCatalogue:
    """The service catalogue at ``path`` (default: the shipped ``servizi.yaml``), fully validated."""
    path = Path(path) if path is not None else shipped_services()
    data, lines = load_data(path)
    return validate_services(data, str(path), lines)


def validate_services(data: Any, file: str, lines: LineMap | None = None) -> ServiceCatalogue:
    """Validate a catalogue: every problem at once, located (line, service id)."""
    lines = lines or LineMap({})
    _require_mapping(data, file)
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, item in _dicts(data.get("services")):
        where = _place(lines, ("services", i, "id"))
        ident = item.get("id")
        if isinstance(ident, str) and ident in first:
            problems.append(Problem(file, where, t("q.duplicate_id", id=ident, first=first[ident])))
        elif isinstance(ident, str):
            first[ident] = lines.line(("services", i, "id")) or 0
        for key in ("label", "description"):
            text = item.get(key)
            if isinstance(text, dict) and any(isinstance(v, str) and "\n" in v.strip() for v in text.values()):
                problems.append(Problem(file, _place(lines, ("services", i, key)), f"{key}: " + t("s.one_line", id=ident)))
    problems += _check_languages(data, "it", lambda path, message, qid=None: Problem(file, _place(lines, path), message))
    return _build(ServiceCatalogue, data, file, lines, problems)


# ------------------------------------------------------------------ level guide


def find_level_guide() -> Path:
    """The level guide reports use: the first ``livelli.yaml`` of the search directories, else the shipped one."""
    for d in search_dirs():
        if (d / LEVELS_FILE).is_file():
            return d / LEVELS_FILE
    return shipped_dir() / LEVELS_FILE


def load_level_guide(path: Path | None = None) -> LevelGuide:
    """The level guide at ``path`` (default: :func:`find_level_guide`), fully validated."""
    path = Path(path) if path is not None else find_level_guide()
    data, lines = load_data(path)
    return validate_level_guide(data, str(path), lines)


def validate_level_guide(data: Any, file: str, lines: LineMap | None = None) -> LevelGuide:
    """Validate a level guide: every problem at once, located (line, level id). Every text is one line,
    in Italian and in English (the reports are written in both)."""
    lines = lines or LineMap({})
    _require_mapping(data, file)
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, item in _dicts(data.get("levels")):
        ident = item.get("id")
        if isinstance(ident, str) and ident in first:
            problems.append(Problem(file, _place(lines, ("levels", i, "id")), t("q.duplicate_id", id=ident, first=first[ident])))
        elif isinstance(ident, str):
            first[ident] = lines.line(("levels", i, "id")) or 0
        texts = [(("levels", i, "text"), item.get("text"))]
        dims = item.get("dimensions")
        texts += [(("levels", i, "dimensions", d), v) for d, v in dims.items()] if isinstance(dims, dict) else []
        for path, text in texts:
            if not isinstance(text, dict):
                continue  # the model reports the type
            for lang in ("it", "en"):
                value = text.get(lang)
                if not isinstance(value, str) or not value.strip():
                    problems.append(Problem(file, _place(lines, path), t("g.missing_language", id=ident, language=lang)))
                elif "\n" in value.strip():
                    problems.append(Problem(file, _place(lines, path), t("g.one_line", id=ident)))
    return _build(LevelGuide, data, file, lines, problems)


def _uses_services(data: dict[str, Any]) -> bool:
    lists = data.get("choices")
    return (
        "services" in data
        or any(isinstance(q.get("service"), str) for _, q in _dicts(data.get("questions")))
        or (isinstance(lists, dict) and any(isinstance(v, dict) and v.get("from") == SERVICES_SOURCE for v in lists.values()))
    )


def _catalogue_of(data: dict[str, Any], file: str, lines: LineMap) -> tuple[ServiceCatalogue | None, list[Problem]]:
    """The catalogue a questionnaire uses (``services``, relative to its file; else the shipped one)."""
    if not _uses_services(data):
        return None, []
    ref = data.get("services")
    if ref is not None and not isinstance(ref, str):
        return None, []  # the model reports the type
    path = Path(file).parent / ref if ref else shipped_services()
    if not path.is_file():
        return None, [Problem(file, _place(lines, ("services",)), t("s.not_found", path=path))]
    try:
        return load_services(path), []
    except InvalidInput as exc:
        return None, list(exc.problems)


def _expand_service_lists(data: dict[str, Any], catalogue: ServiceCatalogue | None) -> dict[str, Any]:
    """``{from: services}`` choice lists replaced by the catalogue's ids and labels."""
    lists = data.get("choices")
    if not isinstance(lists, dict):
        return data
    expanded = {
        name: [c.model_dump() for c in catalogue.choices()] if catalogue and isinstance(v, dict) and v.get("from") == SERVICES_SOURCE else v
        for name, v in lists.items()
    }
    return {**data, "choices": expanded}


def _sorted_unique(problems: list[Problem]) -> list[Problem]:
    def key(p: Problem) -> tuple[int, str]:
        digits = "".join(ch for ch in p.place.split(",")[0] if ch.isdigit())
        return (int(digits) if digits else 0, p.message)

    out: list[Problem] = []
    for p in sorted(problems, key=key):
        if p not in out:
            out.append(p)
    return out


def _place(lines: LineMap, path: tuple[Any, ...], qid: str | None = None) -> str:
    parts = []
    line = lines.line(path)
    if line:
        parts.append(t("place.line", line=line))
    if qid:
        parts.append(t("place.question", id=qid))
    return ", ".join(parts)


def _id_at(data: Any, loc: tuple[Any, ...]) -> str | None:
    """The id of the nearest enclosing object that has one (a question, dimension...)."""
    found = None
    node = data
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str) and "type" in node:
            found = node["id"]
    return found


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def flatten(exc: ValidationError, file: str, lines: LineMap, data: Any = None) -> list[Problem]:
    """Pydantic errors as ``file: line N, question X: field: message`` problems, in the user's language."""
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("str", "list[Choice]", "function-after")))
        ctx = dict(err.get("ctx") or {})
        if "expected" in ctx:  # pydantic lists the allowed values in English: "'a', 'b' or 'c'"
            ctx["expected"] = str(ctx["expected"]).replace(" or ", ", ")
        key = f"pyd.{err['type']}"
        try:
            message = t(key, **{k: _plain(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            message = t("pyd.other", detail=err["msg"])
        field = ".".join(str(p) for p in loc)
        problems.append(Problem(file, _place(lines, loc, _id_at(data, loc)), f"{field}: {message}" if field else message))
    return problems


# ------------------------------------------------------------------ semantics


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def check_semantics(data: dict[str, Any], file: str, lines: LineMap, catalogue: ServiceCatalogue | None = None) -> Iterator[Problem]:
    """Cross-field rules pydantic cannot see; works on raw data so every problem shows at once."""
    lang = data.get("default_language", "it")

    def problem(path: tuple[Any, ...], message: str, qid: str | None = None) -> Problem:
        return Problem(file, _place(lines, path, qid), message)

    # ids unique within questions, dimensions, levels
    for section in ("questions", "dimensions", "levels"):
        first: dict[str, int] = {}
        for i, item in _dicts(data.get(section)):
            ident = item.get("id")
            if not isinstance(ident, str):
                continue
            if ident in first:
                yield problem((section, i, "id"), t("q.duplicate_id", id=ident, first=first[ident]))
            else:
                first[ident] = lines.line((section, i, "id")) or 0

    # multilingual fields must have the default language
    yield from _check_languages(data, lang, problem)

    # levels ascending from 0
    levels = [lv for _, lv in _dicts(data.get("levels"))]
    starts = [_num(lv.get("from")) for lv in levels]
    if levels and all(s is not None for s in starts):
        if starts[0] != 0 or any(b <= a for a, b in zip(starts, starts[1:])):  # type: ignore[operator]
            yield problem(("levels",), t("q.levels_order", values=", ".join(f"{s:g}" for s in starts)))  # type: ignore[str-format]

    # choice lists
    lists: dict[str, list[dict[str, Any]]] = {}
    raw_lists = data.get("choices")
    if isinstance(raw_lists, dict):
        for name, items in raw_lists.items():
            lists[str(name)] = [c for _, c in _dicts(items)]
            yield from _check_choice_list(str(name), items, ("choices", name), problem)

    dims = {d.get("id") for _, d in _dicts(data.get("dimensions"))}
    order = {q.get("id"): i for i, q in _dicts(data.get("questions")) if isinstance(q.get("id"), str)}
    for i, q in _dicts(data.get("questions")):
        scored = yield from _check_question(i, q, lists, dims, order, problem)
        yield from _check_roadmap(i, q, scored, catalogue, problem)


def _check_roadmap(i: int, q: dict[str, Any], scored: bool, catalogue: ServiceCatalogue | None, problem: Any) -> Iterator[Problem]:
    """``effort``, ``service`` and ``min_size`` describe a scored question's action; a service is in the catalogue."""
    qid = q.get("id") if isinstance(q.get("id"), str) else f"#{i + 1}"
    for key in ("effort", "service", "min_size"):
        if key in q and not scored:
            yield problem(("questions", i, key), t("q.roadmap_unscored", id=qid, field=key), qid)
    service = q.get("service")
    if isinstance(service, str) and catalogue is not None and service not in catalogue.by_id:
        yield problem(("questions", i, "service"), t("q.unknown_service", id=qid, service=service, known=", ".join(catalogue.ids)), qid)


def _check_languages(data: dict[str, Any], lang: str, problem: Any) -> Iterator[Problem]:
    text_fields = ("title", "description", "label", "hint", "action", "constraint_message")

    def walk(node: Any, path: tuple[Any, ...]) -> Iterator[Problem]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in text_fields and isinstance(value, dict) and not value.get(lang):
                    qid = node.get("id") if "type" in node else None
                    yield problem((*path, key), f"{key}: " + t("q.missing_language", language=lang), qid)
                elif isinstance(value, (dict, list)):
                    yield from walk(value, (*path, key))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, (*path, i))

    yield from walk(data, ())


def _check_choice_list(name: str, items: Any, path: tuple[Any, ...], problem: Any) -> Iterator[Problem]:
    seen: set[str] = set()
    choices = list(_dicts(items))
    for i, c in choices:
        value = str(c.get("value"))
        if value in SPECIAL_ANSWERS:
            yield problem((*path, i, "value"), t("q.reserved_choice", value=value))
        if value in seen:
            yield problem((*path, i, "value"), t("q.duplicate_choice", value=value, name=name))
        seen.add(value)
        score = _num(c.get("score"))
        if score is not None and score < 0:
            yield problem((*path, i, "score"), t("q.choice_points_negative", value=value, score=f"{score:g}"))
    with_score = [c for _, c in choices if c.get("score") is not None]
    if with_score and len(with_score) != len(choices):
        yield problem(path, t("q.partial_scores", name=name))


def _check_question(
    i: int,
    q: dict[str, Any],
    lists: dict[str, list[dict[str, Any]]],
    dims: set[Any],
    order: dict[Any, int],
    problem: Any,
) -> Generator[Problem, None, bool]:
    """The problems of one question; returns whether it is scored."""
    qid = q.get("id") if isinstance(q.get("id"), str) else f"#{i + 1}"
    qtype = q.get("type")
    base = ("questions", i)
    choices_spec = q.get("choices")
    choices: list[dict[str, Any]] = []
    is_select = qtype in ("select_one", "select_multiple")

    if is_select:
        if choices_spec is None:
            yield problem(base, t("q.choices_required", id=qid, type=qtype), qid)
        elif isinstance(choices_spec, str):
            if choices_spec not in lists:
                known = ", ".join(sorted(lists)) or "-"
                yield problem((*base, "choices"), t("q.unknown_choices", id=qid, name=choices_spec, known=known), qid)
            choices = lists.get(choices_spec, [])
        elif isinstance(choices_spec, list):
            choices = [c for _, c in _dicts(choices_spec)]
            yield from _check_choice_list(f"{qid}.choices", choices_spec, (*base, "choices"), problem)
    elif choices_spec is not None and qtype in ("integer", "decimal", "text"):
        yield problem((*base, "choices"), t("q.choices_not_allowed", id=qid, type=qtype), qid)

    scored = False
    if is_select and choices and all(c.get("score") is not None for c in choices):
        scored = True
        scores = [_num(c.get("score")) for c in choices]
        if qtype == "select_one":
            for c, s in zip(choices, scores):
                if s is not None and not 0 <= s <= 100:
                    yield problem((*base, "choices"), t("q.choice_score_range", id=qid, value=c.get("value"), score=f"{s:g}"), qid)
        elif sum(s or 0 for s in scores) <= 0:
            yield problem((*base, "choices"), t("q.multi_zero_points", id=qid), qid)
    if qtype == "select_one":
        for c in choices:
            if c.get("exclusive"):
                yield problem((*base, "choices"), t("q.exclusive_in_select_one", id=qid, value=c.get("value")), qid)

    scoring = q.get("scoring")
    if scoring is not None:
        if qtype not in ("integer", "decimal"):
            yield problem((*base, "scoring"), t("q.scoring_not_allowed", id=qid), qid)
        elif isinstance(scoring, dict):
            scored = True
            yield from _check_scoring(qid, scoring, (*base, "scoring"), problem)

    dim = q.get("dimension")
    if dim is not None and dim not in dims:
        known = ", ".join(sorted(str(d) for d in dims if d)) or "-"
        yield problem((*base, "dimension"), t("q.unknown_dimension", id=qid, dim=dim, known=known), qid)
    if scored and dim is None:
        yield problem(base, t("q.scored_without_dimension", id=qid), qid)

    for field in ("relevant", "constraint"):
        source = q.get(field)
        if not isinstance(source, str) or not source.strip():
            continue
        try:
            expr = parse(source)
        except ExpressionError as exc:
            yield problem((*base, field), t("q.expression", field=field, id=qid, error=exc), qid)
            continue
        if field == "relevant" and expr.uses_current:
            yield problem((*base, field), t("q.dot_in_relevant", id=qid), qid)
        for ref in expr.refs:
            if ref not in order:
                yield problem((*base, field), t("q.expression_unknown", field=field, id=qid, ref=ref), qid)
            elif field == "relevant" and order[ref] >= i:
                yield problem((*base, field), t("q.expression_forward", field=field, id=qid, ref=ref), qid)
    return scored


def _check_scoring(qid: str, scoring: dict[str, Any], path: tuple[Any, ...], problem: Any) -> Iterator[Problem]:
    bands = scoring.get("bands")
    lo, hi = _num(scoring.get("min")), _num(scoring.get("max"))
    if bands is not None:
        ok = isinstance(bands, list) and bool(bands) and all(
            isinstance(b, list) and len(b) == 2 and _num(b[0]) is not None and _num(b[1]) is not None for b in bands
        )
        if ok:
            thresholds = [float(b[0]) for b in bands]
            ok = all(b > a for a, b in zip(thresholds, thresholds[1:])) and all(0 <= float(b[1]) <= 100 for b in bands)
        if not ok or "min" in scoring or "max" in scoring:
            yield problem(path, t("q.bands", id=qid), qid)
    elif lo is None or hi is None or lo == hi:
        yield problem(path, t("q.scoring_kind", id=qid), qid)
