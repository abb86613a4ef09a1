"""The form renderer's select (core/widgets/select.html) writes its options itself instead of
including two templates per option: its markup must be Django's to the byte, for every kind of
select the forms use."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from gaoxin.core.choices import DependentSelect, DependentSelectMultiple, Renderer

CHOICES = [
    ("", "---------"),
    ("a", "甲"),
    (2, "<b>二 & \"三\" 'four'</b>"),
    ("x y", "with space"),
]
GROUPED = [
    ("", "全部"),
    ("产业", [("ic", "集成电路"), ("bio", "生物医药")]),
    ("空间", [(7, "孵化器"), (8, "加速器 <α>")]),
    ("z", "其他"),
]


class _RadioOptionSelect(forms.Select):
    """A select whose options have a template of their own: still included."""

    option_template_name = "django/forms/widgets/input_option.html"


CASES: list[tuple[str, forms.Widget, Any, dict[str, Any] | None]] = [
    ("plain, nothing chosen", forms.Select(choices=CHOICES), None, None),
    ("plain, an int chosen", forms.Select(choices=CHOICES), 2, {"id": "id_k", "class": "w"}),
    ("required and disabled", forms.Select(choices=CHOICES), "a", {"required": True, "x": False}),
    ("grouped", forms.Select(choices=GROUPED), "bio", {"data-follows": "industry"}),
    ("multiple", forms.SelectMultiple(choices=GROUPED), ["ic", 7], {"id": "id_m"}),
    ("null boolean", forms.NullBooleanSelect(), True, None),
    ("no choices", forms.Select(choices=[]), None, None),
    ("option template of its own", _RadioOptionSelect(choices=CHOICES), "a", None),
]


@pytest.mark.parametrize(("name", "widget", "value", "attrs"), CASES, ids=[c[0] for c in CASES])
def test_the_select_is_djangos_to_the_byte(name: str, widget, value, attrs) -> None:
    ours = widget.render("field", value, attrs, renderer=Renderer())
    djangos = widget.render("field", value, attrs, renderer=DjangoTemplates())
    assert ours == djangos
    if name == "option template of its own":
        assert "<label><input" in ours  # its options' own template, included
    elif name != "no choices":
        assert "<option" in ours


def test_a_dependent_select_keeps_its_parents_on_the_options() -> None:
    class Obj:
        def __init__(self, pk: int, parent: int) -> None:
            self.pk, self.parent = pk, parent

    class Choice:
        def __init__(self, obj: Obj) -> None:
            self.instance, self.value = obj, obj.pk

        def __str__(self) -> str:
            return str(self.value)

        def __eq__(self, other: object) -> bool:
            return str(self) == str(other)

        def __hash__(self) -> int:
            return hash(str(self))

    for cls in (DependentSelect, DependentSelectMultiple):
        widget = cls(choices=[("", "全部"), (Choice(Obj(1, 10)), "一"), (Choice(Obj(2, 20)), "二")])
        widget.follows, widget.field_name = "industry", "segment"
        widget.parent_of = staticmethod(lambda obj: obj.parent)
        ours = widget.render("segment", None, None, renderer=Renderer())
        assert ours == widget.render("segment", None, None, renderer=DjangoTemplates())
        assert 'data-parent="10"' in ours and 'data-parent="20"' in ours


def test_the_faster_select_is_the_one_rendered() -> None:
    """Without the replacement the comparison above would compare Django with itself."""
    template = Renderer().get_template("django/forms/widgets/select.html")
    assert template.origin.name.endswith("core/widgets/select.html")
    assert "gaoxin" in template.origin.name
