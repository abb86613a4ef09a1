"""The work briefing (工作简报): its sentences are the metrics' values as of the day, every
number links to its records, a changed record changes the text, and the .docx and .xlsx carry
the same composition."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import translation
from docx import Document
from python_calamine import CalamineWorkbook

from gaoxin.campaigns import award_services
from gaoxin.campaigns import services as campaign_services
from gaoxin.core import formatting
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.dashboard.briefing import compose as writer
from gaoxin.projects import services as project_services
from gaoxin.projects.work.blockers import services as work_services
from gaoxin.spaces import services as space_services
from tests.factories import (
    AwardBatchFactory,
    CampaignFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryFactory,
    ProjectFactory,
    make_uscc,
)

D = dt.date
AS_OF = D(2023, 6, 30)
TENANTS_ON = D(2023, 3, 1)


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- a zone's records, built with factories and services ---------------------------------------


@pytest.fixture
def world(zone, other_zone, users):
    return build_world(zone, other_zone, users)


def build_world(
    zone,
    other_zone,
    users,
    *,
    other_space_area: int = 5_000_000,
    late_tenant_on: dt.date = TENANTS_ON,
) -> dict:
    """Spaces, their tenant projects, a 专精特新 campaign, an award batch, a land project that
    started construction the day it got the land, and an overdue blocker; and records in
    another zone that must not count. 数据核对's tests build on it (tests/factcheck) and move
    the third tenant's registration to `late_tenant_on`, so that two days read differently."""
    officer = users["officer"]
    industry = IndustryFactory(zone=zone)
    on = D(2023, 1, 1)
    for name, area, status in [
        ("一期", 1_200_000, "building"),
        ("二期", 900_000, "building"),
        ("三期", 1_150_000, "built"),
    ]:
        space_services.space_create(
            zone=zone, by=officer, name=name, total_floor_area=area, status=status, status_on=on
        )
    space_services.space_create(
        zone=other_zone, by=None, name="外", total_floor_area=other_space_area, status="building",
        status_on=on,
    )  # fmt: skip

    def tenant(stage: str, fai: int, output: int, above: bool, stage_on: dt.date = TENANTS_ON):
        return ProjectFactory(
            zone=zone,
            industry=industry,
            officer=officer,
            carrier="space",
            stage=stage,
            stage_on=stage_on,
            fixed_asset_investment=fai,
            expected_annual_output=output,
            expected_above_scale=above,
        )

    signed = tenant("signed", 1_000_000_000, 2_000_000_000, True)
    tenant("registered", 1_248_000_000, 2_733_000_000, True)
    tenant("registered", 1_000_000_000, 1_000_000_000, False, late_tenant_on)
    tenant("planned", 700_000_000, 700_000_000, True)  # not signed: in no money figure
    ProjectFactory(zone=other_zone, carrier="space", stage="registered")

    campaign = CampaignFactory(
        zone=zone, code="gd-zjtx", name="2022年广东省专精特新中小企业申报", opens_on=D(2022, 5, 1)
    )
    for i in range(3):
        application = campaign_services.application_start(
            campaign=campaign,
            enterprise=EnterpriseFactory(zone=zone, name=f"申报企业{i}"),
            by=officer,
            on=D(2022, 5, 5),
            statement="说明",
        )
        campaign_services.application_move(
            application=application, by=officer, to_status="submitted", on=D(2022, 5, 20)
        )
    batch = AwardBatchFactory(zone=zone, code="zjtx-1", name="第一批专精特新企业奖励资金")
    awards = [
        award_services.award_add(
            batch=batch,
            enterprise=EnterpriseFactory(zone=zone, name=f"获奖企业{i}"),
            amount=amount,
            reason="省级专精特新",
            by=officer,
        )
        for i, amount in enumerate([7_100_000, 7_023_456])
    ]
    award_services.award_batch_announce(batch=batch, by=officer, on=D(2023, 3, 1))
    for award in awards:
        award_services.award_pay(award=award, by=officer, on=D(2023, 4, 1))

    land = ProjectFactory(
        zone=zone,
        industry=industry,
        officer=officer,
        name="晶圆级立体集成项目",
        carrier="land",
        stage="construction",
        stage_on=D(2023, 2, 1),
        land_to_construction_days=0,
    )
    department = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    work_services.blocker_create(
        project=land,
        by=officer,
        description="施工许可材料不全",
        department=department,
        due_on=D(2023, 5, 1),
        raised_on=D(2023, 4, 1),
    )
    return {
        "signed": signed,
        "officer": officer,
        "industry": industry,
        "campaign": campaign,
        "batch": batch,
    }


