"""Choices that follow another: on a lead, picking an industry leaves only its chain segments;
on a blocker, picking a department leaves only its people (and officers of no department).
Neither form offers "---------", an administrator or a leader."""

from __future__ import annotations

from gaoxin.accounts.models import Department, User
from gaoxin.demo.scenario import ZONE_CODE
from gaoxin.industries.models import ChainSegment, Industry
from gaoxin.projects.models import Project
from tests.e2e.conftest import login, screenshot

OFFERED = "sel => [...sel.options].filter(o => o.value).map(o => o.value)"


def test_segment_follows_industry_and_person_follows_department(page, live_server, demo) -> None:
    base = live_server.url
    first, second = Industry.objects.filter(
        zone__code=ZONE_CODE, segments__isnull=False
    ).distinct()[:2]
    login(page, base, "officer")

    page.goto(f"{base}/leads/new/")
    assert "---------" not in page.content()
    everything = page.eval_on_selector("#id_segment", OFFERED)
    assert len(everything) == ChainSegment.objects.filter(industry__zone__code=ZONE_CODE).count()
    page.select_option("#id_industry", str(first.pk))
    narrowed = page.eval_on_selector("#id_segment", OFFERED)
    assert set(narrowed) == {str(pk) for pk in first.segments.values_list("pk", flat=True)}
    assert len(narrowed) < len(everything)
    page.select_option("#id_segment", narrowed[0])
    page.select_option("#id_industry", str(second.pk))  # the chosen segment goes with its industry
    assert set(page.eval_on_selector("#id_segment", OFFERED)) == {
        str(pk) for pk in second.segments.values_list("pk", flat=True)
    }
    assert page.eval_on_selector("#id_segment", "sel => sel.value") == ""
    screenshot(page, "lead-segment-follows-industry")

    project = Project.objects.filter(zone__code=ZONE_CODE).order_by("pk").first()
    dept_user = User.objects.get(username="dept")
    officer = User.objects.get(username="officer")
    other = Department.objects.filter(zone__code=ZONE_CODE).exclude(pk=dept_user.department_id)[0]
    page.goto(f"{base}/blockers/new/{project.pk}/")
    assert "---------" not in page.content()
    offered = page.eval_on_selector("#id_owner", OFFERED)
    for name in ("admin", "leader"):
        assert str(User.objects.get(username=name).pk) not in offered
    page.select_option("#id_department", str(dept_user.department_id))
    assert set(page.eval_on_selector("#id_owner", OFFERED)) == {str(dept_user.pk), str(officer.pk)}
    page.select_option("#id_department", str(other.pk))
    assert page.eval_on_selector("#id_owner", OFFERED) == [str(officer.pk)]
    screenshot(page, "blocker-owner-follows-department")
