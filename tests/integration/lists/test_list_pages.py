"""The list pages: a referrer's 77 referrals paged, sorted, filtered and searched; the triage
queue's days waiting; people with the same name told apart by date of birth."""

from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from upstream.service.audit.models import AuditEvent
from upstream.service.referrals.services import triage

pytestmark = pytest.mark.django_db


def rows_of(html: str) -> str:
    return html[html.index("<tbody"):html.index("</tbody>")]


@pytest.fixture
def seventy_seven(refer, make_person, referrer, diabetes):
    """77 referrals by one referrer, received a day apart (R00 newest), the last 7 to the
    diabetes team."""
    now = timezone.now()
    made = []
    for i in range(77):
        made.append(refer(make_person(given_name=f"R{i:02d}", family_name="Synthetic"),
                          team=diabetes if i >= 70 else None,
                          received_at=now - timedelta(days=i)))
    return made


def test_my_referrals_pages_of_25_newest_first(client, referrer, seventy_seven):
    client.force_login(referrer)
    html = unescape(client.get(reverse("referrals:mine") + "?page=2").content.decode())
    assert "Showing 26 to 50 of 77 referrals" in html
    body = rows_of(html)
    assert "R25 Synthetic" in body and "R49 Synthetic" in body
    assert "R24 Synthetic" not in body and "R50 Synthetic" not in body
    assert 'aria-sort="descending"' in html and 'aria-label="Page 3"' in html
    assert 'href="?page=3"' in html and 'href="?page=1"' in html


def test_my_referrals_only_audits_the_people_on_the_page(client, referrer, seventy_seven):
    client.force_login(referrer)
    client.get(reverse("referrals:mine"))
    event = AuditEvent.objects.filter(record_type="referrals.mine").latest("pk")
    assert event.detail.startswith("25 people:")


def test_my_referrals_sort_filter_and_search_keep_each_other(client, referrer, seventy_seven,
                                                            diabetes):
    client.force_login(referrer)
    url = reverse("referrals:mine")
    oldest = unescape(client.get(url + "?sort=referred").content.decode())
    assert rows_of(oldest).index("R76") < rows_of(oldest).index("R75")
    only_diabetes = unescape(client.get(url, {"team": diabetes.pk, "sort": "name"})
                             .content.decode())
    assert "Showing 1 to 7 of 7 referrals" in only_diabetes
    assert "R69 Synthetic" not in rows_of(only_diabetes)
    found = unescape(client.get(url, {"q": "r07 synthetic"}).content.decode())
    assert "Showing 1 to 1 of 1 referral" in found and "R07 Synthetic" in rows_of(found)
    none = unescape(client.get(url, {"q": "Nobody"}).content.decode())
    assert "None of your referrals match" in none and "Show all your referrals" in none


def test_my_referrals_search_by_nhs_number_any_spacing(client, referrer, seventy_seven):
    wanted = seventy_seven[40]
    digits = wanted.referred_nhs_number
    spaced = f"{digits[:3]} {digits[3:6]}  {digits[6:]}"
    client.force_login(referrer)
    html = unescape(client.get(reverse("referrals:mine"), {"q": spaced}).content.decode())
    assert "Showing 1 to 1 of 1 referral" in html and "R40 Synthetic" in rows_of(html)


def test_a_bad_sort_or_filter_is_explained_not_an_error(client, referrer, seventy_seven):
    client.force_login(referrer)
    response = client.get(reverse("referrals:mine"), {"sort": "secret", "outcome": "zzz",
                                                      "page": "-4"})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "The list cannot be sorted that way" in html
    assert "What happened: that choice is not available, so all are shown." in html
    assert "Showing 1 to 25 of 77 referrals" in html


def test_triage_queue_counts_days_waiting_from_received(client, refer, make_person, worker):
    now = timezone.now()
    refer(make_person(given_name="Eleven"), received_at=now - timedelta(days=11))
    refer(make_person(given_name="Today"), received_at=now)
    client.force_login(worker)
    html = unescape(client.get(reverse("referrals:triage")).content.decode())
    body = rows_of(html)
    assert "Days waiting" in html
    eleven = body[body.index("Eleven Synthetic"):]
    assert ">11</td>" in eleven[:eleven.index("</tr>")]
    today = body[body.index("Today Synthetic"):]
    assert ">0</td>" in today[:today.index("</tr>")]
    longest_first = unescape(client.get(reverse("referrals:triage"), {"sort": "-days"})
                             .content.decode())
    assert rows_of(longest_first).index("Eleven") < rows_of(longest_first).index("Today")


