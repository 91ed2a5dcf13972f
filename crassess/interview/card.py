"""Rich rendering of one scored response: the table of ``crassess score`` and the interview score card.

Every text that comes from a respondent or a questionnaire is a :class:`rich.text.Text` (never markup) and
goes through :func:`crassess.safe_text.terminal_text`.
"""

from __future__ import annotations

import sys
import textwrap

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from crassess.i18n import fmt_number, pick, register, t
from crassess.interview.dialog import has_score
from crassess.questionnaire.models import Questionnaire, Response
from crassess.safe_text import terminal_text
from crassess.scoring.engine import ScoreResult, actions

register({
    "card.dimension": {"it": "Dimensione", "en": "Dimension"},
    "card.score": {"it": "Punteggio", "en": "Score"},
    "card.score_short": {"it": "Punti", "en": "Score"},
    "card.level": {"it": "Livello", "en": "Level"},
    "card.target": {"it": "Obiettivo", "en": "Target"},
    "card.target_short": {"it": "Obiet.", "en": "Target"},
    "card.gap": {"it": "Divario", "en": "Gap"},
    "card.coverage": {"it": "Copertura", "en": "Coverage"},
    "card.overall": {"it": "Complessivo", "en": "Overall"},
    "card.complete": {"it": "completo", "en": "complete"},
    "card.incomplete": {"it": "incompleto", "en": "incomplete"},
    "card.insufficient": {"it": "dati insufficienti", "en": "insufficient data"},
    "card.no_overall": {"it": "dati insufficienti (dimensioni con punteggio: {share}% del peso, minimo {minimum}%)",
                        "en": "insufficient data (dimensions with a score: {share}% of the weight, at least {minimum}%)"},
    "card.legend": {"it": "– = dati insufficienti (copertura sotto il {share}%)", "en": "– = insufficient data (coverage below {share}%)"},
    "card.note": {"it": "nota", "en": "note"},
    "card.actions": {"it": "Azioni prioritarie", "en": "Priority actions"},
    "card.no_score": {
        "it": "Nessun punteggio: nessuna dimensione ha abbastanza risposte con punteggio (almeno il {share}%).",
        "en": "No score: no dimension has enough scored answers (at least {share}%).",
    },
    "card.all_met": {"it": "Nessuna azione urgente: tutti gli obiettivi sono raggiunti.", "en": "No urgent action: every target is met."},
    "card.met_where_scored": {
        "it": "Nessuna azione urgente nelle dimensioni con punteggio; le altre non hanno dati sufficienti.",
        "en": "No urgent action in the dimensions with a score; the others have insufficient data.",
    },
    "card.no_action_text": {
        "it": "Ci sono divari, ma il questionario non indica azioni per le domande che li causano.",
        "en": "There are gaps, but the questionnaire gives no action for the questions behind them.",
    },
})

_SHORT = {"card.score", "card.target"}
_BAR = 10
_GAP = 2


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


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def _lines(text: str, width: int) -> int:
    return len(textwrap.wrap(text, width, break_long_words=False)) or 1


def _fewest_lines(labels: list[str], levels: list[str], room: int, level_width: int) -> tuple[int, int]:
    """How to share ``room`` between the dimension and level columns so that the rows take the fewest lines
    (on a tie the wider dimension column); never narrower than a word."""
    best: tuple[int, int, int] | None = None
    for level in range(_longest_word(levels), level_width + 1):
        label = room - level
        if label < _longest_word(labels):
            continue
        lines = sum(max(_lines(a, label), _lines(b, level)) for a, b in zip(labels, levels))
        if best is None or lines < best[0]:
            best = (lines, label, level)
    if best is None:  # a very narrow terminal: words are folded where they must be
        return max(1, room - _longest_word(levels)), _longest_word(levels)
    return best[1], best[2]


def _overall(questionnaire: Questionnaire, result: ScoreResult, lang: str) -> Text:
    status = t("card.complete" if result.complete else "card.incomplete", lang)
    if not has_score(result):
        return Text(f"{t('card.overall', lang)}: – ({t('card.insufficient', lang)}, {status})")
    if result.overall is None:
        share = fmt_number(result.coverage * 100 if result.coverage is not None else 0, lang, 0)
        minimum = fmt_number(questionnaire.overall_min_coverage * 100, lang, 0)
        return Text(f"{t('card.overall', lang)}: {t('card.no_overall', lang, share=share, minimum=minimum)} ({status})")
    return Text(
        f"{t('card.overall', lang)}: {fmt_number(result.overall, lang)} – "
        f"{level_label(questionnaire, result.level, lang)} ({status})"
    )


