"""数据核对 end to end on a zone built with the services: the briefing the platform writes
checks 100% agree, for two days and for a second zone; after records change, the old text shows
exactly the changed figures as disagreeing (and, read as known on its day, as right then); a
figure no metric fits is never agreeing; the queries do not grow with the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from gaoxin.core.figures import Figure
from gaoxin.core.metrics import MetricScope
from gaoxin.dashboard.briefing import compose as writer
from gaoxin.economy.models import Indicator, Source
from gaoxin.economy.periods import Period
from gaoxin.economy.services import FigureInput, figures_record
from gaoxin.enterprises.models import ScaleSpell
from gaoxin.factcheck.services import check
from gaoxin.factcheck.types import Report, Verdict
from gaoxin.policies.models import EventAttendance
from gaoxin.projects import services as project_services
from tests.dashboard.test_briefing import build_world
from tests.factories import (
    EnterpriseFactory,
    PolicyEventFactory,
    ProjectFactory,
    make_uscc,
)

D = dt.date
DAYS = (D(2023, 3, 31), D(2023, 6, 30))
MARCH = D(2023, 3, 1)


@pytest.fixture
def world(zone, other_zone, users):
    """The zone of the briefing's own tests (tests/dashboard/test_briefing.py: spaces and their
    tenants, a 专精特新 campaign, a paid award batch, a land project, an overdue blocker), one
    tenant registered in May so that the two days differ, with policy briefings, a second land
    project and the economy's monthly figures; and a few records in another zone, which has a
    briefing of its own."""
    built = build_world(
        zone, other_zone, users, other_space_area=350_000, late_tenant_on=D(2023, 5, 10)
    )
    officer, industry = built["officer"], built["industry"]
    ProjectFactory(zone=other_zone, carrier="space", stage="signed", stage_on=D(2023, 2, 1))
    for held_on, guests in [(D(2023, 2, 10), 3), (D(2023, 5, 20), 2)]:
        event = PolicyEventFactory(zone=zone, held_on=held_on)
        for i in range(guests):
            EventAttendance.objects.create(
                event=event, enterprise=EnterpriseFactory(zone=zone, name=f"参会企业{held_on}{i}")
            )
    ProjectFactory(
        zone=zone, industry=industry, officer=officer, name="新型显示模组项目", carrier="land",
        stage="construction", stage_on=D(2023, 2, 15), land_to_construction_days=25,
    )  # fmt: skip
    # The economy: output grows and revenue falls on last year; each month's figures are
    # recorded at the month's end (so that as known on a day they are what they are now).
    output = Indicator.objects.get(code="output")
    revenue = Indicator.objects.get(code="revenue")
    makers = []
    for index, name in enumerate(["一号工厂", "二号工厂", "小微企业"]):
        enterprise = EnterpriseFactory(zone=zone, name=name)
        if index < 2:  # 规上 since 2021
            ScaleSpell.objects.create(enterprise=enterprise, entered_on=D(2021, 1, 1))
        makers.append(enterprise)
    for year in (2022, 2023):
        for month in range(1, 7):
            values = [
                FigureInput(
                    enterprise.pk,
                    indicator.pk,
                    Period.of(year, month),
                    Decimal((index + 1) * 1_000_000 * factor + month * 1000),
                )
                for index, enterprise in enumerate(makers)
                for indicator, factor in ((output, year - 2020), (revenue, 2025 - year))
            ]
            at = dt.datetime(year, month, 28, 12, tzinfo=dt.UTC)
            figures_record(zone=zone, values=values, source=Source.BUREAU, by=None, at=at)
    return built


def compose(zone, day: dt.date) -> writer.Briefing:
    with translation.override("zh-hans"):
        return writer.compose(
            MetricScope.of([zone.pk], day), zone_label=zone.name, zone_code=zone.code
        )


def numbers(briefing: writer.Briefing) -> dict[str, Figure]:
    """The briefing's figures written as numbers (a project's name links to its figure too,
    but is no number to check)."""
    return {f.key: f for f in briefing.figures if any(c.isdigit() for c in f.shown)}


def verdicts(report: Report) -> dict[str, Verdict]:
    """Each figure's key and verdict; a key twice must have the same verdict both times."""
    found: dict[str, Verdict] = {}
    for finding in report.findings:
        key = finding.key or f"? {finding.mention.text}"
        assert found.setdefault(key, finding.verdict) == finding.verdict, key
    return found


def assert_all_agree(briefing: writer.Briefing, report: Report) -> None:
    written = numbers(briefing)
    assert written, briefing.text
    found = verdicts(report)
    # Every figure the briefing wrote is found, as its own metric, and agrees; nothing else
    # in the text is taken for a figure.
    assert found == dict.fromkeys(written, Verdict.AGREES), briefing.text


def test_the_briefing_checks_all_agree(world, zone) -> None:
    for day in DAYS:
        briefing = compose(zone, day)
        report = check(briefing.text, [zone.pk], day)
        assert report.as_of == day
        assert_all_agree(briefing, report)
        for finding in report.findings:
            assert (
                finding.now is not None
                and finding.now.value == numbers(briefing)[finding.key].value
            )
            assert finding.records_url == (
                f"/metrics/{finding.key}/?as_of={day.isoformat()}&zone={zone.code}"
            )


