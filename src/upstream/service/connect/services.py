"""The operations of closed-loop community referrals. Views call these; nothing else writes.

- ``refer``: from a person's plan, with consent, to a directory service; takes a snapshot of
  exactly the details the person agreed to share.
- ``move``: a status change (``states.MOVES``), by the organisation or the referring team;
  checked against the declared moves, timestamped, kept as a ``ReferralEvent`` and audited.
- ``update_capacity``: a partner updates their own organisation's service (accepting
  referrals, waiting time), which sets the record's verification date. The one place this app
  writes to the directory's models, with ``update_opening_times``.
- ``update_opening_times``: a partner replaces their own service's weekly opening times, which
  sets the verification date. The times they set are kept by later imports of the service's
  feed (ADR 0021): a service's opening times come from one place.
- ``awaiting_response``: referrals the organisation has not answered within the referring
  team's ``Team.no_response_after_days`` (default ``UPSTREAM_DEFAULT_NO_RESPONSE_DAYS``), for
  the plan page and the worker's Today list.
"""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from upstream.service.accounts.models import Team
from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.directory.models import Schedule, Service
from upstream.service.engagement.services import EpisodeNotOpen
from upstream.service.referrals.models import Episode
from upstream.service.referrals.states import OPEN as OPEN_EPISODE
from upstream.service.referrals.states import Status as EpisodeStatus
from upstream.standards.vocabularies import NEEDS

from .models import CommunityReferral, ReferralEvent, SharedDetail, partner_organisations
from .states import MOVES, IllegalMove, Side, Status


class NoConsent(ValueError):
    """A community referral needs the person's consent; none was recorded."""

    def __init__(self):
        super().__init__("Record that the person agreed to the referral before sending it")


class NotTheirs(PermissionError):
    """A partner asked to change a service or referral of another organisation."""


