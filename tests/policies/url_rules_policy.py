"""Who may open each page of policies and briefings (see tests/test_permission_matrix.py).
Every role of the zone reads policies and briefings, enterprise users included; officers and
administrators change them. A briefing's attendance list is the staff's bookkeeping."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


READ = answers(admin=200, leader=200, officer=200, department=200, enterprise=200, outsider=404)
WRITE = answers(admin=200, leader=403, officer=200, department=403, enterprise=403, outsider=404)
# The administrator has every zone, so is first asked to pick one (302); the outsider adds to
# their own zone.
EVERYONE = answers(admin=200, leader=200, officer=200, department=200, enterprise=200, outsider=200)
CREATE = answers(admin=302, leader=403, officer=200, department=403, enterprise=403, outsider=200)


def _policy(ctx) -> dict[str, int]:
    return {"pk": ctx["db_objects"]["policy"].pk}


def _policy_with_attachment(ctx) -> dict[str, int]:
    """The zone's policy with a small PDF attached (one stable file in the media folder)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = "policies/permission-matrix.pdf"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(b"%PDF-1.4 permission matrix\n%%EOF"))
    policy = ctx["db_objects"]["policy"]
    policy.attachment.name = name
    policy.attachment_name = "政策原文.pdf"
    policy.attachment_type = "application/pdf"
    policy.save()
    return {"pk": policy.pk}


def _event(ctx) -> dict[str, int]:
    return {"pk": ctx["db_objects"]["event"].pk}


def _attendance(ctx) -> dict[str, int]:
    from gaoxin.policies.models import EventAttendance

    attendance = EventAttendance.objects.create(
        event=ctx["db_objects"]["event"], enterprise=ctx["db_objects"]["enterprise"], people=2
    )
    return {"pk": attendance.pk}


RULES = {
    "policies:list": Rule(expect=EVERYONE),
    "policies:create": Rule(expect=CREATE),
    "policies:detail": Rule(kwargs=_policy, expect=READ),
    "policies:edit": Rule(kwargs=_policy, expect=WRITE),
    "policies:attachment": Rule(kwargs=_policy_with_attachment, expect=READ),
    "policies:events": Rule(expect=EVERYONE),
    "policies:event_create": Rule(expect=CREATE),
    "policies:event_detail": Rule(kwargs=_event, expect=READ),
    "policies:event_edit": Rule(kwargs=_event, expect=WRITE),
    # An empty pick goes back to the briefing with the error shown (302).
    "policies:attendance_add": Rule(
        method="post",
        kwargs=_event,
        expect=answers(
            admin=302, leader=403, officer=302, department=403, enterprise=403, outsider=404
        ),
    ),
    "policies:attendance_import": Rule(kwargs=_event, expect=WRITE),
    "policies:attendance_template": Rule(
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=403, outsider=200
        )
    ),
    # The confirmation page; enterprise users never see attendance rows (404).
    "policies:attendance_remove": Rule(
        kwargs=_attendance,
        expect=answers(
            admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
        ),
    ),
}
