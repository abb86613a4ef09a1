from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaoxin.core.errors import DomainError

YES_NO = [("", _("Any")), ("1", _("Yes")), ("0", _("No"))]


def search_field(placeholder: Any = "", label: Any = None) -> forms.CharField:
    """The free-text box at the head of a filtered list."""
    return forms.CharField(
        label=label or _("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": placeholder, "type": "search", "autocomplete": "off"}
        ),
    )


def yes_no(value: str | None) -> bool | None:
    """A YES_NO choice as the selectors take it: None for any."""
    return None if value in (None, "") else value == "1"


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the language: a
    Chinese-formatted 2023/01/01 is rejected by the browser and the field opens blank."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# The earliest day a figure can be asked for: 1 October 1949. No zone, enterprise or figure of
# this platform predates the People's Republic (the first high-tech zones opened in 1988), and
# a floor this far above 0001-01-01 keeps every "the same day N years earlier" computed from
# `as_of` inside the calendar, where 0001-01-01 raised OverflowError.
EARLIEST_AS_OF = dt.date(1949, 10, 1)


class AsOfField(forms.DateField):
    """The day a figure is asked for: today when left empty, never in the future, never
    before EARLIEST_AS_OF."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("As of"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", DateInput())
        kwargs.setdefault("error_messages", {"invalid": _("Enter a date as YYYY-MM-DD.")})
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.date:
        day = super().clean(value) or timezone.localdate()
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("A figure cannot be asked for a day in the future."), code="future"
            )
        if day < EARLIEST_AS_OF:
            raise forms.ValidationError(
                _("A figure cannot be asked for a day before %(day)s."),
                code="too_early",
                params={"day": EARLIEST_AS_OF.isoformat()},
            )
        return day


class ScopeForm(forms.Form):
    """Which zone and which day a figure is asked for (`?zone=CODE&as_of=YYYY-MM-DD`)."""

    zone = forms.ChoiceField(label=_("Zone"), required=False)
    as_of = AsOfField()

    def __init__(self, *args: Any, zones: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {zone.code: zone for zone in zones}
        self.fields["zone"].choices = [("", _("All my zones"))] + [
            (zone.code, zone.name) for zone in zones
        ]
        self.fields["zone"].error_messages["invalid_choice"] = _("You cannot see zone %(value)s.")


def save_or_show(
    request: HttpRequest, form: forms.BaseForm, write: Callable[[dict[str, Any]], Any]
) -> Any | None:
    """Run `write` on a valid bound form; a refusal from the service becomes a form error."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return write(form.cleaned_data)
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        form.add_error(field, error.message)
        return None
