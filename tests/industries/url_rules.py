"""Who may open the industry-system and alliance pages (merged by tests/test_permission_matrix.py).

Enterprise users never see the industry system (403); a record of another zone answers 404 to
the outsider; pages that change the system are for administrators, strength judgements and
alliances also for officers."""

from __future__ import annotations

from typing import Any

from tests.test_permission_matrix import LOGIN, Rule, everyone

STAFF_READ = everyone(200, enterprise=403)
# Pages about one record of the standing zone that only administrators change.
ADMIN_RECORD = {
    "anonymous": LOGIN,
    "admin": 200,
    "leader": 403,
    "officer": 403,
    "department": 403,
    "enterprise": 403,
    "outsider": 404,
}
ADMIN_PAGE = everyone(403, admin=200)
# Pages about one record that officers change too.
WRITER_RECORD = {**ADMIN_RECORD, "officer": 200}
WRITER_PAGE = everyone(403, admin=200, officer=200, outsider=200)
STAFF_RECORD = {**everyone(200, enterprise=403), "outsider": 404}


def _alliance(ctx: dict[str, Any]) -> Any:
    from tests.industries.factories import AllianceFactory

    return AllianceFactory(zone=ctx["zone"], name="新型储能产业联盟")


def _membership(ctx: dict[str, Any]) -> Any:
    from tests.industries.factories import MembershipFactory

    return MembershipFactory(alliance=_alliance(ctx), enterprise=ctx["db_objects"]["enterprise"])


RULES: dict[str, Rule] = {
    "industries:overview": Rule(expect=STAFF_READ),
    "industries:map": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["industry"].pk}, expect=STAFF_RECORD
    ),
    "industries:industry_create": Rule(expect=ADMIN_PAGE),
    "industries:industry_edit": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["industry"].pk}, expect=ADMIN_RECORD
    ),
    "industries:group_create": Rule(expect=ADMIN_PAGE),
    "industries:group_edit": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["industry"].group_id}, expect=ADMIN_RECORD
    ),
    "industries:segment_create": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["industry"].pk}, expect=ADMIN_RECORD
    ),
    "industries:segment_edit": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["segment"].pk}, expect=ADMIN_RECORD
    ),
    "industries:segment_strength": Rule(
        kwargs=lambda ctx: {"pk": ctx["db_objects"]["segment"].pk}, expect=WRITER_RECORD
    ),
    "alliances:list": Rule(expect=STAFF_READ),
    "alliances:create": Rule(expect=WRITER_PAGE),
    "alliances:detail": Rule(kwargs=lambda ctx: {"pk": _alliance(ctx).pk}, expect=STAFF_RECORD),
    "alliances:edit": Rule(kwargs=lambda ctx: {"pk": _alliance(ctx).pk}, expect=WRITER_RECORD),
    "alliances:member_add": Rule(
        kwargs=lambda ctx: {"pk": _alliance(ctx).pk}, expect=WRITER_RECORD
    ),
    "alliances:member_end": Rule(
        kwargs=lambda ctx: {"pk": _membership(ctx).pk}, expect=WRITER_RECORD
    ),
}
