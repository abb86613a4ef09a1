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


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, ()) if mapping else ()


@register.filter
def sort_query(query: str, field: str) -> str:
    """The list's query string sorted by `field`, descending if it is sorted ascending now."""
    from django.http import QueryDict

    params = QueryDict(query, mutable=True)
    current = params.get("sort", "name")
    params["sort"] = f"-{field}" if current == field else field
    params.pop("page", None)
    return params.urlencode()


@register.inclusion_tag("core/_history_panel.html")
def history_panel(obj: Any) -> dict[str, Any]:
    return {"entries": history_entries(obj)}
