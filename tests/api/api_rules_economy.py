"""Who may call the economy's operations: every role reads the catalogue and the figures the
pages show it (staff their zones' figures in effect, an enterprise user its own self-reported
ones, the outsider his own zone's); a feed of the bureau's figures is written by those who may
import a sheet (administrators and officers, tests/economy/url_rules_a.py) into their zones:
the outsider, an officer of the other zone, does not find this zone's enterprise."""

from tests.api.rules import ApiRule, answers


def _feed(ctx):
    return {
        "period": "2023-06",
        "source": "bureau",
        "rows": [
            {
                "enterprise_id": ctx["db_objects"]["enterprise"].pk,
                "indicator": "revenue",
                "value": "1250000.00",
            }
        ],
    }


RULES = {
    "indicator_list": ApiRule(expect=answers(200)),
    "figure_list": ApiRule(expect=answers(200), query=lambda ctx: {"period": "2023-06"}),
    "figure_post": ApiRule(
        expect=answers(200, leader=403, department=403, enterprise=403, outsider=404),
        body=_feed,
    ),
}
