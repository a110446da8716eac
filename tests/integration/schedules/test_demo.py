"""The demo world shows schedules: cadences for every team, Barts' screen with people enrolled
at various weeks (a "yes" and a missed appointment each referred for triage), a 12-week and a
4-to-8-session programme, and last week's huddle decisions."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from upstream.service.accounts.models import Team
from upstream.service.demo.world import build_demo_world
from upstream.service.schedules import services
from upstream.service.schedules.models import (
    HuddleDecision,
    PlannedSession,
    ProgrammeShape,
    Screening,
    ScreeningSchedule,
    ScreeningStatus,
    monday_of,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_world(seed=3)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_schedules(world):
    assert all(len(services.cadence(team)) >= 4 for team in Team.objects.all())
    barts = ScreeningSchedule.objects.get(name="Difficulty making ends meet")
    assert barts.weeks == [1, 4, 8] and barts.enrolments.count() == 11
    # six heart attack patients enrolled at discharge, not on the caseload
    assert barts.enrolments.filter(episode=None).count() == 6
    statuses = set(Screening.objects.values_list("status", flat=True))
    assert {ScreeningStatus.DUE, ScreeningStatus.NEGATIVE, ScreeningStatus.POSITIVE,
            ScreeningStatus.MISSED} <= statuses
    referred = Screening.objects.exclude(referral=None)
    assert referred.count() == 2
    assert all(s.referral.triage_outcome == "" and "screen at week" in s.referral.reason
               and s.referral.source == "screening" for s in referred)
    assert Screening.objects.filter(status="due", due_on__lte=timezone.localdate()).exists()
    assert {(p.kind, p.weeks, p.min_sessions) for p in ProgrammeShape.objects.all()} == {
        ("weeks", 12, None), ("sessions", None, 4)}
    last_week = monday_of(timezone.localdate() - datetime.timedelta(days=7))
    assert HuddleDecision.objects.filter(week_of=last_week).count() >= 6
    assert PlannedSession.objects.filter(on=timezone.localdate()).exists()
