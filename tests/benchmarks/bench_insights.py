"""Benchmark the insights page and its exports on the demo world.

Run: ``.venv/bin/python tests/benchmarks/bench_insights.py --repeats 5``

It migrates a fresh SQLite file (``var/bench/insights.sqlite3``, replaced each run), builds the
demo world (``upstream.service.demo.world.build_demo_world``, seed 11), signs in a commissioner
and times, through Django's test client (the whole request, including the disclosure check of
the page's one release by integer programming, the charts drawn by vl-convert and the outcome
statistics), the dashboard for all teams and all time, the dashboard for one team and the last
12 months, and the CSV and Excel exports: ``--repeats`` times each after one warm-up. It prints
one Markdown row per request (median and slowest in milliseconds) for docs/benchmarks.md.
"""

import argparse
import os
import statistics
import time
from pathlib import Path


def _setup(database: Path) -> None:
    database.parent.mkdir(parents=True, exist_ok=True)
    database.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("UPSTREAM_SECRET_KEY", "bench-insights-not-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--database", type=Path, default=Path("var/bench/insights.sqlite3"))
    args = parser.parse_args()
    _setup(args.database)
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from upstream.service.accounts.models import Role, Team, User
    from upstream.service.demo.world import build_demo_world

    setup_test_environment()
    settings.UPSTREAM_TWO_FACTOR_FOR_STAFF = False  # sign-in is not what is timed
    build_demo_world(seed=11)
    user = User.objects.create_user(username="bench-commissioner", password=None,
                                    role=Role.COMMISSIONER)
    client = Client()
    client.force_login(user)
    team = Team.objects.order_by("name").first()
    one_team = f"?team={team.pk}&period=12"
    requests = [("dashboard", "all teams, all time", reverse("insights:dashboard")),
                ("dashboard", "one team, 12 months", reverse("insights:dashboard") + one_team),
                ("CSV export", "all teams, all time", reverse("insights:export_csv")),
                ("Excel export", "all teams, all time", reverse("insights:export_xlsx"))]
    print("| request | filter | median ms | slowest ms |")
    print("|---|---|---|---|")
    for name, variant, url in requests:
        warm_up = client.get(url)
        assert warm_up.status_code == 200, (url, warm_up.status_code)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        print(f"| {name} | {variant} | {statistics.median(times):.0f} | {max(times):.0f} |")


if __name__ == "__main__":
    main()