def _value(key: str, zone, as_of=AS_OF):
    return registry.get(key).value(MetricScope.of([zone.pk], as_of))


def _compose(zone, as_of=AS_OF) -> writer.Briefing:
    return writer.compose(
        MetricScope.of([zone.pk], as_of), zone_label=zone.name, zone_code=zone.code
    )


def _paragraph_with(briefing: writer.Briefing, start: str) -> writer.Paragraph:
    found = [p for s in briefing.sections for p in s.paragraphs if p.text.startswith(start)]
    assert len(found) == 1, briefing.text
    return found[0]


def _space_sentence(zone, as_of=AS_OF) -> str:
    """The article's sentence, in English, from the metrics themselves."""

    def v(key: str) -> str:
        return formatting.number(_value(key, zone, as_of))

    def money(key: str) -> str:
        return formatting.money(_value(key, zone, as_of))

    breakdown = [
        f"{v('projects.space.reached.registered')} registered"
        if _value("projects.space.reached.registered", zone, as_of)
        else None,
        f"{v('projects.space.current.fitting_out')} fitting out"
        if _value("projects.space.current.fitting_out", zone, as_of)
        else None,
        f"{v('projects.space.reached.in_production')} in production"
        if _value("projects.space.reached.in_production", zone, as_of)
        else None,
    ]
    breakdown_text = ", ".join(b for b in breakdown if b)
    return (
        f"At present, {v('projects.space.reached.signed')} projects have signed and will move in, "
        f"of which {breakdown_text}, "
        f"fixed-asset investment is expected to reach "
        f"{money('projects.space.signed.fixed_asset_investment')}, "
        f"{v('projects.space.signed.expected_above_scale')} are expected to become enterprises "
        f"above designated size (上规), annual output is expected to reach "
        f"{money('projects.space.signed.expected_output')}."
    )


def test_the_space_sentence_is_the_metrics(world, zone, english) -> None:
    briefing = _compose(zone)
    paragraph = _paragraph_with(briefing, "At present,")
    assert paragraph.text == _space_sentence(zone)
    # Three space tenants signed, two of them registered; 32.48亿元 of fixed assets.
    assert paragraph.text == (
        "At present, 3 projects have signed and will move in, of which 2 registered, "
        "fixed-asset investment is expected to reach 32.48亿元, 2 are expected to become "
        "enterprises above designated size (上规), annual output is expected to reach "
        "57.33亿元."
    )
    keys = [figure.key for figure in paragraph.figures]
    assert keys == [
        "projects.space.reached.signed",
        "projects.space.reached.registered",
        "projects.space.signed.fixed_asset_investment",
        "projects.space.signed.expected_above_scale",
        "projects.space.signed.expected_output",
    ]
    for figure in paragraph.figures:
        assert figure.value == _value(figure.key, zone)
        assert figure.url == f"/metrics/{figure.key}/?as_of=2023-06-30&zone=home"


