"""The demo world's outcome measures: recorded through the real service, inside the episode's
dates, with follow-ups recorded for most of those due, and enough to evaluate."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from upstream.evaluation.outcomes import ALL_PATHWAYS, disclosure_table, outcome_change
from upstream.service.demo.world import build_demo_world
from upstream.service.outcomes.models import Administration, Timepoint
from upstream.service.outcomes.services import cohort_frame

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_demo_world(seed=11)
            yield
            transaction.set_rollback(True)


def test_demo_administrations_are_inside_the_episode_and_scored(world):
    today = timezone.localdate()
    administrations = list(Administration.objects.select_related("episode"))
    assert administrations
    for administration in administrations:
        assert timezone.localdate(administration.episode.opened_at) <= (
            administration.administered_on) <= today
        assert set(administration.scores) == {administration.instrument}
    baselines = {(a.episode_id, a.instrument): a.administered_on for a in administrations
                 if a.timepoint == Timepoint.BASELINE}
    for a in administrations:
        if a.timepoint == Timepoint.WEEK_12:
            assert a.administered_on >= baselines[(a.episode_id, a.instrument)] + (
                datetime.timedelta(weeks=12))


def test_demo_outcomes_can_be_evaluated_and_shown(world):
    frame = cohort_frame(Administration.objects.all(), "phq9", as_of=timezone.localdate())
    result = outcome_change(frame, "phq9")
    overall = result.group(ALL_PATHWAYS)
    assert overall.followed_up >= 10 and overall.lost >= 1
    # Only episodes whose follow-up was due are counted, so about a quarter are lost.
    assert overall.lost < overall.followed_up
    table = disclosure_table(result)
    assert list(table["Group"])[-1] == ALL_PATHWAYS
