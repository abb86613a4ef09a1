"""`?zone=&as_of=` means the same on every page that shows figures: the metric pages, the
dashboard, the briefing and the project board all read it through `scope_from_request`.

A zone the user cannot see, or a day that is not a day, is refused with the form's message and
a 400, never silently widened to the user's zones or moved to today; an empty zone is the
user's working zones; the administrator's empty zone is every zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django.utils.html import escape

from gaoxin.core.forms import ScopeForm

PAGES = ("/metrics/", "/dashboard/", "/briefing/", "/projects/board/")


def scope_form_of(response: Any) -> ScopeForm:
    forms = [v for c in response.context for v in c.dicts for v in v.values()]
    found = [f for f in forms if isinstance(f, ScopeForm)]
    assert found, "the page renders no zone and day picker"
    return found[0]


def refused(response: Any, field: str, code: str) -> None:
    assert response.status_code == 400
    assert response.context["scope"] is None
    form = scope_form_of(response)
    assert [e.code for e in form.errors.as_data()[field]] == [code]
    body = response.content.decode()
    for message in form.errors[field]:
        assert escape(message) in body


@pytest.mark.parametrize("page", PAGES)
def test_a_zone_the_user_cannot_see_is_refused_not_widened(page, users, client_as) -> None:
    response = client_as("leader").get(page, {"zone": "away"})
    refused(response, "zone", "invalid_choice")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(
    ("as_of", "code"),
    [("2023-13-45", "invalid"), ("2999-01-01", "future"), ("1900-01-01", "too_early")],
)
def test_a_bad_day_is_refused_not_moved_to_today(page, as_of, code, users, client_as) -> None:
    response = client_as("leader").get(page, {"zone": "home", "as_of": as_of})
    refused(response, "as_of", code)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("query", [{}, {"zone": "", "as_of": ""}])
def test_no_zone_and_no_day_are_the_working_zones_today(page, query, users, client_as, zone):
    response = client_as("leader").get(page, query)
    assert response.status_code == 200
    scope = response.context["scope"]
    assert (scope.zone_ids, scope.as_of) == ((zone.pk,), timezone.localdate())


@pytest.mark.parametrize("page", PAGES)
def test_the_administrators_empty_zone_is_every_zone(page, users, client_as, zone, other_zone):
    client = client_as("admin")
    day = dt.date(2024, 3, 1)
    every = client.get(page, {"zone": "", "as_of": day.isoformat()})
    assert every.status_code == 200
    assert every.context["scope"].zone_ids == tuple(sorted((zone.pk, other_zone.pk)))
    assert every.context["scope"].as_of == day
    one = client.get(page, {"zone": "away", "as_of": day.isoformat()})
    assert one.status_code == 200
    assert one.context["scope"].zone_ids == (other_zone.pk,)
