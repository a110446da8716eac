"""Referrals into a team, and the episodes of support they open.

A referral is a request for support; an episode is the period a team works with a person.
A second referral for someone who already has an open episode in the same team is linked to
that episode instead of opening another (duplicate detection, ``services.submit_referral``).
Status changes go only through ``services.transition`` so each is checked, timestamped and
attributed (``EpisodeTransition``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import STAFF_ROLES, Role, Team
from upstream.service.people.models import Person
from upstream.service.referrals.states import LABELS, OPEN, Status


class ReferralSource(models.TextChoices):
    PATHWAY_CLINICIAN = "pathway_clinician", "Secondary care pathway clinician"
    GP = "gp", "GP or primary care"
    SELF = "self", "Self-referral"
    VCSE = "vcse", "Community or voluntary organisation"
    POLICE_WELFARE = "police_welfare", "Police welfare notice"
    CASE_FINDING = "case_finding", "Case-finding worklist"
    OTHER = "other", "Other"


class Urgency(models.TextChoices):
    ROUTINE = "routine", "Routine"
    URGENT = "urgent", "Urgent"


class TriageOutcome(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"
    REDIRECT = "redirect", "Redirect to another team"


class RejectReason(models.TextChoices):
    NOT_SUITABLE = "not_suitable", "Not suitable"
    DECLINED = "declined", "Person declined"
    OUT_OF_AREA = "out_of_area", "Out of area"
    DUPLICATE = "duplicate", "Duplicate referral"
    DECEASED = "deceased", "Deceased"
    OTHER = "other", "Other"


def _team_scope(queryset, user, team_field: str, referrer_field: str):
    """The one rule for who sees which referral or episode."""
    if user.role in STAFF_ROLES:
        return queryset.filter(**{f"{team_field}__in": user.teams.all()})
    if user.role == Role.REFERRER:
        return queryset.filter(**{referrer_field: user}).distinct()
    if user.role == Role.ADMIN:
        return queryset
    return queryset.none()


class EpisodeQuerySet(models.QuerySet):
    def for_user(self, user) -> "EpisodeQuerySet":
        return _team_scope(self, user, "team", "referrals__referrer")

    def open(self) -> "EpisodeQuerySet":
        return self.filter(status__in=[s.value for s in OPEN])


class Episode(models.Model):
    """A period of support for one person in one team. ``version`` guards concurrent edits."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="episodes")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="episodes")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="caseload",
    )
    status = models.CharField(
        max_length=20, choices=[(s.value, LABELS[s]) for s in Status], default=Status.REFERRED
    )
    status_reason = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    waiting_since = models.DateTimeField(null=True, blank=True)
    allocated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    next_review_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Episode {self.pk} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return Status(self.status) in OPEN


class EpisodeTransition(models.Model):
    """One status change: from, to, who, when, why. Never edited."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    by_label = models.CharField(max_length=160, blank=True, help_text="username or API system")
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ReferralQuerySet(models.QuerySet):
    def for_user(self, user) -> "ReferralQuerySet":
        return _team_scope(self, user, "team", "referrer")


class Referral(models.Model):
    """A request for a team to support a person, with reasons (coded needs) and consent."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    episode = models.ForeignKey(
        Episode, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    source = models.CharField(max_length=30, choices=ReferralSource.choices)
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="referrals_made",
    )
    referrer_name = models.CharField(max_length=160, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True)
    external_system = models.CharField(max_length=80, blank=True)
    external_id = models.CharField(max_length=80, blank=True)
    needs = models.JSONField(default=list, help_text="codes from the needs taxonomy")
    reason = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    consent_given = models.BooleanField(default=False)
    received_at = models.DateTimeField(default=timezone.now)
    is_duplicate = models.BooleanField(
        default=False, help_text="linked to an episode that was already open"
    )
    triage_outcome = models.CharField(max_length=10, choices=TriageOutcome.choices, blank=True)
    reject_reason = models.CharField(max_length=20, choices=RejectReason.choices, blank=True)
    triage_note = models.TextField(blank=True)
    redirected_to = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="redirected_in"
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
