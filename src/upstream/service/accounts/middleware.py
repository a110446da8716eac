"""Sign-in rules enforced on every request, after Django's and django-otp's middleware:

- ``session_lifetime``: a sign-in lasts at most ``UPSTREAM_SESSION_MAX_AGE`` seconds, however
  active the user is (the 30-minute idle timeout is Django's ``SESSION_COOKIE_AGE``).
- ``two_factor_required``: a user who must use two-factor sign-in (``services.
  two_factor_required``) reaches no page, the admin site included, until their session is
  verified with a TOTP code: without a confirmed device they are sent to set one up, with one
  to the code step.

The API is not affected: it authenticates each request with a bearer token, not a session.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from upstream.service.accounts import services

SIGNED_IN_AT = "upstream_signed_in_at"
"""Session key: when (Unix time) the user signed in."""

OPEN_PATHS = ("/static/", "/api/", "/healthz", "/oruk/")
"""Paths that need no verified session (the API authenticates by token; the open directory
API at ``/oruk/`` needs no sign-in at all)."""


@receiver(user_logged_in, dispatch_uid="upstream-signed-in-at")
def _stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = time.time()


def session_lifetime(get_response):
    """Sign out a session older than ``UPSTREAM_SESSION_MAX_AGE`` and send the user to sign in.

    A signed-in session without a sign-in time (not made by Django's ``login``) counts as
    expired.
    """

    def middleware(request):
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            max_age = settings.UPSTREAM_SESSION_MAX_AGE
            if signed_in_at is None or time.time() - signed_in_at > max_age:
                logout(request)
                messages.info(request, "You have been signed out because you signed in "
                                       "more than a working day ago. Sign in again.")
                return redirect_to_login(request.get_full_path())
        return get_response(request)

    return middleware


def _exempt_paths() -> tuple[str, ...]:
    """Pages a signed-in user reaches before their second factor: set-up, code, sign-out."""
    return tuple(reverse(name) for name in ("accounts:login", "accounts:login_code",
                                            "accounts:logout", "accounts:two_factor"))


def two_factor_required(get_response):
    """Send a signed-in user whose session is not verified with a code where they get one."""

    def middleware(request):
        user = request.user
        if (user.is_authenticated and not user.is_verified()
                and not request.path_info.startswith(OPEN_PATHS)
                and request.path_info not in _exempt_paths()
                and services.two_factor_required(user)):
            next_query = urlencode({"next": request.get_full_path()})
            if services.confirmed_device(user) is None:
                return redirect(reverse("accounts:two_factor") + "?" + next_query)
            return redirect(reverse("accounts:login_code") + "?" + next_query)
        return get_response(request)

    return middleware
