"""Rules of the read-only areas (industries, spaces, campaigns with awards), as the pages'
(tests/industries/url_rules.py, tests/spaces/url_rules.py, tests/campaigns/url_rules_campaign.py):
the industry system, the spaces and the award batches are the staff's (an enterprise user is
refused their lists, 403, and finds none of their records, 404 — the industry pages refuse it
even a record, 403); every role of the zone reads the campaigns."""

from tests.api.rules import STAFF, ApiRule, answers

# One record of the standing zone: the other zone's officer (outsider) does not find it.
STAFF_RECORD = answers(200, enterprise=404, outsider=404)
EVERYONE_RECORD = answers(200, outsider=404)
# The industry pages refuse an enterprise user before reading the record.
INDUSTRY_RECORD = answers(200, enterprise=403, outsider=404)
INDUSTRY_AWAY = {"admin": 200, "outsider": 200, "enterprise": 403}


def _industry(ctx):
    return {"industry_id": ctx["db_objects"]["industry"].pk}


def _away_industry(ctx):
    return {"industry_id": ctx["db_objects"]["away_industry"].pk}


def _away_batch(ctx):
    from tests.factories import AwardBatchFactory, AwardFactory

    batch = AwardBatchFactory(zone=ctx["other_zone"])
    AwardFactory(batch=batch)
    return {"batch_id": batch.pk}


def _batch(ctx):
    return {"batch_id": ctx["db_objects"]["award_batch"].pk}


def _campaign(ctx):
    return {"campaign_id": ctx["db_objects"]["campaign"].pk}


def _away_campaign(ctx):
    return {"campaign_id": ctx["db_objects"]["away_campaign"].pk}


RULES = {
    "industry_list": ApiRule(expect=STAFF),
    "industry_get": ApiRule(
        expect=INDUSTRY_RECORD, path=_industry, away=_away_industry, away_expect=INDUSTRY_AWAY
    ),
    "segment_list": ApiRule(
        expect=INDUSTRY_RECORD, path=_industry, away=_away_industry, away_expect=INDUSTRY_AWAY
    ),
    "space_list": ApiRule(expect=STAFF),
    "space_get": ApiRule(
        expect=STAFF_RECORD,
        path=lambda ctx: {"space_id": ctx["db_objects"]["space"].pk},
        away=lambda ctx: {"space_id": ctx["db_objects"]["away_space"].pk},
    ),
    "campaign_list": ApiRule(expect=answers(200)),
    "campaign_get": ApiRule(expect=EVERYONE_RECORD, path=_campaign, away=_away_campaign),
    "application_list": ApiRule(expect=EVERYONE_RECORD, path=_campaign, away=_away_campaign),
    "award_batch_list": ApiRule(expect=STAFF),
    "award_batch_get": ApiRule(expect=STAFF_RECORD, path=_batch, away=_away_batch),
    # The standing enterprise user's award there is only proposed, not yet announced: it finds
    # nothing of the batch (tests/api/test_read_areas.py reads its announced ones).
    "award_list": ApiRule(expect=STAFF_RECORD, path=_batch, away=_away_batch),
}
