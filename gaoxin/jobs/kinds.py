"""The kinds of background job: each app registers its own in `ready()` (the enterprise import,
the statistics sheet, the attendance sheet, a large export), so this app, low among the
floors, runs them without importing any app above it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from gaoxin.jobs.models import Job
    from gaoxin.jobs.progress import Progress


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a sentence for the user, a page to go on to, a file to
    download (its name and bytes), and data its kind's pages read back."""

    message: str
    url: str = ""
    file: tuple[str, bytes] | None = None
    # Kept for the kind's own pages to read (a check's preview), never offered as a download.
    data: tuple[str, bytes] | None = None


@dataclass(frozen=True)
class JobKind:
    name: str  # Job.kind
    label: Promise | str  # what the user calls it: 企业导入, 导出
    # Runs the job: reads job.params and its input file, reports through `progress`, and
    # returns the outcome; a DomainError's message is the failure the user reads. Whatever it
    # writes it writes in one transaction, so that a worker killed half-way leaves nothing.
    run: Callable[[Job, Progress], Outcome]


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def all_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)
