"""The leaders' dashboard: every number is a metric's value and links to its records, as of
the day and zone asked for; grouped charts add up to their metrics; bounded queries."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from gaoxin.campaigns.models import AwardBatch, Campaign
from gaoxin.core.metrics import MetricScope, registry
from gaoxin.dashboard import figures
from gaoxin.policies.models import ActionPlan, PlanTarget
from gaoxin.projects.models import Approval, Blocker
from tests.factories import (
    ApplicationFactory,
    AwardBatchFactory,
    AwardFactory,
    CampaignFactory,
    DepartmentFactory,
    DesignationFactory,
    EnterpriseFactory,
    IndustryFactory,
    LeadFactory,
    ProjectFactory,
    SpaceFactory,
    UserFactory,
)

URL = "/dashboard/"
EARLY = dt.date(2023, 6, 30)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with override("en"):
        yield


def tiles(content: str) -> dict[str, tuple[str, str]]:
    """Each tile of the page: metric key → (href, shown value)."""
    found = re.findall(
        r'<a class="tile" href="([^"]+)" data-key="([^"]+)"[^>]*>'
        r'<span class="tile-value">([^<]*)</span>',
        content,
    )
    return {key: (html.unescape(href), value) for href, key, value in found}


def chart(content: str, name: str) -> dict:
    match = re.search(
        rf'<script id="chart-{name}-data" type="application/json">(.*?)</script>', content, re.S
    )
    assert match, f"no chart {name}"
    return json.loads(match.group(1))


def value(key: str, zone_ids, as_of=None):
    return registry.get(key).value(MetricScope.of(zone_ids, as_of))


def shown(key: str, zone_ids, as_of=None) -> str:
    return registry.get(key).format(value(key, zone_ids, as_of))


@pytest.fixture
def pipeline(zone, other_zone, users):
    """Space tenant projects signed before and after EARLY, a land project, one elsewhere."""
    storage = IndustryFactory(zone=zone, name="储能")
    sensors = IndustryFactory(zone=zone, name="传感器")
    space = SpaceFactory(zone=zone, total_floor_area=200_000)
    officer = users["officer"]
    made = [
        ProjectFactory(
            zone=zone,
            industry=storage,
            officer=officer,
            space=space,
            floor_area=5000,
            stage_on=dt.date(2023, 3, 1),
            fixed_asset_investment=300_000_000,
            expected_annual_output=500_000_000,
            expected_above_scale=True,
        ),
        ProjectFactory(
            zone=zone,
            industry=storage,
            officer=officer,
            stage="registered",
            stage_on=dt.date(2023, 4, 1),
            fixed_asset_investment=100_000_000,
        ),
        ProjectFactory(
            zone=zone,
            industry=sensors,
            officer=officer,
            stage_on=dt.date(2024, 2, 1),
            fixed_asset_investment=20_000_000,
            expected_annual_output=30_000_000,
        ),
        ProjectFactory(zone=zone, industry=sensors, officer=officer, carrier="land"),
        ProjectFactory(zone=other_zone, stage_on=dt.date(2023, 3, 1)),
    ]
    return {"storage": storage, "sensors": sensors, "space": space, "projects": made}


@pytest.mark.parametrize("role", ["admin", "leader", "officer"])
def test_readers_open_the_dashboard(role, client_as, pipeline) -> None:
    response = client_as(role).get(URL)
    assert response.status_code == 200
    # plotly.js under its content-hashed name (cached for good, tests/core/test_plotly_static.py).
    assert re.search(
        r'src="/static/vendor/plotly\.min\.[0-9a-f]{12}\.js"', response.content.decode()
    )


@pytest.mark.parametrize("role", ["department", "enterprise"])
def test_department_and_enterprise_users_are_refused(role, client_as) -> None:
    assert client_as(role).get(URL).status_code == 403


def test_each_tile_is_its_metric_and_links_to_its_records(client_as, zone, pipeline) -> None:
    content = client_as("leader").get(URL).content.decode()
    found = tiles(content)
    today = timezone.localdate().isoformat()
    for key in (
        "projects.space.reached.signed",
        "projects.space.reached.registered",
        "projects.space.signed.fixed_asset_investment",
        "projects.space.signed.expected_above_scale",
        "projects.reached.signed",
        "spaces.area.total",
        "spaces.occupancy",
        "enterprises.total",
    ):
        href, text = found[key]
        assert text == shown(key, [zone.pk]), key
        assert href == f"/metrics/{key}/?as_of={today}", key
    assert found["projects.space.reached.signed"][1] == "3 items"
    assert found["projects.space.signed.fixed_asset_investment"][1] == "4.2亿元"


def test_a_tile_clicks_through_to_exactly_that_many_records(client_as, zone, pipeline) -> None:
    client = client_as("leader")
    content = client.get(URL, {"as_of": EARLY.isoformat()}).content.decode()
    href, text = tiles(content)["projects.space.reached.signed"]
    assert text == "2 items"
    records = client.get(href).content.decode()
    assert "2 records" in records


def test_the_as_of_day_redraws_every_figure(client_as, zone, pipeline) -> None:
    client = client_as("leader")
    now = tiles(client.get(URL).content.decode())
    then = tiles(client.get(URL, {"as_of": EARLY.isoformat()}).content.decode())
    key = "projects.space.signed.fixed_asset_investment"
    assert now[key][1] == shown(key, [zone.pk])
    assert then[key][1] == shown(key, [zone.pk], EARLY) == "4亿元"
    assert then[key][0] == f"/metrics/{key}/?as_of={EARLY.isoformat()}"


def test_a_future_day_is_refused(client_as, pipeline) -> None:
    future = timezone.localdate() + dt.timedelta(days=3)
    response = client_as("leader").get(URL, {"as_of": future.isoformat()})
    assert response.status_code == 400
    assert "future" in response.content.decode()


def test_zone_picker_for_a_leader_of_two_zones(client_as, zone, other_zone, pipeline) -> None:
    leader = UserFactory(role="leader", zones=[zone, other_zone])
    from django.test import Client

    client = Client()
    client.force_login(leader)
    content = client.get(URL).content.decode()
    assert f'value="{other_zone.code}"' in content
    both = tiles(content)["projects.space.reached.signed"][1]
    assert both == shown("projects.space.reached.signed", [zone.pk, other_zone.pk]) == "4 items"
    away = tiles(client.get(URL, {"zone": other_zone.code}).content.decode())
    href, text = away["projects.space.reached.signed"]
    assert text == shown("projects.space.reached.signed", [other_zone.pk])
    assert text.startswith("1 ")
    assert f"zone={other_zone.code}" in href
    # The standing leader has one zone and may not ask for another.
    assert client_as("leader").get(URL, {"zone": other_zone.code}).status_code == 400


def test_funnel_counts_reached_and_current_per_stage(client_as, zone, pipeline) -> None:
    content = client_as("leader").get(URL).content.decode()
    figure = chart(content, "funnel")
    reached, current = figure["data"]
    stages = reached["y"]
    signed = stages.index("Signed (签约)")
    assert reached["x"][signed] == value("projects.space.reached.signed", [zone.pk]) == 3
    assert current["x"][signed] == value("projects.space.current.signed", [zone.pk]) == 2
    assert reached["customdata"][signed].startswith("/metrics/projects.space.reached.signed/")
    # All projects: the land stages are there too.
    content = client_as("leader").get(URL, {"pipeline": "all"}).content.decode()
    reached = chart(content, "funnel")["data"][0]
    assert "Land acquired (拿地)" in reached["y"]
    assert reached["x"][reached["y"].index("Signed (签约)")] == 4


def test_investment_and_output_by_industry_add_up_to_the_metrics(client_as, zone, pipeline) -> None:
    content = client_as("leader").get(URL).content.decode()
    figure = chart(content, "industry")
    fai, output = figure["data"]
    # Horizontal bars, the values written at their ends.
    assert fai["orientation"] == "h" and fai["textposition"] == "outside"
    assert fai["y"] == ["储能", "传感器"]
    assert fai["text"] == ["4亿元", "2,000万元"]
    # Shown in 亿元 on the axis; the sums are the metrics'.
    assert figure["layout"]["xaxis"]["title"]["text"] == "100 million yuan (亿元)"
    total = sum(Decimal(str(v)) for v in fai["x"]) * 100_000_000
    assert total == value("projects.space.signed.fixed_asset_investment", [zone.pk])
    assert output["text"][0] == "5.8亿元"
    storage = pipeline["storage"].pk
    # Each bar opens that industry's share of the figure, as of the day.
    share = f"/metrics/projects.space.signed.fixed_asset_investment.industry.{storage}/"
    assert fai["customdata"][0].startswith(share)
    assert output["customdata"][0].startswith(
        f"/metrics/projects.space.signed.expected_output.industry.{storage}/"
    )
    assert f'href="{share}' in content


def test_blockers_by_status_and_overdue_by_department(client_as, zone, users, pipeline) -> None:
    project = pipeline["projects"][0]
    natural = users["department"].department
    housing = DepartmentFactory(zone=zone, name="住房和城乡建设局")
    today = timezone.localdate()

    def blocker(department, due, status="open", closed_on=None):
        return Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="难点",
            department=department,
            raised_on=today - dt.timedelta(days=40),
            due_on=due,
            status=status,
            closed_on=closed_on,
            resolution="已解决" if closed_on else "",
        )

    blocker(natural, today - dt.timedelta(days=5))
    blocker(natural, today - dt.timedelta(days=2), status="in_progress")
    blocker(housing, today - dt.timedelta(days=1))
    blocker(housing, today + dt.timedelta(days=10))
    blocker(housing, today - dt.timedelta(days=9), "resolved", today - dt.timedelta(days=3))
    content = client_as("leader").get(URL).content.decode()
    status = chart(content, "blocker-status")["data"][0]
    assert sum(status["x"]) == value("blockers.open", [zone.pk]) == 4
    assert dict(zip(status["y"], status["x"], strict=True)) == {
        "To handle (待处理)": 3,
        "Being handled (处理中)": 1,
    }
    overdue = chart(content, "departments")["data"][0]
    assert dict(zip(overdue["y"], overdue["x"], strict=True)) == {
        "自然资源局": 2,
        "住房和城乡建设局": 1,
    }
    assert sum(overdue["x"]) == value("blockers.overdue", [zone.pk])
    assert tiles(content)["blockers.overdue"][1] == "3 items"


def test_designations_by_tier_and_awards_paid(client_as, zone) -> None:
    for kind in ("high_tech", "high_tech", "specialised_sme", "little_giant"):
        DesignationFactory(
            enterprise=EnterpriseFactory(zone=zone), kind=kind, expires_on=dt.date(2099, 1, 1)
        )
    batch = AwardBatchFactory(zone=zone, code="2023-zjtx-1")
    AwardFactory(batch=batch, amount=600_000, status="paid", paid_on=dt.date(2023, 8, 1))
    AwardFactory(batch=batch, amount=800_000, status="paid", paid_on=dt.date(2024, 1, 5))
    AwardFactory(batch=batch, amount=900_000)
    content = client_as("leader").get(URL).content.decode()
    bars = chart(content, "designations")["data"][0]
    counts = dict(zip(bars["y"], bars["x"], strict=True))
    assert len(counts) == 5
    assert sum(counts.values()) == 4
    for key in ("high_tech", "little_giant"):
        assert f"/metrics/enterprises.designation.{key}/" in " ".join(bars["customdata"])
    assert 'href="/metrics/awards.paid/?as_of=' in content
    assert shown("awards.paid", [zone.pk]) == "140万元"
    assert "140万元" in content
    assert 'href="/metrics/awards.paid.2023-zjtx-1/' in content
    early = client_as("leader").get(URL, {"as_of": "2023-12-31"}).content.decode()
    assert "60万元" in early


def test_action_plan_progress(client_as, zone, users) -> None:
    for _ in range(4):
        EnterpriseFactory(zone=zone, settled_on=dt.date(2022, 1, 1))
    EnterpriseFactory(zone=zone, settled_on=dt.date(2024, 3, 1))
    plan = ActionPlan.objects.create(zone=zone, title="实体经济行动计划", adopted_on=EARLY)
    PlanTarget.objects.create(
        plan=plan,
        label="企业数量双倍增",
        metric_key="enterprises.total",
        baseline_value=2,
        baseline_on=dt.date(2022, 12, 31),
        target_value=10,
        target_year=2027,
    )
    PlanTarget.objects.create(
        plan=plan,
        label="旧指标",
        metric_key="no.such.metric",
        baseline_value=0,
        baseline_on=dt.date(2022, 12, 31),
        target_value=1,
        target_year=2027,
        order=2,
    )
    # The standing users' enterprise counts too: 4 + 1 + 1 = 6 now.
    assert value("enterprises.total", [zone.pk]) == 6
    content = client_as("leader").get(URL).content.decode()
    assert "实体经济行动计划" in content
    assert "50.0% of the way" in content
    assert "target 10 enterprises by 2027" in content
    assert 'value="50.0"' in content
    assert "The figure no.such.metric does not exist." in content
    assert (
        f'href="/metrics/enterprises.total/?as_of={timezone.localdate().isoformat()}&amp;zone=home"'
        in content
    )
    early = client_as("leader").get(URL, {"as_of": EARLY.isoformat()}).content.decode()
    assert "37.5% of the way" in early  # 5 enterprises then
    before = client_as("leader").get(URL, {"as_of": "2023-01-01"}).content.decode()
    assert "实体经济行动计划" not in before  # not adopted yet


def test_htmx_request_gets_the_body_only(client_as, pipeline) -> None:
    response = client_as("leader").get(URL, {"as_of": EARLY.isoformat()}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert 'class="tile"' in content


# The page's capped lists (campaigns, award batches, plans and their targets) are filled to
# their caps by `_capped`, so that the two sizes compared below differ only in rows that no
# list on the page bounds: a query per such row shows as a difference in the count.
def _capped(zone) -> None:
    for _ in range(figures.MAX_CAMPAIGNS + 1):
        CampaignFactory(zone=zone, opens_on=dt.date(2022, 5, 1))
    for _ in range(figures.MAX_BATCHES + 1):
        AwardBatchFactory(zone=zone, announced_on=dt.date(2023, 3, 1))
    for p in range(figures.MAX_PLANS + 1):
        plan = ActionPlan.objects.create(zone=zone, title=f"计划{p}", adopted_on=EARLY)
        for i in range(figures.MAX_TARGETS + 1):
            PlanTarget.objects.create(
                plan=plan,
                label=f"目标{i}",
                metric_key="enterprises.total",
                baseline_value=0,
                baseline_on=dt.date(2023, 1, 1),
                target_value=100,
                target_year=2027,
                order=i,
            )


STAGES = {
    "space": ["planned", "negotiating", "signed", "registered", "fitting_out", "in_production"],
    "land": ["signed", "land_acquired", "construction", "completed", "full_capacity"],
}


def _rows(zone, n: int, officer) -> None:
    """n more of every kind of record the page counts or lists: enterprises and their
    designations, spaces, projects at every stage of both paths (and terminated ones), their
    open and overdue approvals and blockers, applications to the campaigns, paid awards."""
    industries = [IndustryFactory(zone=zone) for _ in range(3)]
    department = DepartmentFactory(zone=zone)
    campaigns = list(Campaign.objects.filter(zone=zone))
    batches = list(AwardBatch.objects.filter(zone=zone))
    for i in range(n):
        enterprise = EnterpriseFactory(zone=zone)
        designation = DesignationFactory(enterprise=enterprise)
        SpaceFactory(zone=zone, status=["building", "built"][i % 2])
        carrier = ["space", "land"][i % 2]
        stages = [*STAGES[carrier], "terminated"]
        project = ProjectFactory(
            zone=zone,
            industry=industries[i % 3],
            officer=officer,
            carrier=carrier,
            stage=stages[i % len(stages)],
            enterprise=enterprise,
        )
        Blocker.objects.create(
            project=project,
            stage=project.stage,
            description="难点",
            department=department,
            raised_on=dt.date(2023, 4, 1),
            due_on=dt.date(2023, 5, 1),
        )
        Approval.objects.create(
            project=project,
            name="施工许可",
            department=department,
            status=["in_progress", "not_started"][i % 2],
            started_on=dt.date(2023, 4, 1),
            due_on=dt.date(2023, 5, 1),
        )
        ApplicationFactory(
            campaign=campaigns[i % len(campaigns)],
            enterprise=enterprise,
            status=["submitted", "approved"][i % 2],
        )
        AwardFactory(
            batch=batches[i % len(batches)],
            enterprise=enterprise,
            designation=designation,
            status="paid",
            paid_on=dt.date(2023, 4, 1),
        )
        LeadFactory(zone=zone, officer=officer)


PAGES = ("/dashboard/", "/briefing/")


def _queries(client) -> dict[str, int]:
    """Each page's queries, today and as of an earlier day."""
    counts = {}
    for page in PAGES:
        for as_of in ("", EARLY.isoformat()):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page, {"as_of": as_of} if as_of else {})
            assert response.status_code == 200
            counts[f"{page}?as_of={as_of}"] = len(queries)
    return counts


