"""Rich rendering of one scored response: the table of ``crassess score`` and the interview score card."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from crassess.i18n import fmt_number, pick
from crassess.questionnaire.models import Questionnaire
from crassess.scoring.engine import ScoreResult, actions

_TEXTS = {
    "dimension": {"it": "Dimensione", "en": "Dimension"},
    "score": {"it": "Punteggio", "en": "Score"},
    "level": {"it": "Livello", "en": "Level"},
    "target": {"it": "Obiettivo", "en": "Target"},
    "gap": {"it": "Divario", "en": "Gap"},
    "coverage": {"it": "Copertura", "en": "Coverage"},
    "dk": {"it": "Non so", "en": "Don't know"},
    "overall": {"it": "Complessivo", "en": "Overall"},
    "complete": {"it": "completo", "en": "complete"},
    "incomplete": {"it": "incompleto", "en": "incomplete"},
    "legend": {"it": "– = dati insufficienti (copertura sotto il {share}%)", "en": "– = insufficient data (coverage below {share}%)"},
    "no_overall": {"it": "dati insufficienti (dimensioni con punteggio: {share}% del peso, minimo {minimum}%)",
                   "en": "insufficient data (dimensions with a score: {share}% of the weight, at least {minimum}%)"},
    "actions": {"it": "Azioni prioritarie", "en": "Priority actions"},
    "no_actions": {"it": "Nessuna azione urgente: tutti gli obiettivi sono raggiunti.", "en": "No urgent action: every target is met."},
}


def _t(key: str, lang: str) -> str:
    return _TEXTS[key][lang]


def _bar(score: float | None, target: float, width: int = 20) -> Text:
    if score is None:
        return Text("·" * width, style="dim")
    filled = round(score / 100 * width)
    mark = min(width - 1, round(target / 100 * width))
    bar = Text()
    for i in range(width):
        if i < filled:
            bar.append("█", style="green" if score >= target else "yellow")
        elif i == mark:
            bar.append("│", style="bold")
        else:
            bar.append("░", style="dim")
    return bar


def level_label(questionnaire: Questionnaire, level_id: str | None, lang: str) -> str:
    for level in questionnaire.levels:
        if level.id == level_id:
            return pick(level.label, lang)
    return "–"


def score_table(questionnaire: Questionnaire, result: ScoreResult, title: str, lang: str, bars: bool = False) -> Table:
    """One row per dimension: score (or 'insufficient data'), level, target, gap, coverage, don't know."""
    table = Table(title=title, title_justify="left", expand=False, box=box.SIMPLE_HEAD)
    table.add_column(_t("dimension", lang), overflow="fold", min_width=12, max_width=28)
    table.add_column(_t("score", lang), justify="right")
    if bars:
        table.add_column("", no_wrap=True)
    table.add_column(_t("level", lang))
    table.add_column(_t("target", lang), justify="right")
    table.add_column(_t("gap", lang), justify="right")
    if not bars:
        table.add_column(_t("coverage", lang), justify="right")
        table.add_column(_t("dk", lang), justify="right")
    for dim in questionnaire.dimensions:
        d = result.dimensions[dim.id]
        score = fmt_number(d.score, lang)
        row: list[RenderableType] = [pick(dim.label, lang), score]
        if bars:
            row.append(_bar(d.score, d.target, width=12))
        row += [level_label(questionnaire, d.level, lang), fmt_number(d.target, lang, 0), fmt_number(d.gap, lang)]
        if not bars:
            coverage = fmt_number(d.coverage * 100 if d.coverage is not None else None, lang, 0)
            row += [f"{coverage}%" if d.coverage is not None else "–", str(d.dont_know)]
        table.add_row(*row)
    status = _t("complete", lang) if result.complete else _t("incomplete", lang)
    if result.overall is None:
        share = fmt_number(result.coverage * 100 if result.coverage is not None else 0, lang, 0)
        minimum = fmt_number(questionnaire.overall_min_coverage * 100, lang, 0)
        overall = _t("no_overall", lang).format(share=share, minimum=minimum)
    else:
        overall = f"{fmt_number(result.overall, lang)} – {level_label(questionnaire, result.level, lang)}"
    table.caption = f"{_t('overall', lang)}: {overall} ({status})"
    if any(d.score is None for d in result.dimensions.values()):
        share = fmt_number(questionnaire.min_coverage * 100, lang, 0)
        table.caption += "\n" + _t("legend", lang).format(share=share)
    table.caption_justify = "left"
    return table


def score_card(questionnaire: Questionnaire, result: ScoreResult, title: str, lang: str, top: int = 3,
               size: float | None = None) -> Group:
    """The interview's closing card: the table with bars, then the most important actions for ``size``."""
    parts: list[RenderableType] = [score_table(questionnaire, result, title, lang, bars=True)]
    found = actions(questionnaire, result, top=top, size=size)
    parts.append(Text(_t("actions", lang), style="bold"))
    if not found:
        parts.append(Text(_t("no_actions", lang)))
    for n, action in enumerate(found, 1):
        q = questionnaire.question(action.question_id)
        parts.append(Text(f"{n}. {pick(q.action, lang)} [{action.question_id}]"))
    return Group(*parts)
