"""The zone a new record goes into."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.utils.translation import gettext as _

from gaoxin.core.access import working_zone_ids, zone_model
from gaoxin.core.http import AuthedRequest

if TYPE_CHECKING:  # accounts sits above core: its User is named for the type checker only
    from gaoxin.accounts.models import User, Zone


def single_working_zone(user: User) -> Zone | None:
    """The one zone the user works in now (picked in the switcher, or their only zone); None
    when the working set spans several zones and a new record would not know where to go."""
    zone_ids = working_zone_ids(user)
    if len(zone_ids) != 1:
        return None
    zone: Zone = zone_model().objects.get(pk=zone_ids[0])
    return zone


def zone_for_new_record(request: AuthedRequest) -> Zone | None:
    """`single_working_zone`, telling the user to pick one when there is none."""
    zone = single_working_zone(request.user)
    if zone is None:
        messages.error(request, _("Pick one zone in the switcher at the top first."))
    return zone
