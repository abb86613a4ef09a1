"""The enterprise import as a background job (我的任务): the confirmed upload is the job's input
file; the job reads and checks it again from those bytes (the registry may have changed since
the preview), then writes every row in one transaction through `import_enterprises`, or
nothing. The page polls its progress: rows read, checked, written.

A sheet of more than GAOXIN_IMPORT_JOB_ROWS rows is checked for its preview by a job too
("enterprise_import_check"), which writes nothing: it keeps the preview (JSON) as its result
file, and its page links to the preview, from which the import is confirmed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.accounts.models import Zone
from gaoxin.core.access import WRITERS, role_of, user_zone_ids
from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import problems_in_short
from gaoxin.core.uploads import upload_digest
from gaoxin.enterprises.import_preview import preview_context
from gaoxin.enterprises.imports import ImportResult, import_enterprises, read_enterprise_sheet
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.models import Job
from gaoxin.jobs.selectors import job_data, job_input
from gaoxin.jobs.services import job_submit

if TYPE_CHECKING:
    from gaoxin.accounts.models import User
    from gaoxin.jobs.progress import Progress

KIND = "enterprise_import"
CHECK_KIND = "enterprise_import_check"
PREVIEW_NAME = "preview.json"


def enterprise_import_submit(*, user: User, zone: Zone, content: bytes, file_name: str) -> Job:
    """Queue the import of a checked file into `zone`; the same file confirmed again into the
    same zone, while its job has not failed, is that job."""
    return job_submit(
        user=user,
        zone=zone,
        kind=KIND,
        label=_("Enterprise import: %(file)s") % {"file": file_name},
        params={
            "zone_id": zone.pk,
            "file_name": file_name,
            "language": translation.get_language() or "",
        },
        input_file=(file_name, content),
        same_as=upload_digest(content, zone=zone.pk),
    )


def import_zone(job: Job) -> Zone:
    """The zone the job imports into, while its user may still import there."""
    user = job.user
    zone = Zone.objects.filter(pk=job.params.get("zone_id")).first()
    if zone is None or role_of(user) not in WRITERS or zone.pk not in user_zone_ids(user):
        raise DomainError(_("You may no longer import into this zone; nothing was imported."))
    return zone


def run_enterprise_import(job: Job, progress: Progress) -> Outcome:
    with translation.override(job.params.get("language") or None):
        return _run(job, progress)


def _read(zone: Zone, content: bytes, progress: Progress) -> ImportResult:
    progress.update(phase="checking")  # read and checked advance together
    read = 0

    def row_read(count: int) -> None:
        nonlocal read
        read += count
        progress.update(read=read, checked=read)

    result = read_enterprise_sheet(zone, content, progress=row_read)
    rows = len(result.rows)
    progress.update(read=rows, checked=rows, total=rows)
    return result


def _run(job: Job, progress: Progress) -> Outcome:
    zone = import_zone(job)
    result = _read(zone, job_input(job), progress)
    if not result.ok:
        raise DomainError(
            _("Nothing was imported: checked again, the file has %(n)d problems: %(problems)s")
            % {"n": len(result.errors), "problems": problems_in_short(result.errors)}
        )
    progress.update(phase="writing")
    created = import_enterprises(
        zone=zone,
        rows=result.rows,
        by=job.user,
        written=lambda count: progress.update(written=count),
    )
    progress.update(written=len(created))
    try:
        url = reverse("enterprises:list")
    except NoReverseMatch:
        url = "/"
    return Outcome(
        message=_("%(n)d enterprises were imported into %(zone)s.")
        % {"n": len(created), "zone": zone},
        url=url,
    )


ENTERPRISE_IMPORT = JobKind(KIND, gettext_lazy("Enterprise import"), run_enterprise_import)


# --- checking a large sheet for its preview --------------------------------------------------


def enterprise_check_submit(*, user: User, zone: Zone, content: bytes, file_name: str) -> Job:
    """Queue the check of a large sheet (nothing is written). Each upload is checked afresh
    (the registry may have changed since an earlier check of the same file): a check writes
    nothing, so it needs no `same_as`; the import it leads to has one."""
    return job_submit(
        user=user,
        zone=zone,
        kind=CHECK_KIND,
        label=_("Enterprise import, checking: %(file)s") % {"file": file_name},
        params={
            "zone_id": zone.pk,
            "file_name": file_name,
            "language": translation.get_language() or "",
        },
        input_file=(file_name, content),
    )


def run_enterprise_check(job: Job, progress: Progress) -> Outcome:
    with translation.override(job.params.get("language") or None):
        zone = import_zone(job)
        result = _read(zone, job_input(job), progress)
        counts = result.counts
        preview = json.dumps(preview_context(result), ensure_ascii=False)
        if not result.ok:
            message = _(
                "%(rows)s rows: %(good)s fine, %(bad)s with problems. Nothing can be imported "
                "until the problems are fixed."
            )
        else:
            message = _(
                "%(rows)s rows: %(good)s fine, %(bad)s with problems. Nothing is written yet: "
                "open the preview to confirm the import."
            )
        message %= counts
        return Outcome(
            message=message,
            url=reverse("enterprise_import:checked", args=[job.pk]),
            data=(PREVIEW_NAME, preview.encode()),
        )


def checked_preview(job: Job) -> dict[str, Any] | None:
    """A finished check's preview (the template's context), or None."""
    preview: dict[str, Any] | None = job_data(job, CHECK_KIND)
    return preview


ENTERPRISE_CHECK = JobKind(
    CHECK_KIND, gettext_lazy("Enterprise import, checking"), run_enterprise_check
)
