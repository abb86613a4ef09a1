"""The stages of a project and the two paths through them (DESIGN.md):

谋划 → 洽谈 → 签约 → 注册 → then for a space tenant 装修, for a land project 拿地 → 动工 → 竣工;
then 投产 → 达产. 终止 is possible from any stage.

"Reached stage X" means a stage change into X or into a stage after X on the project's path;
a stage that is not on a project's path (装修 for a land project) is never reached by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from gaoxin.projects.models import Project


class Stage(models.TextChoices):
    PLANNED = "planned", _("Planned (谋划)")
    NEGOTIATING = "negotiating", _("Negotiating (洽谈)")
    SIGNED = "signed", _("Signed (签约)")
    REGISTERED = "registered", _("Registered (注册)")
    FITTING_OUT = "fitting_out", _("Fitting out (装修)")
    LAND_ACQUIRED = "land_acquired", _("Land acquired (拿地)")
    CONSTRUCTION = "construction", _("Construction started (动工)")
    COMPLETED = "completed", _("Completed (竣工)")
    IN_PRODUCTION = "in_production", _("In production (投产)")
    FULL_CAPACITY = "full_capacity", _("At full capacity (达产)")
    TERMINATED = "terminated", _("Terminated (终止)")


class Carrier(models.TextChoices):
    SPACE = "space", _("Floor area in an industrial space")
    LAND = "land", _("Land parcel (地块)")


_COMMON_START = (Stage.PLANNED, Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED)
_COMMON_END = (Stage.IN_PRODUCTION, Stage.FULL_CAPACITY)

PATHS: dict[str, tuple[Stage, ...]] = {
    Carrier.SPACE: (*_COMMON_START, Stage.FITTING_OUT, *_COMMON_END),
    Carrier.LAND: (
        *_COMMON_START,
        Stage.LAND_ACQUIRED,
        Stage.CONSTRUCTION,
        Stage.COMPLETED,
        *_COMMON_END,
    ),
}

# Every stage but 终止 in board order: the space-only stage sits beside the land ones.
BOARD_ORDER: tuple[Stage, ...] = (
    *_COMMON_START,
    Stage.FITTING_OUT,
    Stage.LAND_ACQUIRED,
    Stage.CONSTRUCTION,
    Stage.COMPLETED,
    *_COMMON_END,
)

# A space tenant holds its floor area once it has signed (签约) and until it is terminated; a
# prospect still at 谋划 or 洽谈 takes none. The spaces' leased area counts these.
LEASING_STAGES: tuple[Stage, ...] = (
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.FITTING_OUT,
    Stage.IN_PRODUCTION,
    Stage.FULL_CAPACITY,
)


def short_label(stage: str) -> str:
    """The stage's Chinese name alone (签约), as the board's path switch writes a path."""
    label = str(Stage(stage).label)
    return label[label.rfind("(") + 1 : -1] if label.endswith(")") else label


def path_of(carrier: str) -> tuple[Stage, ...]:
    return PATHS[carrier]


def is_on_path(stage: str, carrier: str) -> bool:
    return stage in PATHS[carrier]


def position(stage: str, carrier: str) -> int:
    """The stage's index on the carrier's path (终止 and off-path stages: -1)."""
    try:
        return PATHS[carrier].index(stage)
    except ValueError:
        return -1


def next_stage(stage: str, carrier: str) -> Stage | None:
    path = PATHS[carrier]
    if stage not in path:
        return None
    index = path.index(stage)
    return path[index + 1] if index + 1 < len(path) else None


# "Reached X by a day" is kept on each project as the first day it reached X (a date per stage,
# None if never), so a figure as of any day is one filter on the project table instead of a
# search through the stage changes. The services refresh them with every change.
REACHED_FIELDS: dict[str, str] = {str(stage): f"reached_{stage}_on" for stage in BOARD_ORDER}


def reached_field(stage: str) -> str | None:
    return REACHED_FIELDS.get(str(stage))


def reached_dates(
    carrier: str, changes: Iterable[tuple[str, dt.date]]
) -> dict[str, dt.date | None]:
    """The first day a project with this carrier reached each stage, from its changes
    (to_stage, on): a change into S reaches S and every stage before S on the path."""
    path = PATHS[carrier]
    dates: dict[str, dt.date | None] = dict.fromkeys(REACHED_FIELDS.values())
    for to_stage, on in changes:
        if to_stage not in path:
            continue  # 终止, or a stage of the other path
        for stage in path[: path.index(to_stage) + 1]:
            name = REACHED_FIELDS[str(stage)]
            current = dates[name]
            if current is None or on < current:
                dates[name] = on
    return dates


# --- stage gating ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A field a project must carry to enter a stage, and the sentence that asks for it."""

    field: str
    message: str


