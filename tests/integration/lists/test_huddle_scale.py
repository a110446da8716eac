"""The huddle reads only the episodes it has something to say about, so it stays fast with
thousands waiting: an urgent referral waiting for a worker is still a risk; a routine one with
no news is left out in the query."""

import pytest
from django.utils import timezone

from upstream.service.engagement.caseload import huddle
from upstream.service.referrals.services import put_on_waiting_list, transition

pytestmark = pytest.mark.django_db


def test_urgent_waiting_is_a_risk_and_quiet_routine_waiting_is_left_out(refer, make_person,
                                                                         lead):
    urgent = refer(make_person(given_name="Urgent"), urgency="urgent")
    routine = refer(make_person(given_name="Routine"))
    for referral in (urgent, routine):
        transition(referral.episode, "triaged", by=lead, reason="accepted")
        put_on_waiting_list(referral.episode, by=lead)
    result = huddle(lead, timezone.localdate())
    at_risk = {r.case.episode.person.given_name for r in result.risks}
    assert at_risk == {"Urgent"}
    assert not [c for c in result.endings if c.episode.pk == routine.episode_id]
