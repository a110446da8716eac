"""The insights dashboard: de-identified aggregates with small numbers suppressed."""

import datetime
import random

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.insights import services
from upstream.service.insights.presenters import dashboard
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode
from upstream.service.referrals.services import submit_referral
from upstream.standards import nhs_number


@pytest.fixture
def population(db):
    """Team A: 14 GP referrals (12 allocated), 3 self-referrals. Team B: 11 GP referrals."""
    pathway = Pathway.objects.create(name="Insights pathway")
    a = Team.objects.create(name="Team A", pathway=pathway)
    b = Team.objects.create(name="Team B", pathway=pathway)
    rng = random.Random(7)
    people = []

    def refer(team, source, n, allocate=0):
        for i in range(n):
            person = Person.objects.create(
                nhs_number=nhs_number.synthetic(rng), given_name=f"Given{len(people)}x",
                family_name=f"Family{len(people)}q", date_of_birth=datetime.date(1980, 1, 1),
                ethnic_category="A" if i % 2 else "N", imd_decile=1 + i % 3,
            )
            people.append(person)
            referral = submit_referral(person=person, team=team, source=source,
                                       needs=["money"], consent_given=True)
            if i < allocate:
                Episode.objects.filter(pk=referral.episode_id).update(
                    allocated_at=referral.episode.opened_at + datetime.timedelta(days=10 + i))

    refer(a, "gp", 14, allocate=12)
    refer(a, "self", 3)
    refer(b, "gp", 11)
    return {"teams": (a, b), "people": people}


def _user(username, role, teams=()):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(username=username, password=None, role=role)
    user.teams.set(teams)
    return user


def test_aggregates_are_counts_not_rows(population):
    teams = Team.objects.all()
    assert services.referrals_by_team_and_source(teams) == {
        ("Team A", "gp"): 14, ("Team A", "self"): 3, ("Team B", "gp"): 11}
    assert services.episodes_by_status(teams)["referred"] == 28
    waiting = services.waiting_days(teams)
    assert waiting.n == 12 and waiting.value == pytest.approx(15.5, abs=0.01)


def test_dashboard_suppresses_small_numbers_and_shows_no_identifiers(population):
    client = Client()
    client.force_login(_user("insight-commissioner", Role.COMMISSIONER))
    response = client.get(reverse("insights:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for person in population["people"]:
        assert person.given_name not in html and person.family_name not in html
        assert person.nhs_number not in html
    table = dashboard(_user("insight-admin", Role.ADMIN)).tables[0]
    rows = {row[0]: row[1:] for row in table.rows}
    assert table.headers[1:3] == ["GP or primary care", "Self-referral"]
    assert rows["Team A"][0] == "15"  # 14 GP referrals, rounded to the nearest 5
    assert rows["Team A"][1] == "<10"  # 3 self-referrals
    assert "<10" in rows["All teams"][1]  # the self-referral column total is 3 as well
    assert "15.5 days" in html and "over about 10 episodes" in html  # 12, rounded
    assert 'alt="Bar chart of episodes by status' in html and "<script" not in html.split(
        "<main")[1].split("</main>")[0]


def test_median_over_fewer_than_ten_episodes_is_not_shown(population):
    Episode.objects.filter(allocated_at__isnull=False).exclude(
        pk__in=Episode.objects.filter(allocated_at__isnull=False).values("pk")[:5]
    ).update(allocated_at=None)
    board = dashboard(_user("few-admin", Role.ADMIN))
    wait = next(h for h in board.headlines if h.label.startswith("Median wait"))
    assert wait.value == "Not shown"


def test_team_lead_sees_only_their_teams(population):
    team_a, _ = population["teams"]
    board = dashboard(_user("insight-lead", Role.TEAM_LEAD, [team_a]))
    teams_shown = [row[0] for row in board.tables[0].rows]
    assert teams_shown == ["Team A", "All teams"]
    assert board.scope == "Your teams: Team A"


def test_attempts_to_engage_median_counts_attempts_up_to_engagement(population):
    from upstream.service.engagement.models import ContactAttempt
    from upstream.service.referrals.models import EpisodeTransition

    episodes = list(Episode.objects.all()[:10])
    engaged_at = timezone.now()
    for n, episode in enumerate(episodes):
        for k in range(n % 3 + 1):
            ContactAttempt.objects.create(episode=episode, channel="phone", outcome="no_answer",
                                          at=engaged_at - datetime.timedelta(days=k + 1))
        ContactAttempt.objects.create(episode=episode, channel="phone", outcome="no_answer",
                                      at=engaged_at + datetime.timedelta(days=1))
        EpisodeTransition.objects.create(episode=episode, from_status="contacting",
                                         to_status="engaged", at=engaged_at)
    result = services.attempts_to_engage(Team.objects.all())
    assert result.n == 10 and result.value == 2
