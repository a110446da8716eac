"""Pushing a worklist into a team's triage queue as case-finding referrals."""

from datetime import date, timedelta
from itertools import islice

import pandas as pd
import pytest
from django.utils import timezone
from typer.testing import CliRunner

from tests.integration.casefinding.conftest import plain
from upstream.casefinding import worklist as wl
from upstream.cli import app
from upstream.service.accounts.models import Pathway, Team
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral, ReferralSource
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status
from upstream.service.referrals.worklist_push import Outcome, push_worklist
from upstream.standards import nhs_number

NUMBERS = list(islice(nhs_number.test_range(), 20))


@pytest.fixture
def team(db):
    pathway = Pathway.objects.create(name="Emergency department")
    return Team.objects.create(name="ED high intensity use team", pathway=pathway)


@pytest.fixture
def other_team(team):
    return Team.objects.create(name="Heart Centre link workers", pathway=team.pathway)


def person(number: str, **fields) -> Person:
    return Person.objects.create(nhs_number=number, given_name="Test", family_name="Person",
                                 date_of_birth=date(1970, 1, 1), **fields)


def worklist_rows(*numbers, **extra_columns) -> pd.DataFrame:
    """A worklist as `upstream find` writes it, one row per NHS number given (None for none)."""
    count = len(numbers)
    return pd.DataFrame({
        "rank": range(1, count + 1),
        "patient_id": range(101, 101 + count),
        "nhs_number": pd.array(numbers, dtype="string"),
        "age": [50] * count, "sex": ["F"] * count, "imd_decile": pd.array([1] * count, "Int8"),
        "core20": [True] * count, "practice_code": ["C82001"] * count,
        "cohorts": ["ncl_ed_hiu; leicester_multimorbidity"] * count,
        "reasons": ["ncl_ed_hiu: 18 ED attendances in 12 months | "
                    "leicester_multimorbidity: 6 long-term conditions"] * count,
        "priority": [1.5] * count,
        **extra_columns,
    })


def open_episode(someone, team) -> Episode:
    return submit_referral(person=someone, team=team, source=ReferralSource.GP,
                           needs=["loneliness"], consent_given=True).episode


def closed_episode(someone, team, days_ago: int) -> Episode:
    episode = open_episode(someone, team)
    transition(episode, Status.CLOSED, reason="not suitable at present")
    Episode.objects.filter(pk=episode.pk).update(
        closed_at=timezone.now() - timedelta(days=days_ago))
    return episode


def test_known_people_are_referred_to_triage_as_case_finding(team):
    alice, bob = person(NUMBERS[0]), person(NUMBERS[1])

    report = push_worklist(worklist_rows(NUMBERS[0], NUMBERS[1]), team)

    assert report.count(Outcome.PUSHED) == 2
    referral = Referral.objects.get(person=alice)
    assert referral.team == team
    assert referral.source == ReferralSource.CASE_FINDING
    assert referral.needs == []
    assert referral.consent_given is False
    assert "18 ED attendances in 12 months" in referral.reason
    assert "ncl_ed_hiu; leicester_multimorbidity" in referral.reason
    assert "rank 1" in referral.reason
    assert referral.episode.status == Status.REFERRED
    assert Referral.objects.get(person=bob).episode.team == team


def test_people_with_an_open_episode_in_the_team_are_flagged_not_referred_again(team,
                                                                                other_team):
    busy, elsewhere = person(NUMBERS[0]), person(NUMBERS[1])
    open_episode(busy, team)
    open_episode(elsewhere, other_team)

    report = push_worklist(worklist_rows(NUMBERS[0], NUMBERS[1]), team)

    assert report.ranks[Outcome.ALREADY_OPEN] == [1]
    assert report.ranks[Outcome.PUSHED] == [2]
    assert Referral.objects.filter(person=busy).count() == 1
    assert not Referral.objects.filter(person=busy, source=ReferralSource.CASE_FINDING).exists()


def test_people_closed_in_the_team_within_n_days_are_flagged_not_referred_again(team):
    recent, long_ago = person(NUMBERS[0]), person(NUMBERS[1])
    closed_episode(recent, team, days_ago=30)
    closed_episode(long_ago, team, days_ago=120)

    report = push_worklist(worklist_rows(NUMBERS[0], NUMBERS[1]), team, closed_within_days=90)

    assert report.ranks[Outcome.RECENTLY_CLOSED] == [1]
    assert report.ranks[Outcome.PUSHED] == [2]
    assert not Referral.objects.filter(person=recent, source=ReferralSource.CASE_FINDING).exists()