def test_the_day_is_the_one_the_briefing_says(world, zone) -> None:
    """The title's 截至2023年6月30日 is the day checked when none is given."""
    briefing = compose(zone, DAYS[1])
    report = check(briefing.text, [zone.pk])
    assert (report.said_day, report.as_of) == (DAYS[1], DAYS[1])
    assert_all_agree(briefing, report)


def test_the_other_zones_briefing_checks_too(world, zone, other_zone) -> None:
    briefing = compose(other_zone, DAYS[1])
    report = check(briefing.text, [other_zone.pk], DAYS[1])
    assert_all_agree(briefing, report)
    # The home zone's records say otherwise of the away zone's text.
    against_home = check(briefing.text, [zone.pk], DAYS[1])
    assert against_home.disagrees


def backdate_history(to: dt.datetime) -> None:
    """The world as if entered back then: its records' history dated `to`, so that read as
    known on a day after it, they are what they are now, until they change."""
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_date"):
            model._default_manager.update(history_date=to)


def test_after_a_change_exactly_the_changed_figures_disagree(world, zone) -> None:
    backdate_history(timezone.make_aware(dt.datetime(2023, 1, 1)))
    old = {day: compose(zone, day) for day in DAYS}
    officer, signed = world["officer"], world["signed"]
    signed.refresh_from_db()
    signed = project_services.project_update(
        project=signed, by=officer, version=signed.version,
        fixed_asset_investment=signed.fixed_asset_investment + 200_000_000,
    )  # fmt: skip
    project_services.project_advance(
        project=signed, by=officer, to_stage="registered", on=D(2023, 6, 1),
        version=signed.version, uscc=make_uscc(777), company_name="珠海入驻科技有限公司",
    )  # fmt: skip
    changed: dict[dt.date, set[str]] = {}
    for day in DAYS:
        before, after = numbers(old[day]), numbers(compose(zone, day))
        changed[day] = {
            key for key in before if key not in after or after[key].shown != before[key].shown
        }
        report = check(old[day].text, [zone.pk], day)
        found = verdicts(report)
        assert {k for k, v in found.items() if v == Verdict.DISAGREES} == changed[day], day
        assert {k for k, v in found.items() if v == Verdict.AGREES} == set(before) - changed[day]
        for finding in report.findings:
            if finding.verdict == Verdict.DISAGREES:
                # How the text should read: what the briefing now writes.
                assert finding.now is not None
                assert after[finding.key].shown in finding.now.shown, finding
            # As known on its day, the text was right: the changed figures were revised.
            assert finding.then is not None and finding.then.agrees, finding
            assert finding.revised == (finding.verdict == Verdict.DISAGREES)
    # The investment is behind both days' text; the stage change dated 1 June only June's.
    money = "projects.space.signed.fixed_asset_investment"
    registered = "projects.space.reached.registered"
    assert money in changed[DAYS[0]] and money in changed[DAYS[1]]
    assert registered in changed[DAYS[1]] and registered not in changed[DAYS[0]]


def test_a_figure_no_metric_fits_never_agrees(world, zone) -> None:
    text = "截至2023年6月30日，全区新增就业岗位1200个，带动社会投资增长2倍。"
    report = check(text, [zone.pk])
    figures = list(report.findings)
    assert figures, report
    assert {f.verdict for f in figures} == {Verdict.UNRECOGNISED}
    assert all(f.now is None and f.key is None for f in figures)


def test_a_wrong_figure_reads_as_the_records_say(world, zone) -> None:
    text = "截至2023年6月30日，目前，9个项目已签约并将入驻，固定资产投资预计达30.00亿元。"
    report = check(text, [zone.pk])
    by_key = {f.key: f for f in report.findings}
    signed = by_key["projects.space.reached.signed"]
    assert signed.verdict == Verdict.DISAGREES
    assert signed.now is not None and signed.now.shown == f"{signed.now.value}个"
    money = by_key["projects.space.signed.fixed_asset_investment"]
    assert money.verdict == Verdict.DISAGREES
    assert money.now is not None
    assert money.now.shown == f"{money.now.value / Decimal(100_000_000):.2f}亿元"


def test_queries_do_not_grow_with_the_figures(world, zone, django_assert_max_num_queries) -> None:
    """Siblings share one query and each metric is read once: the text three times over costs
    no more than once; so does the rewind to the day as known then."""
    text = compose(zone, DAYS[1]).text
    written = len(numbers(compose(zone, DAYS[1])))
    check(text, [zone.pk], DAYS[1], today=DAYS[1])  # warm: the registry's lazy parts
    # The values (siblings in one query), the families' names, the members named, the zone.
    with django_assert_max_num_queries(70):
        check(text, [zone.pk], DAYS[1], today=DAYS[1])
    for today in (DAYS[1], None):  # the day is today, then a past day (with the rewind)
        with CaptureQueriesContext(connection) as once:
            check(text, [zone.pk], DAYS[1], today=today)
        with CaptureQueriesContext(connection) as thrice:
            report = check("\n".join([text] * 3), [zone.pk], DAYS[1], today=today)
        assert len(report.findings) == 3 * written
        assert len(thrice) <= len(once), [q["sql"] for q in thrice.captured_queries]
