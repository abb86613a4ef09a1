"""The enterprise page (一企一档) with the cultivation panels on real radars: its queries are
bounded (the radars' month, the standings, the 规上 rules and the enterprise's own rows are read
once for the page's panels, not once per panel and radar), its lines are the radars' own, and
nothing read for one page is kept for the next read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gaoxin.cultivation import efficiency, scale
from gaoxin.cultivation.standings import radar_period
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.selectors import panel_once
from gaoxin.industries.models import NationalIndustry
from tests.cultivation.test_efficiency import CUTS, TEN_MU, YEAR, land
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db

# Session, user and zones; the enterprise, its designations (two), exits, 规上 spells; the
# renewal panel's designations; the land panel (records, the radars' month (two), the
# standings built, two years' cut-offs, its row); the follow-ups, the standings of the radars'
# month, the 规上 rules (two), the enterprise's 规上 row, two designation rules and rows; the
# layout's zones and notices; industries, segments, alliances, projects, applications,
# awards and the change history. 55 before the panels shared what they read.
DETAIL_QUERIES = 36


def record(zone, enterprise, amounts: dict[str, Decimal]) -> None:
    """A year's figures of YEAR, reported as December's."""
    ids = dict(Indicator.objects.filter(code__in=amounts).values_list("code", "pk"))
    figures_record(
        zone=zone,
        values=[
            FigureInput(enterprise.pk, ids[code], Period.of(YEAR, 12), amount)
            for code, amount in amounts.items()
        ],
        source=Source.BUREAU,
        by=None,
    )


@pytest.fixture
def near_line(zone, users):
    """An industrial enterprise with land, 1,700万 revenue in YEAR (the 规上 line is 2,000万)
    and the zone's cut-offs: on 小升规 and on 亩均效益."""
    from gaoxin.cultivation.models import EfficiencyCutoffs

    EfficiencyCutoffs.objects.create(zone=zone, year=YEAR, **CUTS)
    enterprise = EnterpriseFactory(
        zone=zone,
        national_industry=NationalIndustry.objects.get(code="39"),
        settled_on=dt.date(2005, 1, 1),
    )
    land(enterprise, users["officer"], TEN_MU, dt.date(2020, 1, 1))
    record(zone, enterprise, {"revenue": Decimal(17_000_000), "tax": Decimal(900_000)})
    return enterprise


def test_the_page_reads_what_its_panels_share_once(
    client_as, near_line, django_assert_max_num_queries
) -> None:
    client = client_as("officer")
    client.get(near_line.get_absolute_url())  # builds the standings once
    today = timezone.localdate()
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(near_line.get_absolute_url())
    page = response.content.decode()
    # The lines are the radars' own, each where it was shown before.
    scale_line = scale.scale_line(near_line, today)
    efficiency_line = efficiency.line(near_line, today)
    assert scale_line is not None and scale_line.startswith("距规上线还差")
    assert efficiency_line is not None and "亩均效益" in efficiency_line
    assert scale_line in page
    assert page.count(efficiency_line) == 2  # the land panel and the cultivation panel


def test_a_second_enterprise_page_costs_the_same(
    client_as, near_line, zone, users, django_assert_max_num_queries
) -> None:
    """The count does not grow with the enterprises on the radars."""
    for _ in range(5):
        other = EnterpriseFactory(zone=zone, national_industry=near_line.national_industry)
        land(other, users["officer"], TEN_MU, dt.date(2020, 1, 1))
        record(zone, other, {"revenue": Decimal(18_000_000), "tax": Decimal(800_000)})
    client = client_as("leader")
    client.get(other.get_absolute_url())
    with django_assert_max_num_queries(DETAIL_QUERIES):
        page = client.get(other.get_absolute_url()).content.decode()
    assert "距规上线还差" in page


def test_nothing_is_kept_outside_a_page(zone, near_line) -> None:
    """Outside an enterprise page's panels every call reads afresh: a figure recorded between
    two calls shows in the second."""
    today = timezone.localdate()
    before = scale.scale_line(near_line, today)
    record(zone, near_line, {"revenue": Decimal(16_000_000)})
    after = scale.scale_line(near_line, today)
    assert before != after and after is not None and after.startswith("距规上线还差")
    calls = []
    assert panel_once("k", lambda: calls.append(1)) is None
    assert panel_once("k", lambda: calls.append(1)) is None
    assert calls == [1, 1]
    assert radar_period([zone.pk], today) == Period.of(YEAR, 12)
