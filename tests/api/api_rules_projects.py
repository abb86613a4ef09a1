"""Who may call each operation of the projects area: as the pages of projects, approvals,
blockers and service records answer (tests/projects/url_rules*.py), a page's 302 to the login
being the API's 401 and a page's form shown (200) its write done."""

import datetime as dt

from django.utils import timezone

from tests.api.rules import STAFF, ApiRule, answers

READ_ONE = answers(200, enterprise=404, outsider=404)
WRITE_ONE = answers(200, leader=403, department=403, enterprise=404, outsider=404)


def _objects(ctx):
    return ctx["db_objects"]


def _project(ctx):
    return {"project_id": _objects(ctx)["project"].pk}


def _away_project(ctx):
    return {"project_id": _objects(ctx)["away_project"].pk}


def _away_work(ctx):
    """An approval and a blocker of another zone's project (built once per test's copy)."""
    from gaoxin.projects.models import Approval, Blocker
    from tests.factories import DepartmentFactory

    objects = _objects(ctx)
    if "away_approval" not in objects:
        project = objects["away_project"]
        department = DepartmentFactory(zone=project.zone, name="外区自然资源局")
        objects["away_approval"] = Approval.objects.create(
            project=project, name="外区用地预审", department=department
        )
        objects["away_blocker"] = Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="外区堵点",
            department=department,
            raised_on=dt.date(2023, 4, 1),
            due_on=dt.date(2023, 5, 1),
        )
    return objects


def _move_back(ctx):
    # Both the zone's project and the other zone's are at 签约: back to 洽谈, with the reason.
    return {
        "to_stage": "negotiating",
        "on": timezone.localdate().isoformat(),
        "version": _objects(ctx)["project"].version,
        "note": "投资方重新谈判",
    }


RULES = {
    "project_list": ApiRule(expect=STAFF),
    "project_get": ApiRule(expect=READ_ONE, path=_project, away=_away_project),
    "project_stage_history": ApiRule(expect=READ_ONE, path=_project, away=_away_project),
    "project_advance": ApiRule(
        expect=WRITE_ONE, path=_project, body=_move_back, away=_away_project
    ),
    "approval_list": ApiRule(expect=STAFF),
    "approval_get": ApiRule(
        expect=READ_ONE,
        path=lambda ctx: {"approval_id": _objects(ctx)["approval"].pk},
        away=lambda ctx: {"approval_id": _away_work(ctx)["away_approval"].pk},
    ),
    # The standing department user's own department's approval: theirs to report on.
    "approval_update": ApiRule(
        expect=answers(200, leader=403, enterprise=404, outsider=404),
        path=lambda ctx: {"approval_id": _objects(ctx)["approval"].pk},
        body=lambda ctx: {"version": _objects(ctx)["approval"].version, "status": "in_progress"},
        away=lambda ctx: {"approval_id": _away_work(ctx)["away_approval"].pk},
    ),
    "blocker_list": ApiRule(expect=STAFF),
    "blocker_get": ApiRule(
        expect=READ_ONE,
        path=lambda ctx: {"blocker_id": _objects(ctx)["blocker"].pk},
        away=lambda ctx: {"blocker_id": _away_work(ctx)["away_blocker"].pk},
    ),
    "service_record_list": ApiRule(expect=READ_ONE, path=_project, away=_away_project),
    "service_record_create": ApiRule(
        expect=answers(201, leader=403, department=403, enterprise=404, outsider=404),
        path=_project,
        body=lambda ctx: {
            "kind": "site_visit",
            "held_on": "2023-04-02",
            "minutes": "实地查看施工现场",
        },
        away=_away_project,
        away_expect={"admin": 201, "outsider": 201},
    ),
}