def test_advancing_a_project_changes_the_text(world, zone, english) -> None:
    before = _paragraph_with(_compose(zone), "At present,").text
    project = world["signed"]
    project.refresh_from_db()
    project_services.project_advance(
        project=project,
        by=world["officer"],
        to_stage="registered",
        on=D(2023, 6, 1),
        version=project.version,
        uscc=make_uscc(777),
        company_name="珠海入驻科技有限公司",
    )
    after = _paragraph_with(_compose(zone), "At present,").text
    assert after != before
    assert "of which 3 registered" in after
    assert after == _space_sentence(zone)
    # As things stood the day before the change, the text is what it was.
    assert _paragraph_with(_compose(zone, D(2023, 5, 31)), "At present,").text == before


def test_the_other_sentences_are_the_metrics(world, zone, english) -> None:
    briefing = _compose(zone)
    policy = _paragraph_with(briefing, "3 enterprises were organised")
    assert policy.text == (
        "3 enterprises were organised to apply in 2022年广东省专精特新中小企业; "
        "1400多万元 of 第一批专精特新企业奖励资金 was paid out, benefiting 2 enterprises."
    )
    assert [f.key for f in policy.figures] == [
        "campaigns.applying.gd-zjtx",
        "awards.paid.zjtx-1",
        "awards.paid_enterprises.zjtx-1",
    ]
    assert policy.figures[1].value == _value("awards.paid.zjtx-1", zone) == Decimal("14123456")
    spaces = _paragraph_with(briefing, "2 industrial spaces are under construction")
    assert spaces.text == (
        "2 industrial spaces are under construction with a total floor area of about "
        "210万平方米; once they are built the zone's industrial spaces will total about "
        "325万平方米; 4 projects for the spaces are being pushed to settle and produce."
    )
    land = _paragraph_with(briefing, "晶圆级立体集成项目")
    # The only project that started did so the day it got its land: the 0-day average would
    # say nothing more.
    assert land.text == (
        "晶圆级立体集成项目 started construction the day it got its land (拿地即开工)."
    )
    assert [f.key for f in land.figures] == ["projects.land_to_construction.same_day"]
    # One blocker, said in the singular (English has plurals; the Chinese sentence has none).
    work = _paragraph_with(briefing, "1 blocker ")
    assert work.text == "1 blocker (难点堵点) is open, and it is overdue; no approval is overdue."
    assert briefing.title == "主园区 industrial work briefing (as of June 30, 2023)"


def test_an_empty_zone_says_so_and_shows_no_zero(zone, english) -> None:
    briefing = _compose(zone)
    text = briefing.text
    assert "No project has signed to move into the industrial spaces yet." in text
    assert "No industrial spaces are recorded yet." in text
    assert "No land project has started construction yet." in text
    assert "No blocker (难点堵点) is open; no approval is overdue." in text
    assert not re.search(r"(?<![\d.])0 ", text), text
    assert briefing.figures == []


def test_before_the_campaign_and_the_payments_they_are_left_out(world, zone, english) -> None:
    text = _compose(zone, D(2022, 4, 30)).text
    assert "organised to apply" not in text
    assert "paid out" not in text
    assert "At present," not in text


# --- the Chinese: the article's register, from the shipped catalogue ----------------------------


def test_the_chinese_reads_like_the_article(world, zone) -> None:
    """The briefing composed in Chinese through the compiled catalogue the platform ships
    (gaoxin/locale/zh_Hans/LC_MESSAGES/django.mo): a missing or wrong translation of any
    clause, separator or full stop changes the text and fails here."""
    assert translation.check_for_language("zh-hans")
    with translation.override("zh-hans"):
        briefing = _compose(zone)
    assert briefing.title == "主园区产业工作简报（截至2023年6月30日）"
    assert (
        "目前，3个项目已签约并将入驻，其中已注册2个，固定资产投资预计达32.48亿元，"
        "预计新增上规企业2家，预计全年产值可达57.33亿元。"
    ) in briefing.text
    assert (
        "组织3家企业申报2022年广东省专精特新中小企业；及时拨付第一批专精特新企业奖励资金共"
        "1400多万元，惠及区内2家企业。"
    ) in briefing.text
    # Every heading and sentence of it is translated: no English word is left.
    english_words = re.findall(r"[A-Za-z]{3,}", briefing.text)
    assert not english_words, english_words


