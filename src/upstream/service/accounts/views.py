"""Signing in (with a second step for a TOTP code) and out, two-factor set-up, password
change, and the page shown when sign-in is locked after repeated failures.

Who must use two-factor sign-in is decided by ``services.two_factor_required`` and enforced
by ``accounts.middleware.two_factor_required``, which sends those without a verified session
to ``two_factor`` (set-up) or ``login_code``."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from upstream.service.accounts import services
from upstream.service.accounts.access import allow, public
from upstream.service.accounts.forms import CodeForm
from upstream.service.accounts.models import Role
from upstream.service.ui.errors import error_message, error_summary
from upstream.service.ui.forms import ChangePasswordForm, SignInForm


def _next_url(request) -> str:
    """Where to go after signing in: the ``next`` parameter if it is on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@public
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    """Step one: username and password. Users with two-factor on go on to the code step."""
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if services.confirmed_device(user) is None:
            auth_login(request, user)
            return redirect(_next_url(request))
        services.start_two_step(request, user, _next_url(request))
        return redirect("accounts:login_code")
    return render(request, "accounts/login.jinja", {
        "form": form, "next": request.GET.get("next", ""),
        "errors": error_summary(form, problem_href="#id_username"),
    })


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """Step two: the 6-digit code from the user's authenticator app.

    Also asks a signed-in user for a code when their session has none yet (they signed in
    before two-factor became required for them).
    """
    if request.user.is_authenticated:
        return _verify_signed_in(request)
    pending = services.pending_sign_in(request)
    if pending is None:
        messages.info(request, "Your sign-in has timed out. Sign in again.")
        return redirect("accounts:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if services.finish_two_step(request, pending, form.cleaned_data["code"]):
            return redirect(pending.next_url)
        form.add_error("code", "The code is not right. Enter the code your app shows now")
    return render(request, "accounts/login_code.jinja", {
        "form": form, "errors": error_summary(form), "code_error": error_message(form["code"]),
    })


def _verify_signed_in(request):
    if request.user.is_verified() or services.confirmed_device(request.user) is None:
        return redirect(_next_url(request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if services.verify_session(request, form.cleaned_data["code"]):
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right. Enter the code your app shows now")
    return render(request, "accounts/login_code.jinja", {
        "form": form, "errors": error_summary(form), "code_error": error_message(form["code"]),
        "next": _next_url(request),
    })


_sign_out = auth_views.LogoutView.as_view()


@allow(*Role.values)
@never_cache
@require_http_methods(["GET", "POST"])
def logout(request):
    """GET asks "sign out?" with a button; only the POST (with its CSRF token) signs out."""
    if request.method == "POST":
        return _sign_out(request)
    return render(request, "accounts/logout.jinja", {})


@allow(*Role.values)
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn two-factor sign-in on (scan a QR code, confirm with a code) or, for a user who
    is not required to use it, off (with a code). The secret is shown only until confirmed."""
    device = services.confirmed_device(request.user)
    required = services.two_factor_required(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if device is None:
        pending = services.unconfirmed_device(request.user)
        if form.is_valid():
            if services.confirm_device(request, pending, form.cleaned_data["code"]):
                messages.success(request, "Two-factor sign-in is on. You will need a code "
                                          "from your app each time you sign in.")
                if request.GET.get("next"):
                    return redirect(_next_url(request))
                return redirect("accounts:two_factor")
            form.add_error("code", "The code is not right. Check your app and try again")
        context = {"qr_code_svg": services.qr_code_svg(pending),
                   "secret": services.secret_text(pending)}
    elif required:
        if request.method == "POST":
            raise PermissionDenied("Two-factor sign-in is required for your role.")
        context = {}
    else:
        if form.is_valid():
            if services.turn_off_two_factor(request, form.cleaned_data["code"]):
                messages.success(request, "Two-factor sign-in is off.")
                return redirect("accounts:two_factor")
            form.add_error("code", "The code is not right. Check your app and try again")
        context = {}
    return render(request, "accounts/two_factor.jinja", {
        **context, "enabled": device is not None, "required": required, "form": form,
        "errors": error_summary(form), "code_error": error_message(form["code"]),
    })


@allow(*Role.values)
@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Change your own password; the new one must pass the password rules."""
    form = ChangePasswordForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_valid():
        services.change_password(request, form)
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    return render(request, "accounts/password_change.jinja", {
        "form": form, "errors": error_summary(form),
    })


def locked_out(request, original_response=None, credentials=None):
    """The page django-axes shows when sign-in is locked after too many failures."""
    hours = settings.AXES_COOLOFF_TIME
    return render(request, "accounts/locked.jinja",
                  {"minutes": int(hours * 60)}, status=429)
