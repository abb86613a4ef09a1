"""The indicator catalogue the economy starts with (a migration loads it; the admin may add
more): code, name, other names sheets use, unit, nature, industrial only, self-reported."""

from __future__ import annotations

from typing import Any

# fmt: off
INDICATORS: tuple[dict[str, Any], ...] = (
    {"code": "revenue", "name": "营业收入", "aliases": "主营业务收入、营收",
     "unit": "yuan", "nature": "flow", "industrial_only": False, "order": 10},
    {"code": "output", "name": "工业总产值", "aliases":
        "工业总产值（当年价格）、规上工业总产值、总产值",
     "unit": "yuan", "nature": "flow", "industrial_only": True, "order": 20},
    {"code": "tax", "name": "税收总额", "aliases": "税收、纳税总额、税收收入、实缴税金",
     "unit": "yuan", "nature": "flow", "industrial_only": False, "order": 30},
    {"code": "profit", "name": "利润总额", "aliases": "利润", "signed": True,
     "unit": "yuan", "nature": "flow", "industrial_only": False, "order": 40},
    {"code": "rnd", "name": "研发费用", "aliases": "研究开发费用、R&D经费支出、研发投入",
     "unit": "yuan", "nature": "flow", "industrial_only": False, "order": 50},
    {"code": "employees", "name": "从业人员期末人数", "aliases": "从业人员、期末从业人员、从业人数",
     "unit": "person", "nature": "stock", "industrial_only": False, "order": 60},
)
# fmt: on


def load(indicator: Any) -> None:
    indicator.objects.bulk_create(indicator(**row) for row in INDICATORS)
