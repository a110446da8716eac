"""Users, their role, and the teams and pathways they work in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models


class Role(models.TextChoices):
    """What a user does in Upstream. Decides which pages and records they may see."""

    REFERRER = "referrer", "Clinician / referrer"
    LINK_WORKER = "link_worker", "Link worker / care coordinator / health coach"
    TEAM_LEAD = "team_lead", "Team lead"
    COMMISSIONER = "commissioner", "Commissioner / analyst"
    ADMIN = "admin", "Administrator"
    VCSE_PARTNER = "vcse_partner", "Community organisation (VCSE partner)"


STAFF_ROLES = (Role.LINK_WORKER, Role.TEAM_LEAD)
"""Roles that work with identifiable records of their own teams."""

PARTNER_ROLES = (Role.VCSE_PARTNER,)
"""Staff of community organisations: they see only the community referrals addressed to their
organisation, with only the details the person agreed to share (``connect``, ADR 0021)."""


class Pathway(models.Model):
    """A specialist hospital pathway a team is embedded in (e.g. Heart Centre cardiology)."""

    name = models.CharField(max_length=120, unique=True)
    specialty = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of link workers on one pathway, with its caseload and contact settings."""

    name = models.CharField(max_length=120, unique=True)
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="teams")
    caseload_limit = models.PositiveIntegerField(
        default=settings.UPSTREAM_DEFAULT_CASELOAD_LIMIT,
        help_text="Most open episodes one worker holds; accepted referrals wait beyond this.",
    )
    attempts_prompt_after = models.PositiveIntegerField(
        default=settings.UPSTREAM_DEFAULT_ATTEMPTS_PROMPT,
        help_text="Prompt a review after this many unsuccessful contact attempts.",
    )
    no_response_after_days = models.PositiveIntegerField(
        default=settings.UPSTREAM_DEFAULT_NO_RESPONSE_DAYS,
        validators=[MinValueValidator(1)],
        help_text="Flag a community referral the organisation has not answered after this "
                  "many days.",
    )

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff or of a community organisation. ``teams`` scopes what they see."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REFERRER)
    job_title = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=160, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

