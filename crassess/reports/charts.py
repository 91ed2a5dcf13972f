"""Report charts as PNG or SVG bytes (matplotlib, Agg backend, imported lazily; reproducible output).

Numbers use the decimal comma in Italian (ticks and labels); the target is drawn as a marker on each bar and
as a dashed ring on radars; a withheld figure has no bar but the words ``missing`` in its place (e.g. "dati
non pubblicabili"), never an empty bar that reads as zero.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

from crassess.i18n import fmt_number

FORMATS = ("png", "svg")
_COLOURS = ("#1f5f8b", "#e07b39", "#3a9d5d", "#8c6bb1", "#c44e52")
_TARGET = "#444444"
_NAN = float("nan")


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, fmt: str, close: bool = True, tight: bool = True) -> bytes:
    plt = pyplot()
    buf = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    with plt.rc_context({"svg.hashsalt": "crassess", "svg.fonttype": "none"}):
        fig.savefig(buf, format=fmt, dpi=100, bbox_inches="tight" if tight else None, metadata=metadata)
    if close:
        plt.close(fig)
    return buf.getvalue()


def tick_text(value: float, lang: str) -> str:
    """A tick label: as short as the value allows, decimal comma in Italian (2,5; 20; 100)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "it" else text


def _number_axis(axis: Any, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _pos: tick_text(value, lang)))


def _target_marker(ax: Any, ys: Sequence[float], targets: Sequence[float | None], height: float, label: str | None) -> None:
    points = [(t, y) for t, y in zip(targets, ys) if t is not None]
    if points:
        ax.scatter([t for t, _ in points], [y for _, y in points], marker="|", s=(26 * height) ** 2, linewidths=2,
                   color=_TARGET, zorder=3, label=label)


def bar_chart(labels: Sequence[str], values: Sequence[float | str | None], title: str, fmt: str = "png",
              limit: float | None = 100, missing: str = "", decimals: int = 1, lang: str = "it",
              targets: Sequence[float | None] | None = None, target_label: str | None = None) -> bytes:
    """Horizontal bars; a text value (the mark of a withheld figure, e.g. ``n<5``) has no bar and shows the
    text, never a bar of 0; ``None`` has no bar and shows ``missing``; ``targets`` (one per bar, or ``None``)
    are drawn as a marker on the bar."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.2))
    ys = list(range(len(labels)))
    shown = [(y, float(v)) for y, v in zip(ys, values) if isinstance(v, (int, float))]
    ax.barh([y for y, _ in shown], [v for _, v in shown], color=_COLOURS[0])
    ax.set_yticks(ys, [_wrap(lbl) for lbl in labels])
    ax.set_ylim(len(labels) - 0.5, -0.5)  # first label on top, even when its bar is missing
    top = limit or max([v for _, v in shown] + [1])
    ax.set_xlim(0, top if limit else top * 1.25)
    _number_axis(ax.xaxis, lang)
    if targets is not None:
        _target_marker(ax, ys, targets, 0.8, target_label)
    step = top * 0.01
    for y, v in zip(ys, values):
        bar = isinstance(v, (int, float))
        text = fmt_number(v, lang, decimals) if bar else (v if isinstance(v, str) else missing)  # type: ignore[arg-type]
        ax.text((float(v) if bar else 0) + step, y, text, va="center", fontsize=8,  # type: ignore[arg-type]
                style="normal" if bar else "italic", color="black" if bar else "#666666")
    if targets is not None and target_label:
        ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return save_figure(fig, fmt)


def grouped_bars(categories: Sequence[str], series: Mapping[str, Sequence[float | str | None]], title: str,
                 fmt: str = "png", lang: str = "it",
                 targets: Mapping[str, Sequence[float | None]] | None = None, target_label: str | None = None) -> bytes:
    """One group of bars per category, one bar per series (e.g. sectors per dimension). A text value has no
    bar and shows the text in its slot (a withheld figure), ``None`` leaves the slot empty (nothing to show);
    ``targets`` (per series, one per category) are markers on the bars."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(categories) * max(1, len(series)) / 2 + 1.5))
    height = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series.items()):
        ys = [i + k * height for i in range(len(categories))]
        shown = [(y, float(v)) for y, v in zip(ys, values) if isinstance(v, (int, float))]
        ax.barh([y for y, _ in shown], [v for _, v in shown], height=height, label=name, color=_COLOURS[k % len(_COLOURS)])
        for y, v in zip(ys, values):
            if isinstance(v, str):
                ax.text(1, y, v, va="center", fontsize=7, style="italic", color="#666666")
        if targets and name in targets:
            _target_marker(ax, ys, targets[name], height, target_label if k == 0 else None)
    ax.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(categories))], [_wrap(c) for c in categories])
    ax.set_ylim(len(categories) - height / 2, -height / 2)
    ax.set_xlim(0, 100)
    _number_axis(ax.xaxis, lang)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return save_figure(fig, fmt)


_RADARS: dict[tuple, tuple] = {}


def radar(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str, fmt: str = "png",
          target: Sequence[float | None] | None = None, target_label: str = "", lang: str = "it") -> bytes:
    """A radar (spider) chart on 0-100. The first series is filled, the others are lines; a missing value
    leaves a gap in its line (the first series: drawn at 0). ``target``: a dashed ring, one value per axis.

    Figures are reused for the same labels and series names (one per questionnaire): drawing
    dozens of respondent radars costs a third of the time.
    """
    plt = pyplot()
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)] + [0.0]
    key = (tuple(labels), tuple(series), title, target is not None, target_label, lang)
    if key not in _RADARS:
        fig, ax = plt.subplots(figsize=(7.5, 6), subplot_kw={"polar": True})
        artists = []
        for k, name in enumerate(series):
            colour = _COLOURS[k % len(_COLOURS)]
            (line,) = ax.plot(angles, [0.0] * (n + 1), color=colour, label=name, marker="o" if k else None, markersize=3)
            patch = ax.fill(angles, [0.0] * (n + 1), color=colour, alpha=0.15)[0] if k == 0 else None
            artists.append((line, patch))
        ring = None
        if target is not None:
            (ring,) = ax.plot(angles, [0.0] * (n + 1), color=_TARGET, linestyle="--", linewidth=1.2, label=target_label)
        ax.set_xticks(angles[:-1], [_wrap(lbl, 18) for lbl in labels], fontsize=8)
        ax.set_ylim(0, 100)
        ax.set_yticks([25, 50, 75, 100], [tick_text(v, lang) for v in (25, 50, 75, 100)], fontsize=7)
        ax.set_rlabel_position(180 / n)
        ax.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1.3, 1.12))
        ax.set_title(title, fontsize=10, pad=24)
        fig.subplots_adjust(left=0.12, right=0.78, top=0.85, bottom=0.08)
        _RADARS[key] = (fig, artists, ring)
    fig, artists, ring = _RADARS[key]
    for k, ((line, patch), values) in enumerate(zip(artists, series.values())):
        points = [(v if v is not None else (0.0 if k == 0 else _NAN)) for v in values]
        closed = points + points[:1]
        line.set_ydata(closed)
        if patch is not None:
            patch.set_xy(list(zip(angles, closed)))
    if ring is not None and target is not None:
        ring_points = [(v if v is not None else _NAN) for v in target]
        ring.set_ydata(ring_points + ring_points[:1])
    return save_figure(fig, fmt, close=False, tight=False)


def close_all() -> None:
    """Release the reused figures."""
    if _RADARS:
        plt = pyplot()
        for fig, _, _ in _RADARS.values():
            plt.close(fig)
        _RADARS.clear()


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)
