"""Reads of jobs: a user sees only their own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gaoxin.core.errors import DomainError
from gaoxin.jobs import kinds, progress
from gaoxin.jobs.models import Job, JobFile

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from gaoxin.accounts.models import User

# A running job whose worker has gone quiet is shown (and filtered) as stopped: not a status
# stored in the row, but read from its heartbeat (services.job_stopped).
STOPPED = "stopped"


def job_statuses() -> list[tuple[str, Promise | str]]:
    """The statuses a user filters by and sees as badges, stopped among them."""
    return [*Job.Status.choices, (STOPPED, _("Stopped"))]


# ?sort= → the order of the list (the columns' headers switch it); the first is the default.
SORTS: dict[str, tuple[Any, ...]] = {
    "-started": (F("started").desc(), "-pk"),
    "started": (F("started").asc(), "pk"),
    "-finished": (F("finished_at").desc(nulls_last=True), "-pk"),
    "finished": (F("finished_at").asc(nulls_last=True), "pk"),
}


def job_list_for_user(user: User) -> QuerySet[Job]:
    return Job.objects.filter(user=user).select_related("zone")


def job_get_for_user(user: User, pk: int) -> Job:
    job = job_list_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _file_name(role: str) -> Subquery:
    return Subquery(JobFile.objects.filter(job=OuterRef("pk"), role=role).values("name")[:1])


def job_list(user: User, *, status: str = "", kind: str = "", sort: str = "") -> QuerySet[Job]:
    """The user's jobs for 我的任务, newest first (or as `sort` says), with their input and
    result files' names, in one query. `status` may be `stopped`: running jobs whose worker has
    gone quiet, told apart from the running ones by their heartbeats (a query of the user's
    running jobs, a handful, first)."""
    jobs = (
        job_list_for_user(user)
        .defer("params", "dedupe_key")
        .annotate(
            started=Coalesce("started_at", "created_at"),
            input_name=_file_name(JobFile.Role.INPUT),
            result_name=_file_name(JobFile.Role.RESULT),
        )
        .order_by(*SORTS.get(sort, SORTS["-started"]))
    )
    if kind:
        jobs = jobs.filter(kind=kind)
    if status in (Job.Status.RUNNING, STOPPED):
        running = Job.objects.filter(user=user, status=Job.Status.RUNNING)
        ids = [
            pk
            for pk, started_at in running.values_list("pk", "started_at")
            if progress.is_stale(pk, started_at) == (status == STOPPED)
        ]
        return jobs.filter(pk__in=ids)
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    return jobs


def job_label(job: Job) -> str:
    """What the user calls the job's kind (企业导入 …), or its own label when the kind is no
    longer registered."""
    kind = kinds.get(job.kind)
    return str(kind.label) if kind is not None else job.label


# Which count a running job's step advances.
PHASE_COUNTS = {
    "reading": "rows_read",
    "checking": "rows_checked",
    "writing": "rows_written",
    "exporting": "rows_written",
}


def job_state(job: Job) -> dict[str, Any]:
    """The job's counts as the page shows them: the running job's stored progress over its
    row's, the phase in words, its status (`stopped` for a running job whose worker has gone
    quiet) and whether the page should keep asking."""
    state: dict[str, Any] = {name: getattr(job, name) for name in progress.FIELDS}
    state["phase"] = ""
    state["status"] = job.status
    phase = ""
    if job.status == Job.Status.RUNNING:
        live = progress.read(job.pk)
        if live:
            state.update({k: v for k, v in live.items() if k in progress.FIELDS})
            phase = str(live.get("phase") or "")
            state["phase"] = progress.phase_label(phase)
        if progress.is_stale(job.pk, job.started_at):
            state["status"] = STOPPED
    state["status_label"] = dict(job_statuses())[state["status"]]
    state["active"] = state["status"] in (Job.Status.QUEUED, Job.Status.RUNNING)
    state["can_rerun"] = state["status"] in (Job.Status.FAILED, STOPPED)
    # The bar is the current step's: all rows checked is not the import half-way through its
    # write. A finished job's is its furthest count.
    total = state.get("rows_total")
    counted = PHASE_COUNTS.get(phase)
    done = (
        state.get(counted)
        if counted
        else state.get("rows_written") or state.get("rows_checked") or state.get("rows_read")
    ) or 0
    state["percent"] = min(100, int(100 * done / total)) if total else None
    return state


def job_rows(jobs: Any) -> list[tuple[Job, str, dict[str, Any]]]:
    """Each job of a page with its kind's label and its state."""
    return [(job, job_label(job), job_state(job)) for job in jobs]


def job_input(job: Job) -> bytes:
    """The job's input file (the upload it imports), as bytes; a DomainError when it is gone."""
    content = (
        JobFile.objects.filter(job=job, role=JobFile.Role.INPUT)
        .values_list("content", flat=True)
        .first()
    )
    if content is None:
        raise DomainError(gettext("The uploaded file of this job is gone: upload it again."))
    return bytes(content)


def job_data(job: Job, kind: str) -> Any:
    """What a finished job of `kind` kept for its pages (`Outcome.data`, JSON), or None."""
    if job.kind != kind or job.status != Job.Status.DONE:
        return None
    content = (
        JobFile.objects.filter(job=job, role=JobFile.Role.DATA)
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else json.loads(bytes(content))
