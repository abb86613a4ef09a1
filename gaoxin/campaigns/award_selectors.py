"""Reading award batches (奖励资金批次) and their awards, always through the access rules.
The paid figures are read from the awards' paid dates, so they can be asked as of any day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import OrderBy

from gaoxin.campaigns import access
from gaoxin.campaigns.models import Award, AwardBatch, AwardStatus
from gaoxin.core.access import get_for_user, role_of, scope
from gaoxin.core.queries import containing, text_match
from gaoxin.core.roles import Role
from gaoxin.enterprises.models import Designation, Enterprise

if TYPE_CHECKING:
    from gaoxin.accounts.models import User

# The awards on the public list (公示名单): announced, and those paid since.
PUBLIC_STATUSES = (AwardStatus.ANNOUNCED, AwardStatus.PAID)


def award_batch_list_for_user(user: User) -> QuerySet[AwardBatch]:
    return scope(user, AwardBatch.objects.all(), access.AWARD_BATCH)


def award_batch_get_for_user(user: User, pk: Any, *, write: bool = False) -> AwardBatch:
    return get_for_user(
        user,
        AwardBatch.objects.select_related("zone", "policy"),
        pk,
        access.AWARD_BATCH,
        write=write,
    )


def _visible(user: User, queryset: QuerySet[Award]) -> QuerySet[Award]:
    """An enterprise sees its awards once they are publicly announced (公示), not while the
    zone is still deciding them."""
    if role_of(user) == Role.ENTERPRISE:
        return queryset.filter(status__in=[AwardStatus.ANNOUNCED, AwardStatus.PAID])
    return queryset


def award_list_for_user(user: User) -> QuerySet[Award]:
    return _visible(user, scope(user, Award.objects.all(), access.AWARD))


def award_get_for_user(user: User, pk: Any, *, write: bool = False) -> Award:
    return get_for_user(
        user,
        _visible(
            user,
            Award.objects.select_related("batch", "batch__zone", "enterprise", "designation"),
        ),
        pk,
        access.AWARD,
        write=write,
    )


def own_awards(user: User) -> QuerySet[Award]:
    """An enterprise user's awards (the scope keeps them to their own enterprise)."""
    return (
        award_list_for_user(user)
        .select_related("batch", "enterprise")
        .order_by("-batch__created_at", "-pk")
    )


# --- figures -------------------------------------------------------------------------------


def batch_awards(batch_ids: Any) -> QuerySet[Award]:
    return Award.objects.filter(batch_id__in=batch_ids).exclude(status=AwardStatus.WITHDRAWN)


def paid_by(batch_ids: Any, as_of: dt.date) -> QuerySet[Award]:
    return Award.objects.filter(batch_id__in=batch_ids, status=AwardStatus.PAID, paid_on__lte=as_of)


def paid_in_zones(zone_ids: Any, as_of: dt.date) -> QuerySet[Award]:
    return Award.objects.filter(
        batch__zone_id__in=zone_ids, status=AwardStatus.PAID, paid_on__lte=as_of
    )


def enterprises_of(awards: QuerySet[Award]) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(pk__in=awards.values("enterprise_id"))


def batch_figures(batch_ids: list[int], as_of: dt.date) -> dict[int, dict[str, Any]]:
    """For a page of batches, in one query: the total of all awards, the enterprises awarded,
    and what was paid by the date to how many enterprises (the same conditions as the
    metrics)."""
    paid = Q(awards__status=AwardStatus.PAID, awards__paid_on__lte=as_of)
    rows = (
        AwardBatch.objects.filter(pk__in=batch_ids)
        .annotate(
            total=Sum("awards__amount", filter=~Q(awards__status=AwardStatus.WITHDRAWN)),
            enterprises=Count(
                "awards__enterprise",
                distinct=True,
                filter=~Q(awards__status=AwardStatus.WITHDRAWN),
            ),
            paid=Sum("awards__amount", filter=paid),
            paid_enterprises=Count("awards__enterprise", filter=paid, distinct=True),
        )
        .values("pk", "total", "enterprises", "paid", "paid_enterprises")
    )
    found = {
        pk: {"total": Decimal(0), "enterprises": 0, "paid": Decimal(0), "paid_enterprises": 0}
        for pk in batch_ids
    }
    for row in rows:
        found[row["pk"]] = {
            "total": row["total"] or Decimal(0),
            "enterprises": row["enterprises"],
            "paid": row["paid"] or Decimal(0),
            "paid_enterprises": row["paid_enterprises"],
        }
    return found


# --- the lists -----------------------------------------------------------------------------

BATCH_SORTS: dict[str, str | OrderBy] = {
    "name": "name",
    "-name": "-name",
    "created": "created_at",
    "-created": "-created_at",
    "announced": F("announced_on").asc(nulls_last=True),
    "-announced": F("announced_on").desc(nulls_last=True),
}


def batch_search(user: User, *, q: str = "", sort: str = "") -> QuerySet[AwardBatch]:
    queryset = award_batch_list_for_user(user).select_related("policy")
    queryset = containing(queryset, q, "name", "policy__title")
    return queryset.order_by(BATCH_SORTS.get(sort, "-created_at"), "pk")


AWARD_SORTS: dict[str, str | OrderBy] = {
    "name": "enterprise__name",
    "-name": "-enterprise__name",
    "amount": "amount",
    "-amount": "-amount",
    "status": "status",
    "-status": "-status",
    "paid": F("paid_on").asc(nulls_last=True),
    "-paid": F("paid_on").desc(nulls_last=True),
}


def award_search(
    batch: AwardBatch, *, q: str = "", status: str = "", sort: str = ""
) -> QuerySet[Award]:
    """The awards of a batch the user has opened (through `award_batch_get_for_user`)."""
    queryset = Award.objects.filter(batch=batch).select_related("enterprise", "designation")
    q = q.strip()
    if q:
        condition = (
            text_match("enterprise__name", q)
            | text_match("enterprise__short_name", q)
            | text_match("reason", q)
        )
        if q.isascii() and q.isalnum():
            condition |= Q(enterprise__uscc__startswith=q.upper()) | Q(
                enterprise__name_initials__contains=q.lower()
            )
        queryset = queryset.filter(condition)
    if status == "public":
        queryset = queryset.filter(status__in=PUBLIC_STATUSES)
    elif status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(AWARD_SORTS.get(sort, "enterprise__name"), "pk")


def designations_for_award(enterprise: Enterprise | None) -> QuerySet[Designation]:
    """The designations an award may name as its reason: the enterprise's, newest first."""
    if enterprise is None:
        return Designation.objects.none()
    return Designation.objects.filter(enterprise=enterprise).order_by("-granted_on", "-pk")
