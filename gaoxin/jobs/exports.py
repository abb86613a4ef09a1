"""A large export as a background job.

An export of more than GAOXIN_EXPORT_JOB_ROWS rows (core/exports.py asks `defer_large`, which
this module installs) is not built in the request: a job is queued with the page's path and
query, the user, the zone picked in the switcher and the language, and the user is sent to the
job's page under 我的任务. The worker replays the request as that user: it calls the same view,
which checks the user's access again, and keeps the workbook it answers with as the job's
result file. A page that answers anything else (refused, gone, sent elsewhere) fails the job
with a sentence saying so.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from gaoxin.accounts.models import User, Zone
from gaoxin.core import exports
from gaoxin.core.access import user_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.excel import XLSX_CONTENT_TYPE
from gaoxin.jobs import kinds, services
from gaoxin.jobs.models import Job
from gaoxin.jobs.progress import Progress

KIND = "export"
_FILENAME = re.compile(r"filename\*=UTF-8''([^;]+)")


def defer_to_job(request: HttpRequest, name: str) -> HttpResponse | None:
    """core/exports.py's `defer_large`: queue the export as a job and answer with its page."""
    user = request.user
    if not isinstance(user, User):  # an export is only ever asked for signed in
        return None
    zone_id: int | None = getattr(user, "current_zone_id", None)
    job = services.job_submit(
        user=user,
        zone=Zone.objects.filter(pk=zone_id).first() if zone_id else None,
        kind=KIND,
        label=_("Export: %(name)s") % {"name": name},
        params={
            "path": request.path_info,
            "query": request.META.get("QUERY_STRING", ""),
            "zone_id": zone_id,
            "language": translation.get_language() or "",
        },
    )
    messages.info(
        request,
        _(
            "The export is large (more than %(rows)s rows), so it runs as a background job: "
            "its file can be downloaded here, and under My jobs, once it is done."
        )
        % {"rows": f"{settings.GAOXIN_EXPORT_JOB_ROWS:,}"},
    )
    url = reverse("jobs:detail", args=[job.pk])
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def run_export(job: Job, progress: Progress) -> kinds.Outcome:
    """Replay the export's request as the user who asked, and keep the workbook."""
    params: dict[str, Any] = job.params
    language = str(params.get("language") or "") or None
    with translation.override(language):
        response = _replay(job, params, progress)
        if response.status_code != 200 or response.get("Content-Type") != XLSX_CONTENT_TYPE:
            raise DomainError(_refusal(response.status_code))
        written = progress.state.get("rows_written") or 0
        return kinds.Outcome(
            message=ngettext("%(count)s row exported.", "%(count)s rows exported.", written)
            % {"count": f"{written:,}"},
            file=(_filename(response), response.content),
        )


def _replay(job: Job, params: dict[str, Any], progress: Progress) -> HttpResponse:
    user = User.objects.filter(pk=job.user_id, is_active=True).first()
    if user is None:
        raise DomainError(_("The account that asked for this export is no longer active."))
    zone_id = params.get("zone_id")
    if zone_id is not None and zone_id not in user_zone_ids(user):
        raise DomainError(_("You no longer belong to the zone this export was asked in."))
    user.current_zone_id = zone_id
    path, query = str(params.get("path") or ""), str(params.get("query") or "")
    try:
        match = resolve(path)
    except Resolver404:
        raise DomainError(_refusal(404)) from None
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.META = {"REQUEST_METHOD": "GET", "QUERY_STRING": query, "PATH_INFO": path}
    request.GET = QueryDict(query)
    request.user = user
    request.session = SessionStore()
    request.session["zone_id"] = zone_id
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    request.LANGUAGE_CODE = translation.get_language()
    request.resolver_match = match
    setattr(request, exports.REPLAY, progress)
    try:
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    except PermissionDenied:
        raise DomainError(_refusal(403)) from None
    except Http404:
        raise DomainError(_refusal(404)) from None
    return response


def _refusal(status: int) -> str:
    if status == 403:
        return _("You may no longer export this list: nothing was exported.")
    if status == 404:
        return _("This list is no longer there (or no longer yours to see): nothing was exported.")
    return _("The list did not give a workbook (it answered %(status)s): nothing was exported.") % {
        "status": status
    }


def _filename(response: HttpResponse) -> str:
    found = _FILENAME.search(response.get("Content-Disposition", ""))
    return unquote(found.group(1)) if found else "export.xlsx"


kinds.register(kinds.JobKind(KIND, gettext_lazy("Export"), run_export))
exports.defer_large = defer_to_job
