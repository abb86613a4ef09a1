from tests.api.rules import ApiRule, answers

RULES = {
    "enterprise_list": ApiRule(expect=answers(200)),
    "enterprise_get": ApiRule(
        expect=answers(200, enterprise=404, outsider=404),
        path=lambda ctx: {"enterprise_id": ctx["db_objects"]["enterprise"].pk},
        away=lambda ctx: {"enterprise_id": ctx["db_objects"]["away_enterprise"].pk},
    ),
}