def _age(born: datetime.date, today: datetime.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def shared_snapshot(episode: Episode, details, *, reason: str = "", needs=(),
                    today: datetime.date | None = None) -> dict:
    """The values of the chosen ``details`` for ``episode``'s person: what the organisation
    will see, and nothing more. Unknown detail codes raise ``ValueError``."""
    person, today = episode.person, today or timezone.localdate()
    values = {
        SharedDetail.NAME: lambda: str(person),
        SharedDetail.PHONE: lambda: person.phone,
        SharedDetail.EMAIL: lambda: person.email,
        SharedDetail.POSTCODE: lambda: person.postcode,
        SharedDetail.AGE: lambda: _age(person.date_of_birth, today),
        SharedDetail.REASON: lambda: reason.strip(),
        SharedDetail.NEEDS: lambda: [code for code in needs if code in NEEDS],
    }
    unknown = [d for d in details if d not in values]
    if unknown:
        raise ValueError(f"Unknown details to share: {', '.join(map(str, unknown))}")
    return {str(d): values[d]() for d in SharedDetail.values if d in details}


@transaction.atomic
def refer(episode: Episode, service: Service, *, by, consent_given: bool, details,
          consent_note: str = "", reason: str = "", needs=(),
          at: datetime.datetime | None = None) -> CommunityReferral:
    """Refer the episode's person to ``service``, sharing only ``details`` (``SharedDetail``
    codes), sent ``at`` (default now). Refuses without consent (``NoConsent``) or on an ended
    episode (``EpisodeNotOpen``)."""
    if not consent_given:
        raise NoConsent()
    current = Episode.objects.select_for_update().get(pk=episode.pk)
    if EpisodeStatus(current.status) not in OPEN_EPISODE:
        raise EpisodeNotOpen(current)
    now = at or timezone.now()
    referral = CommunityReferral.objects.create(
        episode=episode, service=service, organization=service.organization,
        consent_given=True, consent_note=consent_note.strip(),
        shared=shared_snapshot(episode, details, reason=reason, needs=needs),
        service_name=service.name or "Unnamed service", referred_by=by, referred_at=now,
        status=Status.REQUESTED, status_changed_at=now)
    ReferralEvent.objects.create(referral=referral, at=now, by=by, to_status=Status.REQUESTED)
    record(by, Action.CREATE, referral,
           detail=f"community referral; shared: {','.join(referral.shared) or 'nothing'}")
    return referral


@transaction.atomic
def move(referral: CommunityReferral, name: str, *, by, side: Side, note: str = "",
         at: datetime.datetime | None = None) -> CommunityReferral:
    """Make the move ``name`` (``states.MOVES``) on behalf of ``side``, ``at`` (default now).

    Raises ``IllegalMove`` when the move is not one ``side`` makes, or not allowed from the
    referral's current status (read under a row lock, so two people cannot both move it), and
    ``ValueError`` when the move needs a note and none was given."""
    declared = MOVES[name]
    current = CommunityReferral.objects.select_for_update().get(pk=referral.pk)
    if declared.side != side or Status(current.status) not in declared.sources:
        raise IllegalMove(current.status, declared)
    note = note.strip()
    if declared.needs_note and not note:
        raise ValueError(f"Enter the {declared.note_label.lower()}")
    now, before = at or timezone.now(), current.status
    current.status, current.status_changed_at, current.status_note = declared.target, now, note
    if side == Side.PARTNER and current.responded_at is None:
        current.responded_at = now
    if name == "attended":
        current.attended_at = current.attended_at or now
    current.save(update_fields=["status", "status_changed_at", "status_note", "responded_at",
                                "attended_at"])
    ReferralEvent.objects.create(referral=current, at=now, by=by, from_status=before,
                                 to_status=declared.target, note=note)
    record(by, Action.TRANSITION, current, detail=f"{before} -> {declared.target}")
    return current


def no_response_days(referral: CommunityReferral) -> int:
    """After how many days without a response the referral is flagged: its referring team's
    setting (``Team.no_response_after_days``)."""
    return referral.episode.team.no_response_after_days


def response_due_on(referral: CommunityReferral) -> datetime.date:
    """The day a referral without a response starts being flagged: ``no_response_days`` after
    the (local) day it was sent."""
    return (timezone.localdate(referral.referred_at)
            + datetime.timedelta(days=no_response_days(referral)))


def no_response(referral: CommunityReferral, today: datetime.date) -> bool:
    """Whether ``referral`` is still 'requested' on or after its response due day."""
    return referral.status == Status.REQUESTED and response_due_on(referral) <= today


def awaiting_response(referrals, today: datetime.date):
    """Of ``referrals`` (a queryset), those with ``no_response`` on ``today``, oldest first:
    one condition per referring team, each with its own number of days."""
    requested = referrals.filter(status=Status.REQUESTED)
    teams = Team.objects.filter(pk__in=requested.values("episode__team")).values_list(
        "pk", "no_response_after_days")
    late = Q(pk__in=[])
    for team_id, days in teams:
        sent_before = datetime.datetime.combine(
            today - datetime.timedelta(days=days - 1), datetime.time.min,
            tzinfo=timezone.get_current_timezone())
        late |= Q(episode__team_id=team_id, referred_at__lt=sent_before)
    return requested.filter(late).select_related("episode__team").order_by("referred_at", "id")


def partner_services(user):
    """The directory services of the organisations ``user`` works for."""
    return Service.objects.filter(organization__in=partner_organisations(user))


@transaction.atomic
def update_capacity(service: Service, *, by, accepting_referrals: bool | None,
                    waiting_time_days: int | None,
                    today: datetime.date | None = None) -> Service:
    """A partner confirms their service's capacity: whether it is accepting referrals and the
    typical wait in days. Sets ``capacity_updated_at`` and ``last_verified`` (today). Raises
    ``NotTheirs`` for a service of an organisation the partner does not work for."""
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if not partner_services(by).filter(pk=locked.pk).exists():
        raise NotTheirs("You can only update your own organisation's services")
    if waiting_time_days is not None and waiting_time_days < 0:
        raise ValueError("The waiting time cannot be negative")
    locked.accepting_referrals = accepting_referrals
    locked.waiting_time_days = waiting_time_days
    locked.capacity_updated_at = timezone.now()
    locked.last_verified = today or timezone.localdate()
    locked.save(update_fields=["accepting_referrals", "waiting_time_days",
                               "capacity_updated_at", "last_verified"])
    record(by, Action.CHANGE, locked, detail="capacity confirmed by the organisation")
    return locked


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
"""HSDS ``byday`` codes, Monday first."""


def organisation_hours(service: Service):
    """The service's own weekly opening times (not those of its locations): the schedules
    ``update_opening_times`` replaces."""
    return Schedule.objects.filter(service=service, location__isnull=True,
                                   service_at_location__isnull=True)


@transaction.atomic
def update_opening_times(service: Service, *, by,
                         hours: dict[str, tuple[datetime.time, datetime.time]],
                         today: datetime.date | None = None) -> Service:
    """A partner sets their service's weekly opening times, ``{weekday code: (opens, closes)}``
    (one session a day; days not given are closed). They replace the service's own schedules
    (``organisation_hours``), whether entered here or imported, as schedules entered in
    Upstream, which the feed's next import keeps (``directory.importer``); sets
    ``last_verified`` (today). Raises ``NotTheirs`` for another organisation's service and
    ``ValueError`` for no days, an unknown day, or a session that does not close after it
    opens."""
    locked = Service.objects.select_for_update().get(pk=service.pk)
    if not partner_services(by).filter(pk=locked.pk).exists():
        raise NotTheirs("You can only update your own organisation's services")
    if not hours:
        raise ValueError("Enter the opening times for at least one day")
    for day, (opens, closes) in hours.items():
        if day not in WEEKDAYS:
            raise ValueError(f"{day!r} is not a day of the week")
        if not opens < closes:
            raise ValueError(f"{day}: the closing time must be after the opening time")
    organisation_hours(locked).delete()
    Schedule.objects.bulk_create(
        Schedule(service=locked, freq=Schedule.Frequency.WEEKLY, byday=day, opens_at=opens,
                 closes_at=closes) for day in WEEKDAYS if day in hours
        for opens, closes in [hours[day]])
    locked.last_verified = today or timezone.localdate()
    locked.save(update_fields=["last_verified"])
    record(by, Action.CHANGE, locked, detail="opening times set by the organisation")
    return locked
