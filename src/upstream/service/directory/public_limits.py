"""How often one client may search "Find support" (no sign-in): at most
``UPSTREAM_FIND_SUPPORT_RATE`` searches (``"60/min"``) per client address, counted in the
shared cache (every gunicorn worker sees the same count) with django-ninja's throttle, the one
the API uses. Over the limit, the page answers 429 with ``Retry-After`` (seconds).

The client's address is the connection's, or with ``UPSTREAM_NUM_PROXIES`` trusted proxies the
one the nearest of them saw in ``X-Forwarded-For`` (a client cannot choose its own). The page
promises to keep nothing about who is searching, so the cache key is a keyed hash of the
address (HMAC with the secret key), never the address itself, and it holds only the times of
recent searches, kept for the length of the period; nothing links it to what was searched.
"""

import hashlib
import hmac

from django.conf import settings
from ninja.throttling import SimpleRateThrottle


class FindSupportThrottle(SimpleRateThrottle):
    """``UPSTREAM_FIND_SUPPORT_RATE`` per client address, the rate read on each request."""

    scope = "find_support"

    def __init__(self):
        super().__init__(rate=settings.UPSTREAM_FIND_SUPPORT_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.UPSTREAM_FIND_SUPPORT_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        address = self.get_ident(request) or ""
        ident = hmac.new(settings.SECRET_KEY.encode(), address.encode(),
                         hashlib.sha256).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


def over_limit(request) -> int | None:
    """Count this search for the client; ``None`` if allowed, else the seconds to wait (at
    least 1) before the next is allowed."""
    throttle = FindSupportThrottle()
    if throttle.allow_request(request):
        return None
    return max(1, round(throttle.wait() or 1))
