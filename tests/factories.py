from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory
from stdnum.cn import uscc as _uscc

from gaoxin.accounts.models import Department, User, Zone
from gaoxin.core.roles import Role
from gaoxin.enterprises.models import (
    Designation,
    DesignationKind,
    DesignationLevel,
    Enterprise,
)
from gaoxin.industries.models import ChainSegment, Industry, IndustryGroup, Position

PASSWORD = "test-pass-123"


class ZoneFactory(DjangoModelFactory):
    class Meta:
        model = Zone
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"zone{n}")
    name = factory.Sequence(lambda n: f"测试园区{n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def zones(self, create: bool, extracted: list[Zone] | None, **kwargs: object) -> None:
        if create and extracted:
            self.zones.set(extracted)
        self.save()


# --- industries and enterprises ------------------------------------------------------------


def make_uscc(n: int) -> str:
    """A valid 统一社会信用代码 numbered n (91 = enterprise, 440400 = Zhuhai)."""
    body = f"91440400{n:09d}"
    return body + _uscc.calc_check_digit(body)


class IndustryGroupFactory(DjangoModelFactory):
    class Meta:
        model = IndustryGroup
        django_get_or_create = ("zone", "name")

    zone = factory.SubFactory(ZoneFactory)
    name = "主导产业"


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry

    zone = factory.SubFactory(ZoneFactory)
    group = factory.LazyAttribute(lambda o: IndustryGroupFactory(zone=o.zone))
    name = factory.Sequence(lambda n: f"产业{n}")
    is_key = True


class ChainSegmentFactory(DjangoModelFactory):
    class Meta:
        model = ChainSegment

    industry = factory.SubFactory(IndustryFactory)
    name = factory.Sequence(lambda n: f"环节{n}")
    position = Position.MIDSTREAM


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"珠海测试科技{n}有限公司")
    # Numbered from 10^8 up, so that no generated code equals one a test writes out itself
    # (make_uscc(7), make_uscc(501) …) however many enterprises a worker made before it.
    uscc = factory.Sequence(lambda n: make_uscc(100_000_000 + n))
    settled_on = dt.date(2020, 1, 1)

    @factory.lazy_attribute
    def name_initials(self) -> str:
        from gaoxin.core.text import pinyin_initials

        return pinyin_initials(self.name)


class DesignationFactory(DjangoModelFactory):
    class Meta:
        model = Designation

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = DesignationKind.HIGH_TECH
    level = DesignationLevel.NATIONAL
    granted_on = dt.date(2022, 12, 1)
    expires_on = dt.date(2025, 11, 30)


# --- leads, spaces and projects -------------------------------------------------------------


class LeadFactory(DjangoModelFactory):
    class Meta:
        model = "investment.Lead"

    zone = factory.SubFactory(ZoneFactory)
    company_name = factory.Sequence(lambda n: f"目标企业{n}股份有限公司")
    source = "chain_gap"
    officer = factory.LazyAttribute(lambda o: UserFactory(role=Role.OFFICER, zones=[o.zone]))
    last_activity_on = factory.LazyFunction(dt.date.today)


class SpaceFactory(DjangoModelFactory):
    class Meta:
        model = "spaces.Space"

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"产业新空间{n}期")
    total_floor_area = 100000
    status = "building"


class ProjectFactory(DjangoModelFactory):
    """A project with the one stage change that brought it to `stage` on `stage_on`, as the
    services would have recorded it."""

    class Meta:
        model = "projects.Project"
        skip_postgeneration_save = True

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"测试项目{n}")
    investor_name = factory.Sequence(lambda n: f"投资方{n}集团")
    industry = factory.LazyAttribute(lambda o: IndustryFactory(zone=o.zone))
    carrier = "space"
    officer = factory.LazyAttribute(lambda o: UserFactory(role=Role.OFFICER, zones=[o.zone]))
    stage = "signed"
    stage_on = dt.date(2023, 3, 1)
    planned_investment = 100_000_000
    fixed_asset_investment = 50_000_000
    expected_annual_output = 80_000_000

    @factory.post_generation
    def stage_change(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            from gaoxin.projects.models import StageChange
            from gaoxin.projects.services import reached_refresh

            StageChange.objects.create(
                project=self, to_stage=self.stage, kind="start", on=self.stage_on, by=self.officer
            )
            reached_refresh([self])


# --- policies, campaigns and awards ---------------------------------------------------------


class PolicyFactory(DjangoModelFactory):
    class Meta:
        model = "policies.Policy"

    zone = factory.SubFactory(ZoneFactory)
    title = factory.Sequence(lambda n: f"关于促进产业高质量发展的若干措施（第{n}号）")
    document_no = factory.Sequence(lambda n: f"珠高管〔2023〕{n}号")
    issuer = "珠海高新区管委会"
    issued_on = dt.date(2023, 3, 1)


class PolicyEventFactory(DjangoModelFactory):
    class Meta:
        model = "policies.PolicyEvent"

    zone = factory.SubFactory(ZoneFactory)
    title = factory.Sequence(lambda n: f"惠企政策宣讲会第{n}场")
    held_on = dt.date(2023, 4, 1)
    place = "高新区创新创业中心"


class CampaignFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"2022年广东省专精特新中小企业申报（{n}）")
    designation_kind = "specialised_sme"
    designation_level = "provincial"
    opens_on = dt.date(2022, 5, 1)
    closes_on = dt.date(2022, 6, 30)


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.Application"

    campaign = factory.SubFactory(CampaignFactory)
    enterprise = factory.LazyAttribute(lambda o: EnterpriseFactory(zone=o.campaign.zone))
    status = "draft"
    status_on = dt.date(2022, 5, 10)


class AwardBatchFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.AwardBatch"

    zone = factory.SubFactory(ZoneFactory)
    name = factory.Sequence(lambda n: f"第{n}批专精特新企业奖励资金")


class AwardFactory(DjangoModelFactory):
    class Meta:
        model = "campaigns.Award"

    batch = factory.SubFactory(AwardBatchFactory)
    enterprise = factory.LazyAttribute(lambda o: EnterpriseFactory(zone=o.batch.zone))
    amount = 500000
    reason = "省级专精特新中小企业认定奖励"
