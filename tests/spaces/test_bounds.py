"""A space's floor area out of bounds is a form error; the largest allowed is kept and its
page answers."""

from __future__ import annotations

import pytest
from django.utils import translation

from gaoxin.core.bounds import AREA_MAX
from gaoxin.spaces.models import Space


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _space(area):
    return {
        "name": "产业新空间一期",
        "total_floor_area": area,
        "status": "building",
        "status_on": "2024-01-01",
    }


@pytest.mark.parametrize("area", ["9999999999.99", "100000000", "-1", "1" + "0" * 40])
def test_a_floor_area_out_of_bounds_is_a_form_error(client_as, area) -> None:
    response = client_as("officer").post("/spaces/new/", _space(area))
    assert response.status_code == 200
    assert "total_floor_area" in response.context["form"].errors
    assert "99,999,999.99" in response.content.decode()
    assert not Space.objects.exists()


def test_the_largest_floor_area_is_kept_and_shown(client_as) -> None:
    response = client_as("officer").post("/spaces/new/", _space(str(AREA_MAX)))
    assert response.status_code == 302
    space = Space.objects.get()
    assert space.total_floor_area == AREA_MAX
    for url in ("/spaces/", f"/spaces/{space.pk}/"):
        assert client_as("leader").get(url).status_code == 200, url
