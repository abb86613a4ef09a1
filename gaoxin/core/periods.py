"""Records that hold for a period (a designation, later a lease or a permit): whether one is
in force on a day is always derived from its dates, never from a flag."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q


def in_force_on(
    day: dt.date,
    *,
    prefix: str = "",
    start: str = "granted_on",
    end: str = "expires_on",
    revoked: str = "revoked_on",
) -> Q:
    """Started on or before `day`, not yet ended (the end day included), not revoked by then.

    `prefix` reaches the period through a relation, e.g. "designations__".
    """
    return (
        Q(**{f"{prefix}{start}__lte": day})
        & (Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": day}))
        & (Q(**{f"{prefix}{revoked}__isnull": True}) | Q(**{f"{prefix}{revoked}__gt": day}))
    )
