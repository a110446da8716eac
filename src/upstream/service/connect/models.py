"""Closed-loop community referrals: a referral from a person's plan to a directory service,
what the person agreed to share with the organisation, and every change of status.

- ``CommunityReferral`` hangs off an ``Episode`` (the link worker's side) and names a
  ``directory.Service`` and its ``Organization`` (the partner's side). ``shared`` is a
  snapshot, taken when the referral is made, of exactly the details the person agreed to share:
  the organisation's pages show this and nothing else, and never read the person's record.
- ``ReferralEvent``: every change of status (who, when, from, to, note). Never edited.
- ``PartnerMembership``: a VCSE partner user works for one or more directory organisations.

Scoping is in the querysets: ``for_user`` (the team's side, through the episode) and
``for_partner`` (the organisation's side, through the user's memberships). Changes go through
``services`` only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import PARTNER_ROLES, STAFF_ROLES, Role
from upstream.service.directory.models import Organization, Service
from upstream.service.referrals.models import Episode

from .states import LABELS, OPEN, Status

_STATUS_CHOICES = [(s.value, LABELS[s]) for s in Status]


class SharedDetail(models.TextChoices):
    """What the person may agree to share with the organisation, one choice each."""

    NAME = "name", "Name"
    PHONE = "phone", "Phone number"
    EMAIL = "email", "Email address"
    POSTCODE = "postcode", "Postcode"
    AGE = "age", "Age"
    REASON = "reason", "Reason for the referral (what matters)"
    NEEDS = "needs", "Needs"


class PartnerMembership(models.Model):
    """A VCSE partner user works for ``organization``: they see its referrals and services."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="partner_memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="partner_memberships")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organization"],
                                               name="connect_membership_once")]

    def __str__(self) -> str:
        return f"{self.user} at {self.organization}"


def partner_organisations(user):
    """The directory organisations ``user`` works for (none unless they are a partner)."""
    if user.role not in PARTNER_ROLES:
        return Organization.objects.none()
    return Organization.objects.filter(partner_memberships__user=user)


class CommunityReferralQuerySet(models.QuerySet):
    def for_user(self, user) -> "CommunityReferralQuerySet":
        """The referring team's side: referrals on episodes the user may see."""
        if user.role in STAFF_ROLES or user.role == Role.ADMIN:
            return self.filter(episode__in=Episode.objects.for_user(user))
        return self.none()

    def for_partner(self, user) -> "CommunityReferralQuerySet":
        """The organisation's side: referrals addressed to the partner's organisations."""
        return self.filter(organization__in=partner_organisations(user))

    def open(self) -> "CommunityReferralQuerySet":
        return self.filter(status__in=[s.value for s in OPEN])


class CommunityReferral(models.Model):
    """A referral from a person's plan to a community service, with consent and the details
    the person agreed to share (``shared``: ``{SharedDetail code: value}``)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT,
                                related_name="community_referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     help_text="The service's organisation when referred.")
    status = models.CharField(max_length=20, choices=_STATUS_CHOICES,
                              default=Status.REQUESTED.value, db_index=True)
    consent_given = models.BooleanField(
        help_text="The person agreed to the referral and to sharing the chosen details.")
    consent_note = models.CharField("What was agreed", max_length=300, blank=True)
    shared = models.JSONField(default=dict, blank=True,
                              help_text="The details shared, as agreed, when referred.")
    service_name = models.CharField(max_length=300,
                                    help_text="The service's name when referred.")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True,
                                        help_text="When the organisation first responded.")
    attended_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    status_note = models.CharField(max_length=500, blank=True,
                                   help_text="The note of the latest change (e.g. a reason).")

    objects = CommunityReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(consent_given=True),
                                              name="connect_referral_needs_consent")]

    def __str__(self) -> str:
        return f"Community referral {self.pk}"


class ReferralEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Community referral history is never edited")

    def delete(self):
        raise PermissionError("Community referral history is never deleted")


class ReferralEvent(models.Model):
    """One change of a community referral's status: who, when, from, to, and the note."""

    referral = models.ForeignKey(CommunityReferral, on_delete=models.PROTECT,
                                 related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")
    from_status = models.CharField(max_length=20, blank=True, choices=_STATUS_CHOICES,
                                   help_text="Empty for the event that made the referral.")
    to_status = models.CharField(max_length=20, choices=_STATUS_CHOICES)
    note = models.CharField(max_length=500, blank=True)

    objects = ReferralEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
