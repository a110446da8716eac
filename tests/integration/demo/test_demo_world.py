"""The demo world: deterministic from its seed, every episode state present, synthetic people
only, and built through the real services (so its records obey the service's rules)."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count

from upstream.service.accounts.models import Role, User
from upstream.service.demo.world import DEMO_PASSWORD, TEAMS, build_demo_world, plan_world
from upstream.service.directory.models import Service
from upstream.service.engagement.models import ContactAttempt, DischargeSummary, Goal
from upstream.service.people.models import Person
from upstream.service.referrals.models import Episode, Referral
from upstream.service.referrals.states import CASELOAD, Status
from upstream.standards import nhs_number, postcode
from upstream.standards.postcode_directory import PostcodeDirectory

SEED = 11


def _snapshot() -> dict:
    """The people and structure of the world in the database (no timestamps)."""
    people = sorted(Person.objects.values_list(
        "nhs_number", "given_name", "family_name", "date_of_birth", "postcode", "imd_decile",
        "ethnic_category"), key=repr)
    episodes = sorted(Episode.objects.values_list(
        "person__given_name", "person__family_name", "person__date_of_birth", "team__name",
        "status", "worker__username").annotate(attempts=Count("contacts")), key=repr)
    staff = sorted(User.objects.values_list("username", "role"))
    return {"people": people, "episodes": episodes, "staff": staff}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Build the world for ``SEED``, take a snapshot, throw it away, build it again and keep it
    for this module's tests (rolled back at the end)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            build_demo_world(seed=SEED)
            first = _snapshot()
            transaction.set_rollback(True)
        with transaction.atomic():
            logins = build_demo_world(seed=SEED)
            yield {"first": first, "logins": logins}
            transaction.set_rollback(True)


def test_the_plan_is_a_pure_function_of_the_seed():
    assert plan_world(5) == plan_world(5)
    assert plan_world(5) != plan_world(6)


@pytest.mark.django_db
def test_building_twice_with_the_same_seed_gives_the_same_world(world):
    again = _snapshot()
    assert again == world["first"]
    assert 150 <= len(again["people"]) <= 250


@pytest.mark.django_db
def test_every_episode_status_is_present(world):
    present = set(Episode.objects.values_list("status", flat=True))
    assert present == {s.value for s in Status}


@pytest.mark.django_db
def test_people_are_synthetic_with_valid_test_range_numbers_and_postcodes(world):
    numbers = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    assert numbers, "the demo world has people with NHS numbers"
    assert all(nhs_number.is_valid(n) and n.startswith("999") for n in numbers)
    assert all(postcode.is_valid(p) for p in Person.objects.values_list("postcode", flat=True))
    assert Person.objects.filter(nhs_number__isnull=True).exists(), "some without a number"


@pytest.mark.django_db
def test_ages_suit_each_team(world):
    for plan in TEAMS:
        for episode in Episode.objects.filter(team__name=plan.name).select_related("person"):
            age = (episode.opened_at.date() - episode.person.date_of_birth).days // 365
            assert plan.ages[0] - 1 <= age <= plan.ages[1] + 1, (plan.name, age)


@pytest.mark.django_db
def test_every_role_has_a_login_sharing_the_demo_password(world):
    users = [User.objects.get(username=login.username) for login in world["logins"]]
    assert {user.role for user in users} == set(Role.values)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    for user in users:
        validate_password(DEMO_PASSWORD, user)  # passes the service's password rules
    assert User.objects.get(role=Role.ADMIN).is_superuser


@pytest.mark.django_db
def test_caseloads_stay_within_limits_and_the_smallest_teams_are_full(world):
    for plan in TEAMS:
        workers = User.objects.filter(teams__name=plan.name, role=Role.LINK_WORKER)
        for worker in workers:
            held = Episode.objects.filter(worker=worker, status__in=[s.value for s in CASELOAD])
            assert held.count() <= plan.caseload_limit
    for full in ("Children and young people's social prescribing", "Young adult diabetes"):
        assert Episode.objects.filter(team__name=full, status=Status.WAITING).exists()
        team_limit = next(p.caseload_limit for p in TEAMS if p.name == full)
        for worker in User.objects.filter(teams__name=full, role=Role.LINK_WORKER):
            assert worker.caseload.filter(
                status__in=[s.value for s in CASELOAD]).count() == team_limit


@pytest.mark.django_db
def test_engagement_records_and_duplicates_exist(world):
    closed = Episode.objects.filter(status=Status.CLOSED, discharge_summary__isnull=False)
    assert closed.count() >= 20
    assert DischargeSummary.objects.filter(attempts_to_engage__gte=1).exists()
    assert ContactAttempt.objects.values("episode").annotate(n=Count("id")).filter(
        n__gte=6).exists(), "some people take six or more attempts"
    assert Goal.objects.filter(reviews__isnull=False).exists()
    duplicates = Referral.objects.filter(is_duplicate=True)
    assert duplicates.count() >= 4
    assert all(d.episode.referrals.count() >= 2 for d in duplicates)


@pytest.mark.django_db
def test_timestamps_are_in_order_and_in_the_past(world):
    from django.utils import timezone

    now = timezone.now()
    for episode in Episode.objects.prefetch_related("transitions"):
        times = [t.at for t in episode.transitions.all()]
        assert times == sorted(times) and times[-1] <= now
        assert episode.opened_at == times[0]


def test_every_team_has_plain_english_templates_and_the_heart_centre_an_outbox(world):
    from upstream.service.outreach.models import MessageKind, MessageTemplate, OutreachMessage
    from upstream.service.outreach.presenters import reading_age_view
    from upstream.service.outreach.services import settings_for

    for plan in TEAMS:
        templates = MessageTemplate.objects.filter(team__name=plan.name)
        assert {t.kind for t in templates} == set(MessageKind.values), plan.name
        target = settings_for(templates[0].team).reading_age_target
        letter = templates.get(name="We tried to reach you")
        assert not reading_age_view(letter, target)["above"], plan.name
    assert reading_age_view(MessageTemplate.objects.get(
        name="Introductory letter (old, formal)"), 9)["above"]
    waiting = OutreachMessage.objects.filter(episode__team__name=TEAMS[0].name)
    assert {m.kind for m in waiting} == {MessageKind.SMS, MessageKind.LETTER}
    assert all("((" not in m.body for m in waiting)


@pytest.mark.django_db
def test_the_ed_team_works_to_3_conversations_with_moves_a_crisis_plan_and_networks(world):
    from upstream.service.engagement.models import CrisisPlan, NetworkSnapshot
    from upstream.service.practice import conversations
    from upstream.service.practice.models import TeamPractice

    practice = TeamPractice.objects.get()
    episodes = Episode.objects.filter(team=practice.team).prefetch_related("contacts", "sessions")
    tagged = [conversations.tags(e) for e in episodes]
    assert sum(1 for t in tagged if t and {tag.conversation for tag in t} == {1}) >= 5
    assert any(conversations.moves(t) for t in tagged)
    assert CrisisPlan.objects.filter(episode__team=practice.team).exists()
    with_two = (NetworkSnapshot.objects.values("episode").annotate(n=Count("pk"))
                .filter(n__gte=2))
    assert with_two.exists()
    other_teams = Episode.objects.exclude(team=practice.team)
    assert not ContactAttempt.objects.filter(episode__in=other_teams,
                                             conversation__isnull=False).exists()


@pytest.mark.django_db
def test_the_record_carries_safety_child_details_notes_and_notifications(world):
    from upstream.service.notifications.models import Notification
    from upstream.service.people.models import SafetyFlag
    from upstream.service.referrals.children import is_child
    from upstream.service.referrals.models import CaseNote

    assert {f.kind for f in SafetyFlag.objects.filter(resolved_at__isnull=True)} == {
        "lone_working", "safeguarding_adult"}
    children = [r for r in Referral.objects.select_related("person")
                if is_child(r.person.date_of_birth, r.received_at.date())]
    assert children and all(r.parent_carer_name and r.consent_by for r in children)
    assert any(r.safeguarding_concerns for r in children)
    assert CaseNote.objects.filter(corrects__isnull=False).exists()
    referrer = User.objects.get(username="nkechi.eze")
    assert Notification.objects.filter(recipient=referrer, read_at__isnull=True).count() == 3
    assert Notification.objects.filter(recipient=referrer).count() > 3


@pytest.mark.django_db
def test_the_directory_is_imported_and_demo_postcodes_have_centroids(world):
    assert Service.objects.filter(original_id__gt="").count() == 400
    lookup = PostcodeDirectory(settings.UPSTREAM_POSTCODE_DIRECTORY)
    person = Person.objects.exclude(postcode="").first()
    assert lookup.centroid(person.postcode) is not None
