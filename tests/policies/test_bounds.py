"""The policy side's figures out of bounds are form errors on their pages, never a stored value
(briefings, attendances, plan targets; campaigns and awards in tests/campaigns/test_bounds.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

from gaoxin.policies.models import ActionPlan, PolicyEvent

HUGE = "1" + "0" * 40


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.mark.parametrize("value", ["-1", "10000001", HUGE])
def test_a_briefing_head_count_out_of_bounds_is_a_form_error(zone, client_as, value) -> None:
    response = client_as("officer").post(
        "/policies/events/new/",
        {"title": "政策宣讲会", "held_on": "2024-03-01", "attendee_count": value},
    )
    assert response.status_code == 200
    assert "attendee_count" in response.context["form"].errors
    assert not PolicyEvent.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("baseline_value", "99999999999999.99"),
        ("target_value", HUGE),
        ("target_value", "-1"),
        ("target_year", HUGE),
        ("target_year", "20250"),
        ("order", HUGE),
    ],
)
def test_a_plan_target_out_of_bounds_is_a_form_error(zone, client_as, field, value) -> None:
    client = client_as("officer")
    client.post(
        "/dashboard/plans/new/", {"zone": zone.pk, "title": "行动计划", "adopted_on": "2023-03-01"}
    )
    plan = ActionPlan.objects.get()
    target = {
        "label": "企业数量双倍增",
        "metric_key": "enterprises.total",
        "baseline_value": "100",
        "baseline_on": "2022-12-31",
        "target_value": "200",
        "target_year": "2025",
        "order": "1",
    }
    response = client.post(f"/dashboard/plans/{plan.pk}/targets/new/", {**target, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not plan.targets.exists()
