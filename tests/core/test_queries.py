"""The list filters every selector shares: the search box and a day range."""

from __future__ import annotations

import datetime as dt

import pytest

from gaoxin.core.queries import containing, within
from gaoxin.policies.models import Policy
from tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db


def test_a_search_matches_any_of_the_fields_whatever_the_case_and_ends() -> None:
    by_title = PolicyFactory(title="Support for Chips", issuer="工信局")
    by_issuer = PolicyFactory(title="人才新政", issuer="Science Bureau")
    PolicyFactory(title="人才安居", issuer="住建局")

    found = containing(Policy.objects.all(), "  chip ", "title", "issuer")
    assert list(found) == [by_title]
    found = containing(Policy.objects.all(), "bureau", "title", "issuer")
    assert list(found) == [by_issuer]


def test_an_empty_search_narrows_nothing() -> None:
    PolicyFactory.create_batch(2)
    assert containing(Policy.objects.all(), "   ", "title").count() == 2


def test_a_day_range_includes_both_ends_and_an_open_end_does_not_narrow() -> None:
    days = [dt.date(2024, 1, d) for d in (1, 10, 20)]
    policies = [PolicyFactory(issued_on=day) for day in days]
    everything = Policy.objects.order_by("issued_on")

    assert list(within(everything, "issued_on", days[0], days[1])) == policies[:2]
    assert list(within(everything, "issued_on", days[1], None)) == policies[1:]
    assert list(within(everything, "issued_on", None, days[0])) == policies[:1]
    assert list(within(everything, "issued_on", None, None)) == policies


def test_punctuation_is_searched_in_a_long_text_column_too(users, zone) -> None:
    """A blocker's description is a TextField: a search with punctuation folds it as it folds
    a name, instead of failing on text against varchar."""
    from gaoxin.projects.models import Blocker
    from tests.factories import ProjectFactory

    project = ProjectFactory(zone=zone)
    department = users["department"].department
    found = Blocker.objects.create(
        project=project,
        stage=project.stage,
        description="owed_due_on（供电）未定",
        department=department,
        raised_on=dt.date(2023, 4, 1),
        due_on=dt.date(2023, 5, 1),
    )
    blockers = Blocker.objects.all()
    assert list(containing(blockers, "owed_due_on", "description", "project__name")) == [found]
    assert list(containing(blockers, "(供电)", "description")) == [found]
    assert not containing(blockers, "(停电)", "description").exists()
