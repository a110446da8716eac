"""Outcome measure administrations recorded against an episode (docs/adr/0014).

The instruments, their scoring and their refusals are ``upstream.standards.outcomes``; a row
here keeps what was answered or entered and the scores the library gave, so the record shows
exactly what was scored.
"""

from django.conf import settings
from django.db import models

from upstream.service.engagement.models import EpisodeScopedQuerySet
from upstream.service.referrals.models import Episode
from upstream.standards.outcomes import INSTRUMENTS

INSTRUMENT_CHOICES = [(code, instrument.name) for code, instrument in INSTRUMENTS.items()]


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    WEEK_12 = "week_12", "12-week follow-up"


class Administration(models.Model):
    """One completion of an instrument with the person, at one time point of the schedule."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE,
                                related_name="outcome_administrations")
    instrument = models.CharField(max_length=40, choices=INSTRUMENT_CHOICES)
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    administered_on = models.DateField("Date completed")
    answers = models.JSONField(help_text="Item code to the answer or entered score")
    scores = models.JSONField(help_text="Measure code to score, from the outcomes library")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = EpisodeScopedQuerySet.as_manager()

    class Meta:
        ordering = ["administered_on", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["episode", "instrument", "timepoint"],
            name="one_administration_per_instrument_and_timepoint")]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()} {self.get_timepoint_display()}"
