"""The demo's closed-loop community referrals: a VCSE partner user for one demo organisation
(the one with the most services), and referrals to it from open episodes in several states,
one of them without a response for longer than its team's ``Team.no_response_after_days``
(default 5)."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.accounts.models import Role, User
from upstream.service.connect import services as connect
from upstream.service.connect.models import PartnerMembership, SharedDetail
from upstream.service.connect.states import Side
from upstream.service.demo.totp import DEMO_TOTP_KEY
from upstream.service.directory.models import Organization
from upstream.service.referrals.models import Episode

PARTNER_USERNAME = "jo.partner"
"""The demo's VCSE partner (README's demo accounts)."""

_STORIES = [
    # (moves made by the organisation, days ago the referral was sent)
    ((), 9),                                   # no response: flagged on the plan and Today
    ((), 1),                                   # just sent
    (("accept",), 6),
    (("accept", "attended"), 20),
    (("accept", "attended", "complete"), 40),
    ((("decline", "The group is full until the spring"),), 12),
]


def add_community_referrals(password_hash: str | None = None) -> tuple[User, int] | None:
    """Create the partner user and the demo's community referrals; returns the partner and
    the number of referrals, or None when the directory or the open episodes are missing."""
    organisation = (Organization.objects.filter(is_placeholder=False)
                    .annotate(n=Count("services")).order_by("-n", "name").first())
    episodes = list(Episode.objects.filter(status__in=["active", "engaged"])
                    .select_related("worker", "person").order_by("pk")[:len(_STORIES)])
    if organisation is None or not episodes:
        return None
    partner = User.objects.create(
        username=PARTNER_USERNAME, first_name="Jo", last_name="Partridge",
        email=f"{PARTNER_USERNAME}@community.example.org", role=Role.VCSE_PARTNER,
        job_title="Referrals coordinator", organisation=organisation.name,
        password=password_hash or make_password(None))
    TOTPDevice.objects.create(user=partner, name="Demo authenticator", key=DEMO_TOTP_KEY,
                              confirmed=True)
    PartnerMembership.objects.create(user=partner, organization=organisation)
    services = list(organisation.services.order_by("name"))
    now = timezone.now()
    for index, (episode, (moves, days_ago)) in enumerate(zip(episodes, _STORIES, strict=False)):
        sent = now - datetime.timedelta(days=days_ago)
        referral = connect.refer(
            episode, services[index % len(services)], by=episode.worker, consent_given=True,
            details=[SharedDetail.NAME, SharedDetail.PHONE, SharedDetail.REASON],
            consent_note="Agreed in the what matters conversation",
            reason="Would like support to get out and meet people again", at=sent)
        for step, move in enumerate(moves, start=1):
            name, note = move if isinstance(move, tuple) else (move, "")
            connect.move(referral, name, by=partner, side=Side.PARTNER, note=note,
                         at=min(sent + datetime.timedelta(days=2 * step), now))
    return partner, len(episodes)
