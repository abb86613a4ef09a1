"""我的任务 (/jobs/): the user's own jobs, one job's progress (polled by htmx while it runs),
its result to download, and running a failed or stopped job again."""

from __future__ import annotations

import mimetypes
from functools import partial
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gaoxin.core.errors import DomainError
from gaoxin.core.excel import xlsx_response
from gaoxin.core.http import AuthedRequest
from gaoxin.core.lists import filtered, render_list
from gaoxin.jobs import selectors, services
from gaoxin.jobs.forms import JobFilterForm
from gaoxin.jobs.models import Job, JobFile


@login_required
@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    form = JobFilterForm(request.GET)
    jobs = filtered(form, partial(selectors.job_list, request.user), Job)
    return render_list(
        request,
        form,
        jobs,
        template="jobs/job_list.html",
        fragment="jobs/_job_results.html",
        default_sort="-started",
        extra=lambda page: {"rows": selectors.job_rows(page.object_list)},
    )


@login_required
@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The job's page; its progress panel alone for htmx's polling."""
    job = selectors.job_get_for_user(request.user, pk)
    context = {
        "job": job,
        "kind_label": selectors.job_label(job),
        "state": selectors.job_state(job),
        "files": {
            f.role: f
            for f in JobFile.objects.filter(job=job).only("job_id", "role", "name", "size")
        },
    }
    template = "jobs/_job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, context)


@login_required
@require_GET
def job_download(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get_for_user(request.user, pk)
    result = JobFile.objects.filter(job=job, role=JobFile.Role.RESULT).first()
    if result is None:
        raise Http404
    content = bytes(result.content)
    if result.name.lower().endswith(".xlsx"):
        return xlsx_response(content, result.name)
    content_type = mimetypes.guess_type(result.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"download\"; filename*=UTF-8''{quote(result.name)}"
    )
    return response


@login_required
@require_POST
def job_rerun(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get_for_user(request.user, pk)
    try:
        services.job_rerun(job=job, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The job is queued again; it starts from nothing."))
    return redirect("jobs:detail", pk=job.pk)
