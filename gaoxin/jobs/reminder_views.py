"""督办提醒 (/jobs/reminders/): the user's own notices (by kind, unread or all), marking
them read, and the kinds they mute for themselves. Every signed-in user has the page; each
sees and changes only their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.pagination import lookahead_page, query_without_page
from gaoxin.jobs import reminder_selectors, reminder_services
from gaoxin.jobs.reminder_forms import NoticeFilterForm, ReminderSettingsForm


def _back(request: AuthedRequest) -> HttpResponse:
    """Back to the list the user was on (its filters and page kept)."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("reminders:list")


@login_required
@require_GET
def notice_list(request: AuthedRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET)
    if form.is_valid():
        notices = reminder_selectors.notice_search(request.user, **form.search_arguments())
    else:
        notices = reminder_selectors.notice_list_for_user(request.user).none()
    page = lookahead_page(request, notices)
    labels = reminder_selectors.kind_labels()
    for notice in page:
        notice.kind_label = labels.get(notice.kind, notice.kind)
    return render(
        request,
        "jobs/reminders/notice_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "unread": form.is_valid() and form.search_arguments()["unread"],
            "kind": form.cleaned_data.get("kind", "") if form.is_valid() else "",
        },
    )


@login_required
@require_POST
def notice_read(request: AuthedRequest, pk: int) -> HttpResponse:
    notice = reminder_selectors.notice_get_for_user(request.user, pk)
    reminder_services.notice_mark_read(user=request.user, notice=notice)
    return _back(request)


@login_required
@require_POST
def notice_read_all(request: AuthedRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    if kind not in reminder_selectors.kind_labels():
        kind = ""
    count = reminder_services.notice_mark_all_read(user=request.user, kind=kind)
    messages.success(request, _("%(count)d reminders marked read.") % {"count": count})
    return _back(request)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: AuthedRequest) -> HttpResponse:
    labels = reminder_selectors.kind_labels()
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            muted = set(labels) - set(form.cleaned_data["kinds"])
            try:
                reminder_services.reminder_mutes_set(user=request.user, muted=muted)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Your reminder settings are saved."))
                return redirect("reminders:settings")
    else:
        muted = reminder_selectors.muted_kinds(request.user)
        form = ReminderSettingsForm(initial={"kinds": [k for k in labels if k not in muted]})
    return render(
        request,
        "jobs/reminders/reminder_settings.html",
        {"form": form, "list_url": reverse("reminders:list")},
    )
