"""Choices that think: a choice that follows another (the chain segment follows the industry,
the responsible person the department), and an empty choice that says what to choose.

Dependent choices: a form lists its pairs in `dependent_choices` (`Follows`) and mixes in
`DependentChoicesMixin`. The child's select then carries `data-follows` (the parent's name in
the form) and each option `data-parent` (its parent's id); gaoxin/choices.js, loaded by
base.html, offers only the options of the parent chosen. Without the script every option is
offered, and the form refuses a child that does not belong to the parent chosen, saying so.

The empty choice: Django labels it "---------". Every form of the site is rendered by
`Renderer` (settings.FORM_RENDERER), whose bound fields label it "请选择<the field's label>"
instead: one place, every form and filter.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import ChoiceWidget
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext as _

DJANGO_EMPTY_LABEL = "---------"


# --- dependent choices ------------------------------------------------------------------------


class _DependentWidget:
    """What a dependent select adds to Django's: `data-follows` on the select, `data-parent` on
    each option of a model choice."""

    follows: str = ""  # the parent field's name in the form
    field_name: str = ""  # this field's name in the form
    parent_of: Callable[[Any], Any] = staticmethod(lambda obj: None)

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option: dict[str, Any] = super().create_option(name, value, *args, **kwargs)  # type: ignore[misc]
        instance = getattr(value, "instance", None)
        parent = self.parent_of(instance) if instance is not None else None
        if parent is not None:
            option["attrs"]["data-parent"] = str(parent)
        return option

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        # A prefixed form ("reassign-owner", a formset's "form-0-owner") follows the parent of
        # the same prefix.
        prefix = name[: len(name) - len(self.field_name)] if name.endswith(self.field_name) else ""
        context["widget"]["attrs"]["data-follows"] = prefix + self.follows
        return context


class DependentSelect(_DependentWidget, forms.Select):
    pass


class DependentSelectMultiple(_DependentWidget, forms.SelectMultiple):
    pass


@dataclass(frozen=True)
class Follows:
    """`field`'s choices follow `parent`'s: `parent_of(choice)` is the pk of the parent a
    choice belongs to (None: it goes with any). `message` refuses a mismatch, naming the
    choice as %(choice)s and the parent chosen as %(parent)s."""

    field: str
    parent: str
    parent_of: Callable[[Any], Any]
    message: Promise | str
    name_of: Callable[[Any], str] = str


def _as_list(value: Any) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, (Model, str)):
        return [value]
    if isinstance(value, Iterable):
        return list(value)
    return [value]


class DependentChoicesMixin(forms.BaseForm):
    """A form whose `dependent_choices` narrow in the browser and are checked here."""

    dependent_choices: tuple[Follows, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for follows in self.dependent_choices:
            if follows.field not in self.fields or follows.parent not in self.fields:
                continue
            field = self.fields[follows.field]
            old = field.widget
            kind = DependentSelectMultiple if old.allow_multiple_selected else DependentSelect
            widget = kind(attrs=old.attrs)
            widget.choices = getattr(old, "choices", ())
            widget.follows, widget.field_name = follows.parent, follows.field
            widget.parent_of = follows.parent_of
            widget.is_required = old.is_required
            field.widget = widget

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or self.cleaned_data
        for follows in self.dependent_choices:
            if follows.field not in self.fields or follows.parent not in self.fields:
                continue
            parents = _as_list(data.get(follows.parent))
            if not parents:  # nothing chosen to follow: every choice goes
                continue
            wanted = {getattr(parent, "pk", parent) for parent in parents}
            for choice in _as_list(data.get(follows.field)):
                belongs = follows.parent_of(choice)
                if belongs is not None and belongs not in wanted:
                    self.add_error(
                        follows.field,
                        str(follows.message)
                        % {
                            "choice": follows.name_of(choice),
                            "parent": "、".join(str(parent) for parent in parents),
                        },
                    )
                    break
        return data


# --- the empty choice ---------------------------------------------------------------------------


def prompt(label: Any) -> str:
    """ "请选择所属产业" / "Choose industry": what an empty choice says."""
    text = str(label or "").strip()
    if len(text) > 1 and text[:1].isupper() and not text[1:2].isupper():
        text = text[:1].lower() + text[1:]  # "Choose industry", never "Choose Industry"
    return _("Choose %(label)s") % {"label": text} if text else _("Choose…")


class _Prompted(BaseChoiceIterator):
    """A select's choices with Django's "---------" said as a prompt."""

    def __init__(self, choices: Any, label: str) -> None:
        self.choices = choices
        self.label = label

    def __iter__(self) -> Iterator[Any]:
        for value, text in self.choices:
            if value in ("", None) and text == DJANGO_EMPTY_LABEL:
                yield value, self.label
            else:
                yield value, text


class PromptingBoundField(BoundField):
    def as_widget(
        self, widget: forms.Widget | None = None, attrs: Any = None, only_initial: bool = False
    ) -> Any:
        widget = widget or self.field.widget
        if isinstance(widget, ChoiceWidget) and not widget.allow_multiple_selected:
            widget = copy.copy(widget)  # a copy per render: the field's own keeps its choices
            widget.choices = _Prompted(widget.choices, prompt(self.label))
        return super().as_widget(widget, attrs, only_initial)


# Django's widget templates replaced by ones that write the same markup faster.
FASTER_TEMPLATES = {"django/forms/widgets/select.html": "core/widgets/select.html"}


class Renderer(DjangoTemplates):
    """Django's form renderer, with bound fields that prompt instead of "---------", and a
    select that writes its options itself: Django's includes two templates per option, which
    made the filter forms' selects a fifth of an enterprise search's time."""

    bound_field_class = PromptingBoundField

    def get_template(self, template_name: str) -> Any:
        return super().get_template(FASTER_TEMPLATES.get(template_name, template_name))
