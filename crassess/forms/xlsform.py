"""A questionnaire as an XLSForm (sheets ``survey``, ``choices``, ``settings``) for KoboToolbox, ODK Central,
Enketo and other XLSForm tools; the caller saves the returned workbook (:func:`crassess.sheets.workbook_bytes`).

Labels, hints and messages in every form language (``label::Italiano (it)``, ``label::English (en)``),
Italian first; ``relevant`` and ``constraint`` translated by :mod:`crassess.forms.xpath`; the names and
groups come from :mod:`crassess.forms.layout`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from crassess.forms.layout import (
    LANGUAGES,
    REQUIRED_PROFILE,
    SPECIALS,
    VALUE,
    Field,
    FormLayout,
    Group,
    _labels,
    form_layout,
)
from crassess.forms.xpath import quote, to_xpath
from crassess.i18n import pick, register, t
from crassess.questionnaire.load import load_questionnaire
from crassess.questionnaire.models import Question, Questionnaire
from crassess.safe_text import strip_control
from crassess.territory.validate import OUTSIDE_TERRITORY, territory_for

register({
    "forms.group.profile": {"it": "Profilo del rispondente", "en": "Respondent profile"},
    "forms.group.other": {"it": "Domande di contesto (senza punteggio)", "en": "Context questions (not scored)"},
    "forms.f.name": {"it": "Nome dell'organizzazione", "en": "Name of the organisation"},
    "forms.f.comune": {"it": "Comune", "en": "Comune (municipality)"},
    "forms.h.comune": {"it": "Scrivere le prime lettere del nome", "en": "Type the first letters of the name"},
    "forms.f.size.comune": {"it": "Abitanti", "en": "Inhabitants"},
    "forms.f.size.associazione": {"it": "Numero di soci", "en": "Number of members"},
    "forms.f.size.impresa": {"it": "Numero di addetti", "en": "Number of employees"},
    "forms.f.subsector.associazione": {"it": "Tipo di associazione", "en": "Type of association"},
    "forms.f.subsector.impresa": {"it": "Settore di attività (sezione ATECO)", "en": "Line of business (ATECO section)"},
    "forms.f.id": {"it": "Codice fiscale o partita IVA (facoltativo)", "en": "Tax code or VAT number (optional)"},
    "forms.h.id": {"it": "Serve a riconoscere la stessa organizzazione nelle rilevazioni successive", "en": "It recognises the same organisation in later waves"},
    "forms.f.contact": {"it": "Referente e contatto (facoltativo)", "en": "Contact person (optional)"},
    "forms.h.contact": {"it": "E-mail o telefono: dato personale, resta solo nel vostro rapporto", "en": "E-mail or phone: personal data, kept only in your own report"},
    "forms.f.interviewer": {"it": "Rilevatore (solo se la compilazione è assistita)", "en": "Interviewer (only when assisted)"},
    "forms.f.date": {"it": "Data di compilazione", "en": "Date filled in"},
    "forms.size_message": {"it": "Un numero intero non negativo", "en": "A whole number, not negative"},
    "forms.value.number": {"it": "Valore", "en": "Value"},
    "forms.value.text": {"it": "Risposta", "en": "Answer"},
    "forms.out_suffix": {"it": "il modulo va scritto in un file .xlsx", "en": "the form must be written to a .xlsx file"},
    "forms.written": {"it": "{file}: modulo XLSForm di {id} {version}: {questions} domande in {groups} gruppi, {comuni} comuni, italiano e inglese", "en": "{file}: XLSForm of {id} {version}: {questions} questions in {groups} groups, {comuni} comuni, Italian and English"},
    "forms.exclusive": {"it": "{labels}: non si può combinare con altre scelte", "en": "{labels}: cannot be combined with other choices"},
})

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message",
                  "appearance", "calculation", "default")
TRANSLATED = ("label", "hint", "constraint_message")
_PROFILE_APPEARANCE = {"comune": "autocomplete", "subsector": "minimal"}
Row = dict[str, Any]


def _header(columns: tuple[str, ...]) -> list[str]:
    out = []
    for column in columns:
        out += [f"{column}::{name}" for name in LANGUAGES.values()] if column in TRANSLATED else [column]
    return out


def _texts(key: str, **params: object) -> dict[str, str]:
    return {lang: t(key, lang, **params) for lang in LANGUAGES}


class _Survey:
    def __init__(self, layout: FormLayout):
        self.layout = layout
        self.qn: Questionnaire = layout.questionnaire

    def text(self, value: dict[str, str] | None) -> dict[str, str] | None:
        return _labels(value, self.qn.default_language) if value else None

    def rows(self) -> Iterator[Row]:
        for node in self.layout.nodes:
            if isinstance(node, Group):
                yield {"type": "begin_group", "name": node.name, "label": self.group_label(node), "appearance": "field-list"}
                for f in node.children:
                    yield self.field(f)
                yield {"type": "end_group", "name": node.name}
            else:
                yield self.field(node)

    def group_label(self, group: Group) -> dict[str, str]:
        if group.kind == "dimension":
            return self.text(self.qn.dimensions_by_id[group.key].label) or {}
        return _texts(f"forms.group.{group.kind}")

    def field(self, f: Field) -> Row:
        row: Row = {"type": f.xls_type, "name": f.name}
        row.update(getattr(self, f"_{f.kind}")(f))
        return row

    def _meta(self, f: Field) -> Row:
        return {}

    def _note(self, f: Field) -> Row:
        text = self.qn.description if f.key == "intro" else self.qn.dimensions_by_id[f.key].description
        return {"label": self.text(text)}

    def _calculate(self, f: Field) -> Row:
        value = {"questionnaire": self.qn.id, "version": self.qn.version, "content": self.layout.content_tag()}[f.key]
        return {"calculation": quote(value)}

    def _profile(self, f: Field) -> Row:
        sector = self.qn.sector
        key = f"forms.f.{f.key}.{sector}" if f.key in ("size", "subsector") else f"forms.f.{f.key}"
        row: Row = {"label": _texts(key), "appearance": _PROFILE_APPEARANCE.get(f.key, "")}
        if f.key in REQUIRED_PROFILE:
            row["required"] = "yes"
        if f.key in ("comune", "id", "contact"):
            row["hint"] = _texts(f"forms.h.{f.key}")
        if f.key == "size":
            row.update(constraint=". >= 0", constraint_message=_texts("forms.size_message"))
        if f.key == "date":
            row["default"] = "today()"
        return row

    def _status(self, f: Field) -> Row:
        q = f.question
        assert q is not None
        return {"label": self.text(q.label), "hint": self.text(q.hint), "required": "yes" if q.required else "",
                "relevant": self.relevant(q), "appearance": "horizontal-compact"}

    def _question(self, f: Field) -> Row:
        q = f.question
        assert q is not None
        status = self.layout.status_of.get(q.id)
        constraint, message = self.constraint(q)
        row: Row = {"label": self.text(q.label), "hint": self.text(q.hint), "required": "yes" if q.required else "",
                    "relevant": self.relevant(q), "constraint": constraint, "constraint_message": message}
        if status is not None:  # the value of a question with a companion status: asked when the status is 'val'
            kind = "text" if q.type == "text" else "number"
            label = {lang: f"{text} ({q.unit})" if q.unit else text for lang, text in _texts(f"forms.value.{kind}").items()}
            row.update(label=label, hint=None, required="yes",
                       relevant="${" + status.name + "} = " + quote(VALUE))
        return row

    def relevant(self, q: Question) -> str:
        return to_xpath(q.relevant_expr.tree, self.qn) if q.relevant_expr else ""

    def constraint(self, q: Question) -> tuple[str, dict[str, str] | None]:
        """The question's own constraint (passing "Non so"/"Non applicabile", as crassess does) and, for a
        select_multiple, its exclusive choices; one message for both."""
        parts: list[str] = []
        messages: list[dict[str, str]] = []
        specials = [s for s in SPECIALS if getattr(q, f"allow_{s}")] if q.type.startswith("select") else []
        if q.constraint_expr is not None:
            own = to_xpath(q.constraint_expr.tree, self.qn, q)
            if specials:
                test = "selected(., {v})" if q.type == "select_multiple" else ". = {v}"
                own = " or ".join([test.format(v=quote(s)) for s in specials] + [f"({own})"])
            parts.append(own)
            messages.append(self.text(q.constraint_message) or _texts("r.constraint_default", expr=q.constraint))
        if q.type == "select_multiple":
            exclusive = [c for c in self.qn.choices_of(q) if c.exclusive]
            values = [c.value for c in exclusive] + specials
            if values:
                picked = " or ".join(f"selected(., {quote(v)})" for v in values)
                parts.insert(0, f"not(({picked}) and count-selected(.) > 1)")
                labels = {lang: ", ".join([f"'{pick(c.label, lang, self.qn.default_language)}'" for c in exclusive]
                                          + [f"'{t(f'special.{s}', lang)}'" for s in specials]) for lang in LANGUAGES}
                messages.insert(0, {lang: t("forms.exclusive", lang, labels=labels[lang]) for lang in LANGUAGES})
        if not parts:
            return "", None
        constraint = parts[0] if len(parts) == 1 else " and ".join(f"({p})" for p in parts)
        return constraint, {lang: " — ".join(m[lang] for m in messages) for lang in LANGUAGES}


def _cells(row: Row, columns: tuple[str, ...]) -> list[Any]:
    out: list[Any] = []
    for column in columns:
        value = row.get(column)
        if column in TRANSLATED:
            out += [(value or {}).get(lang, "") for lang in LANGUAGES]
        else:
            out.append(value or "")
    return out


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], first: bool = False) -> None:
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    for r, values in enumerate([header, *rows], start=1):
        for c, value in enumerate(values, start=1):
            if value in ("", None):
                continue
            cell = ws.cell(row=r, column=c, value=strip_control(value) if isinstance(value, str) else value)
            cell.data_type = "s"  # every cell is text: a label starting with "=" is never a formula
    for c, name in enumerate(header, start=1):
        ws.cell(row=1, column=c).font = Font(bold=True)
        width = max([len(str(name))] + [len(str(row[c - 1])) for row in rows if c - 1 < len(row)])
        ws.column_dimensions[ws.cell(row=1, column=c).column_letter].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"


def settings(layout: FormLayout) -> dict[str, str]:
    qn = layout.questionnaire
    default = LANGUAGES.get(qn.default_language, LANGUAGES["it"])
    title = pick(qn.title, qn.default_language, qn.default_language)
    name = next(f.name for f in layout.fields if f.kind == "profile" and f.key == "name")
    return {"form_title": title, "form_id": qn.id, "version": qn.version, "default_language": default,
            "style": "pages", "instance_name": "${" + name + "}"}


def build_xlsform(layout: FormLayout) -> Workbook:
    """The XLSForm of ``layout`` (see :func:`crassess.forms.layout.form_layout`) as an openpyxl workbook."""
    wb = Workbook()
    survey = [_cells(row, SURVEY_COLUMNS) for row in _Survey(layout).rows()]
    _sheet(wb, "survey", _header(SURVEY_COLUMNS), survey, first=True)
    choices = [[c.name, value, *(labels[lang] for lang in LANGUAGES)] for c in layout.lists for value, labels in c.items]
    _sheet(wb, "choices", _header(("list_name", "name", "label")), choices)
    values = settings(layout)
    _sheet(wb, "settings", list(values), [list(values.values())])
    return wb


def describe(layout: FormLayout, file: Path | str) -> str:
    """One line saying what was written."""
    qn = layout.questionnaire
    groups = sum(1 for node in layout.nodes if isinstance(node, Group))
    listed = layout.lists_by_name[next(f.list_name for f in layout.fields if f.kind == "profile" and f.key == "comune") or ""]
    comuni = sum(1 for value in listed.values if value != OUTSIDE_TERRITORY)  # the last choice is "outside"
    return t("forms.written", file=file, id=qn.id, version=qn.version, questions=len(qn.questions), groups=groups, comuni=comuni)


def questionnaire_form(questionnaire: str | Path, territory: Path | None = None) -> tuple[FormLayout, Workbook]:
    """The form of a questionnaire (id or path) with the comuni of ``territory`` (default: the shipped ones)."""
    qn = load_questionnaire(questionnaire)
    layout = form_layout(qn, territory_for(territory), str(questionnaire))
    return layout, build_xlsform(layout)