def requirements(stage: str) -> list[Requirement]:
    """What a project must carry before it may enter `stage`."""
    if stage == Stage.SIGNED:
        return [
            Requirement("planned_investment", gettext("签约 needs the planned total investment.")),
            Requirement(
                "fixed_asset_investment", gettext("签约 needs the fixed-asset investment.")
            ),
        ]
    if stage == Stage.REGISTERED:
        return [
            Requirement(
                "uscc",
                gettext(
                    "注册 needs the unified social credit code of the company registered here."
                ),
            )
        ]
    if stage == Stage.FITTING_OUT:
        return [
            Requirement(
                "space", gettext("装修 needs the industrial space the project moves into.")
            ),
            Requirement("floor_area", gettext("装修 needs the floor area it occupies.")),
        ]
    if stage == Stage.LAND_ACQUIRED:
        return [
            Requirement("land_parcel_code", gettext("拿地 needs the land parcel code.")),
            Requirement("land_area", gettext("拿地 needs the land area.")),
            Requirement(
                "land_contract_on", gettext("拿地 needs the date the land contract was signed.")
            ),
        ]
    return []


def _has(project: Project, field: str) -> bool:
    if field == "uscc":
        return project.enterprise_id is not None
    value = getattr(project, f"{field}_id" if field == "space" else field)
    return value not in (None, "")


def missing_evidence(project: Project, stage: str) -> list[Requirement]:
    """The requirements of `stage`, and of every stage passed over to reach it, that the
    project does not meet yet."""
    path = path_of(project.carrier)
    if stage not in path:
        return []
    start = position(project.stage, project.carrier) + 1
    end = path.index(stage)
    passed = path[max(start, 0) : end + 1] if start <= end else [stage]
    return [r for s in passed for r in requirements(s) if not _has(project, r.field)]


def missing_from_start(project: Project, stage: str) -> list[Requirement]:
    """The requirements of `stage` and of every stage before it on the path that a project
    starting there does not meet."""
    path = path_of(project.carrier)
    return [
        r
        for s in path[: path.index(stage) + 1]
        for r in requirements(s)
        if not _has(project, r.field)
    ]


def evidence_fields(project: Project, stage: str) -> list[str]:
    """The fields a change into `stage` asks for, in their order along the path: the
    requirements of `stage` and of every stage passed over to reach it. Moving back, to a stage
    off the path or to 终止 asks for none."""
    path = path_of(project.carrier)
    if stage not in path:
        return []
    start = position(project.stage, project.carrier) + 1
    end = path.index(stage)
    if start > end:
        return []
    names: list[str] = []
    for passed in path[start : end + 1]:
        names.extend(r.field for r in requirements(passed) if r.field not in names)
    return names


def stage_choices(project: Project) -> list[tuple[str, str]]:
    """The stages a project can be moved to: its path, then 终止; the next one first."""
    following = next_stage(project.stage, project.carrier)
    path = [s for s in path_of(project.carrier) if s != project.stage]
    if following is not None:
        path.remove(following)
        path.insert(0, following)
    choices = [(str(s), str(s.label)) for s in path]
    if project.stage != Stage.TERMINATED:
        choices.append((str(Stage.TERMINATED), str(Stage.TERMINATED.label)))
    return choices
