"""Schedules that run a team's day: the contact cadence, screening questionnaires due from an
index date, the shape of a team's programme, and the decisions the weekly huddle takes.

Team-level settings (cadence, screening schedule, programme shape) are set by a team lead.
Person-level rows are scoped (``for_user``) by the same team rule as every other record:
huddle decisions and planned sessions through their episode; screening enrolments and
screenings through the screen's team, because a screen enrols people the team has not yet
taken on (Barts screens everyone after a heart attack; only a positive answer or a missed
appointment becomes a referral). Changes go through ``services``.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import Team
from upstream.service.engagement.models import SessionKind
from upstream.service.people.models import ContactChannel, Person
from upstream.service.referrals.models import Episode, Referral


class TeamScopedQuerySet(models.QuerySet):
    """Rows of the user's own teams (staff); nobody else sees a team's schedules."""

    def for_user(self, user):
        from upstream.service.accounts.models import STAFF_ROLES

        if user.role in STAFF_ROLES:
            return self.filter(team__in=user.teams.all())
        return self.none()


class CadenceStep(models.Model):
    """One step of a team's contact cadence: try ``channel`` on ``day`` (days after
    allocation for the first step). Steps are ordered by ``day``; the gap between two steps is
    the wait after the previous attempt, so a late attempt moves the rest of the plan on."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="cadence_steps")
    day = models.PositiveSmallIntegerField("Day")
    channel = models.CharField(max_length=20, choices=ContactChannel.choices)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team", "day", "id"]


class ScreeningSchedule(models.Model):
    """A questionnaire a team asks at fixed weeks after an index date (Barts: "difficulty
    making ends meet" at 1, 4 and 8 weeks after a heart attack)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="screening_schedules")
    name = models.CharField("Name of the screen", max_length=160)
    index_event = models.CharField("What the index date is", max_length=160,
                                   help_text="For example, the date of the heart attack")
    weeks = models.JSONField("Weeks after the index date", default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        ordering = ["team", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"],
                                               name="one_screening_schedule_name_per_team")]

    def __str__(self) -> str:
        return self.name


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class ScreeningQuestion(models.Model):
    """A yes/no question of a screen; ``positive_answer`` is the answer that needs support."""

    schedule = models.ForeignKey(ScreeningSchedule, on_delete=models.CASCADE,
                                 related_name="questions")
    position = models.PositiveSmallIntegerField(default=1)
    text = models.CharField("Question", max_length=300)
    positive_answer = models.CharField(max_length=3, choices=Answer.choices, default=Answer.YES)

    class Meta:
        ordering = ["schedule", "position", "id"]

    def __str__(self) -> str:
        return self.text


def _screen_team_scope(queryset, user, team_field: str):
    """Staff see their own teams' screening rows, an administrator all; nobody else any."""
    from upstream.service.accounts.models import STAFF_ROLES, Role

    if user.role in STAFF_ROLES:
        return queryset.filter(**{f"{team_field}__in": user.teams.all()})
    if user.role == Role.ADMIN:
        return queryset
    return queryset.none()


class EnrolmentQuerySet(models.QuerySet):
    def for_user(self, user):
        return _screen_team_scope(self, user, "schedule__team")


class ScreeningEnrolment(models.Model):
    """A person enrolled in a screening schedule from an index date by the schedule's team:
    either from an episode of that team, or directly (``episode`` empty) when the team screens
    people it has not taken on, such as everyone discharged after a heart attack."""

    schedule = models.ForeignKey(ScreeningSchedule, on_delete=models.PROTECT,
                                 related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="screening_enrolments")
    index_date = models.DateField("Index date")
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(default=timezone.now)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-index_date", "id"]
        constraints = [models.UniqueConstraint(fields=["schedule", "person", "index_date"],
                                               name="one_enrolment_per_index_date")]


class ScreeningStatus(models.TextChoices):
    DUE = "due", "Due"
    NEGATIVE = "negative", "Done: no support needed"
    POSITIVE = "positive", "Done: referred for support"
    MISSED = "missed", "Missed appointment: referred for follow-up"


class ScreeningQuerySet(models.QuerySet):
    def for_user(self, user):
        return _screen_team_scope(self, user, "enrolment__schedule__team")


class Screening(models.Model):
    """One screen due at ``week`` weeks after the enrolment's index date. A positive answer or
    a missed appointment makes one referral for triage (``referral``)."""

    enrolment = models.ForeignKey(ScreeningEnrolment, on_delete=models.CASCADE,
                                  related_name="screenings")
    week = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ScreeningStatus.choices,
                              default=ScreeningStatus.DUE)
    answers = models.JSONField(default=dict, blank=True,
                               help_text="question id -> yes/no")
    recorded_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField(Referral, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="screening")

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "week"],
                                               name="one_screening_per_week")]

    @property
    def is_due(self) -> bool:
        return self.status == ScreeningStatus.DUE


class PlannedSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(episode__in=Episode.objects.for_user(user))


class PlannedSession(models.Model):
    """A session booked with the person for a day. It is held once a session
    (``engagement.Session``) is recorded on that day or later; until then, from its day on, it
    is on the worker's today list."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE,
                                related_name="planned_sessions")
    on = models.DateField("Date of the session")
    kind = models.CharField("Type of session", max_length=20, choices=SessionKind.choices)
    note = models.CharField("Note (optional)", max_length=300, blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.PROTECT, related_name="+")
    planned_at = models.DateTimeField(default=timezone.now)

    objects = PlannedSessionQuerySet.as_manager()

    class Meta:
        ordering = ["on", "id"]


class ProgrammeKind(models.TextChoices):
    WEEKS = "weeks", "A fixed number of weeks"
    SESSIONS = "sessions", "A range of sessions"


class ProgrammeShape(models.Model):
    """The shape of a team's programme: a fixed length in weeks (North Middlesex: 12 weeks) or
    a range of sessions (the children's team: 4 to 8)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField("Type of programme", max_length=10, choices=ProgrammeKind.choices)
    weeks = models.PositiveSmallIntegerField("Length in weeks", null=True, blank=True)
    min_sessions = models.PositiveSmallIntegerField("Fewest sessions", null=True, blank=True)
    max_sessions = models.PositiveSmallIntegerField("Most sessions", null=True, blank=True)

    objects = TeamScopedQuerySet.as_manager()


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    CLOSE = "close", "Close"
    ESCALATE = "escalate", "Escalate"
    CHANGE_WORKER = "change_worker", "Change worker"


class DecisionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(episode__in=Episode.objects.for_user(user))


class HuddleDecision(models.Model):
    """What the huddle decided about one episode in one ISO week, who agreed, and why."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE,
                                related_name="huddle_decisions")
    week_of = models.DateField(help_text="the Monday of the ISO week of the huddle")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    note = models.TextField(blank=True)
    new_worker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    agreed_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                         related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-week_of", "-decided_at", "-id"]

    @property
    def week_label(self) -> str:
        year, week, _ = self.week_of.isocalendar()
        return f"{year}-W{week:02d}"


def monday_of(day: datetime.date) -> datetime.date:
    """The Monday starting ``day``'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())
