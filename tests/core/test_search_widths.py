"""Search finds a name whichever width its brackets were typed in, stored or searched: names
are stored as typed, and the search folds both sides (core/queries.py text_match)."""

from __future__ import annotations

import pytest

from gaoxin.enterprises.models import Enterprise
from gaoxin.enterprises.selectors import enterprise_search
from gaoxin.investment.selectors import lead_search
from tests.factories import EnterpriseFactory, LeadFactory, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def parks(zone):
    return {
        "full": EnterpriseFactory(
            zone=zone, name="清华科技园（珠海）有限公司", uscc=make_uscc(901)
        ),
        "half": EnterpriseFactory(zone=zone, name="北大科技园(横琴)有限公司", uscc=make_uscc(902)),
    }


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("清华科技园(珠海)", {"full"}),
        ("清华科技园（珠海）", {"full"}),
        ("（珠海", {"full"}),
        ("北大科技园(横琴)", {"half"}),
        ("北大科技园（横琴）", {"half"}),
        ("科技园", {"full", "half"}),
        ("科技园（", {"full", "half"}),
    ],
)
def test_enterprise_search_finds_either_width(users, parks, q, found) -> None:
    rows = set(enterprise_search(users["officer"], q=q).values_list("name", flat=True))
    assert rows == {parks[key].name for key in found}


def test_names_keep_the_brackets_they_were_typed_with(parks) -> None:
    from gaoxin.enterprises.services import enterprise_create

    made = enterprise_create(
        zone=parks["full"].zone, name="  横琴（第二批）储能　公司 ", uscc=make_uscc(903)
    )
    assert Enterprise.objects.get(pk=made.pk).name == "横琴（第二批）储能 公司"


def test_lead_search_finds_either_width(zone, users) -> None:
    lead = LeadFactory(zone=zone, company_name="清华科技园（珠海）", officer=users["officer"])
    for q in ("清华科技园(珠海)", "清华科技园（珠海）", "园(珠"):
        assert list(lead_search(users["officer"], q=q)) == [lead], q
