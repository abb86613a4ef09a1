"""The request a signed-in page is given, as the type checker should see it.

Django types `request.user` as `User | AnonymousUser` and knows nothing of django-htmx's
`request.htmx`. A view behind `login_required` (or a role check) is only ever called with a
signed-in user, and HtmxMiddleware runs on every request: annotating such a view's request as
`AuthedRequest` says so once instead of narrowing in every view. Nothing here exists at run
time beyond the class itself; the request Django passes is the ordinary one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:  # accounts sits above core: its User is named for the type checker only
    from django_htmx.middleware import HtmxDetails

    from gaoxin.accounts.models import User


class HtmxRequest(HttpRequest):
    """Any request, after django-htmx's middleware."""

    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    """The request of a view behind `login_required`: its user is signed in."""

    user: User
