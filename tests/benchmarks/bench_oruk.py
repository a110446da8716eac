"""Benchmark the open directory API (``/oruk/``) on a directory of ``--services`` services.

Run: ``.venv/bin/python tests/benchmarks/bench_oruk.py --services 10000 --repeats 20``
(add ``--database-url postgres://...`` for PostgreSQL; the database is emptied and migrated;
``--without-name-indexes`` drops the listings' ``(name, id)`` indexes, to measure them).

By default it migrates a fresh SQLite file (``var/bench/oruk.sqlite3``, replaced each run) and
bulk-creates the directory: organisations of 10 services each, every service at its own
location (coordinates scattered over about 40 km around Scunthorpe) with an address, a weekly
schedule, a phone line and a link to one of 24 needs terms. It writes a small postcode
directory CSV for the postcode searches. Then it times each request through Django's test
client (the whole request: middleware, queries, JSON), ``--repeats`` times after one warm-up,
and prints one Markdown row per request (median and 95th percentile in milliseconds, queries
per request) for docs/benchmarks.md. Each answer is also validated once against the official
schemas, so a fast wrong answer cannot pass. Exits non-zero if a median is over 300 ms.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BAR_MS = 300
REPO = Path(__file__).resolve().parents[2]
CENTRE = (53.5890, -0.6540)  # Scunthorpe, for made-up coordinates
POSTCODE = "DN15 6AA"


def _setup(database_url: str | None) -> None:
    if database_url is None:
        database = REPO / "var" / "bench" / "oruk.sqlite3"
        database.parent.mkdir(parents=True, exist_ok=True)
        database.unlink(missing_ok=True)
        database_url = f"sqlite:///{database}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("UPSTREAM_SECRET_KEY", "bench-oruk-not-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if not database_url.startswith("sqlite"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def build(services: int, seed: int = 11) -> dict:
    """Fill the directory; return ids the requests use."""
    from upstream.service.directory.models import (
        Address,
        Attribute,
        Location,
        Organization,
        Phone,
        Schedule,
        Service,
        ServiceAtLocation,
        Taxonomy,
        TaxonomyTerm,
    )

    rng = random.Random(seed)
    taxonomy = Taxonomy.objects.create(name="Needs", description="Benchmark needs")
    terms = TaxonomyTerm.objects.bulk_create(
        TaxonomyTerm(name=f"Need {n}", description="", taxonomy=taxonomy) for n in range(24))
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Organisation {n:05}", description="A benchmark organisation.")
        for n in range(max(1, services // 10)))
    words = ["debt", "housing", "walking", "food", "carers", "youth", "advice", "peer",
             "support", "group", "benefits", "mental", "health", "loneliness", "money"]
    made = Service.objects.bulk_create(
        Service(organization=organizations[n // 10],
                name=f"{rng.choice(words).title()} {rng.choice(words)} {n}",
                description=" ".join(rng.choice(words) for _ in range(12)),
                minimum_age=rng.choice([None, 16, 18]))
        for n in range(services))
    locations = Location.objects.bulk_create(
        Location(name=f"Place {n}", latitude=CENTRE[0] + rng.uniform(-0.2, 0.2),
                 longitude=CENTRE[1] + rng.uniform(-0.3, 0.3)) for n in range(services))
    Address.objects.bulk_create(
        Address(location=location, address_1=f"{n} High Street", city="Scunthorpe",
                postal_code=POSTCODE, country="GB") for n, location in enumerate(locations))
    sals = ServiceAtLocation.objects.bulk_create(
        ServiceAtLocation(service=s, location=loc) for s, loc in zip(made, locations))
    Schedule.objects.bulk_create(
        Schedule(service_at_location=sal, freq="WEEKLY", byday=rng.choice(["MO", "TU,TH", "SA"]))
        for sal in sals)
    Phone.objects.bulk_create(Phone(service=s, number="01724 000000") for s in made)
    Attribute.objects.bulk_create(
        Attribute(link_entity="service", link_id=s.id, taxonomy_term=rng.choice(terms),
                  link_type="need") for s in made)
    return {"service": made[len(made) // 2].id, "term": terms[3].id,
            "organization": organizations[0].id}


def _time(client, url: str, query: dict, repeats: int) -> tuple[float, float, int, dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, query)  # warm-up
    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} {query}: {response.status_code} {response.content[:200]}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(queries), response.json()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--without-name-indexes", action="store_true",
                        help="drop the (name, id) indexes first, to measure what they save")
    args = parser.parse_args()
    _setup(args.database_url)

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from upstream.standards import postcode_directory
    from upstream.standards.openreferral.validation import check_response

    started = time.perf_counter()
    ids = build(args.services)
    if args.without_name_indexes:
        from django.db import connection

        with connection.cursor() as cursor:
            for index in ("directory_service_name_id", "directory_org_name_id",
                          "directory_taxonomy_name_id", "directory_term_name_id"):
                cursor.execute(f"DROP INDEX {index}")
    print(f"built {args.services:,} services on {connection.vendor} in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    centroids = Path(tempfile.mkdtemp()) / "postcodes.csv"
    centroids.write_text(f"pcds,lat,long\n{POSTCODE},{CENTRE[0]},{CENTRE[1]}\n")
    settings.UPSTREAM_POSTCODE_DIRECTORY = centroids.with_suffix(".sqlite3")
    postcode_directory.build(centroids, settings.UPSTREAM_POSTCODE_DIRECTORY)
    settings.ALLOWED_HOSTS = ["testserver"]

    middle_page = max(1, args.services // 50 // 2)
    requests = [
        ("/oruk/services", {}, "/services", "first page (50)"),
        ("/oruk/services", {"full": "true"}, "/services", "first page, fully nested"),
        ("/oruk/services", {"page": middle_page}, "/services", f"page {middle_page}"),
        ("/oruk/services", {"search": "debt advice"}, "/services", "search, two words"),
        ("/oruk/services", {"taxonomy_term_id": ids["term"]}, "/services", "taxonomy term"),
        ("/oruk/services", {"postcode": POSTCODE, "proximity": 2000}, "/services",
         "within 2 km of a postcode"),
        ("/oruk/service_at_locations", {"postcode": POSTCODE, "proximity": 5000},
         "/service_at_locations", "within 5 km, nearest first"),
        ("/oruk/services", {"day": "TU", "minimum_age": 16}, "/services", "day and age"),
        ("/oruk/organizations", {}, "/organizations", "first page (50)"),
        ("/oruk/organizations", {"page": max(1, middle_page // 10)}, "/organizations",
         f"page {max(1, middle_page // 10)}"),
        (f"/oruk/services/{ids['service']}", {}, "/services/{id}", "one service"),
        (f"/oruk/organizations/{ids['organization']}", {}, "/organizations/{id}",
         "one organisation"),
    ]
    client = Client()
    slow = []
    print("| request | variant | median | p95 | queries |")
    print("|---|---|---|---|---|")
    for url, query, openapi_path, variant in requests:
        median, p95, queries, body = _time(client, url, query, args.repeats)
        check_response(body, openapi_path)
        shown = url.replace(str(ids["service"]), "{id}").replace(str(ids["organization"]), "{id}")
        print(f"| `{shown}` | {variant} | {median:.0f} ms | {p95:.0f} ms | {queries} |")
        if median > BAR_MS:
            slow.append(f"{url} {variant}")
    if slow:
        print(f"over {BAR_MS} ms at the median: {', '.join(slow)}", file=sys.stderr)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
