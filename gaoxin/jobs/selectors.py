"""Reads of jobs: a user sees only their own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from gaoxin.jobs import progress
from gaoxin.jobs.models import Job

if TYPE_CHECKING:
    from gaoxin.accounts.models import User


def job_list_for_user(user: User) -> QuerySet[Job]:
    return Job.objects.filter(user=user).select_related("zone")


def job_get_for_user(user: User, pk: int) -> Job:
    job = job_list_for_user(user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def job_state(job: Job) -> dict[str, Any]:
    """The job's counts as the page shows them: the running job's stored progress over its
    row's, with the phase and whether its worker has stopped."""
    state: dict[str, Any] = {name: getattr(job, name) for name in progress.FIELDS}
    state["phase"] = ""
    state["stopped"] = False
    if job.status == Job.Status.RUNNING:
        live = progress.read(job.pk)
        if live:
            state.update({k: v for k, v in live.items() if k in (*progress.FIELDS, "phase")})
        state["stopped"] = progress.is_stale(job.pk)
    total = state.get("rows_total")
    done = state.get("rows_written") or state.get("rows_checked") or state.get("rows_read") or 0
    state["percent"] = min(100, int(100 * done / total)) if total else None
    return state