# --- the page and the downloads ----------------------------------------------------------------


def test_the_page_links_every_number(world, zone, client_as, english) -> None:
    response = client_as("leader").get("/briefing/", {"as_of": "2023-06-30", "zone": "home"})
    assert response.status_code == 200
    html = response.content.decode()
    briefing = response.context["briefing"]
    assert briefing.figures
    for figure in briefing.figures:
        link = f'href="/metrics/{figure.key}/?as_of=2023-06-30&amp;zone=home"'
        assert link in html, figure.key
    assert ">3</a> projects have signed and will move in" in html
    # A figure's link opens its records.
    first = briefing.figures[0]
    assert client_as("leader").get(first.url).status_code == 200


def test_the_page_answers_htmx_with_its_body(world, client_as, english) -> None:
    response = client_as("officer").get(
        "/briefing/", {"as_of": "2023-06-30"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"briefing-figure" in response.content


def test_a_day_in_the_future_is_refused(client_as, english) -> None:
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client_as("leader").get("/briefing/", {"as_of": tomorrow.isoformat()})
    assert response.status_code == 400
    assert b"cannot be asked for a day in the future" in response.content
    assert client_as("leader").get("/briefing/briefing.docx", {"zone": "away"}).status_code == 400


def test_the_outsider_sees_their_own_zone_only(world, client_as, english) -> None:
    response = client_as("outsider").get("/briefing/", {"as_of": "2023-06-30"})
    assert response.status_code == 200
    briefing = response.context["briefing"]
    assert briefing.zone_code == "away"
    # The away zone's one registered tenant and one space, none of the home zone's records.
    assert "At present, 1 project has signed and will move in, of which 1 registered" in (
        briefing.text
    )
    assert "1 industrial space is under construction" in briefing.text
    assert "organised to apply" not in briefing.text
    assert "No land project has started construction yet." in briefing.text


def test_the_docx_has_the_text(world, client_as, english) -> None:
    response = client_as("leader").get("/briefing/briefing.docx", {"as_of": "2023-06-30"})
    assert response.status_code == 200
    assert "briefing-home-20230630.docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "主园区 industrial work briefing (as of June 30, 2023)"
    assert "Industrial spaces and tenant projects" in paragraphs
    assert [p.style.name for p in document.paragraphs if p.text == "Approvals and blockers"] == [
        "Heading 1"
    ]
    zone = world["campaign"].zone
    assert _space_sentence(zone) in paragraphs


def test_the_xlsx_lists_every_figure(world, zone, client_as, english) -> None:
    response = client_as("leader").get("/briefing/figures.xlsx", {"as_of": "2023-06-30"})
    assert response.status_code == 200
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][0] == "主园区 industrial work briefing (as of June 30, 2023)"
    assert rows[1][:6] == ["Key", "Figure", "Value", "Unit", "As of", "Zone"]
    by_key = {row[0]: row for row in rows[2:]}
    briefing = _compose(zone)
    assert list(by_key) == [figure.key for figure in briefing.figures]
    row = by_key["projects.space.signed.fixed_asset_investment"]
    assert row[2] == float(_value("projects.space.signed.fixed_asset_investment", zone))
    assert row[3] == "元"
    assert row[4] == D(2023, 6, 30)
    assert row[5] == "主园区"
    assert row[6] == "32.48亿元"


def test_the_page_stays_within_a_fixed_number_of_queries(
    world, zone, users, client_as, english, django_assert_max_num_queries
) -> None:
    """More records do not mean more queries: every figure is one count or sum."""
    industry = IndustryFactory(zone=zone)
    for _ in range(40):
        ProjectFactory(zone=zone, industry=industry, officer=users["officer"], stage="registered")
    client = client_as("leader")
    with django_assert_max_num_queries(50):
        response = client.get("/briefing/", {"as_of": "2023-06-30"})
    assert response.status_code == 200
