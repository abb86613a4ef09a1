"""The pieces every Plotly chart of the platform is built from, drawn the way a Chinese 驾驶舱
shows figures: the layout (the zone's fonts, no background, the legend below the plot),
horizontal bars with their values written at the bar ends, value axes with round tick steps
(0/20/40…, 0/25/50…) computed from the data, the money scale (万元 or 亿元, one per axis), and
`present`, which turns a chart that would say nothing into words: no bar at all is an empty
state ("no records yet"), a single bar is that one figure shown as a number.

Bars carry the link of each figure (`customdata`, opened by static/gaoxin/charts.js); a chart
is shown through the template core/_chart.html."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gaoxin.core import formatting

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
COLOURS = {
    "brand": "#1f4e8c",
    "light": "#8fb0dc",
    "ok": "#1e7b4f",
    "warn": "#975a00",  # the stylesheet's --warn (5.2:1 on white)
    "danger": "#b42318",
    "muted": "#9aa5b1",
}
INK = "#1f2933"
GRID = "#e4e8ee"
TEXT_SIZE = 13  # the values at the bar ends: as large as the axis labels, never rotated
# Room beyond the longest bar for its value ("32.48亿元" on a phone's narrow plot).
LABEL_HEADROOM = 0.3


def layout(**extra: Any) -> dict[str, Any]:
    """The common layout. The legend sits below everything, anchored to the figure's bottom
    edge (not the plot's), so it never lies under the axis labels, on a phone either."""
    layout: dict[str, Any] = {
        "margin": {"l": 8, "r": 24, "t": 8, "b": 8},
        "height": 320,
        "legend": {
            "orientation": "h",
            "traceorder": "normal",  # as the traces are listed (stacked bars reverse it)
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        },
        "font": {"family": FONT, "size": 13, "color": INK},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
        "bargap": 0.28,
        "uniformtext": {"minsize": TEXT_SIZE, "mode": "show"},
    }
    layout.update(extra)
    return layout


# --- round tick steps ----------------------------------------------------------------------


def nice_step(top: float | Decimal | int, *, ticks: int = 5, integer: bool = False) -> Decimal:
    """The tick step of an axis from 0 to `top`: 1, 2, 2.5 or 5 times a power of ten, the
    smallest giving at most `ticks` intervals (the "nice numbers" rule), so the ticks read
    0/20/40…, 0/25/50…, 0/0.5/1…. Whole counts never get a fractional step."""
    top_value = float(top)
    if top_value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** math.floor(math.log10(top_value / ticks))
    for multiple in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = multiple * magnitude
        if integer and step != step.to_integral_value():
            continue
        if float(step) * ticks >= top_value:
            whole = step == step.to_integral_value()
            return step.quantize(Decimal(1)) if whole else step.normalize()
    return Decimal(10) * magnitude  # not reached: 10 × magnitude always covers the range


def value_axis(
    values: list[Any],
    *,
    title: str = "",
    integer: bool = False,
    headroom: float = 0.0,
    **extra: Any,
) -> dict[str, Any]:
    """A value axis from 0 with round ticks. `headroom` leaves that share of the longest bar
    free beyond it, for the value written at its end; the axis then ends on a tick."""
    top = max((float(v) for v in values if v is not None), default=0.0)
    wanted = top * (1 + headroom)
    step = nice_step(wanted, integer=integer)
    end = max(step, Decimal(math.ceil(wanted / float(step))) * step) if top > 0 else step * 5
    axis: dict[str, Any] = {
        "range": [0, float(end)],
        "tick0": 0,
        "dtick": float(step),
        "tickformat": ",d" if integer else ",~r",
        "gridcolor": GRID,
        "zeroline": True,
        "zerolinecolor": "#c5ccd6",
        "automargin": True,
        "fixedrange": True,
    }
    if title:
        axis["title"] = {"text": title, "font": {"size": 12}}
    axis.update(extra)
    return axis


def count_axis(values: list[Any], **extra: Any) -> dict[str, Any]:
    """An axis of whole counts with round ticks."""
    return value_axis(values, integer=True, **extra)


def category_axis(**extra: Any) -> dict[str, Any]:
    """The axis of the bars' names: first on top, never rotated."""
    return {"autorange": "reversed", "automargin": True, "fixedrange": True, **extra}


def bar_height(categories: int, traces: int = 1, *, legend: bool | None = None) -> int:
    """A horizontal bar chart's height from its rows: each name gets room for its bars and
    their values, so the chart is as tall on a phone as on a desk and never squeezed."""
    legend = traces > 1 if legend is None else legend
    per_row = 22 * traces + 14
    return max(140, 56 + per_row * categories + (34 if legend else 0))


# --- bars ----------------------------------------------------------------------------------


def bars(
    name: str,
    labels: list[str],
    values: list[Any],
    texts: list[str],
    urls: list[str],
    colour: str,
    *,
    horizontal: bool = False,
    show_text: bool = True,
) -> dict[str, Any]:
    """A bar trace whose values are written at the bar ends, horizontally, at the axis labels'
    size (`show_text=False` for dense charts such as twelve months, where the hover says it)."""
    trace: dict[str, Any] = {
        "type": "bar",
        "name": name,
        "text": texts,
        "hovertemplate": "%{text}<extra>" + name + "</extra>",
        "customdata": urls,
        "marker": {"color": colour},
    }
    if show_text:
        trace.update(
            {
                "textposition": "outside",
                "textangle": 0,
                "constraintext": "none",
                "cliponaxis": False,
                "textfont": {"size": TEXT_SIZE, "color": INK},
            }
        )
    else:
        trace["textposition"] = "none"
    if horizontal:
        trace.update({"orientation": "h", "y": labels, "x": values})
    else:
        trace.update({"x": labels, "y": values})
    return trace


def money_scale(values: list[Decimal]) -> tuple[Decimal, str]:
    top = max((abs(v) for v in values), default=Decimal(0))
    if top >= formatting.YI:
        return formatting.YI, _("100 million yuan (亿元)")
    return formatting.WAN, _("10 thousand yuan (万元)")


def scaled(amount: Decimal | int, scale: Decimal) -> float | int | None:
    """An amount in the axis' unit (万元 or 亿元), to the cent of that unit."""
    from gaoxin.core.metrics import json_number

    return json_number((Decimal(amount) / scale).quantize(Decimal("0.01")))


# --- a chart, a number, or nothing yet -------------------------------------------------------


def _values_of(trace: dict[str, Any]) -> list[Any]:
    return list(trace["x"] if trace.get("orientation") == "h" else trace["y"])


def _labels_of(trace: dict[str, Any]) -> list[Any]:
    return list(trace["y"] if trace.get("orientation") == "h" else trace["x"])


def present(figure: dict[str, Any], *, empty: str) -> dict[str, Any]:
    """How a bar chart is shown. With no bar above zero it is `empty`, saying so in words
    instead of an empty frame; with a single bar it is that figure as a number (its label,
    value as shown and link), since a one-bar chart compares nothing; otherwise the chart.
    Zero bars count as none: a chart whose other rows are all 0 shows its one figure.
    The template core/_chart.html draws each state."""
    bars_shown = [
        (trace, index)
        for trace in figure["data"]
        for index, value in enumerate(_values_of(trace))
        if value
    ]
    if not bars_shown:
        return {"state": "empty", "empty": empty}
    if len(bars_shown) == 1:
        trace, index = bars_shown[0]
        return {
            "state": "single",
            "label": _labels_of(trace)[index],
            "name": trace.get("name", ""),
            "shown": trace["text"][index],
            "url": trace["customdata"][index],
        }
    return {"state": "chart", "figure": figure}
