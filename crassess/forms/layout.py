"""The shape of a questionnaire's online form: groups, field names, choice lists (the public contract).

The XLSForm export, the import of submissions and the sample exports all take names from
:func:`form_layout`; none builds a name itself, so what is exported is what is read back.

- ``start``, ``end``: the platform's timestamps; then the profile group ``profile`` with
  ``respondent_name``, ``respondent_comune``, ``respondent_size``, ``respondent_subsector`` (sectors that
  have one), ``respondent_id``, ``respondent_contact``, ``respondent_interviewer``, ``respondent_date``.
- One group per run of questions of a dimension, named after the dimension id (a question without a
  dimension joins the next dimension's group; trailing ones the group ``other``). Questions keep their id.
- A number or text question that allows "Non so"/"Non applicabile" gets a companion ``<id>_status``
  (``val``, ``dk``, ``na``) before it; the question itself is asked only when the status is ``val``.
- ``crassess_questionnaire``, ``crassess_version``, ``crassess_content`` (calculated): the questionnaire's
  id, version and the first 12 characters of its content hash, in every submission.

A generated name that a question id already uses gets a suffix (``_group`` for a group, then ``_2``...),
deterministically.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, Union

from crassess.errors import InvalidInput, Problem
from crassess.i18n import register, t
from crassess.questionnaire.models import Choice, Question, Questionnaire
from crassess.questionnaire.vocabulary import SUBSECTORS
from crassess.territory.comuni import Territory
from crassess.territory.validate import OUTSIDE_TERRITORY, outside_label

register({
    "forms.bad_name": {"it": "l'id '{id}' non è un nome valido in un modulo XLSForm: deve iniziare con una lettera o '_' e contenere solo lettere, cifre, '_', '-' o '.'", "en": "id '{id}' is not a valid XLSForm name: it must start with a letter or '_' and hold only letters, digits, '_', '-' or '.'"},
    "forms.reserved_name": {"it": "l'id '{id}' è riservato dai moduli online (meta): rinominare la domanda", "en": "id '{id}' is reserved in online forms (meta): rename the question"},
    "forms.bad_choice": {"it": "la scelta '{value}' di una domanda a scelta multipla non può contenere spazi o apici in un modulo online", "en": "choice '{value}' of a multiple-choice question cannot hold spaces or quotes in an online form"},
    "forms.status.val": {"it": "Rispondo", "en": "I will answer"},
})

LANGUAGES = {"it": "Italiano (it)", "en": "English (en)"}
PROFILE_PREFIX = "respondent_"
PROFILE_KEYS = ("name", "comune", "size", "subsector", "id", "contact", "interviewer", "date")
REQUIRED_PROFILE = ("name", "comune")
CALCULATES = ("questionnaire", "version", "content")
CONTENT_CHARS = 12
STATUS_SUFFIX = "_status"
VALUE = "val"
SPECIALS = ("dk", "na")
RESERVED = frozenset({"meta"})
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")

FieldKind = Literal["meta", "note", "profile", "question", "status", "calculate"]


@dataclass(frozen=True)
class Field:
    """One field of the form: its XLSForm ``name``, what it holds and the groups around it (outermost first).

    ``key`` is the profile key, the question id (for a question and its status), the calculate key
    (``questionnaire``...) or the metadata name; ``list_name`` names the choice list of a select.
    """

    name: str
    kind: FieldKind
    key: str
    path: tuple[str, ...] = ()
    xls_type: str = "text"
    list_name: str | None = None
    question: Question | None = None

    def header(self, separator: str) -> str:
        """The column header of this field when group names are joined with ``separator``."""
        return separator.join((*self.path, self.name))


@dataclass(frozen=True)
class Group:
    """A group of fields: the profile, a dimension (``key`` = its id) or the trailing ``other`` questions."""

    name: str
    kind: Literal["profile", "dimension", "other"]
    key: str
    children: tuple[Field, ...]


@dataclass(frozen=True)
class ChoiceList:
    """A list of the ``choices`` sheet: values with their labels by language."""

    name: str
    items: tuple[tuple[str, dict[str, str]], ...]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(value for value, _ in self.items)


Node = Union[Field, Group]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one layout per questionnaire and run
class FormLayout:
    """The whole form of one questionnaire, in order; see the module docstring for the conventions."""

    questionnaire: Questionnaire
    nodes: tuple[Node, ...]
    lists: tuple[ChoiceList, ...]
    names: dict[str, str] = field(default_factory=dict)  # role ("start", "group:profile"...) -> name

    @cached_property
    def fields(self) -> tuple[Field, ...]:
        """Every field in instance order (the column order of the platforms' exports)."""
        out: list[Field] = []
        for node in self.nodes:
            out += node.children if isinstance(node, Group) else [node]
        return tuple(out)

    @cached_property
    def lists_by_name(self) -> dict[str, ChoiceList]:
        return {c.name: c for c in self.lists}

    def choice_values(self, f: Field) -> tuple[str, ...]:
        """The values of a select field's list, as the form offers them (with ``dk``/``na`` where allowed)."""
        return self.lists_by_name[f.list_name].values if f.list_name else ()

    @cached_property
    def status_of(self) -> dict[str, Field]:
        """Question id -> its companion status field."""
        return {f.key: f for f in self.fields if f.kind == "status"}

    def content_tag(self) -> str:
        return self.questionnaire.content_hash[:CONTENT_CHARS]


class _Names:
    """Generated names that never take a question id: the preferred one, else with ``_2``, ``_3``..."""

    def __init__(self, taken: set[str]):
        self.taken = set(taken)

    def claim(self, preferred: str, *alternatives: str) -> str:
        name = next((a for a in (preferred, *alternatives) if a not in self.taken), None)
        n = 2
        while name is None or name in self.taken:
            name, n = f"{preferred}_{n}", n + 1
        self.taken.add(name)
        return name


def _check_names(qn: Questionnaire, file: str) -> None:
    problems = []
    for q in qn.questions:
        place = t("place.question", id=q.id)
        if not _XML_NAME.match(q.id):
            problems.append(Problem(file, place, t("forms.bad_name", id=q.id)))
        elif q.id in RESERVED:
            problems.append(Problem(file, place, t("forms.reserved_name", id=q.id)))
        if q.type == "select_multiple":
            for c in qn.choices_of(q):
                if re.search(r"[\s'\"]", c.value):
                    problems.append(Problem(file, place, t("forms.bad_choice", value=c.value)))
    if problems:
        raise InvalidInput(problems=problems)


def _texts(key: str, **params: object) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


def _labels(text: dict[str, str], default: str) -> dict[str, str]:
    """A text in every form language: a missing language takes the default language's text."""
    fallback = text.get(default) or next(iter(text.values()), "")
    return {lang: text.get(lang) or fallback for lang in LANGUAGES}


class _Lists:
    """The choice lists, each built once; variants with "Non so"/"Non applicabile" get their own name."""

    def __init__(self, qn: Questionnaire):
        self.qn = qn
        self.by_key: dict[tuple[str, ...], ChoiceList] = {}
        self.names = _Names(set())

    def add(self, key: tuple[str, ...], preferred: str, items: list[tuple[str, dict[str, str]]]) -> str:
        if key not in self.by_key:
            name = self.names.claim(re.sub(r"[^A-Za-z0-9_]", "_", preferred) or "list")
            self.by_key[key] = ChoiceList(name, tuple(items))
        return self.by_key[key].name

    def specials(self, q: Question) -> list[tuple[str, dict[str, str]]]:
        return [(s, _texts(f"special.{s}")) for s in SPECIALS if getattr(q, f"allow_{s}")]

    def for_question(self, q: Question) -> str:
        choices: list[Choice] = self.qn.choices_of(q)
        base = q.choices if isinstance(q.choices, str) else f"{q.id}_choices"
        source = ("list", q.choices) if isinstance(q.choices, str) else ("inline", q.id)
        flags = tuple(s for s in SPECIALS if getattr(q, f"allow_{s}"))
        items = [(c.value, _labels(c.label, self.qn.default_language)) for c in choices] + self.specials(q)
        return self.add((*source, *flags), "_".join((base, *flags)), items)

    def for_status(self, q: Question) -> str:
        flags = tuple(s for s in SPECIALS if getattr(q, f"allow_{s}"))
        return self.add(("status", *flags), "_".join(("answer", *flags)), [(VALUE, _texts("forms.status.val")), *self.specials(q)])


def _question_fields(q: Question, path: tuple[str, ...], lists: _Lists, names: _Names) -> Iterator[Field]:
    if q.type in ("select_one", "select_multiple"):
        list_name = lists.for_question(q)
        yield Field(q.id, "question", q.id, path, f"{q.type} {list_name}", list_name, q)
        return
    if q.allow_dk or q.allow_na:
        status = lists.for_status(q)
        yield Field(names.claim(q.id + STATUS_SUFFIX), "status", q.id, path, f"select_one {status}", status, q)
    yield Field(q.id, "question", q.id, path, q.type, None, q)


def _runs(qn: Questionnaire) -> list[tuple[str | None, list[Question]]]:
    """Consecutive questions by dimension; a question without one joins the next dimension (else ``None``)."""
    effective: list[str | None] = []
    upcoming: str | None = None
    for q in reversed(qn.questions):
        upcoming = q.dimension or upcoming
        effective.append(upcoming)
    effective.reverse()
    runs: list[tuple[str | None, list[Question]]] = []
    for q, dim in zip(qn.questions, effective):
        if runs and runs[-1][0] == dim:
            runs[-1][1].append(q)
        else:
            runs.append((dim, [q]))
    return runs


def _profile(qn: Questionnaire, territory: Territory, names: _Names, lists: _Lists) -> Group:
    group = names.claim("profile")
    path = (group,)
    outside = (OUTSIDE_TERRITORY, {lang: outside_label(lang) for lang in LANGUAGES})  # a seat elsewhere, last
    comuni = lists.add(("comuni",), "comuni", [*((c.istat, {lang: c.nome for lang in LANGUAGES}) for c in territory.comuni), outside])
    types = {"name": "text", "comune": f"select_one {comuni}", "size": "integer", "id": "text",
             "contact": "text", "interviewer": "text", "date": "date"}
    list_names = {"comune": comuni}
    vocabulary = SUBSECTORS[qn.sector]
    keys = [k for k in PROFILE_KEYS if k != "subsector" or vocabulary]
    if vocabulary:
        list_names["subsector"] = lists.add(("subsector", qn.sector), f"subsector_{qn.sector}",
                                            [(code, {"it": it, "en": en}) for code, it, en in vocabulary])
        types["subsector"] = f"select_one {list_names['subsector']}"
    fields = tuple(Field(names.claim(PROFILE_PREFIX + k), "profile", k, path, types[k], list_names.get(k)) for k in keys)
    return Group(group, "profile", "profile", fields)


def form_layout(qn: Questionnaire, territory: Territory, file: str = "") -> FormLayout:
    """The form of ``qn`` with the comuni of ``territory``; :class:`InvalidInput` when an id cannot be a
    form name (every such id at once, located in ``file``)."""
    _check_names(qn, file)
    names = _Names({q.id for q in qn.questions} | RESERVED)
    lists = _Lists(qn)
    roles: dict[str, str] = {}
    nodes: list[Node] = []
    for meta in ("start", "end"):
        roles[meta] = names.claim(meta)
        nodes.append(Field(roles[meta], "meta", meta, (), meta))
    if qn.description:
        roles["intro"] = names.claim("intro")
        nodes.append(Field(roles["intro"], "note", "intro", (), "note"))
    nodes.append(_profile(qn, territory, names, lists))
    for dim, questions in _runs(qn):
        group = names.claim(dim or "other", f"{dim or 'other'}_group")
        path = (group,)
        children: list[Field] = []
        dimension = qn.dimensions_by_id.get(dim) if dim else None
        if dimension and dimension.description:
            children.append(Field(names.claim(f"{group}_note"), "note", dimension.id, path, "note"))
        for q in questions:
            children += _question_fields(q, path, lists, names)
        nodes.append(Group(group, "dimension" if dimension else "other", dim or "", tuple(children)))
    for key in CALCULATES:
        roles[key] = names.claim(f"crassess_{key}")
        nodes.append(Field(roles[key], "calculate", key, (), "calculate"))
    return FormLayout(qn, tuple(nodes), tuple(lists.by_key.values()), roles)