def test_triage_queue_filters_by_urgency_and_searches(client, refer, make_person, worker, lead):
    refer(make_person(given_name="Urgent", family_name="Person"), urgency="urgent")
    refer(make_person(given_name="Routine", family_name="Other"))
    done = refer(make_person(given_name="Done", family_name="Person"))
    triage(done, "accept", by=lead)
    client.force_login(worker)
    url = reverse("referrals:triage")
    urgent = rows_of(unescape(client.get(url, {"urgency": "urgent"}).content.decode()))
    assert "Urgent Person" in urgent and "Routine Other" not in urgent
    found = rows_of(unescape(client.get(url, {"q": "person"}).content.decode()))
    assert "Urgent Person" in found and "Done Person" not in found


def test_same_names_are_told_apart_by_date_of_birth(client, refer, make_person, worker,
                                                    referrer):
    refer(make_person(given_name="Jo", family_name="Twin", date_of_birth=date(1961, 2, 3)))
    refer(make_person(given_name="Jo", family_name="Twin", date_of_birth=date(1985, 7, 9)))
    client.force_login(worker)
    triage_rows = rows_of(unescape(client.get(reverse("referrals:triage")).content.decode()))
    assert "3 February 1961" in triage_rows and "9 July 1985" in triage_rows
    client.force_login(referrer)
    mine = rows_of(unescape(client.get(reverse("referrals:mine")).content.decode()))
    assert "3 February 1961" in mine and "9 July 1985" in mine


def test_audit_log_pages_and_sorts(client, worker):
    from upstream.service.accounts.models import Role, User
    from upstream.service.audit.services import record

    for i in range(30):
        record(worker, "view", record_type="test.thing", record_id=str(i))
    admin = User.objects.create(username="ada", role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("audit:events")
    second = unescape(client.get(url, {"record_type": "test.thing", "page": 2}).content.decode())
    assert "Showing 26 to 30 of 30 events" in second
    assert "test.thing 4<" in rows_of(second) and "test.thing 5<" not in rows_of(second)
    oldest = unescape(client.get(url, {"record_type": "test.thing", "sort": "when"})
                      .content.decode())
    assert rows_of(oldest).index("test.thing 0<") < rows_of(oldest).index("test.thing 1<")
    assert 'href="?record_type=test.thing&amp;page=2"' in client.get(
        url, {"record_type": "test.thing"}).content.decode()


def test_notifications_page_of_25_and_unread_only(client, referrer):
    from upstream.service.notifications.models import Notification

    now = timezone.now()
    Notification.objects.bulk_create([
        Notification(recipient=referrer, kind="triage_outcome", text=f"Notice {i:02d}", link="/",
                     created_at=now - timedelta(minutes=i),
                     read_at=now if i % 2 else None)
        for i in range(30)
    ])
    client.force_login(referrer)
    url = reverse("notifications:inbox")
    first = unescape(client.get(url).content.decode())
    assert "Showing 1 to 25 of 30 notifications" in first
    assert "Notice 00" in first and "Notice 25" not in first
    unread = unescape(client.get(url, {"show": "unread"}).content.decode())
    assert "Showing 1 to 15 of 15 notifications" in unread
    assert "Notice 02" in unread and "Notice 01" not in unread


def test_caseload_tells_same_names_apart_by_date_of_birth(client, refer, make_person, lead,
                                                          worker):
    from upstream.service.referrals.services import allocate, transition

    for born in (date(1961, 2, 3), date(1985, 7, 9)):
        referral = refer(make_person(given_name="Jo", family_name="Twin", date_of_birth=born))
        transition(referral.episode, "triaged", by=lead, reason="accepted")
        allocate(referral.episode, worker, by=lead)
    client.force_login(worker)
    rows = rows_of(unescape(client.get(reverse("engagement:caseload")).content.decode()))
    assert "Born 3 February 1961" in rows and "Born 9 July 1985" in rows
