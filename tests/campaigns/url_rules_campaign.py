"""Who may open each page of application campaigns and award batches (see
tests/test_permission_matrix.py). Every role of the zone reads campaigns and applications (an
enterprise user only their own applications and the campaigns of their zone); officers and
administrators change them, and an enterprise user prepares and submits their own. Award
batches are the staff's; an enterprise user's /awards/ lists their own awards."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


# The administrator holds every zone, so is first asked to pick one (302).
CREATE = answers(admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200)
EVERYONE = answers(admin=200, leader=200, officer=200, department=200, enterprise=200, outsider=200)
WRITE_ONE = answers(
    admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
)


def campaign(ctx):
    return {"pk": ctx["db_objects"]["campaign"].pk}


def batch(ctx):
    return {"pk": ctx["db_objects"]["award_batch"].pk}


RULES = {
    "campaigns:list": Rule(expect=EVERYONE),
    "campaigns:create": Rule(expect=CREATE),
    "campaigns:detail": Rule(
        kwargs=campaign,
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=200, outsider=404
        ),
    ),
    "campaigns:edit": Rule(kwargs=campaign, expect=WRITE_ONE),
    # The standing enterprise user already has an application there: sent to it (302).
    "campaigns:apply": Rule(
        kwargs=campaign,
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=302, outsider=404
        ),
    ),
    # Another enterprise's application: the enterprise user must not even see it.
    "campaigns:application": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["other_application"].pk},
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    # An empty move re-renders the application page with the form's errors (200).
    "campaigns:application_change": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["other_application"].pk},
        expect=WRITE_ONE,
    ),
    "awards:list": Rule(expect=EVERYONE),
    "awards:create": Rule(expect=CREATE),
    "awards:detail": Rule(
        kwargs=batch,
        expect=answers(
            admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "awards:edit": Rule(kwargs=batch, expect=WRITE_ONE),
    "awards:announce": Rule(kwargs=batch, expect=WRITE_ONE),
    "awards:award_add": Rule(kwargs=batch, expect=WRITE_ONE),
    "awards:award_change": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["other_award"].pk}, expect=WRITE_ONE
    ),
    "awards:award_correct": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["other_award"].pk}, expect=WRITE_ONE
    ),
    "awards:award_withdraw": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["other_award"].pk}, expect=WRITE_ONE
    ),
}
