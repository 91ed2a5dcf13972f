"""Report charts as PNG or SVG bytes (matplotlib, Agg backend, imported lazily; reproducible output)."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

FORMATS = ("png", "svg")
_COLOURS = ("#1f5f8b", "#e07b39", "#3a9d5d", "#8c6bb1", "#c44e52")


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


def bar_chart(labels: Sequence[str], values: Sequence[float | None], title: str, fmt: str = "png",
              limit: float | None = 100, missing: str = "", decimals: int = 1) -> bytes:
    """Horizontal bars; a missing (e.g. suppressed) value has no bar and shows ``missing`` instead."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.2))
    shown = [v or 0 for v in values]
    ax.barh(range(len(labels)), shown, color=_COLOURS[0])
    ax.set_yticks(range(len(labels)), [_wrap(lbl) for lbl in labels])
    ax.invert_yaxis()
    if limit:
        ax.set_xlim(0, limit)
    step = (limit or max(shown) or 1) * 0.01
    for i, v in enumerate(values):
        text = missing if v is None else f"{v:.{decimals}f}"
        ax.text((v or 0) + step, i, text, va="center", fontsize=8, style="italic" if v is None else "normal")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return save_figure(fig, fmt)


def grouped_bars(categories: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str,
                 fmt: str = "png") -> bytes:
    """One group of bars per category, one bar per series (e.g. sectors per dimension)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 0.6 * len(categories) * max(1, len(series)) / 2 + 1.5))
    height = 0.8 / max(1, len(series))
    for k, (name, values) in enumerate(series.items()):
        ys = [i + k * height for i in range(len(categories))]
        ax.barh(ys, [v or 0 for v in values], height=height, label=name, color=_COLOURS[k % len(_COLOURS)])
    ax.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(categories))], [_wrap(c) for c in categories])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return save_figure(fig, fmt)


_RADARS: dict[tuple, tuple] = {}


def radar(labels: Sequence[str], series: Mapping[str, Sequence[float | None]], title: str, fmt: str = "png") -> bytes:
    """A radar (spider) chart on 0-100; missing values are drawn at 0.

    Figures are reused for the same labels and series names (one per questionnaire): drawing
    dozens of respondent radars costs a third of the time.
    """
    plt = pyplot()
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)] + [0.0]
    key = (tuple(labels), tuple(series), title)
    if key not in _RADARS:
        fig, ax = plt.subplots(figsize=(7.5, 6), subplot_kw={"polar": True})
        artists = []
        for k, name in enumerate(series):
            colour = _COLOURS[k % len(_COLOURS)]
            (line,) = ax.plot(angles, [0.0] * (n + 1), color=colour, label=name)
            (patch,) = ax.fill(angles, [0.0] * (n + 1), color=colour, alpha=0.15)
            artists.append((line, patch))
        ax.set_xticks(angles[:-1], [_wrap(lbl, 18) for lbl in labels], fontsize=8)
        ax.set_ylim(0, 100)
        ax.set_yticks([25, 50, 75, 100], ["25", "50", "75", "100"], fontsize=7)
        ax.set_rlabel_position(180 / n)
        ax.legend(fontsize=8, loc="upper right", bbox_to_anchor=(1.3, 1.12))
        ax.set_title(title, fontsize=10, pad=24)
        fig.subplots_adjust(left=0.12, right=0.78, top=0.85, bottom=0.08)
        _RADARS[key] = (fig, artists)
    fig, artists = _RADARS[key]
    for (line, patch), values in zip(artists, series.values()):
        points = [v or 0.0 for v in values]
        closed = points + points[:1]
        line.set_ydata(closed)
        patch.set_xy(list(zip(angles, closed)))
    return save_figure(fig, fmt, close=False, tight=False)


def close_all() -> None:
    """Release the reused figures."""
    if _RADARS:
        plt = pyplot()
        for fig, _ in _RADARS.values():
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
