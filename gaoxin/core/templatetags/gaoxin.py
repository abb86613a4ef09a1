from __future__ import annotations

from typing import Any

from django import template
from django.utils.encoding import force_str

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


# (model, field name) -> {stored value: label}: a field's choices, for `display`.
_choice_labels: dict[tuple[type, str], tuple[str, dict[Any, Any]]] = {}


@register.filter
def display(obj: Any, field_name: str) -> Any:
    """`obj.get_<field_name>_display()`, the same text, for the rows of a list. Django's
    builds a dict of every choice each call, hashing each label (a lazy translation) on the
    way: a list of 50 rows with two such columns translated 1,500 labels to show 100 of
    them. Here the choices are read once per field, and only the label shown is translated."""
    model = type(obj)
    known = _choice_labels.get((model, field_name))
    if known is None:
        field = model._meta.get_field(field_name)
        known = (field.attname, {value: label for value, label in field.flatchoices})
        _choice_labels[(model, field_name)] = known
    attname, labels = known
    value = getattr(obj, attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value: Django's own way
        return getattr(obj, f"get_{field_name}_display")()
    return force_str(label, strings_only=True)


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
