"""Who may open the dated standing actions of an enterprise (迁出/注销, 迁回, 入统, 退库): the
officers of its zone (and the administrator); leaders and departments read, never change;
an enterprise user and the outsider do not even see the enterprise."""

from tests.enterprises.url_rules import answers
from tests.test_permission_matrix import Rule

WRITERS_ONLY = answers(
    admin=200, leader=403, officer=200, department=403, enterprise=404, outsider=404
)


def _enterprise(ctx):
    return {"pk": ctx["db_objects"]["enterprise"].pk}


RULES = {
    "enterprises:exit": Rule(kwargs=_enterprise, expect=WRITERS_ONLY),
    "enterprises:return": Rule(kwargs=_enterprise, expect=WRITERS_ONLY),
    "enterprises:scale_enter": Rule(kwargs=_enterprise, expect=WRITERS_ONLY),
    "enterprises:scale_leave": Rule(kwargs=_enterprise, expect=WRITERS_ONLY),
}

# 我的企业: the enterprise user is sent to their own enterprise's page; no one else has one.
RULES["enterprises:mine"] = Rule(
    expect=answers(admin=403, leader=403, officer=403, department=403, enterprise=302, outsider=403)
)
