"""Reading a filled-in sheet: the grid, the header among title rows, units in headers and unit
rows, lists in a cell."""

from __future__ import annotations

import re
from decimal import Decimal

from gaoxin.core.excel import write_workbook
from gaoxin.core.excel_read import (
    ColumnUnit,
    Problem,
    SheetColumn,
    apply_units,
    find_header_row,
    read_grid,
    read_header,
    split_list,
)

NAMES = {"注册资本": "capital", "法定代表人": "person"}
NOISE = re.compile(r"[*＊※]")


def test_a_header_names_its_column_and_its_unit() -> None:
    assert read_header("*注册资本（万元）", NAMES, NOISE)[0] == "capital"
    assert [u.name for u in read_header("注册资本/亿元", NAMES, NOISE)[1]] == ["亿元"]
    assert read_header("法定 代表人", NAMES, NOISE) == ("person", [])
    assert read_header("备注", NAMES, NOISE) == (None, [])


def test_the_header_is_found_under_the_titles_and_merged_cells_repeat_down() -> None:
    content = write_workbook(["名称", "注册资本"], [["甲", 1], ["乙", 2]], title="企业名单")
    grid = read_grid(content)
    assert grid[0][0] == "企业名单"
    assert find_header_row(grid, lambda row: "注册资本" in row) == 1
    assert find_header_row(grid, lambda row: "无此列" in row) is None


def test_a_unit_row_scales_an_amount_column_whose_header_says_none() -> None:
    grid = [["单位：万元", ""], ["名称", "注册资本"], ["甲", "12"]]
    column = SheetColumn("capital", "注册资本", kind="amount")
    problems: list[Problem] = []
    units: list[ColumnUnit] = []
    placed = apply_units(grid, 1, [(1, column, Decimal(1), "注册资本")], {1: []}, problems, units)
    assert problems == []
    assert placed[0][2] == Decimal(10_000)
    assert (units[0].unit, units[0].source, units[0].row) == ("万元", "unit_row", 1)


def test_two_units_of_money_for_one_column_are_a_problem_not_a_guess() -> None:
    grid = [["单位：万元", "单位：元"], ["名称", "注册资本"]]
    column = SheetColumn("capital", "注册资本", kind="amount")
    problems: list[Problem] = []
    placed = apply_units(grid, 1, [(1, column, Decimal(1), "注册资本")], {1: []}, problems, [])
    assert placed == [] and problems[0].column == "注册资本"


def test_a_cell_lists_names_once_each() -> None:
    assert split_list("储能、光伏,储能;\n芯片/") == ["储能", "光伏", "芯片"]
