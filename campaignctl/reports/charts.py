"""Charts as static SVG strings (matplotlib, Agg): embedded in the HTML, no script, no CDN.

Text stays text (``svg.fonttype: none``) so the report is searchable and small;
ids are salted with a constant and the date left out, so the same figures give
the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

mpl.rcParams.update(
    {
        "svg.fonttype": "none",
        "svg.hashsalt": "campaignctl-report",
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)
BLUE = "#2b6cb0"
GREY = "#a0aec0"
GREEN = "#38a169"


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def by_day(days: Sequence[tuple[date, int]], title: str) -> str:
    fig, ax = plt.subplots(figsize=(8, 2.8))
    if days:
        ax.bar(range(len(days)), [n for _, n in days], color=BLUE, width=0.9)
        step = max(1, len(days) // 12)
        ticks = list(range(0, len(days), step))
        ax.set_xticks(ticks, [days[i][0].strftime("%d.%m") for i in ticks])
    ax.set_title(title, loc="left")
    ax.set_ylabel("регистраций")
    return _svg(fig)


def horizontal(
    items: Sequence[tuple[str, float]], title: str, *, colors: Sequence[str] | None = None
) -> str:
    height = 0.9 + 0.28 * max(len(items), 1)
    fig, ax = plt.subplots(figsize=(8, height))
    labels = [label for label, _ in items][::-1]
    values = [value for _, value in items][::-1]
    ax.barh(labels, values, color=list(colors)[::-1] if colors else BLUE)
    for y, value in enumerate(values):
        ax.text(value, y, f" {value:,.0f}".replace(",", " "), va="center", fontsize=8)
    ax.set_title(title, loc="left")
    return _svg(fig)


def paired(
    labels: Sequence[str],
    planned: Sequence[float],
    actual: Sequence[float],
    title: str,
    names: tuple[str, str],
) -> str:
    height = 0.9 + 0.45 * max(len(labels), 1)
    fig, ax = plt.subplots(figsize=(8, height))
    ys = range(len(labels))
    ax.barh([y + 0.2 for y in ys], list(planned), height=0.4, color=GREY, label=names[0])
    ax.barh([y - 0.2 for y in ys], list(actual), height=0.4, color=GREEN, label=names[1])
    ax.set_yticks(list(ys), list(labels))
    ax.invert_yaxis()
    ax.legend(loc="lower right", frameon=False)
    ax.set_title(title, loc="left")
    return _svg(fig)
