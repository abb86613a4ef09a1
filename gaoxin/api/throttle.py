"""Each token's calls per minute (ApiToken.rate_per_minute): over it, 429 with Retry-After.

A fixed one-minute window counted in the default cache: shared by every node when CACHE_URL is
set (Redis), else counted by each process. Atomic (add, then incr), unlike ninja's own
throttles, which read, append and write back a list of times.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from gaoxin.accounts.models import ApiToken

WINDOW = 60


def clock() -> float:
    """Seconds since the epoch (a seam for tests)."""
    return time.time()


class TokenRate(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if not isinstance(token, ApiToken):
            return True
        window = int(clock() // WINDOW)
        key = f"api-rate:{token.pk}:{window}"
        cache.add(key, 0, WINDOW * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, WINDOW * 2)
            count = 1
        return count <= token.rate_per_minute

    def wait(self) -> float:
        """Seconds to the next window (the same for every caller: no state on the instance,
        which every request's thread shares)."""
        return WINDOW - clock() % WINDOW
