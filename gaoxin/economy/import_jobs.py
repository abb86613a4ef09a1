"""The statistics sheet's import as a background job (我的任务): the confirmed upload is the
job's input file, the period, the source and whether the bureau's revisions are accepted its
parameters. The job reads and checks the sheet again from those bytes (the record may have
changed since the preview), then writes every row in one transaction through
`import_statistics`, or nothing; its page polls the progress (rows read, checked, written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import problems_in_short
from gaoxin.core.uploads import upload_digest
from gaoxin.economy.imports import import_statistics, read_statistics_sheet
from gaoxin.economy.periods import Period
from gaoxin.enterprises.import_jobs import import_zone, job_input
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.services import job_submit

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone
    from gaoxin.jobs.models import Job
    from gaoxin.jobs.progress import Progress

KIND = "statistics_import"


def statistics_import_submit(
    *,
    user: User,
    zone: Zone,
    content: bytes,
    file_name: str,
    period: str,
    source: str,
    accept_revisions: bool,
) -> Job:
    """Queue the import of a checked sheet; the same file with the same period, source and
    choice about revisions, confirmed again while its job has not failed, is that job."""
    return job_submit(
        user=user,
        zone=zone,
        kind=KIND,
        label=_("Statistics import: %(file)s (%(period)s)")
        % {"file": file_name, "period": Period.parse(period).label},
        params={
            "zone_id": zone.pk,
            "file_name": file_name,
            "period": period,
            "source": source,
            "accept_revisions": accept_revisions,
            "language": translation.get_language() or "",
        },
        input_file=(file_name, content),
        same_as=upload_digest(
            content,
            zone=zone.pk,
            period=period,
            source=source,
            accept_revisions=accept_revisions,
        ),
    )


def run_statistics_import(job: Job, progress: Progress) -> Outcome:
    with translation.override(job.params.get("language") or None):
        return _run(job, progress)


def _run(job: Job, progress: Progress) -> Outcome:
    zone = import_zone(job)
    content = job_input(job)
    params = job.params
    progress.update(phase=_("Reading and checking the sheet"))
    read = 0

    def row_read(count: int) -> None:
        nonlocal read
        read += count
        progress.update(read=read, checked=read)

    sheet = read_statistics_sheet(
        zone,
        content,
        Period.parse(params["period"]),
        source=params["source"],
        progress=row_read,
    )
    rows = len(sheet.rows)
    progress.update(read=rows, checked=rows, total=rows)
    if not sheet.ok:
        raise DomainError(
            _("Nothing was imported: checked again, the file has %(n)d problems: %(problems)s")
            % {"n": len(sheet.errors), "problems": problems_in_short(sheet.errors)}
        )
    progress.update(phase=_("Writing"))
    outcome = import_statistics(
        zone=zone,
        sheet=sheet,
        by=job.user,
        file_name=params.get("file_name", ""),
        accept_revisions=bool(params.get("accept_revisions")),
        written=lambda count: progress.update(written=count),
    )
    progress.update(written=rows)
    recorded = outcome.recorded
    return Outcome(
        message=_(
            "%(rows)d rows imported: %(created)d figures new, %(revised)d revised, "
            "%(unchanged)d unchanged."
        )
        % {
            "rows": rows,
            "created": recorded.created,
            "revised": recorded.revised,
            "unchanged": recorded.unchanged,
        },
        url=reverse("economy:import_batch", args=[outcome.batch.pk]),
    )


STATISTICS_IMPORT = JobKind(KIND, gettext_lazy("Statistics import"), run_statistics_import)
