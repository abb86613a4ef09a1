"""The working-day calendar (/jobs/calendar/): a year's holidays and make-up working days for
the staff to read; a zone admin enters a notice's holiday, corrects a day, takes entered days
away."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from gaoxin.core.access import require_roles, role_of
from gaoxin.core.forms import save_and_redirect
from gaoxin.core.http import AuthedRequest
from gaoxin.core.roles import STAFF_ROLES, Role
from gaoxin.jobs import calendar_selectors, calendar_services, workdays
from gaoxin.jobs.calendar_forms import DayForm, DeleteForm, PeriodForm, YearForm

EDITORS = frozenset({Role.ADMIN})
# The month grids' headings, Monday first: one character each in Chinese (一 … 日), where the
# date filter's 星期一 would not fit a column.
WEEKDAY_HEADINGS = [
    gettext_lazy("Mo"),
    gettext_lazy("Tu"),
    gettext_lazy("We"),
    gettext_lazy("Th"),
    gettext_lazy("Fr"),
    gettext_lazy("Sa"),
    gettext_lazy("Su"),
]


def _year_url(year: int) -> str:
    return f"{reverse('calendar:year')}?year={year}"


@login_required
@require_GET
def calendar_year(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, STAFF_ROLES)
    today = timezone.localdate()
    form = YearForm(request.GET if "year" in request.GET else None)
    if form.is_bound and not form.is_valid():
        return render(request, "jobs/calendar/year.html", {"form": form, "page": None}, status=400)
    year = form.cleaned_data["year"] if form.is_bound else today.year
    is_editor = role_of(request.user) in EDITORS
    return render(
        request,
        "jobs/calendar/year.html",
        {
            "form": form if form.is_bound else YearForm(initial={"year": year}),
            "page": calendar_selectors.year_page(year),
            "today": today,
            "is_editor": is_editor,
            "warnings": [
                (y, workdays.unknown_year_warning(y)) for y in workdays.years_to_warn(today)
            ]
            if is_editor
            else [],
            "weekday_headings": WEEKDAY_HEADINGS,
            "previous_year": year - 1,
            "next_year": year + 1,
        },
    )


def _form_page(
    request: AuthedRequest, form: PeriodForm | DayForm, title: str, year: int
) -> HttpResponse:
    return render(
        request,
        "jobs/calendar/form.html",
        {
            "form": form,
            "title": title,
            "cancel": _year_url(year),
            "holiday_names": workdays.HOLIDAY_NAMES,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _shown_year(request: AuthedRequest) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def calendar_period_new(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, EDITORS)
    form = PeriodForm(request.POST or None)
    done = save_and_redirect(
        request,
        form,
        lambda data: calendar_services.calendar_period_enter(
            name=data["name"],
            first=data["first"],
            last=data["last"],
            makeup_days=data["makeup_days"],
            source=data["source"],
            by=request.user,
        ),
        message=lambda rows: (
            ngettext(
                "%(name)s is entered: %(count)s day.",
                "%(name)s is entered: %(count)s days.",
                len(rows),
            )
            % {"name": rows[0].name, "count": len(rows)}
        ),
        to=lambda rows: _year_url(rows[0].day.year),
    )
    return done or _form_page(
        request, form, _("Enter a holiday from a notice"), _shown_year(request)
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_new(request: AuthedRequest) -> HttpResponse:
    require_roles(request.user, EDITORS)
    form = DayForm(request.POST or None)
    done = save_and_redirect(
        request,
        form,
        lambda data: calendar_services.calendar_day_enter(
            day=data["day"],
            is_workday=data["kind"] == "work",
            name=data["name"],
            source=data["source"],
            by=request.user,
        ),
        message=lambda row: _("%(day)s is corrected.") % {"day": row.day.isoformat()},
        to=lambda row: _year_url(row.day.year),
    )
    return done or _form_page(request, form, _("Correct one day"), _shown_year(request))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_day_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Take an entered day, or its whole holiday, away: a page shows what goes, then the
    write."""
    require_roles(request.user, EDITORS)
    entered = calendar_selectors.entered_day_get(pk)
    period = calendar_services.calendar_period_of(entered)
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = calendar_services.calendar_days_delete(
            entered=entered, whole_period=form.cleaned_data["what"] == "period", by=request.user
        )
        messages.success(
            request,
            ngettext(
                "%(count)s entered day was taken away.",
                "%(count)s entered days were taken away.",
                count,
            )
            % {"count": count},
        )
        return redirect(_year_url(entered.day.year))
    return render(
        request,
        "jobs/calendar/delete.html",
        {
            "entered": entered,
            "period": period,
            "holiday_days": [row for row in period if not row.is_workday],
            "makeup_days": [row for row in period if row.is_workday],
            "cancel": _year_url(entered.day.year),
        },
        status=400 if form.is_bound else 200,
    )
