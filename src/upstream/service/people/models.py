"""People referred to, or found for, a team. Synthetic only in demo and tests."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from upstream.service.concurrency import Versioned
from upstream.service.ui.format import nhs_number as format_nhs_number
from upstream.standards import nhs_number, postcode
from upstream.standards.vocabularies import ETHNIC_CATEGORIES, GENDER_IDENTITY, SEX, choices


def validate_nhs_number(value: str) -> None:
    if value and (problem := nhs_number.validation_error(value)):
        raise ValidationError(problem)


ODS_PRACTICE_CODE = re.compile(r"^[A-Z][0-9]{5}$")
"""The shape of a GP practice's ODS code: one letter then five digits, e.g. A81001."""


def validate_ods_practice_code(value: str) -> None:
    if value and not ODS_PRACTICE_CODE.match(value):
        raise ValidationError(
            "GP practice ODS code must be a letter followed by 5 numbers, like A81001")


def validate_postcode(value: str) -> None:
    if value and not postcode.is_valid(value):
        raise ValidationError("Enter a real UK postcode, like SW1A 1AA")


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message (SMS)"
    LETTER = "letter", "Letter"
    EMAIL = "email", "Email"
    HOME_VISIT = "home_visit", "Home visit / door knock"
    IN_CLINIC = "in_clinic", "In clinic"
    VIDEO = "video", "Video call"
    DROP_IN = "drop_in", "Drop-in"


class Permission(models.TextChoices):
    """A person's answer to "may we ...?" (leave a voicemail, send texts). Not asked yet is
    its own answer: a worker asks before relying on it."""

    NOT_ASKED = "not_asked", "Not asked yet"
    YES = "yes", "Yes"
    NO = "no", "No"


class PersonQuerySet(models.QuerySet):
    def for_user(self, user) -> "PersonQuerySet":
        """People this user may see: those with an episode in one of the user's teams, or
        (referrers) those they referred. Commissioners and anyone else see nobody."""
        from upstream.service.accounts.models import STAFF_ROLES, Role

        if user.role in STAFF_ROLES:
            return self.filter(episodes__team__in=user.teams.all()).distinct()
        if user.role == Role.REFERRER:
            return self.filter(referrals__referrer=user).distinct()
        if user.role == Role.ADMIN:
            return self.all()
        return self.none()


class Person(Versioned):
    """A person who may benefit from support. Identifiable: every view is audited. Edits are
    under optimistic concurrency (``version``, see ``service.concurrency``)."""

    nhs_number = models.CharField(
        "NHS number", max_length=10, null=True, blank=True, unique=True,
        validators=[validate_nhs_number],
        help_text="10 digits; leave blank if not known (people without one can still be referred)",
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=choices(SEX), default="U")
    gender_identity = models.CharField(max_length=1, choices=choices(GENDER_IDENTITY), default="X")
    ethnic_category = models.CharField(
        max_length=2, choices=choices(ETHNIC_CATEGORIES), default="99"
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True, validators=[validate_postcode])
    lsoa_code = models.CharField("LSOA", max_length=9, blank=True)
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile", null=True, blank=True, help_text="1 = most deprived 10% of areas"
    )
    gp_practice_name = models.CharField("GP practice name", max_length=120, blank=True)
    gp_practice_ods = models.CharField("GP practice (ODS code)", max_length=8, blank=True,
                                       validators=[validate_ods_practice_code])
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    preferred_channel = models.CharField(
        max_length=20, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    texts_allowed = models.CharField(
        "May we send text messages?", max_length=9, choices=Permission.choices,
        default=Permission.NOT_ASKED,
    )
    voicemail_allowed = models.CharField(
        "May we leave a voicemail?", max_length=9, choices=Permission.choices,
        default=Permission.NOT_ASKED,
    )
    preferred_language = models.CharField(max_length=60, default="English")
    interpreter_needed = models.BooleanField(default=False)
    accessible_information_needs = models.CharField(
        max_length=300, blank=True, help_text="e.g. large print, easy read, BSL interpreter"
    )
    consent_to_share = models.BooleanField(
        default=False, help_text="Agreed to share information with GP and community services"
    )
    date_of_death = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        self.nhs_number = nhs_number.normalise(self.nhs_number) or None if self.nhs_number else None
        self.postcode = postcode.normalise(self.postcode) if self.postcode else ""
        super().save(*args, **kwargs)

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)


class FlagKind(models.TextChoices):
    """Kinds of safety flag: what a worker must know before contacting or visiting."""

    RISK_TO_SELF = "risk_to_self", "Risk to self"
    RISK_TO_OTHERS = "risk_to_others", "Risk to others"
    SAFEGUARDING_ADULT = "safeguarding_adult", "Safeguarding concern (adult)"
    SAFEGUARDING_CHILD = "safeguarding_child", "Safeguarding concern (child)"
    LONE_WORKING = "lone_working", "Lone-working warning"


class SafetyFlagQuerySet(models.QuerySet):
    def for_user(self, user) -> "SafetyFlagQuerySet":
        """Flags on people this user's teams work with. Referrers see none: a flag is staff
        knowledge, not part of what the referrer entered."""
        from upstream.service.accounts.models import STAFF_ROLES, Role

        if user.role in STAFF_ROLES or user.role == Role.ADMIN:
            return self.filter(person__in=Person.objects.for_user(user))
        return self.none()

    def active(self) -> "SafetyFlagQuerySet":
        return self.filter(resolved_at__isnull=True)


class SafetyFlag(models.Model):
    """A risk, safeguarding or lone-working flag on a person: shown at the top of every staff
    page about them while active. Never deleted: resolving records who and when."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="safety_flags")
    kind = models.CharField(max_length=30, choices=FlagKind.choices)
    note = models.TextField(max_length=2000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)

    objects = SafetyFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"Safety flag {self.pk} ({self.get_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.resolved_at is None
