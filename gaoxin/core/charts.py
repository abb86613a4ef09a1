"""The pieces every Plotly chart of the platform is built from: the layout (the zone's fonts,
no background), bars that carry the link of each figure (`customdata`, opened by
static/gaoxin/charts.js), count axes and the money scale (万元 or 亿元)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gaoxin.core import formatting

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
COLOURS = {
    "brand": "#1f4e8c",
    "light": "#8fb0dc",
    "ok": "#1e7b4f",
    "warn": "#b26a00",
    "danger": "#b42318",
    "muted": "#9aa5b1",
}


def layout(**extra: Any) -> dict[str, Any]:
    layout = {
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "height": 320,
        "legend": {"orientation": "h", "y": -0.15},
        "font": {"family": FONT, "size": 13},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def count_axis(values: list[Any], **extra: Any) -> dict[str, Any]:
    """An axis of whole counts: integer ticks, about five of them, whatever the range."""
    top = max((int(v) for v in values), default=0)
    axis = {"rangemode": "tozero", "tickformat": ",d", "dtick": max(1, -(-top // 5)), **extra}
    axis.setdefault("automargin", True)
    return axis


def bars(
    name: str,
    labels: list[str],
    values: list[Any],
    texts: list[str],
    urls: list[str],
    colour: str,
    *,
    horizontal: bool = False,
) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "bar",
        "name": name,
        "text": texts,
        "textposition": "auto",
        "hovertemplate": "%{text}<extra>" + name + "</extra>",
        "customdata": urls,
        "marker": {"color": colour},
    }
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
