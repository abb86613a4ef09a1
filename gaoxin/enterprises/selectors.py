"""Reading enterprises, always through the access policies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gaoxin.core.access import get_for_user, scope
from gaoxin.enterprises import policies
from gaoxin.enterprises.models import Designation, Enterprise


def enterprise_list_for_user(user: Any) -> QuerySet[Enterprise]:
    return scope(user, Enterprise.objects.all(), policies.ENTERPRISE)


def enterprise_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Enterprise:
    return get_for_user(
        user, Enterprise.objects.select_related("zone"), pk, policies.ENTERPRISE, write=write
    )


def enterprise_contact_get_for_user(user: Any, pk: Any) -> Enterprise:
    """The enterprise whose contact fields this user may change (officers; its own users)."""
    return get_for_user(user, Enterprise.objects.all(), pk, policies.ENTERPRISE_CONTACT, write=True)


def designation_list_for_user(user: Any) -> QuerySet[Designation]:
    return scope(user, Designation.objects.all(), policies.DESIGNATION)


def designation_get_for_user(user: Any, pk: Any, *, write: bool = False) -> Designation:
    return get_for_user(
        user,
        Designation.objects.select_related("enterprise"),
        pk,
        policies.DESIGNATION,
        write=write,
    )
