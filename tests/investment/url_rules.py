"""Who may open each page of the investment leads (see tests/test_permission_matrix.py).
Staff of the zone read leads (department users too); officers and administrators change
them; enterprise users never see them."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


def _lead(ctx) -> dict[str, int]:
    return {"pk": ctx["db_objects"]["lead"].pk}


WRITE = answers(admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404)

RULES = {
    "leads:list": Rule(
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=403, outsider=200
        )
    ),
    # The administrator has every zone, so is first asked to pick one (302).
    "leads:create": Rule(
        expect=answers(
            admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    "leads:detail": Rule(
        kwargs=_lead,
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "leads:edit": Rule(kwargs=_lead, expect=WRITE),
    "leads:status": Rule(kwargs=_lead, expect=WRITE),
    # An empty contact is refused with a message on the lead's page (302 back to it).
    "leads:contact_add": Rule(
        method="post",
        kwargs=_lead,
        expect=answers(
            admin=302, leader=403, officer=302, department=403, enterprise=404, outsider=404
        ),
    ),
}
