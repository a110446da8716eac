"""The demo's two-factor secret: one TOTP key that every demo user's device holds, so that
anyone trying the demo can sign in with ``upstream demo-code`` or by adding the key to an
authenticator app. Demo-only: real users set up their own device, whose key nobody else sees.

Importable without Django set up (``upstream demo-code`` needs no settings or database).
"""

import time
from base64 import b32decode

from django_otp.oath import totp

DEMO_TOTP_SECRET = "UPSTREAMDEMOCODESNOTFORREALUSERS"
"""Base32, as authenticator apps take it (20 bytes)."""

DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
"""The same key as django-otp's ``TOTPDevice.key`` stores it (hex)."""

STEP = 30


def current_code(offset: int = 0) -> tuple[str, int]:
    """The demo code now (or ``offset`` 30-second steps later) and seconds until it changes."""
    code = totp(b32decode(DEMO_TOTP_SECRET), step=STEP, t0=0, digits=6, drift=offset)
    return f"{code:06d}", STEP - int(time.time()) % STEP
