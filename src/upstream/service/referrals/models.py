"""Referrals into a team, and the episodes of support they open.

A referral is a request for support; an episode is the period a team works with a person.
A second referral for someone who already has an open episode in the same team is linked to
that episode instead of opening another (duplicate detection, ``services.submit_referral``).
Status changes go only through ``services.transition`` so each is checked, timestamped and
attributed (``EpisodeTransition``).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import STAFF_ROLES, Role, Team
from upstream.service.people.models import Person
from upstream.service.referrals.states import LABELS, OPEN, Status


class ConsentBy(models.TextChoices):
    """Who agreed to a child's referral."""

    YOUNG_PERSON = "young_person", "The young person"
    PARENT_CARER = "parent_carer", "Their parent or carer"
    BOTH = "both", "The young person and their parent or carer"


class ReferralSource(models.TextChoices):
    PATHWAY_CLINICIAN = "pathway_clinician", "Secondary care pathway clinician"
    GP = "gp", "GP or primary care"
    SELF = "self", "Self-referral"
    VCSE = "vcse", "Community or voluntary organisation"
    POLICE_WELFARE = "police_welfare", "Police welfare notice"
    CASE_FINDING = "case_finding", "Case-finding worklist"
    SCREENING = "screening", "Screening questionnaire (positive answer or missed appointment)"
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
    caseload_override_reason = models.CharField(
        max_length=500, blank=True,
        help_text="why a team lead allocated an urgent case to a worker whose caseload was full",
    )
    version = models.PositiveIntegerField(default=1)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "team"],
                condition=models.Q(status__in=sorted(s.value for s in OPEN)),
                name="one_open_episode_per_person_per_team",
                violation_error_message="This person already has an open episode in this team.",
            ),
        ]

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

    def identity_to_confirm(self) -> "ReferralQuerySet":
        return self.filter(identity=Identity.TO_CONFIRM)


class Identity(models.TextChoices):
    """Whether the referral's person is known to be who the referrer meant (ADR 0005)."""

    CONFIRMED = "confirmed", "Confirmed"
    TO_CONFIRM = "to_confirm", "Identity to confirm"
    LINKED = "linked", "Linked to the existing record"
    CORRECTED = "corrected", "Kept apart: NHS number corrected"
    KEPT_APART = "kept_apart", "Kept apart: different people"


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
    reject_detail = models.CharField(
        max_length=500, blank=True,
        help_text="the reason in words when rejected as 'other'; shown to the referrer",
    )
    triage_note = models.TextField(blank=True)
    redirected_to = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="redirected_in"
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    # The person as the referrer described them. Referrer-facing pages show these, never the
    # stored record, so nobody is shown demographics they did not enter.
    referred_given_name = models.CharField(max_length=100, blank=True)
    referred_family_name = models.CharField(max_length=100, blank=True)
    referred_date_of_birth = models.DateField(null=True, blank=True)
    referred_nhs_number = models.CharField(max_length=10, blank=True)
    identity = models.CharField(
        max_length=12, choices=Identity.choices, default=Identity.CONFIRMED,
        help_text="to_confirm: the typed NHS number belongs to a stored person whose date of "
        "birth or family name differ; the team lead decides",
    )
    identity_candidate = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="the stored person holding the typed NHS number (partial match)",
    )
    identity_resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    identity_resolved_at = models.DateTimeField(null=True, blank=True)
    # A child (under 18 when referred): parent or carer, safeguarding and consent. Required for
    # a child by the referral form and the API (``services.child_details_problems``).
    parent_carer_name = models.CharField(max_length=160, blank=True)
    parent_carer_relationship = models.CharField(max_length=80, blank=True)
    parent_carer_phone = models.CharField(max_length=30, blank=True)
    parental_responsibility = models.BooleanField(null=True, blank=True)
    safeguarding_concerns = models.BooleanField(null=True, blank=True)
    safeguarding_details = models.TextField(max_length=2000, blank=True)
    consent_by = models.CharField(max_length=20, choices=ConsentBy.choices, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]


class CaseNoteQuerySet(models.QuerySet):
    def for_user(self, user) -> "CaseNoteQuerySet":
        """Notes on episodes of the user's teams (staff and admin only; referrers see none)."""
        if user.role in STAFF_ROLES or user.role == Role.ADMIN:
            return self.filter(episode__in=Episode.objects.for_user(user))
        return self.none()


class CaseNote(models.Model):
    """A note on an episode: who, when, what. Never edited in place: a correction is a new
    note pointing at the one it corrects (``corrects``)."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="case_notes")
    text = models.TextField(max_length=4000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="corrections")

    objects = CaseNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Case note {self.pk}"


class BreakGlass(models.Model):
    """A staff user opened a person's history with other teams, giving a reason.

    The reason is kept here (not in the audit detail, which holds no free text); the audit
    log has one row per opening pointing at this record. An opening lasts ``LASTS``.
    """

    LASTS = timedelta(minutes=30)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="break_glass")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="break_glass")
    reason = models.CharField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Break-glass {self.pk}"