def test_query_count_does_not_grow_with_the_rows(client_as, zone, users) -> None:
    """The dashboard's and the briefing's queries counted with a few records of each kind and
    again with many more: the counts are equal, so no figure, chart or list reads row by row
    (an N+1 would add a query per row and fail here however low the count)."""
    officer = users["officer"]
    _capped(zone)
    _rows(zone, 3, officer)
    client = client_as("leader")
    _queries(client)  # warm the session and the user's zones
    few = _queries(client)
    signed = value("projects.reached.signed", [zone.pk])
    _rows(zone, 40, officer)
    assert value("projects.reached.signed", [zone.pk]) > signed  # the rows do count
    assert _queries(client) == few


def test_plans_are_added_by_officers(client_as, zone) -> None:
    client = client_as("officer")
    response = client.post(
        "/dashboard/plans/new/",
        {"zone": zone.pk, "title": "实体经济高质量发展行动计划", "adopted_on": "2023-03-01"},
    )
    plan = ActionPlan.objects.get(title="实体经济高质量发展行动计划")
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/plans/{plan.pk}/targets/new/"
    assert plan.history.first().history_user.username == "t-officer"
    url = f"/dashboard/plans/{plan.pk}/targets/new/"
    target = {
        "label": "企业数量双倍增",
        "metric_key": "enterprises.total",
        "baseline_value": "100",
        "baseline_on": "2022-12-31",
        "target_value": "200",
        "target_year": "2025",
        "order": "1",
    }
    bad = client.post(url, {**target, "metric_key": "enterprises.nothing"})
    assert bad.status_code == 200
    assert "There is no figure with the key enterprises.nothing." in bad.content.decode()
    same = client.post(url, {**target, "target_value": "100"})
    assert "The target must differ from the baseline." in same.content.decode()
    assert client.post(url, target).status_code == 302
    assert plan.targets.get().metric_key == "enterprises.total"
    assert "企业数量双倍增" in client.get(url).content.decode()