def _share(questionnaire: Questionnaire, lang: str) -> str:
    return fmt_number(questionnaire.min_coverage * 100, lang, 0)


def score_table(questionnaire: Questionnaire, result: ScoreResult, title: str, lang: str) -> Table:
    """One row per dimension: score (or 'insufficient data'), level, target, gap, coverage, don't know."""
    table = Table(title=Text(terminal_text(title, one_line=True)), title_justify="left", expand=False, box=box.SIMPLE_HEAD)
    table.add_column(t("card.dimension", lang), overflow="fold", min_width=12, max_width=28)
    table.add_column(t("card.score", lang), justify="right")
    table.add_column(t("card.level", lang))
    table.add_column(t("card.target", lang), justify="right")
    table.add_column(t("card.gap", lang), justify="right")
    table.add_column(t("card.coverage", lang), justify="right")
    table.add_column(t("special.dk", lang), justify="right")
    for dim in questionnaire.dimensions:
        d = result.dimensions[dim.id]
        coverage = f"{fmt_number(d.coverage * 100, lang, 0)}%" if d.coverage is not None else "–"
        table.add_row(
            Text(pick(dim.label, lang)), fmt_number(d.score, lang), Text(level_label(questionnaire, d.level, lang)),
            fmt_number(d.target, lang, 0), fmt_number(d.gap, lang), coverage, str(d.dont_know),
        )
    caption = _overall(questionnaire, result, lang)
    if any(d.score is None for d in result.dimensions.values()):
        caption.append("\n" + t("card.legend", lang, share=_share(questionnaire, lang)))
    table.caption = caption
    table.caption_justify = "left"
    return table


class ScoreCard:
    """The interview's closing card, laid out for the width it is printed in: words never broken, every
    column visible down to 60 columns, bars where there is room for them; then the overall score and the
    most important actions (or why there are none). The comune questionnaire's card fits 80x24."""

    def __init__(self, questionnaire: Questionnaire, result: ScoreResult, title: str, lang: str, top: int = 3,
                 size: float | None = None):
        self.qn, self.result, self.title, self.lang, self.top = questionnaire, result, title, lang, top
        self.size = size  # the respondent's size: actions that do not apply to it are left out

    def _table(self, width: int) -> Table:
        """Column widths computed here, not left to rich, so that labels wrap only at spaces and the
        number columns never shrink; bars only where the longest label still fits on one line; short
        headings ("Punti", "Obiet.") only where they save lines."""
        qn, lang, result = self.qn, self.lang, self.result
        labels = [pick(dim.label, lang) for dim in qn.dimensions]
        levels = [level_label(qn, result.dimensions[dim.id].level, lang) for dim in qn.dimensions]
        scores = [fmt_number(result.dimensions[dim.id].score, lang) for dim in qn.dimensions]
        targets = [fmt_number(result.dimensions[dim.id].target, lang, 0) for dim in qn.dimensions]
        gaps = [fmt_number(result.dimensions[dim.id].gap, lang) for dim in qn.dimensions]
        longest = max(len(label) for label in labels)

        def layout(short: bool) -> tuple[int, list[str], list[int], int, bool]:
            heads = [t(key + ("_short" if short and key in _SHORT else ""), lang)
                     for key in ("card.score", "card.level", "card.target", "card.gap")]
            widths = [max(len(heads[0]), *map(len, scores)), max(len(heads[1]), *map(len, levels)),
                      max(len(heads[2]), *map(len, targets)), max(len(heads[3]), *map(len, gaps))]
            fixed = widths[0] + widths[2] + widths[3] + _GAP * 4
            bars = width - fixed - widths[1] - _BAR - _GAP >= longest
            if bars:
                label_room = width - fixed - widths[1] - _BAR - _GAP
            else:  # the level may wrap too ("Moderatamente / avanzato"): the widths that give the fewest lines
                label_room, widths[1] = _fewest_lines(labels, levels, width - fixed, widths[1])
            lines = sum(max(_lines(a, label_room), _lines(b, widths[1])) for a, b in zip(labels, levels))
            return lines, heads, widths, label_room, bars

        _, heads, widths, label_room, bars = min((layout(False), layout(True)), key=lambda option: option[0])
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, _GAP, 0, 0), header_style="bold", expand=False)
        table.add_column(t("card.dimension", lang), width=max(1, min(longest, label_room)), overflow="fold")
        table.add_column(heads[0], justify="right", no_wrap=True)
        if bars:
            table.add_column("", no_wrap=True, width=_BAR)
        table.add_column(heads[1], width=widths[1])
        table.add_column(heads[2], justify="right", no_wrap=True)
        table.add_column(heads[3], justify="right", no_wrap=True)
        for dim, label, level, score_text, target, gap in zip(qn.dimensions, labels, levels, scores, targets, gaps):
            d = result.dimensions[dim.id]
            row: list[RenderableType] = [Text(label), score_text]
            if bars:
                row.append(_bar(d.score, d.target, width=_BAR))
            row += [Text(level), target, gap]
            table.add_row(*row)
        return table

    def _actions(self, top: int) -> list[RenderableType]:
        qn, result, lang = self.qn, self.result, self.lang
        share = _share(qn, lang)
        if not has_score(result):
            return [Text(t("card.no_score", lang, share=share), style="bold")]
        found = actions(qn, result, top=top, size=self.size)
        head = Text(t("card.actions", lang), style="bold")
        if not found:
            gaps = [d.gap for d in result.dimensions.values() if d.score is not None]
            key = "card.no_action_text" if any(gaps) else (
                "card.all_met" if all(d.score is not None for d in result.dimensions.values()) else "card.met_where_scored"
            )
            return [head, Text(t(key, lang))]
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column()
        for n, action in enumerate(found, 1):
            q = qn.question(action.question_id)
            grid.add_row(f"{n}.", Text(f"{pick(q.action, lang)} [{action.question_id}]"))
        return [head, grid]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        parts: list[RenderableType] = [
            _title(self.title, options.max_width),
            self._table(options.max_width),
            _overall(self.qn, self.result, self.lang),
        ]
        if any(d.score is None for d in self.result.dimensions.values()):
            parts.append(Text(t("card.legend", self.lang, share=_share(self.qn, self.lang)), style="dim"))
        # as many of the most important actions as leave the card whole on the screen, with the saved file's
        # path and the shell's prompt after it (at least one: the respondent's report has them all)
        room = options.max_height - RESERVED_LINES if console.is_terminal else sys.maxsize
        height = sum(len(console.render_lines(part, options, pad=False)) for part in parts)
        for top in range(self.top, 0, -1):
            tail = self._actions(top)
            if top == 1 or height + sum(len(console.render_lines(part, options, pad=False)) for part in tail) <= room:
                break
        yield Group(*parts, *tail)