def test_rows_the_service_cannot_identify_are_counted_as_unmatched_and_skipped(team):
    person(NUMBERS[0])

    report = push_worklist(worklist_rows(NUMBERS[0], NUMBERS[1], None), team)

    assert report.ranks[Outcome.UNMATCHED] == [2, 3]
    assert report.count(Outcome.PUSHED) == 1
    assert Person.objects.count() == 1


def test_a_linked_identifiable_worklist_creates_unknown_people(team):
    rows = worklist_rows(NUMBERS[0], None, NUMBERS[2],
                         given_name=["Ada", "Ben", None], family_name=["Ash", "Birch", "Cole"],
                         date_of_birth=["1970-03-04", "1981-05-06", "1990-01-01"])

    report = push_worklist(rows, team)

    assert report.ranks[Outcome.PUSHED] == [1, 2]
    assert report.ranks[Outcome.UNMATCHED] == [3]  # no given name
    assert report.people_created == 2
    ada = Person.objects.get(nhs_number=NUMBERS[0])
    assert (ada.given_name, ada.date_of_birth, ada.imd_decile, ada.gp_practice_ods) == (
        "Ada", date(1970, 3, 4), 1, "C82001")
    assert Person.objects.get(family_name="Birch").nhs_number is None


def test_invalid_nhs_numbers_and_deceased_people_are_not_referred(team):
    person(NUMBERS[0], date_of_death=date(2024, 1, 1))

    report = push_worklist(worklist_rows(NUMBERS[0], "9990000019"), team)

    assert report.ranks[Outcome.DECEASED] == [1]
    assert report.ranks[Outcome.INVALID] == [2]
    assert not Referral.objects.exists()


def test_a_dry_run_reports_the_same_and_changes_nothing(team):
    person(NUMBERS[0])
    rows = worklist_rows(NUMBERS[0], NUMBERS[1], given_name=["Test", "B"],
                         family_name=["Person", "D"], birth_date=["1970-01-01", "1970-01-01"])

    report = push_worklist(rows, team, dry_run=True)

    assert report.count(Outcome.PUSHED) == 2
    assert report.people_created == 1
    assert not Referral.objects.exists()
    assert not Episode.objects.exists()
    assert Person.objects.count() == 1


def test_pushing_the_same_worklist_twice_does_not_duplicate(team):
    person(NUMBERS[0])
    push_worklist(worklist_rows(NUMBERS[0]), team)
    again = push_worklist(worklist_rows(NUMBERS[0]), team)
    assert again.ranks[Outcome.ALREADY_OPEN] == [1]
    assert Referral.objects.count() == 1


def test_push_worklist_command_prints_the_result_table(team, tmp_path):
    closed_episode(person(NUMBERS[0]), team, days_ago=5)
    open_episode(person(NUMBERS[1]), team)
    person(NUMBERS[2])
    out = tmp_path / "worklist.xlsx"
    rows = worklist_rows(NUMBERS[0], NUMBERS[1], NUMBERS[2], NUMBERS[3])
    wl.write_worklist(rows, wl.summarise(rows), out)

    result = CliRunner().invoke(app, ["push-worklist", "--worklist", str(out),
                                      "--team", team.name, "--closed-within-days", "30"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any("Referred to the team's triage queue" in line and " 1 " in line
               for line in lines)
    assert any("Already open" in line and " 1 " in line for line in lines)
    assert any("last 30 days" in line and " 1 " in line for line in lines)
    assert any("needs re-identification" in line and " 1 " in line for line in lines)
    assert Referral.objects.filter(source=ReferralSource.CASE_FINDING).count() == 1


def test_push_worklist_command_refuses_an_unknown_team(team, tmp_path):
    out = tmp_path / "worklist.csv"
    rows = worklist_rows(NUMBERS[0])
    wl.write_worklist(rows, wl.summarise(rows), out)

    result = CliRunner().invoke(app, ["push-worklist", "--worklist", str(out),
                                      "--team", "No such team"])

    assert result.exit_code == 2
    assert "Teams: ED high intensity use team" in plain(result.output)
    assert not Referral.objects.exists()