def test_plans_of_another_zone_are_not_found(client_as, other_zone) -> None:
    plan = ActionPlan.objects.create(zone=other_zone, title="外区计划", adopted_on=EARLY)
    assert client_as("officer").get(f"/dashboard/plans/{plan.pk}/targets/new/").status_code == 404
    assert client_as("leader").get("/dashboard/plans/new/").status_code == 403


def test_a_plan_zone_must_be_the_users(client_as, zone, other_zone) -> None:
    response = client_as("officer").post(
        "/dashboard/plans/new/",
        {"zone": other_zone.pk, "title": "外区计划", "adopted_on": "2023-03-01"},
    )
    assert response.status_code == 200
    assert not ActionPlan.objects.exists()


def test_breakdown_links_open_exactly_their_share(zone, users, client_as) -> None:
    """An industry's and a department's numbers open their own records, as of the day."""
    import datetime as dt
    from decimal import Decimal

    from gaoxin.core.metrics import MetricScope, registry
    from tests.factories import IndustryFactory, ProjectFactory

    storage, sensors = IndustryFactory(zone=zone, name="储能"), IndustryFactory(zone=zone)
    for industry, n in ((storage, 3), (sensors, 2)):
        for _ in range(n):
            ProjectFactory(
                zone=zone,
                industry=industry,
                carrier="space",
                stage="signed",
                stage_on=dt.date(2023, 3, 1),
                fixed_asset_investment=Decimal("10000000"),
            )
    ProjectFactory(zone=zone, industry=storage, carrier="space", stage="negotiating")
    client = client_as("leader")
    key = f"projects.space.signed.fixed_asset_investment.industry.{storage.pk}"
    page = client.get("/dashboard/").content.decode()
    assert f"/metrics/{key}/" in page
    records = client.get(f"/metrics/{key}/")
    assert records.status_code == 200
    assert records.context["value"] == Decimal("30000000")
    assert records.context["page"].paginator.count == 3
    scope = MetricScope.of([zone.pk], dt.date(2023, 2, 1))
    assert registry.get(key).value(scope) == 0
    # Another zone's officer does not even learn the industry's name.
    assert client_as("outsider").get(f"/metrics/{key}/").status_code == 404
