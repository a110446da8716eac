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


def test_the_huddle_pages_its_risks_most_pressing_first(client, refer, make_person, lead):
    from html import unescape

    from django.urls import reverse

    for i in range(30):
        referral = refer(make_person(given_name=f"U{i:02d}"), urgency="urgent")
        transition(referral.episode, "triaged", by=lead, reason="accepted")
    client.force_login(lead)
    url = reverse("engagement:huddle")
    first = unescape(client.get(url).content.decode())
    assert "Risks (30)" in first and "Showing 1 to 25 of 30 risks" in first
    assert 'aria-label="Pages of risks"' in first
    second = unescape(client.get(url, {"risks_page": 2}).content.decode())
    assert "Showing 26 to 30 of 30 risks" in second
    shown = lambda html: {f"U{i:02d}" for i in range(30) if f"U{i:02d} Synthetic" in html}  # noqa: E731
    assert len(shown(first)) == 25 and len(shown(second)) == 5
    assert shown(first) | shown(second) == {f"U{i:02d}" for i in range(30)}
