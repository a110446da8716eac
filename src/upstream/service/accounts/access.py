"""Who may use which view: the one place access rules are declared and enforced.

Every view is wrapped in exactly one of:

- ``@allow(Role.X, Role.Y, ...)``: signed-in users with one of these roles; others get 403,
  anonymous users are sent to sign in.
- ``@public``: anyone (sign-in page, health check).

The wrapper records the rule on the view as ``view.access`` so that the access-matrix test can
enumerate every URL and check it. Record-level scoping (a link worker sees their teams' people
only; a referrer sees only their own referrals) lives in the models' ``for_user`` querysets.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from upstream.service.accounts.models import Role


@dataclass(frozen=True)
class AccessRule:
    roles: frozenset[str]
    public: bool = False


def allow(*roles: str):
    """Restrict a view to signed-in users holding one of ``roles``."""
    if not roles:
        raise ValueError("allow() needs at least one role; use @public for open views")
    rule = AccessRule(roles=frozenset(roles))

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in rule.roles:
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        wrapped.access = rule
        return wrapped

    return decorate


def public(view):
    """Mark a view as open to anyone, signed in or not."""
    view.access = AccessRule(roles=frozenset(Role.values), public=True)
    return view
