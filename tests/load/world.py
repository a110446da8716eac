"""Seeded worlds for tests that drive a real server (gunicorn) from outside: the load benchmark
(``run_load.py``) and the concurrency test (``tests/integration/security/test_concurrency.py``).

Run in a process whose ``DATABASE_URL`` is the server's (migrated) database::

    python -m tests.load.world demo  --out world.json --sessions 50
    python -m tests.load.world small --out world.json --sessions 12

It fills the database and writes JSON the clients use: signed-in staff sessions (cookies made
with Django's own ``login``, so the sign-in time is stamped, and verified with a confirmed TOTP
device, as after the code step of two-factor sign-in), the records each session works on, and a
bearer token for the referral API. ``demo`` is the synthetic demo world
(``service.demo.world``); ``small`` is one team with one link worker and one allocated episode
per session. Every person is synthetic (NHS numbers from the 999 test range).
"""

import argparse
import json
import os
import secrets
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "upstream.service.config.settings")
    import django

    django.setup()


def signed_in_cookies(user) -> dict[str, str]:
    """Cookies of a fresh session for ``user``, signed in and verified with a second factor.

    ``csrftoken`` is a new CSRF secret: send it back as the ``X-CSRFToken`` header on posts.
    """
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
              or TOTPDevice.objects.create(user=user, name="Load test", confirmed=True))
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key,
            settings.CSRF_COOKIE_NAME: secrets.token_hex(16)}


def _api_token(teams) -> str:
    from upstream.service.api.tokens import create_client

    return create_client("Load test EPR", teams)[1]


def _staff_entry(user, episodes, cookies) -> dict:
    return {
        "username": user.username, "role": user.role, "cookies": cookies,
        "team": user.teams.first().pk,
        "episodes": [e.pk for e in episodes],
        "people": sorted({e.person_id for e in episodes}),
    }


def build_small(sessions: int) -> dict:
    """One team; per session a link worker with one allocated episode of their own."""
    from tests.integration.engagement import factories as make
    from upstream.service.accounts.models import Role, Team

    team = make.team("Concurrency test team")
    staff = []
    for _ in range(sessions):
        worker = make.user(Role.LINK_WORKER, team)
        episode = make.episode(team, worker=worker)
        staff.append(_staff_entry(worker, [episode], signed_in_cookies(worker)))
    return {"staff": staff, "api_token": _api_token(Team.objects.all()),
            "team_names": [team.name]}


def build_demo(sessions: int, seed: int = 2026) -> dict:
    """The demo world; ``sessions`` sessions shared round-robin among its link workers and team
    leads. Each session gets a share of its user's open episodes to log contacts on (disjoint
    between the sessions of one user, so they rarely meet) and people from its team."""
    from upstream.service.accounts.models import Role, Team, User
    from upstream.service.demo.world import build_demo_world
    from upstream.service.referrals.models import Episode

    build_demo_world(seed=seed)
    users = list(User.objects.filter(role__in=[Role.LINK_WORKER, Role.TEAM_LEAD])
                 .order_by("role", "username"))
    per_user = {u.pk: sessions // len(users) + (i < sessions % len(users))
                for i, u in enumerate(users)}
    staff = []
    for user in users:
        team = user.teams.first()
        if user.role == Role.LINK_WORKER:
            mine = Episode.objects.filter(worker=user)
        else:
            mine = Episode.objects.filter(team=team)
        working = list(mine.filter(status__in=["allocated", "contacting", "engaged", "active"])
                       .order_by("pk"))
        team_episodes = list(Episode.objects.filter(team=team).order_by("pk"))
        count = per_user[user.pk]
        for n in range(count):
            entry = _staff_entry(user, working[n::count] or working, signed_in_cookies(user))
            entry["people"] = sorted({e.person_id for e in team_episodes})
            staff.append(entry)
    teams = Team.objects.all()
    return {"staff": staff, "api_token": _api_token(teams),
            "team_names": [t.name for t in teams]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["demo", "small"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--sessions", type=int, default=50)
    args = parser.parse_args(argv)
    _setup_django()
    world = build_demo(args.sessions) if args.kind == "demo" else build_small(args.sessions)
    with open(args.out, "w") as out:
        json.dump(world, out, indent=1)
    print(f"{args.kind} world: {len(world['staff'])} sessions -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
