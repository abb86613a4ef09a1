from tests.api.rules import ApiRule, answers
from tests.factories import make_uscc

# The registry's pages (tests/enterprises/url_rules.py) answer the same: officers (and the
# administrator) write; the leader and a department read; an enterprise user reads and keeps
# the contact details of its own enterprise only.
WRITE_ONE = answers(200, leader=403, department=403, enterprise=404, outsider=404)


def _enterprise(ctx):
    return {"enterprise_id": ctx["db_objects"]["enterprise"].pk}


def _away(ctx):
    return {"enterprise_id": ctx["db_objects"]["away_enterprise"].pk}


RULES = {
    "enterprise_list": ApiRule(expect=answers(200)),
    "enterprise_get": ApiRule(
        expect=answers(200, enterprise=404, outsider=404), path=_enterprise, away=_away
    ),
    "designation_list": ApiRule(
        expect=answers(200, enterprise=404, outsider=404), path=_enterprise, away=_away
    ),
    # No zone_id: the token's one zone, as the page's working zone. The administrator works in
    # every zone and is asked to name one (the page sends it to the zone switcher); the
    # outsider registers in its own zone.
    "enterprise_create": ApiRule(
        expect=answers(201, admin=400, leader=403, department=403, enterprise=403, outsider=201),
        body=lambda ctx: {"name": "珠海接口新增科技有限公司", "uscc": make_uscc(900_000_001)},
    ),
    "enterprise_update": ApiRule(
        expect=WRITE_ONE,
        path=_enterprise,
        away=_away,
        body=lambda ctx: {
            "version": ctx["db_objects"]["enterprise"].version,
            "short_name": "接口简称",
        },
    ),
    "enterprise_contact_update": ApiRule(
        expect=answers(200, leader=403, department=403, outsider=404),
        path=lambda ctx: {"enterprise_id": ctx["db_objects"]["own_enterprise"].pk},
        away=_away,
        body=lambda ctx: {
            "version": ctx["db_objects"]["own_enterprise"].version,
            "contact_person": "张联系",
        },
    ),
}
