"""The demo world shows the lists at work: a referrer with more referrals than fit on a page,
and people a link worker can find by family name and date of birth."""

from html import unescape

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from upstream.service.accounts.models import Role, User
from upstream.service.demo.world import build_demo_world
from upstream.service.people.models import Person


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_demo_world(seed=11)
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_busiest_referrer_pages_through_their_referrals(world):
    busiest = (User.objects.filter(role=Role.REFERRER).annotate(n=Count("referrals_made"))
               .order_by("-n").first())
    assert busiest.n > 25
    client = Client()
    client.force_login(busiest)
    html = unescape(client.get(reverse("referrals:mine")).content.decode())
    assert f"Showing 1 to 25 of {busiest.n} referrals" in html
    assert 'aria-label="Page 2"' in html


@pytest.mark.django_db
def test_a_link_worker_finds_a_demo_person_in_their_team(world):
    worker = User.objects.filter(role=Role.LINK_WORKER, teams__isnull=False).first()
    person = Person.objects.for_user(worker).order_by("pk").first()
    client = Client()
    client.force_login(worker)
    born = person.date_of_birth
    html = unescape(client.post(reverse("people:search"), {
        "family_name": person.family_name, "date_of_birth[day]": born.day,
        "date_of_birth[month]": born.month, "date_of_birth[year]": born.year,
    }).content.decode())
    assert f"{person.given_name} {person.family_name}" in html[html.index('id="results"'):]
