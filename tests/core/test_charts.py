"""The chart pieces: round tick steps from the data, values written at the bar ends, and a
chart that would say nothing shown as words or as its one number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaoxin.core import charts


@pytest.mark.parametrize(
    ("top", "integer", "step"),
    [
        (100, False, Decimal(20)),  # 0/20/40/60/80/100
        (126, True, Decimal(50)),  # not 0/26/52/78
        (7, True, Decimal(2)),
        (3, True, Decimal(1)),  # counts never step by 0.5
        (Decimal("2.5"), False, Decimal("0.5")),
        (Decimal("0.8"), False, Decimal("0.2")),
        (Decimal("57.33"), False, Decimal(20)),
        (120, False, Decimal(25)),  # 0/25/50/75/100/125
        (1_000_000_000, False, Decimal(200_000_000)),
    ],
)
def test_nice_step_for_several_ranges(top, integer, step) -> None:
    assert charts.nice_step(top, integer=integer) == step


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e12"), places=2))
def test_every_step_is_round_and_gives_at_most_five_intervals(top) -> None:
    step = charts.nice_step(top)
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert step * 5 >= top
    assert step * 2 <= top  # at least two intervals: never one coarse step for the range


def test_value_axis_ends_on_a_tick_with_room_for_the_labels() -> None:
    axis = charts.count_axis([126, 15], headroom=charts.LABEL_HEADROOM)
    assert axis["tick0"] == 0 and axis["dtick"] == 50
    assert axis["range"] == [0, 200.0]
    assert axis["range"][1] >= 126 * (1 + charts.LABEL_HEADROOM)
    assert axis["tickformat"] == ",d"
    money = charts.value_axis([Decimal("5.53"), Decimal("10.07")], title="亿元")
    assert money["dtick"] == 2.5 and money["range"] == [0, 12.5]
    assert money["title"]["text"] == "亿元"


def test_bars_write_their_values_at_the_ends_readable() -> None:
    trace = charts.bars(
        "签约", ["储能", "软信"], [3, 5], ["3个", "5个"], ["/a", "/b"], "#000", horizontal=True
    )
    assert trace["orientation"] == "h" and trace["y"] == ["储能", "软信"]
    assert trace["textposition"] == "outside"
    assert trace["textangle"] == 0  # never rotated
    assert trace["constraintext"] == "none"  # never shrunk to fit
    assert trace["textfont"]["size"] >= 12
    assert trace["cliponaxis"] is False
    assert trace["text"] == ["3个", "5个"] and trace["customdata"] == ["/a", "/b"]
    dense = charts.bars("2023", ["1月"], [1], ["1万元"], ["/m"], "#000", show_text=False)
    assert dense["textposition"] == "none"


def _figure(*traces: dict) -> dict:
    return {"data": list(traces), "layout": charts.layout()}


def test_present_an_empty_chart_as_words() -> None:
    zeros = charts.bars("x", ["a", "b"], [0, 0], ["0", "0"], ["/a", "/b"], "#000", horizontal=True)
    assert charts.present(_figure(zeros), empty="暂无记录。") == {
        "state": "empty",
        "empty": "暂无记录。",
    }
    nothing = charts.bars("x", [], [], [], [], "#000")
    assert charts.present(_figure(nothing), empty="—")["state"] == "empty"


def test_present_a_single_bar_as_its_number() -> None:
    one = charts.bars(
        "未关闭难点", ["待处理", "处理中"], [6, 0], ["6", "0"], ["/open", "/open"], "#000"
    )
    shown = charts.present(_figure(one), empty="—")
    assert shown == {
        "state": "single",
        "label": "待处理",
        "name": "未关闭难点",
        "shown": "6",
        "url": "/open",
    }


def test_present_two_bars_as_a_chart() -> None:
    first = charts.bars("a", ["x"], [1], ["1"], ["/1"], "#000", horizontal=True)
    second = charts.bars("b", ["x"], [2], ["2"], ["/2"], "#000", horizontal=True)
    shown = charts.present(_figure(first, second), empty="—")
    assert shown["state"] == "chart"
    assert shown["figure"]["data"] == [first, second]


def test_the_legend_sits_below_the_whole_figure() -> None:
    legend = charts.layout()["legend"]
    assert legend["orientation"] == "h"
    assert legend["yref"] == "container" and legend["y"] == 0 and legend["yanchor"] == "bottom"
