"""Contact attempts, logged through the service so its status rules apply."""

import datetime

from django.utils import timezone

from upstream.service.accounts.models import User
from upstream.service.engagement import services
from upstream.service.referrals.models import Episode


def attempt(on: Episode, outcome: str, *, at: datetime.datetime | None = None,
            channel: str = "phone", by: User | None = None):
    return services.log_contact_attempt(on, by=by or on.worker, channel=channel,
                                        outcome=outcome, at=at or timezone.now())


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
