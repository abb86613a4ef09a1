"""Who may open each project page (see tests/test_permission_matrix.py)."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


READ_ZONE = answers(
    admin=200, leader=200, officer=200, department=200, enterprise=403, outsider=200
)
READ_ONE = answers(admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404)
WRITE_ONE = answers(
    admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
)


def project(ctx):
    return {"pk": ctx["db_objects"]["project"].pk}


RULES = {
    "projects:list": Rule(expect=READ_ZONE),
    "projects:board": Rule(expect=READ_ZONE),
    # The administrator has every zone, so is first asked to pick one (302).
    "projects:create": Rule(
        expect=answers(
            admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "projects:from_lead": Rule(
        kwargs=lambda ctx: {"lead_pk": ctx["db_objects"]["lead"].pk}, expect=WRITE_ONE
    ),
    "projects:detail": Rule(kwargs=project, expect=READ_ONE),
    "projects:edit": Rule(kwargs=project, expect=WRITE_ONE),
    "projects:advance": Rule(kwargs=project, expect=WRITE_ONE),
}
