"""The forms of the working-day calendar: which year to show, a holiday period of a notice,
one corrected day, and what to take away."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.forms import DateInput

FIRST_YEAR = 2000
LAST_YEAR = 2100

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Calendar year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={"invalid": _("Enter a year such as 2027.")},
    )


class MakeupDaysField(forms.CharField):
    """Dates as YYYY-MM-DD, separated by commas, spaces or 、."""

    def to_python(self, value: Any) -> list[dt.date]:  # type: ignore[override]
        text = super().to_python(value) or ""
        days: list[dt.date] = []
        for part in _SEPARATORS.split(text):
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part))
            except ValueError:
                raise forms.ValidationError(
                    _("%(value)s is not a date: write each day as YYYY-MM-DD, e.g. 2027-02-06."),
                    code="invalid",
                    params={"value": part[:20]},
                ) from None
        if len(days) > 10:
            raise forms.ValidationError(_("A holiday has at most a few make-up working days."))
        return days


def _date_field(label: Any, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


class PeriodForm(forms.Form):
    """A holiday of a notice: its name, its days off, its make-up working days."""

    name = forms.CharField(
        label=_("Holiday"),
        max_length=50,
        help_text=_("As the notice names it: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节."),
    )
    first = _date_field(_("First day off"))
    last = _date_field(_("Last day off"), _("Weekends inside the holiday count as days off."))
    makeup_days = MakeupDaysField(
        label=_("Make-up working days (调休上班)"),
        required=False,
        max_length=200,
        help_text=_(
            "The Saturdays or Sundays that become working days, as YYYY-MM-DD separated by "
            "commas; empty if none."
        ),
    )
    source = forms.CharField(
        label=_("Notice"),
        max_length=200,
        help_text=_("The document the days come from, e.g. 国办发明电〔2025〕7号."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["list"] = "holiday-names"


class DayForm(forms.Form):
    """One day the library has wrong (or a notice changed late)."""

    KIND_CHOICES = [("off", _("Day off (holiday)")), ("work", _("Working day"))]

    day = _date_field(_("Day"))
    kind = forms.ChoiceField(label=_("The day is"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=_("Holiday"),
        max_length=50,
        required=False,
        help_text=_("For a day off: the holiday it belongs to, e.g. 国庆节."),
    )
    source = forms.CharField(
        label=_("Notice"),
        max_length=200,
        help_text=_("The document the correction comes from, e.g. 国办发明电〔2025〕7号."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["list"] = "holiday-names"


class DeleteForm(forms.Form):
    what = forms.ChoiceField(
        choices=[("period", _("The whole holiday")), ("day", _("This day only"))]
    )