RESERVED_LINES = 3
"""Lines of the screen the card leaves free: the saved file's path after it (two lines) and the shell's prompt."""


def _title(title: str, width: int) -> RenderableType:
    """The respondent's name in a rule that sets the card apart (wrapped instead when it is too long)."""
    text = Text(terminal_text(title, one_line=True), style="bold")
    return Rule(text, align="left") if len(text) + 4 <= width else text


def score_card(questionnaire: Questionnaire, result: ScoreResult, title: str, lang: str, top: int = 3,
               size: float | None = None) -> ScoreCard:
    """The interview's closing card (see :class:`ScoreCard`), with the most important actions for ``size``."""
    return ScoreCard(questionnaire, result, title, lang, top, size)


def answer_text(questionnaire: Questionnaire, question_id: str, value: object, lang: str) -> str:
    """An answer in the words the respondent saw: choice labels, "Non so", numbers and text as given."""
    if value in ("dk", "na"):
        return t(f"special.{value}", lang)
    q = questionnaire.question(question_id)
    if q.type.startswith("select"):
        labels = {c.value: pick(c.label, lang) for c in questionnaire.choices_of(q)}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if isinstance(value, float):
        return str(value).replace(".", ",") if lang == "it" else str(value)
    return terminal_text(value, one_line=True)


def answers_view(questionnaire: Questionnaire, response: Response, lang: str) -> Group:
    """The answers of a response, one per line (wrapped), with their notes: a draft looked at read-only."""
    lines: list[RenderableType] = []
    for q in questionnaire.questions:
        if q.id not in response.answers:
            continue
        line = Text.assemble((f"[{q.id}] ", "dim"), (pick(q.label, lang), "bold"), ": ",
                             answer_text(questionnaire, q.id, response.answers[q.id], lang))
        if q.id in response.notes:
            line.append(f" ({t('card.note', lang)}: {terminal_text(response.notes[q.id], one_line=True)})", style="italic")
        lines.append(line)
    return Group(*lines)
