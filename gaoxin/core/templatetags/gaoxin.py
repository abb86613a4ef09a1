from __future__ import annotations

from typing import Any

from django import template

from gaoxin.core import formatting
from gaoxin.core.history import history_entries

register = template.Library()


@register.filter
def money(value: Any) -> str:
    return formatting.money(value)


@register.filter
def area(value: Any) -> str:
    return formatting.area(value)


@register.filter
def cell(column: Any, obj: Any) -> Any:
    """The value of a metric column for one record."""
    return column.value(obj)


@register.inclusion_tag("core/_history_panel.html")
def history_panel(obj: Any) -> dict[str, Any]:
    return {"entries": history_entries(obj)}
