"""Who may open the self-reporting and project dispatch pages (see
tests/test_permission_matrix.py). The status lists are the staff's who chase reports (officers,
leaders, administrators); an enterprise user reads and fills its own enterprise's months and
reports its own projects, never another's; officers and administrators fill in for an
enterprise or a project of their zone; the zone's settings are the administrator's."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


def other_enterprise(ctx):
    """An enterprise of the zone that is not the standing enterprise user's."""
    return {"pk": ctx["db_objects"]["enterprise"].pk}


RULES = {
    "economy:report_list": Rule(
        query="?period=2023-06",
        expect=answers(
            admin=200, leader=200, officer=200, department=403, enterprise=403, outsider=200
        ),
    ),
    # The staff are sent to the status list, an enterprise user to its own months.
    "economy:report_mine": Rule(
        expect=answers(
            admin=302, leader=302, officer=302, department=302, enterprise=302, outsider=302
        ),
    ),
    # The administrator holds every zone, so is first asked to pick one (302).
    "economy:settings": Rule(
        expect=answers(
            admin=302, leader=403, officer=403, department=403, enterprise=403, outsider=403
        ),
    ),
    "economy:report_enterprise": Rule(
        kwargs=other_enterprise,
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "economy:report_fill": Rule(
        kwargs=lambda ctx: {**other_enterprise(ctx), "period": "2023-06"},
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
        ),
    ),
    # An enterprise user's list holds its own projects only (none here).
    "economy:dispatch_list": Rule(
        query="?period=2023-06",
        expect=answers(
            admin=200, leader=200, officer=200, department=403, enterprise=200, outsider=200
        ),
    ),
    "economy:dispatch_fill": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["project"].pk, "period": "2023-06"},
        expect=answers(
            admin=200, leader=403, officer=200, department=404, enterprise=404, outsider=404
        ),
    ),
}
