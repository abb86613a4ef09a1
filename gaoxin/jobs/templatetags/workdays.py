"""`{{ due|holiday_note }}`: a due date that falls on a day off says so (国庆节假期, 周末), from
the working-day calendar's memory of the year (no query per row)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from gaoxin.jobs import workdays

register = template.Library()


@register.filter
def holiday_note(day: dt.date | None) -> SafeString | str:
    """A small badge when `day` is not a working day; nothing for a working day or no day."""
    if not isinstance(day, dt.date):
        return ""
    working, label = workdays.day_kind(day)
    if working:
        return ""
    holiday = workdays.special(day)
    text = label if holiday is None else gettext("%(name)s holiday") % {"name": label}
    return format_html(
        ' <span class="badge badge-holiday" title="{}">{}</span>',
        gettext("Not a working day"),
        text,
    )
