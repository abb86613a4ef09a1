"""A briefing's sign-in sheet recorded as attendance in a background job (我的任务): the upload,
checked in the request, is the job's input file and the briefing its parameter. The job reads
and checks the sheet again from those bytes (someone may have recorded an enterprise
meanwhile), then writes every row in one transaction through `services.attendance_import`,
or nothing; its page polls the progress (rows read, checked, written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import problems_in_short
from gaoxin.core.uploads import upload_digest
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.selectors import job_input
from gaoxin.jobs.services import job_submit
from gaoxin.policies import selectors, services
from gaoxin.policies.attendance_import import read_signin_sheet

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.jobs.models import Job
    from gaoxin.jobs.progress import Progress
    from gaoxin.policies.models import PolicyEvent

KIND = "attendance_import"


def attendance_import_submit(
    *, user: User, event: PolicyEvent, content: bytes, file_name: str
) -> Job:
    """Queue the recording of a checked sign-in sheet; the same file for the same briefing,
    sent again while its job has not failed, is that job."""
    return job_submit(
        user=user,
        zone=event.zone,
        kind=KIND,
        label=_("Sign-in sheet: %(file)s (%(event)s)") % {"file": file_name, "event": event.title},
        params={
            "event_id": event.pk,
            "file_name": file_name,
            "language": translation.get_language() or "",
        },
        input_file=(file_name, content),
        same_as=upload_digest(content, event=event.pk),
    )


def run_attendance_import(job: Job, progress: Progress) -> Outcome:
    with translation.override(job.params.get("language") or None):
        return _run(job, progress)


def _run(job: Job, progress: Progress) -> Outcome:
    try:
        event = selectors.event_get_for_user(job.user, job.params.get("event_id"), write=True)
    except (Http404, PermissionDenied):
        raise DomainError(
            _("You may no longer record this briefing's attendance; nothing was recorded.")
        ) from None
    content = job_input(job)
    progress.update(phase="reading")
    counts = {"read": 0, "checked": 0}

    def row_read(count: int) -> None:
        counts["read"] += count
        progress.update(read=counts["read"])

    def row_checked(count: int) -> None:
        counts["checked"] += count
        progress.update(checked=counts["checked"])

    sheet = read_signin_sheet(content, progress=row_read)
    rows = len(sheet.rows)
    progress.update(read=rows, total=rows, phase="writing")  # each row checked, then written
    if sheet.problems:
        raise DomainError(
            _("Nothing was recorded: %(problems)s")
            % {"problems": problems_in_short(sheet.problems)}
        )
    result = services.attendance_import(
        event=event,
        rows=sheet.rows,
        by=job.user,
        headers=sheet.headers,
        checked=row_checked,
        written=lambda count: progress.update(written=count),
    )
    progress.update(checked=rows)
    if not result.ok:
        raise DomainError(
            _("Nothing was recorded: checked again, the sheet has %(n)d problems: %(problems)s")
            % {"n": len(result.errors), "problems": problems_in_short(result.errors)}
        )
    progress.update(written=result.created)
    return Outcome(
        message=_("%(n)d enterprises were recorded as attending.") % {"n": result.created},
        url=f"{event.get_absolute_url()}#attendance",
    )


ATTENDANCE_IMPORT = JobKind(KIND, gettext_lazy("Sign-in sheet import"), run_attendance_import)
