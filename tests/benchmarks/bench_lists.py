"""Benchmark the list pages with 10,000 referrals in the database.

Run: ``.venv/bin/python tests/benchmarks/bench_lists.py --referrals 10000 --repeats 20``

It migrates a fresh SQLite file (``var/bench/lists.sqlite3``, replaced each run), fills it by
bulk creation with synthetic people (NHS numbers from the 999 test range) and referrals, most
of them to one team so its staff see the largest lists: untriaged, accepted, waiting,
allocated and closed episodes; one referrer with 77 referrals; identities to confirm;
break-glass openings. Then, for a signed-in user of the right role, it times each list page
through Django's test client (the whole request: middleware, queries, Jinja2 rendering, the
audit row each list writes): the first page, a sorted page, a filtered page and a search, each
``--repeats`` times after one warm-up request. It prints one Markdown row per page and
variant (median and 95th percentile in milliseconds, queries per request) for
docs/benchmarks.md, and exits non-zero if a median is over the bar (300 ms).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BAR_MS = 300
REPO = Path(__file__).resolve().parents[2]


def _setup(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("UPSTREAM_SECRET_KEY", "bench-lists-not-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build(referrals: int, seed: int = 10) -> dict:
    """Fill the database; return the users who look at the lists."""
    from django.utils import timezone

    from upstream.service.accounts.models import Pathway, Role, Team, User
    from upstream.service.people.models import Person
    from upstream.service.referrals.models import (
        BreakGlass,
        Episode,
        Identity,
        Referral,
        TriageOutcome,
        Urgency,
    )
    from upstream.service.referrals.states import Status
    from upstream.standards import nhs_number

    rng = random.Random(seed)
    now = timezone.now()
    pathway = Pathway.objects.create(name="Heart Centre", specialty="Cardiology")
    big = Team.objects.create(name="Heart Centre social prescribing", pathway=pathway,
                              caseload_limit=40)
    other = Team.objects.create(name="Young adult diabetes link workers", pathway=pathway)

    def user(name, role, *teams):
        made = User.objects.create(username=name, role=role, first_name=name.title())
        made.teams.set(teams)
        return made

    users = {
        "referrer": user("ann", Role.REFERRER),
        "worker": user("wes", Role.LINK_WORKER, big),
        "lead": user("lee", Role.TEAM_LEAD, big),
        "admin": user("ada", Role.ADMIN),
    }
    other_referrers = [user(f"ref{i}", Role.REFERRER) for i in range(20)]

    families = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
                "Patel", "Okafor", "Khan", "Nowak", "Evans", "Thomas", "Roberts", "Walker"]
    givens = ["Sam", "Alex", "Jo", "Chris", "Priya", "Amir", "Mary", "Tom", "Ewa", "Ade"]
    numbers = set()
    while len(numbers) < referrals:
        numbers.add(nhs_number.synthetic(rng))
    people = Person.objects.bulk_create([
        Person(nhs_number=n, given_name=rng.choice(givens), family_name=rng.choice(families),
               date_of_birth=date(1940, 1, 1) + timedelta(days=rng.randrange(25000)))
        for n in sorted(numbers)
    ], batch_size=2000)

    # Status mix per 100 referrals; the worker holds at most the caseload limit.
    mix = ([Status.REFERRED] * 20 + [Status.TRIAGED] * 5 + [Status.WAITING] * 15
           + [Status.ALLOCATED] * 10 + [Status.CONTACTING] * 5 + [Status.ENGAGED] * 5
           + [Status.CLOSED] * 30 + [Status.NOT_ENGAGED] * 10)
    episodes, held = [], 0
    for i, person in enumerate(people):
        status = mix[i % len(mix)]
        opened = now - timedelta(days=rng.randrange(1, 400), minutes=rng.randrange(1440))
        worker = None
        if status in (Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED) and i % 10 == 1 \
                and held < big.caseload_limit:
            worker, held = users["worker"], held + 1
        elif status in (Status.ALLOCATED, Status.CONTACTING, Status.ENGAGED):
            status = Status.CLOSED
        episodes.append(Episode(
            person=person, team=big if i % 5 else other, worker=worker, status=status,
            opened_at=opened, waiting_since=opened + timedelta(days=3)
            if status == Status.WAITING else None,
            allocated_at=opened + timedelta(days=5) if worker else None,
            closed_at=opened + timedelta(days=60) if status in (Status.CLOSED,
                                                                Status.NOT_ENGAGED) else None))
    episodes = Episode.objects.bulk_create(episodes, batch_size=2000)

    made = []
    for i, episode in enumerate(episodes):
        referrer = users["referrer"] if i < 77 else other_referrers[i % len(other_referrers)]
        untriaged = episode.status == Status.REFERRED
        person = episode.person
        made.append(Referral(
            person=person, team_id=episode.team_id, episode=episode, source="pathway_clinician",
            referrer=referrer, needs=["loneliness"], reason="Synthetic benchmark referral",
            urgency=Urgency.URGENT if i % 9 == 0 else Urgency.ROUTINE, consent_given=True,
            received_at=episode.opened_at,
            triage_outcome="" if untriaged else TriageOutcome.ACCEPT,
            triaged_at=None if untriaged else episode.opened_at + timedelta(days=2),
            referred_given_name=person.given_name, referred_family_name=person.family_name,
            referred_date_of_birth=person.date_of_birth, referred_nhs_number=person.nhs_number,
            identity=Identity.TO_CONFIRM if untriaged and i % 40 == 0 else Identity.CONFIRMED))
    Referral.objects.bulk_create(made, batch_size=2000)
    BreakGlass.objects.bulk_create([
        BreakGlass(user=users["worker"], person=people[i], reason="Synthetic benchmark reason",
                   opened_at=now - timedelta(hours=i), expires_at=now - timedelta(hours=i - 1))
        for i in range(0, len(people), 20)
    ])
    return users


def client_for(user):
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Benchmark", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages(users) -> list[tuple[str, str, str, dict, str]]:
    """(page, variant, role, query or form, method) for every list page."""
    from upstream.service.accounts.models import Team
    from upstream.service.people.models import Person

    team = str(Team.objects.get(name__startswith="Heart").pk)
    someone = Person.objects.filter(episodes__team_id=team).order_by("pk")[500]
    born = someone.date_of_birth
    by_name = {"family_name": someone.family_name, "date_of_birth[day]": born.day,
               "date_of_birth[month]": born.month, "date_of_birth[year]": born.year}
    return [
        ("referrals:mine", "first page", "referrer", {}, "get"),
        ("referrals:mine", "page 3 sorted by name", "referrer", {"sort": "name", "page": 3}, "get"),
        ("referrals:mine", "filtered: still open", "referrer", {"outcome": "open"}, "get"),
        ("referrals:mine", "search by name", "referrer", {"q": "smith"}, "get"),
        ("referrals:triage", "first page", "worker", {}, "get"),
        ("referrals:triage", "page 10 sorted by date of birth", "worker",
         {"sort": "-born", "page": 10}, "get"),
        ("referrals:triage", "filtered: urgent", "worker", {"urgency": "urgent"}, "get"),
        ("referrals:triage", "search by name", "worker", {"q": "jo smith"}, "get"),
        ("referrals:waiting", "first page", "lead", {}, "get"),
        ("referrals:waiting", "sorted by days waiting", "lead", {"sort": "-days"}, "get"),
        ("referrals:waiting", "filtered: team", "lead", {"team": team}, "get"),
        ("referrals:board", "first page", "lead", {}, "get"),
        ("referrals:board", "sorted by name", "lead", {"sort": "name"}, "get"),
        ("referrals:board", "search by name", "lead", {"q": "patel"}, "get"),
        ("referrals:identity_queue", "first page", "lead", {}, "get"),
        ("referrals:identity_queue", "sorted by name", "lead", {"sort": "name"}, "get"),
        ("referrals:break_glass_log", "first page", "lead", {}, "get"),
        ("referrals:break_glass_log", "search by name", "lead", {"q": "khan"}, "get"),
        ("engagement:caseload", "first page", "worker", {}, "get"),
        ("engagement:huddle", "whole page", "lead", {}, "get"),
        ("schedules:today", "whole page", "worker", {}, "get"),
        ("schedules:today", "whole team", "lead", {}, "get"),
        ("outreach:outbox", "first page", "worker", {}, "get"),
        ("notifications:inbox", "first page", "referrer", {}, "get"),
        ("people:search", "NHS number", "worker", {"nhs_number": someone.nhs_number}, "post"),
        ("people:search", "family name and date of birth", "worker", by_name, "post"),
        ("audit:events", "first page", "admin", {}, "get"),
        ("audit:events", "filtered: one user", "admin", {"user": "wes"}, "get"),
    ]


def time_page(client, url, data, method, repeats) -> tuple[list[float], int]:
    from django.db import connection

    call = client.post if method == "post" else client.get
    response = call(url, data)  # warm-up
    if response.status_code != 200:
        raise SystemExit(f"{url} {data}: HTTP {response.status_code}")
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: (queries.append(sql),
                                                                 execute(sql, *rest))[1]):
        call(url, data)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call(url, data)
        times.append((time.perf_counter() - started) * 1000)
    return times, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database", type=Path, default=REPO / "var/bench/lists.sqlite3")
    args = parser.parse_args()
    _setup(args.database)
    from django.urls import reverse

    started = time.perf_counter()
    users = build(args.referrals)
    print(f"built {args.referrals:,} referrals in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    clients = {role: client_for(user) for role, user in users.items()}
    print("| page | variant | role | median | p95 | queries |\n|---|---|---|---|---|---|")
    over = []
    for name, variant, role, data, method in pages(users):
        url = reverse(name)
        times, queries = time_page(clients[role], url, data, method, args.repeats)
        median = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"| `{name}` | {variant} | {role} | {median:.0f} ms | {p95:.0f} ms | {queries} |",
              flush=True)
        if median > BAR_MS:
            over.append(f"{name} ({variant})")
    if over:
        raise SystemExit(f"over {BAR_MS} ms median: {', '.join(over)}")


if __name__ == "__main__":
    main()
