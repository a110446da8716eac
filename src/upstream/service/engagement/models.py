"""Working with a person during an episode: contact attempts, the "what matters to me"
conversation, the personalised care and support plan (goals, reviews, actions), sessions and
the discharge summary.

Every model here hangs off an ``Episode`` and is scoped the same way: ``for_user`` keeps to the
episodes the user may see (``Episode.objects.for_user``). Changes go through ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.people.models import ContactChannel
from upstream.service.practice.models import Conversation
from upstream.service.referrals.models import Episode
from upstream.standards.vocabularies import NEEDS, choices


class EpisodeScopedQuerySet(models.QuerySet):
    """Rows whose episode the user may see (the one scoping rule, from ``Episode``)."""

    episode_path = "episode"

    def for_user(self, user):
        return self.filter(**{f"{self.episode_path}__in": Episode.objects.for_user(user)})


class ContactOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Message left"
    SPOKE = "spoke", "Spoke to the person"
    ENGAGED = "engaged", "Engaged: agreed to work together"
    WRONG_NUMBER = "wrong_number", "Wrong number or address"
    DECLINED = "declined", "Declined support"
    LETTER_SENT = "letter_sent", "Letter or message sent"
    NOT_AT_HOME = "not_at_home", "Not at home"
    OTHER = "other", "Other"


REACHED_OUTCOMES = frozenset(
    {ContactOutcome.SPOKE, ContactOutcome.ENGAGED, ContactOutcome.DECLINED}
)
"""Outcomes where the worker reached the person: a successful attempt. Every other outcome
(including "other") is unsuccessful and counts towards the team's review prompt."""


