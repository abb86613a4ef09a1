"""我的任务 (/jobs/): the user's own jobs, one job's progress (polled by htmx while it runs),
its result to download, and running a failed or stopped job again."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from gaoxin.core.errors import DomainError
from gaoxin.core.http import AuthedRequest
from gaoxin.core.pagination import lookahead_page, query_without_page
from gaoxin.jobs import selectors, services
from gaoxin.jobs.models import Job, JobFile


@login_required
@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    jobs = selectors.job_list_for_user(request.user)
    status = request.GET.get("status", "")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    page = lookahead_page(request, jobs.defer("params"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Job.Status.choices,
            "query": query_without_page(request),
        },
    )


@login_required
@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get_for_user(request.user, pk)
    context = {
        "job": job,
        "state": selectors.job_state(job),
        "result": JobFile.objects.filter(job=job, role=JobFile.Role.RESULT)
        .only("name", "size")
        .first(),
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
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if result.name.endswith(".xlsx")
        else "application/octet-stream"
    )
    response = HttpResponse(bytes(result.content), content_type=content_type)
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
    return redirect("jobs:detail", pk=job.pk)
