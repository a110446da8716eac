"""Each list page makes the same number of database queries for 5 rows as for 50: no query
per row (the honest, untimed check; ``tests/benchmarks/bench_lists.py`` times them)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from upstream.service.accounts.models import Role, User
from upstream.service.referrals.models import BreakGlass, Episode, Identity, Referral
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.django_db


def _waiting(heart):
    Episode.objects.update(status=Status.WAITING, waiting_since=timezone.now())


def _triaged(heart):
    Episode.objects.update(status=Status.TRIAGED)


def _identity(heart):
    Referral.objects.update(identity=Identity.TO_CONFIRM)


def _allocated(heart):
    worker = User.objects.get(username="wes")
    Episode.objects.update(status=Status.ALLOCATED, worker=worker, allocated_at=timezone.now())


def _break_glass(heart):
    worker = User.objects.get(username="wes")
    now = timezone.now()
    BreakGlass.objects.bulk_create([
        BreakGlass(user=worker, person_id=pk, reason="Safeguarding call from the GP",
                   opened_at=now, expires_at=now + timedelta(minutes=30))
        for pk in Episode.objects.values_list("person_id", flat=True)
        if not BreakGlass.objects.filter(person_id=pk).exists()
    ])


def _as_is(heart):
    pass


LISTS = [
    # (url name, who looks, how the rows are made ready, method)
    ("referrals:mine", "ann", _as_is, "get"),
    ("referrals:triage", "wes", _as_is, "get"),
    ("referrals:waiting", "lee", _waiting, "get"),
    ("referrals:board", "lee", _triaged, "get"),
    ("referrals:board", "lee", _waiting, "get"),
    ("referrals:identity_queue", "lee", _identity, "get"),
    ("referrals:break_glass_log", "lee", _break_glass, "get"),
    ("engagement:caseload", "wes", _allocated, "get"),
    ("engagement:huddle", "lee", _allocated, "get"),
    ("people:search", "wes", _as_is, "post"),
]


def _load(client, name, method):
    url = reverse(name)
    if method == "post":  # every made person is "Sam Synthetic", born 1 January 1970
        response = client.post(url, {"family_name": "synthetic", "date_of_birth[day]": "1",
                                     "date_of_birth[month]": "1",
                                     "date_of_birth[year]": "1970"})
    else:
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(("name", "username", "ready", "method"), LISTS,
                         ids=[f"{n}-{r.__name__}" for n, _, r, _ in LISTS])
def test_queries_do_not_grow_with_rows(client, refer, heart, lead, worker, referrer, name,
                                       username, ready, method, django_assert_max_num_queries):
    heart.caseload_limit = 100
    heart.save()
    for _ in range(5):
        refer()
    ready(heart)
    client.force_login(User.objects.get(username=username))
    _load(client, name, method)  # warm up: sessions, the two-factor device
    with CaptureQueriesContext(connection) as five:
        first = _load(client, name, method)
    assert len(five) >= 4  # session, user, device, the list: the count is really measured
    for _ in range(45):
        refer()
    ready(heart)
    with django_assert_max_num_queries(len(five)):
        fifty = _load(client, name, method)
    assert fifty.content != first.content  # the rows really changed
    assert User.objects.get(username=username).role in Role.values
