"""The seed's and the generator's registries carry what the economy's pages read: a GB/T 4754
division for every enterprise (by its industry), a liaison officer of its zone, a 规上 spell
for every 规上 enterprise from 1 January of its year, and an exit for any not operating — so
today's counts read from the dates equal today's flags."""

from __future__ import annotations

import datetime as dt

import pytest

from gaoxin.accounts.models import Zone
from gaoxin.core.metrics import MetricScope, Values, registry
from gaoxin.demo.generate import generate
from gaoxin.demo.registry_data import NATIONAL_CLASSES
from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.services import liaison_candidates

pytestmark = pytest.mark.django_db


def _check_standing(zone_ids: list[int]) -> None:
    enterprises = (
        Enterprise.objects.filter(zone__in=zone_ids)
        .select_related("national_industry")
        .prefetch_related("scale_spells", "exits", "industries")
    )
    for e in enterprises:
        open_spells = [s for s in e.scale_spells.all() if s.left_on is None]
        if e.is_above_scale:
            assert len(open_spells) == 1, e
            if e.above_scale_year:
                assert open_spells[0].entered_on == dt.date(e.above_scale_year, 1, 1)
        else:
            assert not open_spells, e
        open_exits = [x for x in e.exits.all() if x.returned_on is None]
        assert len(open_exits) == (e.status != Enterprise.Status.ACTIVE), e
        if open_exits:
            assert open_exits[0].kind == e.status
    for zone_id in zone_ids:
        values = Values(MetricScope.of([zone_id]))
        rows = Enterprise.objects.filter(zone_id=zone_id, status=Enterprise.Status.ACTIVE)
        assert values(registry.get("enterprises.total")) == rows.count()
        assert (
            values(registry.get("enterprises.above_scale"))
            == rows.filter(is_above_scale=True).count()
        )


def check_the_seed_classes_its_enterprises_and_dates_their_standing(zone: Zone) -> None:
    """Run on the seed loaded today by tests/demo/test_seed_scenario.py (one build of the
    scenario for all its checks)."""
    officers = set(liaison_candidates(zone.pk))
    assert officers
    for e in Enterprise.objects.filter(zone=zone).prefetch_related("industries"):
        industries = sorted(e.industries.all(), key=lambda i: i.order)
        if industries:
            assert e.national_industry is not None, e
            assert e.national_industry.code in NATIONAL_CLASSES[industries[0].name], e
        assert e.liaison_officer in officers, e
    _check_standing([zone.pk])


def test_the_generator_classes_its_enterprises_and_dates_their_standing() -> None:
    generate(enterprises=300, projects=20, zones=2, seed=11, prefix="st")
    zone_ids = list(Zone.objects.filter(code__startswith="st").values_list("pk", flat=True))
    enterprises = Enterprise.objects.filter(zone__in=zone_ids)
    assert not enterprises.filter(national_industry__isnull=True).exists()
    for e in enterprises.select_related("liaison_officer"):
        assert e.liaison_officer is not None
        assert e.liaison_officer.zones.filter(pk=e.zone_id).exists()
    assert enterprises.exclude(status=Enterprise.Status.ACTIVE).exists()  # exits were made
    _check_standing(zone_ids)
