"""Systems (an electronic patient record, a GP system...) that post referrals through the API.

Each system holds one bearer token. Only a SHA-256 hash of the token is stored, with a short
visible prefix so that an administrator can tell tokens apart; the token itself is shown once,
when it is issued, and cannot be recovered.
"""

from django.db import models

from upstream.service.accounts.models import Team


class ApiClient(models.Model):
    """A system allowed to post referrals to ``teams`` and to read the status of its own."""

    name = models.CharField(
        max_length=80, unique=True,
        help_text="The system, e.g. 'Barts EPR'. Shown in the audit log.",
    )
    teams = models.ManyToManyField(
        Team, blank=True, related_name="api_clients",
        help_text="Teams this system may send referrals to.",
    )
    token_prefix = models.CharField(
        max_length=12, editable=False, help_text="The token's first characters, to recognise it"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(
        default=False, help_text="A revoked token is refused; issue a new client to replace it."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "API client"

    def __str__(self) -> str:
        return self.name


class ApiSubmission(models.Model):
    """Which client submitted which referral: a client reads the status of these only."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="submissions")
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="api_submission"
    )

    class Meta:
        ordering = ["-referral__received_at", "-referral_id"]
