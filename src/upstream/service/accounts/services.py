"""Operations on sign-in: the two-step sign-in with TOTP, setting up TOTP, changing passwords.

Who must use two-factor sign-in: ``two_factor_required``. The rule is enforced for every page
(the admin site included) by ``accounts.middleware.two_factor_required``.

Two-step sign-in: after a correct password, a user with a confirmed TOTP device is not signed
in yet. ``start_two_step`` remembers who they are in the (anonymous) session for a few
minutes; ``finish_two_step`` signs them in once the 6-digit code is right. Nothing about the
password is kept.
"""

import time
from base64 import b32encode
from dataclasses import dataclass
from xml.etree import ElementTree

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action
from upstream.service.audit.services import record

PENDING_KEY = "upstream_two_step"
PENDING_SECONDS = 5 * 60
"""How long the code step waits after a correct password before the user must start again."""

SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class PendingSignIn:
    user: object
    backend: str
    next_url: str


def two_factor_required(user) -> bool:
    """True if ``user`` may use the service only after a TOTP code.

    Always for administrators and anyone who can reach the Django admin site (staff or
    superuser); for every other role too while ``UPSTREAM_TWO_FACTOR_FOR_STAFF`` is on.
    """
    if user.role == Role.ADMIN or user.is_staff or user.is_superuser:
        return True
    return settings.UPSTREAM_TWO_FACTOR_FOR_STAFF


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None if two-factor sign-in is off for them."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def start_two_step(request, user, next_url: str) -> None:
    """Remember that ``user`` gave the right password; the code step finishes the sign-in."""
    request.session[PENDING_KEY] = {
        "user_id": user.pk,
        "backend": user.backend,
        "next": next_url,
        "started": time.time(),
    }


def pending_sign_in(request) -> PendingSignIn | None:
    """The sign-in waiting for a code, or None if there is none or it has expired."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["started"] > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()
    if user is None:
        return None
    return PendingSignIn(user=user, backend=pending["backend"], next_url=pending["next"])


def finish_two_step(request, pending: PendingSignIn, code: str) -> bool:
    """Sign ``pending.user`` in if ``code`` is right for their device; True on success.

    A wrong code counts as a failed sign-in (audited, and towards the lockout). The device
    also throttles repeated wrong codes itself.
    """
    device = _checked_device(request, pending.user, code)
    if device is None:
        return False
    request.session.pop(PENDING_KEY, None)
    auth_login(request, pending.user, backend=pending.backend)
    otp_login(request, device)
    return True


def verify_session(request, code: str) -> bool:
    """Finish two-factor sign-in for a signed-in user whose session has no code yet.

    That happens when the user signed in before two-factor became required for them. A wrong
    code is audited and counts towards the lockout, as at the sign-in code step.
    """
    device = _checked_device(request, request.user, code)
    if device is None:
        return False
    otp_login(request, device)
    return True


def _checked_device(request, user, code: str) -> TOTPDevice | None:
    """``user``'s confirmed device if ``code`` is right for it; else None, with the wrong code
    sent as a failed sign-in (audited, and towards the lockout)."""
    device = confirmed_device(user)
    if device is not None and device.verify_token(code):
        return device
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username(), "step": "two-factor code"},
        request=request,
    )
    return None


def unconfirmed_device(user) -> TOTPDevice:
    """The device being set up for ``user`` (created on first use, reused until confirmed)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The device's secret in base32, grouped in fours, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the device's ``otpauth://`` URI, labelled for screen readers.

    Drawn with presentation attributes only (no style attributes, no script), so it is
    allowed by the Content Security Policy.
    """
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    ElementTree.register_namespace("", SVG_NS)
    svg = ElementTree.fromstring(image.to_string(encoding="unicode"))
    svg.set("role", "img")
    svg.set("aria-labelledby", "qr-title")
    svg.set("class", "upstream-qr-code")
    title = ElementTree.Element(f"{{{SVG_NS}}}title", {"id": "qr-title"})
    title.text = "QR code to add Upstream to your authenticator app"
    svg.insert(0, title)
    return ElementTree.tostring(svg, encoding="unicode")


def confirm_device(request, device: TOTPDevice, code: str) -> bool:
    """Turn two-factor sign-in on if ``code`` comes from the app holding ``device``'s secret.

    Any other device the user had is removed, so they have exactly one.
    """
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record(request, Action.CHANGE, device.user, detail="two-factor sign-in turned on")
    return True


def turn_off_two_factor(request, code: str) -> bool:
    """Turn two-factor sign-in off for the signed-in user, if ``code`` proves they hold it
    and two-factor is not required of them (``two_factor_required``)."""
    if two_factor_required(request.user):
        return False
    device = confirmed_device(request.user)
    if device is None or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=request.user).delete()
    record(request, Action.CHANGE, request.user, detail="two-factor sign-in turned off")
    return True


def change_password(request, form) -> None:
    """Save a valid ``PasswordChangeForm``, keep the user signed in, and audit the change."""
    user = form.save()
    update_session_auth_hash(request, user)
    record(request, Action.CHANGE, user, detail="password changed")
