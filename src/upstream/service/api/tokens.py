"""Issuing, checking and revoking API client tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from upstream.service.api.models import ApiClient

TOKEN_PREFIX = "ups_"
VISIBLE_CHARS = 12
"""How much of the token is kept in clear (``ups_`` and eight random characters)."""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def new_token() -> str:
    """A fresh random token: ``ups_`` and 43 URL-safe characters (256 bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def set_token(client: ApiClient) -> str:
    """Give ``client`` a new token (not yet saved) and return it: the only time it is seen."""
    token = new_token()
    client.token_prefix = token[:VISIBLE_CHARS]
    client.token_hash = hash_token(token)
    return token


@transaction.atomic
def create_client(name: str, teams) -> tuple[ApiClient, str]:
    """Register a system allowed to post to ``teams``; return it and its token."""
    client = ApiClient(name=name)
    token = set_token(client)
    client.full_clean()
    client.save()
    client.teams.set(teams)
    return client, token


def client_for_token(token: str) -> ApiClient | None:
    """The unrevoked client holding ``token``, stamping its last use; None if there is none."""
    client = ApiClient.objects.filter(token_hash=hash_token(token), revoked=False).first()
    if client is not None:
        client.last_used_at = timezone.now()
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=client.last_used_at)
    return client


def revoke(client: ApiClient) -> None:
    """Refuse ``client``'s token from now on."""
    ApiClient.objects.filter(pk=client.pk).update(revoked=True)
    client.revoked = True
