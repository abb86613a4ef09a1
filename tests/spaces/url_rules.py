"""Who may open each industrial space page (see tests/test_permission_matrix.py)."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


def space(ctx):
    return {"pk": ctx["db_objects"]["space"].pk}


RULES = {
    "spaces:list": Rule(
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=403, outsider=200
        )
    ),
    # The administrator has every zone, so is first asked to pick one (302).
    "spaces:create": Rule(
        expect=answers(
            admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "spaces:detail": Rule(
        kwargs=space,
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "spaces:edit": Rule(
        kwargs=space,
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
        ),
    ),
    "spaces:status": Rule(
        method="post",
        kwargs=space,
        data=lambda ctx: {"status": "built", "on": "2024-01-01"},
        expect=answers(
            admin=302, leader=403, officer=302, department=403, enterprise=404, outsider=404
        ),
    ),
}
