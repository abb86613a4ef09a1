"""What the figures page is asked: zone, month, indicator of the breakdowns, basis of 同比, and
an optional day the figures are read as known on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.errors import DomainError
from gaoxin.core.forms import EARLIEST_AS_OF, DateInput, choice_field
from gaoxin.economy.figures.selectors import Basis
from gaoxin.economy.models import Indicator
from gaoxin.economy.periods import Period

BASIS_CHOICES = [
    (Basis.COMPARABLE, _("Comparable basis (可比口径)")),
    (Basis.TOTAL, _("Total basis (全口径)")),
]


class FiguresForm(forms.Form):
    zone = forms.ChoiceField(label=_("Zone"), required=False)
    period = forms.CharField(
        label=_("Month"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "2023-06", "size": 9}),
    )
    indicator = forms.ChoiceField(label=_("Indicator"), required=False)
    basis = forms.ChoiceField(label=_("Growth basis"), required=False, choices=BASIS_CHOICES)
    known_on = forms.DateField(label=_("As known on"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, zones: list[Any], indicators: list[Indicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zones = {zone.code: zone for zone in zones}
        choice_field(self, "zone").choices = [("", _("All my zones"))] + [
            (zone.code, zone.name) for zone in zones
        ]
        self.fields["zone"].error_messages["invalid_choice"] = _("You cannot see zone %(value)s.")
        choice_field(self, "indicator").choices = [(i.code, i.name) for i in indicators]

    def clean_period(self) -> Period | None:
        text = self.cleaned_data.get("period") or ""
        if not text.strip():
            return None
        try:
            period = Period.parse(text)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from error
        # A figure is of a month: 1–2月 is read at its end, February.
        return Period.of(period.year, period.month)

    def clean_known_on(self) -> dt.date | None:
        day: dt.date | None = self.cleaned_data.get("known_on")
        if day is not None and day < EARLIEST_AS_OF:
            raise forms.ValidationError(_("Pick a later day."))
        return day
