"""Follow-ups (跟踪培育) of enterprises found on the radars: who serves which enterprise, since
when, by when. (Its services and pages are built by the follow-up work package; the radars'
lists read `open_followups` to show who follows whom.)"""

from __future__ import annotations

from collections.abc import Iterable

from gaoxin.cultivation.models import Followup


def open_followups(enterprise_ids: Iterable[int], radar: str) -> dict[int, Followup]:
    """{enterprise id: its open follow-up on the radar} for a page of rows, in one query."""
    rows = Followup.objects.filter(
        enterprise_id__in=list(enterprise_ids), radar=radar, closed_on__isnull=True
    ).select_related("officer")
    return {row.enterprise_id: row for row in rows}


def register() -> None:
    """Register the follow-ups' hooks (called from CultivationConfig.ready)."""