class ContactAttempt(models.Model):
    """One attempt to reach the person, whatever its outcome. Never edited once logged."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField("Date and time", default=timezone.now)
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    duration_minutes = models.PositiveIntegerField("Duration (minutes)", null=True, blank=True)
    note = models.TextField(blank=True)
    conversation = models.PositiveSmallIntegerField(
        choices=Conversation.choices, null=True, blank=True,
        help_text="The 3 Conversations tag, for teams that work to that model.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    @property
    def successful(self) -> bool:
        return self.outcome in REACHED_OUTCOMES


class WhatMatters(models.Model):
    """A "what matters to me" conversation: the person's own priorities, strengths and the
    needs they confirmed (codes from ``standards.vocabularies.NEEDS``). The latest one counts."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="what_matters")
    conversation_on = models.DateField("Date of conversation")
    what_matters = models.TextField("What matters to the person")
    strengths = models.TextField(blank=True)
    needs_confirmed = models.JSONField(default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-conversation_on", "-id"]
        verbose_name_plural = "what matters conversations"

    @property
    def needs_labels(self) -> list[str]:
        return [NEEDS.get(code, code) for code in self.needs_confirmed]


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class Goal(models.Model):
    """A goal in the personalised care and support plan, in the person's words."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField("Goal", max_length=300)
    need = models.CharField("Need it addresses", max_length=40, choices=choices(NEEDS),
                            blank=True)
    target_on = models.DateField("Target date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=GoalStatus.choices,
                              default=GoalStatus.NOT_STARTED)
    achieved_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.description


class GoalReviewQuerySet(EpisodeScopedQuerySet):
    episode_path = "goal__episode"


class GoalReview(models.Model):
    """A progress check on a goal: a score from 0 (no progress) to 10 (fully met) and/or words."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Date of review")
    progress = models.PositiveSmallIntegerField("Progress score (0 to 10)", null=True, blank=True)
    note = models.TextField("Progress in words", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")

    objects = GoalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["reviewed_on", "id"]


class PlanAction(models.Model):
    """An action in the plan, often an onward referral to a community service (free text until
    the service directory adds structured community referrals)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField("Action", max_length=300)
    onward_service = models.CharField("Onward service (if any)", max_length=200, blank=True)
    due_on = models.DateField("Due date", null=True, blank=True)
    done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["done", "due_on", "id"]


class SessionKind(models.TextChoices):
    IN_PERSON = "in_person", "1:1 in person"
    PHONE = "phone", "1:1 by phone"
    VIDEO = "video", "1:1 by video"
    GROUP = "group", "Group session"


class Session(models.Model):
    """A support session held with the person (not a contact attempt)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField("Date of session")
    kind = models.CharField("Type of session", max_length=20, choices=SessionKind.choices)
    duration_minutes = models.PositiveIntegerField("Duration (minutes)", null=True, blank=True)
    note = models.TextField(blank=True)
    conversation = models.PositiveSmallIntegerField(
        choices=Conversation.choices, null=True, blank=True,
        help_text="The 3 Conversations tag, for teams that work to that model.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "id"]


class DischargeSummary(models.Model):
    """What was worked on and what changed, written at closing, for the GP and the referrer.

    The counts are a snapshot taken at closing, so the shared summary does not drift.
    """

    episode = models.OneToOneField(Episode, on_delete=models.CASCADE,
                                   related_name="discharge_summary")
    themes = models.JSONField("Needs worked on", default=list, blank=True)
    outcomes = models.TextField("Outcomes")
    goals_summary = models.TextField("Goals", blank=True)
    onward_services = models.TextField("Onward services", blank=True)
    started_on = models.DateField()
    ended_on = models.DateField()
    session_count = models.PositiveIntegerField(default=0)
    contact_attempts = models.PositiveIntegerField(default=0)
    attempts_to_engage = models.PositiveIntegerField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "discharge summaries"

    @property
    def themes_labels(self) -> list[str]:
        return [NEEDS.get(code, code) for code in self.themes]


# -- 3 Conversations: the crisis plan ---------------------------------------------------------

class CrisisPlan(models.Model):
    """The plan for conversation 2 (intensive support in a crisis). The latest one counts;
    earlier ones stay as history."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="crisis_plans")
    crisis = models.TextField("What the crisis is")
    actions = models.TextField("What will be done")
    by_whom = models.CharField("By whom", max_length=200)
    by_when = models.DateField("By when")
    review_on = models.DateField("Review date")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]


# -- strengths, interests and personal network ------------------------------------------------

class NetworkStage(models.TextChoices):
    START = "start", "At the start"
    REVIEW = "review", "Review"
    END = "end", "At the end"


class NetworkSnapshot(models.Model):
    """A dated picture of the person's strengths, interests and personal network, so the start
    and the end can be compared. Never edited: a review records a new snapshot."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE,
                                related_name="network_snapshots")
    taken_on = models.DateField("Date")
    stage = models.CharField(max_length=10, choices=NetworkStage.choices)
    strengths = models.JSONField("Strengths", default=list, blank=True)
    interests = models.JSONField("Interests", default=list, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                           related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "id"]


class NetworkKind(models.TextChoices):
    FAMILY = "family", "Family"
    FRIEND = "friend", "Friend"
    NEIGHBOUR = "neighbour", "Neighbour"
    GROUP = "group", "Group"
    FAITH = "faith", "Faith community"
    PROFESSIONAL = "professional", "Professional"


class ContactFrequency(models.TextChoices):
    """How often the person is in touch, most often first."""

    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    RARELY = "rarely", "Rarely"


class NetworkEntryQuerySet(EpisodeScopedQuerySet):
    episode_path = "snapshot__episode"


class NetworkEntry(models.Model):
    """Someone (or a group) in the person's network, in the person's own words ("sister",
    "Tuesday walking group"): no third party's identifiers are needed or asked for."""

    snapshot = models.ForeignKey(NetworkSnapshot, on_delete=models.CASCADE,
                                 related_name="entries")
    who = models.CharField("Who", max_length=80)
    kind = models.CharField(max_length=20, choices=NetworkKind.choices)
    frequency = models.CharField("How often in contact", max_length=10,
                                 choices=ContactFrequency.choices)
    helpfulness = models.PositiveSmallIntegerField("How helpful (1 to 5)")

    objects = NetworkEntryQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "network entries"
        constraints = [models.CheckConstraint(
            condition=models.Q(helpfulness__gte=1, helpfulness__lte=5),
            name="network_entry_helpfulness_1_to_5")]
