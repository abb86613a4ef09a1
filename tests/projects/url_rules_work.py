"""Who may open each page of approvals, blockers and service records (see
tests/test_permission_matrix.py). Department users read every approval and blocker of their
zone but change only their own department's; officers and administrators change all of them;
leaders read; enterprise users and other zones' staff see none of it."""

from tests.test_permission_matrix import Rule


def answers(**expected: int) -> dict[str, int]:
    return {"anonymous": 302, **expected}


STAFF_READ = answers(
    admin=200, leader=200, officer=200, department=200, enterprise=403, outsider=200
)
RECORD_READ = answers(
    admin=200, leader=200, officer=200, department=200, enterprise=404, outsider=404
)
PROJECT_WRITE = answers(
    admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
)


def _project(ctx):
    return {"project_pk": ctx["db_objects"]["project"].pk}


RULES = {
    "approvals:list": Rule(expect=STAFF_READ),
    "approvals:templates": Rule(expect=STAFF_READ),
    "approvals:apply": Rule(kwargs=_project, expect=PROJECT_WRITE),
    "approvals:add": Rule(kwargs=_project, expect=PROJECT_WRITE),
    # Read by every staff member of the zone; the form only for those who may change it.
    "approvals:edit": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["approval"].pk}, expect=RECORD_READ
    ),
    # Settling owed 容缺 documents: those who may change the approval get its page back (this
    # one owes nothing, so the page says so); the rest are refused.
    "approvals:documents": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["approval"].pk},
        data=lambda ctx: {"action": "receive", "version": ctx["db_objects"]["approval"].version},
        expect=answers(
            admin=200, leader=403, officer=200, department=200, enterprise=404, outsider=404
        ),
    ),
    "blockers:list": Rule(expect=STAFF_READ),
    "blockers:create": Rule(kwargs=_project, expect=PROJECT_WRITE),
    "blockers:detail": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["blocker"].pk}, expect=RECORD_READ
    ),
    "blockers:status": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["blocker"].pk},
        data=lambda ctx: {"status": "in_progress", "version": ctx["db_objects"]["blocker"].version},
        expect=answers(
            admin=302, leader=403, officer=302, department=302, enterprise=404, outsider=404
        ),
    ),
    "blockers:reassign": Rule(
        method="post",
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["blocker"].pk},
        data=lambda ctx: {
            "reassign-department": ctx["db_objects"]["other_department"].pk,
            "reassign-due_on": "2023-06-01",
            "reassign-version": ctx["db_objects"]["blocker"].version,
        },
        expect=answers(
            admin=302, leader=403, officer=302, department=403, enterprise=404, outsider=404
        ),
    ),
    "service_records:create": Rule(kwargs=_project, expect=PROJECT_WRITE),
    "service_records:detail": Rule(
        kwargs=lambda ctx: {
            "project_pk": ctx["db_objects"]["project"].pk,
            "pk": ctx["db_objects"]["service_record"].pk,
        },
        expect=RECORD_READ,
    ),
}
