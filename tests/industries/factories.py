from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from gaoxin.enterprises.models import Alliance, AllianceMembership
from tests.factories import EnterpriseFactory, ZoneFactory


class AllianceFactory(DjangoModelFactory):
    class Meta:
        model = Alliance

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"产业联盟{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = AllianceMembership

    alliance = factory.SubFactory(AllianceFactory)
    enterprise = factory.LazyAttribute(lambda o: EnterpriseFactory(zone=o.alliance.zone))
    role = AllianceMembership.Role.MEMBER
    joined_on = dt.date(2022, 1, 1)
