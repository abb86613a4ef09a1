"""Who may open each page of the enterprise registry (see tests/test_permission_matrix.py)."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


RULES = {
    "enterprises:list": Rule(
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=302, outsider=200
        )
    ),
    # The administrator has every zone, so is first asked to pick one (302).
    "enterprises:create": Rule(
        expect=answers(
            admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "enterprises:expiring": Rule(
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=403, outsider=200
        )
    ),
    "enterprises:detail": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["enterprise"].pk},
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "enterprises:edit": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["enterprise"].pk},
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
        ),
    ),
    "enterprises:contact": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["own_enterprise"].pk},
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=200, outsider=404
        ),
    ),
    "enterprises:designation_add": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["enterprise"].pk},
        expect=answers(
            admin=302, leader=403, officer=302, department=403, enterprise=404, outsider=404
        ),
    ),
    "enterprises:designation_revoke": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["designation"].pk},
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
        ),
    ),
}
