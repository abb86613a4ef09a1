"""A project's amounts and areas are bounded: a typed 99999999999999.99 is a form error, not a
value that later takes every page showing it down (SQLite reads 1e14 back as a float that no
longer fits the field); a value only the database refuses is a form error, not a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from gaoxin.core.bounds import AREA_MAX, MONEY_MAX
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
        "planned_investment": "100",
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


@pytest.mark.parametrize(
    "field,value",
    [
        ("planned_investment", "99999999999999.99"),
        ("fixed_asset_investment", "99999999999999.99"),
        ("expected_annual_output", str(MONEY_MAX + Decimal("0.01"))),
        ("expected_annual_tax", "99999999999999.99"),
        ("floor_area", str(AREA_MAX + Decimal("0.01"))),
        ("planned_investment", "-1"),
        ("floor_area", "-0.01"),
        ("expected_annual_tax", "1" + "0" * 40),
    ],
)
def test_an_amount_out_of_bounds_is_a_form_error(
    zone, users, client_as, industry, field, value
) -> None:
    space = SpaceFactory(zone=zone, total_floor_area=AREA_MAX)
    response = client_as("officer").post(
        "/projects/new/", _new_project_form(users, industry, space, **{field: value})
    )
    assert response.status_code == 200
    assert not Project.objects.exists()
    errors = response.context["form"].errors
    assert field in errors, errors
    limit = "999,999,999,999.99" if "area" not in field else "99,999,999.99"
    assert limit in errors[field][0]


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
        _new_project_form(users, industry, space, **{k: str(v) for k, v in tops.items()}),
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
