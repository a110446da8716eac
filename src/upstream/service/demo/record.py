"""Safety in the demo record: parent or carer details on every child's referral, safety flags
on two people, case notes on a few open episodes, and notifications dated to their events
(each user's three newest left unread).

Everything is synthetic and made through the services (``people.services.raise_flag``,
``referrals.case_notes.add_note``); only the timestamps are moved back, as the journeys do.
"""

import datetime
import random

from django.utils import timezone

from upstream.service.demo.journeys import Journey
from upstream.service.notifications.models import Kind, Notification
from upstream.service.people.models import FlagKind, SafetyFlag
from upstream.service.people.services import raise_flag
from upstream.service.referrals.case_notes import add_note
from upstream.service.referrals.children import is_child
from upstream.service.referrals.models import CaseNote, ConsentBy, Episode, Referral
from upstream.service.referrals.states import OPEN

CARER_NAMES = ["Amira", "Tom", "Precious", "Daniel", "Shirin", "Marek", "Grace", "Kofi"]
RELATIONSHIPS = ["Mother", "Father", "Grandmother", "Foster carer", "Stepfather", "Aunt"]
CASE_NOTES = [
    "Spoke with the ward nurse before calling: good time to call is after 2pm.",
    "Phoned and agreed a first meeting at the community centre next week.",
    "Discussed what matters most: getting back to the allotment with their neighbour.",
]
CORRECTION = "Correction to the note above: the meeting is at the library, not the community " \
             "centre."
LEFT_UNREAD = 3
"""Each user's newest notifications left unread, so the bell shows a count."""


def add_record_safety(journeys: list[Journey], rng: random.Random) -> None:
    _child_details(journeys, rng)
    _flags(journeys)
    _case_notes(journeys)
    _date_notifications()


def _child_details(journeys: list[Journey], rng: random.Random) -> None:
    """Every referral of someone under 18 on the day carries their parent or carer, the
    safeguarding answer and who consented (one with a safeguarding concern recorded)."""
    concern_given = False
    for referral in Referral.objects.select_related("person").order_by("pk"):
        if not is_child(referral.person.date_of_birth, timezone.localdate(referral.received_at)):
            continue
        concern = not concern_given
        concern_given = True
        Referral.objects.filter(pk=referral.pk).update(
            parent_carer_name=f"{rng.choice(CARER_NAMES)} {referral.person.family_name}",
            parent_carer_relationship=rng.choice(RELATIONSHIPS),
            parent_carer_phone=f"07700 900{rng.randrange(100, 999)}",
            parental_responsibility=True, safeguarding_concerns=concern,
            safeguarding_details="Known to children's social care; allocated social worker "
                                 "aware of this referral." if concern else "",
            consent_by=rng.choice([ConsentBy.BOTH, ConsentBy.PARENT_CARER]),
        )


def _open_episodes(journeys: list[Journey]) -> list[Episode]:
    """The journeys' open episodes that have a worker, in journey order (deterministic)."""
    ids = [j.episode.pk for j in journeys if j.episode is not None]
    order = {pk: i for i, pk in enumerate(ids)}
    found = Episode.objects.filter(
        pk__in=ids, worker__isnull=False, status__in=[s.value for s in OPEN],
    ).select_related("person", "worker")
    return sorted(found, key=lambda e: order[e.pk])


def _flags(journeys: list[Journey]) -> None:
    """A lone-working warning and a safeguarding concern, on two people with open episodes."""
    open_ = _open_episodes(journeys)
    if len(open_) < 2:
        return
    first, second = open_[0], open_[len(open_) // 2]
    raise_flag(first.person, kind=FlagKind.LONE_WORKING, by=first.worker,
               note="Large dog at the address and a relative who has been verbally aggressive "
                    "to visitors. Visit in pairs or meet at the surgery.")
    raise_flag(second.person, kind=FlagKind.SAFEGUARDING_ADULT, by=second.worker,
               note="Disclosed financial abuse by a family member. Adult social care "
                    "safeguarding referral made; speak to the person alone.")
    back = timezone.now() - datetime.timedelta(days=9)
    SafetyFlag.objects.update(raised_at=back)


def _case_notes(journeys: list[Journey]) -> None:
    """Three notes and a correction on each of the first four open, allocated episodes."""
    now = timezone.now()
    for episode in _open_episodes(journeys)[:4]:
        written = [add_note(episode, text=text, by=episode.worker) for text in CASE_NOTES]
        add_note(episode, text=CORRECTION, by=episode.worker, corrects=written[1])
        notes = list(CaseNote.objects.filter(episode=episode).order_by("pk"))
        for days_ago, note in zip((6, 4, 2, 1), notes, strict=True):
            CaseNote.objects.filter(pk=note.pk).update(
                written_at=now - datetime.timedelta(days=days_ago))


def _date_notifications() -> None:
    """Date each notification to the event it tells of (triage, allocation, closure), then
    mark all but each user's newest ``LEFT_UNREAD`` as read."""
    for notice in Notification.objects.all():
        number = int(notice.link.rstrip("/").rsplit("/", 1)[-1])
        if notice.kind == Kind.TRIAGE_OUTCOME:
            when = Referral.objects.filter(pk=number).values_list("triaged_at", flat=True).first()
        else:
            field = "allocated_at" if notice.kind == Kind.ALLOCATED else "closed_at"
            when = Episode.objects.filter(pk=number).values_list(field, flat=True).first()
        if when:
            Notification.objects.filter(pk=notice.pk).update(created_at=when)
    for user_id in Notification.objects.values_list("recipient", flat=True).distinct():
        newest = Notification.objects.filter(recipient=user_id).order_by(
            "-created_at", "-pk").values_list("pk", flat=True)[:LEFT_UNREAD]
        Notification.objects.filter(recipient=user_id).exclude(pk__in=list(newest)).update(
            read_at=timezone.now())
