"""The statistics sheet's import as a background job (我的任务): the confirmed upload is the
job's input file, the period, the source and whether the bureau's revisions are accepted its
parameters. The job reads and checks the sheet again from those bytes (the record may have
changed since the preview), then writes every row in one transaction through
`import_statistics`, or nothing; its page polls the progress (rows read, checked, written).

A sheet of more than GAOXIN_IMPORT_JOB_ROWS rows is checked for its preview by a job too
("statistics_import_check"), which writes nothing: it keeps the preview (JSON) as its result
file, and its page links to the preview, from which the import is confirmed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaoxin.core.errors import DomainError
from gaoxin.core.excel_read import problems_in_short
from gaoxin.core.uploads import upload_digest
from gaoxin.economy.imports import StatisticsSheet, import_statistics, read_statistics_sheet
from gaoxin.economy.models import Source
from gaoxin.economy.periods import Period
from gaoxin.enterprises.import_jobs import import_zone
from gaoxin.jobs.kinds import JobKind, Outcome
from gaoxin.jobs.models import Job
from gaoxin.jobs.selectors import job_data, job_input
from gaoxin.jobs.services import job_submit

if TYPE_CHECKING:
    from gaoxin.accounts.models import User, Zone
    from gaoxin.jobs.progress import Progress

KIND = "statistics_import"
CHECK_KIND = "statistics_import_check"
PREVIEW_NAME = "preview.json"
SAMPLE_ROWS = 20  # good rows shown in the preview; every problem is listed


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


def _read(job: Job, progress: Progress) -> tuple[Zone, StatisticsSheet]:
    zone = import_zone(job)
    content = job_input(job)
    params = job.params
    progress.update(phase="checking")  # read and checked advance together
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
    return zone, sheet


def _run(job: Job, progress: Progress) -> Outcome:
    zone, sheet = _read(job, progress)
    params = job.params
    rows = len(sheet.rows)
    if not sheet.ok:
        raise DomainError(
            _("Nothing was imported: checked again, the file has %(n)d problems: %(problems)s")
            % {"n": len(sheet.errors), "problems": problems_in_short(sheet.errors)}
        )
    progress.update(phase="writing")
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


# --- the preview, and checking a large sheet for it -----------------------------------------


def preview_sample(sheet: StatisticsSheet) -> list[dict[str, Any]]:
    """The rows with problems (all of them) and the first good rows."""
    table, good = [], 0
    for row in sheet.rows:
        if not row.problems:
            good += 1
            if good > SAMPLE_ROWS:
                continue
        bad = {p.column for p in row.problems}
        table.append(
            {
                "row": row.row,
                "cells": [
                    {"text": text, "bad": header in bad}
                    for text, header in zip(row.cells, sheet.headers, strict=False)
                ],
                "problems": [{"column": p.column, "message": p.message} for p in row.problems],
            }
        )
    return table


def preview_context(sheet: StatisticsSheet) -> dict[str, Any]:
    """The preview template's `sheet`, `sample` and `source_label` as plain data: a checking
    job keeps them (JSON) for its page."""
    return {
        "sheet": {
            "ok": sheet.ok,
            "period": {"label": sheet.period.label},
            "header_row": sheet.header_row,
            "counts": sheet.counts,
            "indicators": [{"name": indicator.name} for indicator in sheet.indicators],
            "units": [
                {"header": unit.header, "unit": unit.unit, "explanation": unit.explanation}
                for unit in sheet.units
            ],
            "ignored_headers": sheet.ignored_headers,
            "notices": [str(notice) for notice in sheet.notices[:500]],
            "revisions": [revision.row for revision in sheet.revisions],
            "errors": [str(problem) for problem in sheet.errors[:500]],
            "headers": sheet.headers,
        },
        "error_count": len(sheet.errors),
        "sample": preview_sample(sheet),
        "source_label": str(Source(sheet.source).label),
    }


def statistics_check_submit(
    *, user: User, zone: Zone, content: bytes, file_name: str, period: str, source: str
) -> Job:
    """Queue the check of a large sheet (nothing is written). Each upload is checked afresh
    (the record may have changed since an earlier check of the same file): a check writes
    nothing, so it needs no `same_as`; the import it leads to has one."""
    return job_submit(
        user=user,
        zone=zone,
        kind=CHECK_KIND,
        label=_("Statistics import, checking: %(file)s (%(period)s)")
        % {"file": file_name, "period": Period.parse(period).label},
        params={
            "zone_id": zone.pk,
            "file_name": file_name,
            "period": period,
            "source": source,
            "language": translation.get_language() or "",
        },
        input_file=(file_name, content),
    )


def run_statistics_check(job: Job, progress: Progress) -> Outcome:
    with translation.override(job.params.get("language") or None):
        _zone, sheet = _read(job, progress)
        counts = sheet.counts
        if not sheet.ok:
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
        preview = json.dumps(preview_context(sheet), ensure_ascii=False)
        return Outcome(
            message=message,
            url=reverse("economy:import_checked", args=[job.pk]),
            data=(PREVIEW_NAME, preview.encode()),
        )


def checked_preview(job: Job) -> dict[str, Any] | None:
    """A finished check's preview (the template's context), or None."""
    preview: dict[str, Any] | None = job_data(job, CHECK_KIND)
    return preview


STATISTICS_CHECK = JobKind(
    CHECK_KIND, gettext_lazy("Statistics import, checking"), run_statistics_check
)
