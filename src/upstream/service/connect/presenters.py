"""Community referrals as pages show them: the plan's section, the organisation's list and
referral page (only the shared details), the discharge summary's lines."""

import datetime

from django.urls import reverse
from django.utils import timezone

from upstream.service.ui.format import date_time, long_date
from upstream.service.ui.tags import capacity_tag, community_referral_tag, no_response_tag
from upstream.standards.vocabularies import NEEDS

from . import services
from .models import CommunityReferral, SharedDetail
from .states import Side, Status, moves_from


def _flag(referral: CommunityReferral, today: datetime.date):
    if services.no_response(referral, today):
        return no_response_tag(services.no_response_days(referral))
    return None


def plan_rows(referrals, today: datetime.date | None = None) -> list[dict]:
    """The plan page's community referrals, newest first, each with its status, the
    no-response flag and whether the team may cancel it."""
    today = today or timezone.localdate()
    return [{
        "pk": r.pk, "service": r.service_name, "organisation": r.organization.name,
        "service_href": reverse("directory_search:service", args=[r.service_id]),
        "referred": long_date(r.referred_at), "status": community_referral_tag(r.status),
        "flag": _flag(r, today), "note": r.status_note,
        "changed": long_date(r.status_changed_at),
        "attended": long_date(r.attended_at) if r.attended_at else "",
        "can_cancel": bool(moves_from(r.status, Side.TEAM)),
        "shared": ", ".join(SharedDetail(d).label for d in r.shared),
    } for r in referrals]


def partner_rows(referrals, today: datetime.date | None = None) -> list[dict]:
    """The organisation's list: the service, when, the status and the shared name only."""
    today = today or timezone.localdate()
    return [{
        "href": reverse("connect:partner_referral", args=[r.pk]),
        "reference": f"CR-{r.pk}", "service": r.service_name,
        "who": r.shared.get(SharedDetail.NAME) or "Name not shared",
        "referred": long_date(r.referred_at), "status": community_referral_tag(r.status),
        "flag": _flag(r, today),
    } for r in referrals]


def shared_rows(referral: CommunityReferral) -> list[tuple[str, str]]:
    """The details the person agreed to share, as (label, value): the only personal data the
    organisation's pages show."""
    rows = []
    for code, value in referral.shared.items():
        if code == SharedDetail.NEEDS:
            value = ", ".join(NEEDS.get(c, c) for c in value)
        rows.append((SharedDetail(code).label, str(value) if value not in ("", None)
                     else "Not recorded"))
    return rows


def history_rows(referral: CommunityReferral) -> list[dict]:
    return [{"at": date_time(e.at), "from": Status(e.from_status).label if e.from_status else "",
             "to": Status(e.to_status).label, "note": e.note,
             "by": e.by.display_name if e.by else ""}
            for e in referral.events.select_related("by")]


def summary_lines(episode) -> list[str]:
    """The discharge summary's community referrals: service, organisation, date, outcome."""
    return [
        f"{r.service_name} ({r.organization.name}), referred {long_date(r.referred_at)}: "
        f"{Status(r.status).label}" + (f" ({r.status_note})" if r.status_note else "")
        for r in episode.community_referrals.select_related("organization")
        .order_by("referred_at", "id")
    ]


def service_rows(services_) -> list[dict]:
    return [{"pk": s.pk, "name": s.name or "Unnamed service", "capacity": capacity_tag(
        s.accepting_referrals), "wait": (f"{s.waiting_time_days} days"
                                         if s.waiting_time_days is not None else "Not known"),
             "verified": long_date(s.last_verified, empty="Never"),
             "href": reverse("connect:partner_service", args=[s.pk]),
             "hours_href": reverse("connect:partner_opening_times", args=[s.pk])}
            for s in services_]
