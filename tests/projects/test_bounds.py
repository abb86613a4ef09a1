"""A project's amounts and areas are bounded: a typed 99999999999999.99 is a form error, not a
value that later takes every page showing it down (SQLite reads 1e14 back as a float that no
longer fits the field); a value only the database refuses is a form error, not a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gaoxin.core.bounds import AREA_MAX, MONEY_MAX
from gaoxin.core.formatting import WAN
from gaoxin.core.metrics import registry
from gaoxin.projects.models import Project
from tests.factories import IndustryFactory, ProjectFactory, SpaceFactory


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def industry(zone):
    return IndustryFactory(zone=zone, name="传感器")


def _new_project_form(users, industry, space, **amounts):
    return {
        "name": "新项目",
        "investor_name": "某集团",
        "industry": industry.pk,
        "carrier": "space",
        "space": space.pk,
        "officer": users["officer"].pk,
        "stage": "signed",
        "stage_on": "2024-01-01",
        "planned_investment": "100",  # 万元
        "fixed_asset_investment": "50",
        **amounts,
    }


def _pages_showing(project: Project) -> list[str]:
    stage_metrics = [m.key for m in registry.all() if m.key.startswith("projects.")]
    assert stage_metrics
    return [
        "/projects/",
        "/projects/?export=xlsx",
        f"/projects/{project.pk}/",
        f"/spaces/{project.space_id}/",
        *(f"/metrics/{key}/" for key in stage_metrics),
    ]


# Money is typed in 万元 (100000000万元 is 1万亿元, one fen above MONEY_MAX); areas in m².
@pytest.mark.parametrize(
    "field,value,says",
    [
        ("planned_investment", "100000000", "1万亿元"),
        ("fixed_asset_investment", "99999999999999.99", "1万亿元"),
        ("expected_annual_output", "10000亿", "1万亿元"),
        ("expected_annual_tax", "1" + "0" * 40, "1万亿元"),
        ("floor_area", str(AREA_MAX + Decimal("0.01")), "99,999,999.99"),
        ("planned_investment", "-1", "-1"),
        ("floor_area", "-0.01", "99,999,999.99"),
    ],
)
def test_an_amount_out_of_bounds_is_a_form_error(
    zone, users, client_as, industry, field, value, says
) -> None:
    space = SpaceFactory(zone=zone, total_floor_area=AREA_MAX)
    response = client_as("officer").post(
        "/projects/new/", _new_project_form(users, industry, space, **{field: value})
    )
    assert response.status_code == 200
    assert not Project.objects.exists()
    errors = response.context["form"].errors
    assert field in errors, errors
    assert says in errors[field][0]


def test_the_largest_values_are_kept_exactly_and_every_page_showing_them_answers(
    zone, users, client_as, industry
) -> None:
    space = SpaceFactory(zone=zone, total_floor_area=AREA_MAX)
    tops = {
        "planned_investment": MONEY_MAX,
        "fixed_asset_investment": MONEY_MAX,
        "expected_annual_output": MONEY_MAX,
        "expected_annual_tax": MONEY_MAX,
        "floor_area": AREA_MAX,
    }
    response = client_as("officer").post(
        "/projects/new/",
        _new_project_form(
            users,
            industry,
            space,
            # Money typed in 万元: MONEY_MAX yuan is 99999999.9999999万元; or said in 元.
            planned_investment=f"{MONEY_MAX / WAN}",
            fixed_asset_investment=f"{MONEY_MAX}元",
            expected_annual_output=f"{MONEY_MAX / WAN}",
            expected_annual_tax=f"{MONEY_MAX}元",
            floor_area=str(AREA_MAX),
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert {name: getattr(project, name) for name in tops} == tops
    for who in ("officer", "leader"):
        viewer = client_as(who)
        for url in _pages_showing(project):
            assert viewer.get(url).status_code == 200, (who, url)


def test_a_negative_investment_on_edit_is_a_form_error(zone, users, client_as, industry) -> None:
    project = ProjectFactory(zone=zone, industry=industry, officer=users["officer"])
    form = {
        "name": project.name,
        "investor_name": project.investor_name,
        "industry": industry.pk,
        "carrier": "space",
        "officer": users["officer"].pk,
        "planned_investment": "-5",
        "fixed_asset_investment": "5",
        "version": project.version,
    }
    response = client_as("officer").post(f"/projects/{project.pk}/edit/", form)
    assert response.status_code == 200
    assert "planned_investment" in response.context["form"].errors
    before = project.planned_investment
    project.refresh_from_db()
    assert project.planned_investment == before
