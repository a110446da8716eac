"""A small world for the access matrix: two teams, a user for each role, and one record of
every model that a URL names (``<model>_id``) on each side: the signed-in user's own side
(their team, or for a referrer their own referral) and another team's side.

Known models have factories in ``FACTORIES``; any other model is built generically from its
fields, so a model another app adds later is picked up without edits. If a model cannot be
built, ``WorldError`` says which model and field, and where to add a factory.
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone

from upstream.service.accounts.models import Pathway, Role, Team
from upstream.service.people.models import Person
from upstream.service.practice.models import PracticeModel, TeamPractice
from upstream.service.referrals.models import Episode, Referral, ReferralSource
from upstream.service.referrals.services import submit_referral
from upstream.standards import nhs_number

OWN, OTHER = "own", "other"
SIDES = (OWN, OTHER)


class WorldError(AssertionError):
    """The world cannot provide what a URL needs: the message says what to add."""


@dataclass
class World:
    teams: dict[str, Team]
    users: dict[str, object]
    """One user per role; the link worker and team lead are in the own team."""
    referrers: dict[str, object]
    """The referrer who made each side's referral."""
    workers: dict[str, object]
    objects: dict[tuple[str, type], models.Model] = field(default_factory=dict)

    def get(self, side: str, model: type[models.Model]) -> models.Model:
        """The ``model`` record on ``side``, built on first use."""
        key = (side, model)
        if key not in self.objects:
            factory = FACTORIES.get(model._meta.label_lower, build_generically)
            self.objects[key] = factory(self, side, model)
        return self.objects[key]

    @property
    def people(self) -> list[Person]:
        return [self.get(side, Person) for side in SIDES]


def model_for_kwarg(name: str) -> type[models.Model]:
    """The model a URL kwarg ``<model>_id`` names (``goal_review_id`` -> GoalReview)."""
    if not name.endswith("_id"):
        raise WorldError(
            f"URL kwarg {name!r} is not named <model>_id, so the access matrix cannot fill it. "
            "Rename it (e.g. episode_id) or teach tests/integration/security/world.py about it."
        )
    base = name[: -len("_id")].replace("_", "")
    if base == "user":
        return get_user_model()
    found = [m for m in apps.get_models()
             if m._meta.model_name == base and m.__module__.startswith("upstream.")]
    if len(found) != 1:
        raise WorldError(
            f"URL kwarg {name!r}: expected exactly one Upstream model named {base!r}, found "
            f"{[m._meta.label for m in found]}."
        )
    return found[0]


def _team(world, side, model):
    return world.teams[side]


def _user(world, side, model):
    return world.workers[side]


def _person(world, side, model):
    rng = random.Random(f"access-matrix-{side}")
    return Person.objects.create(
        nhs_number=nhs_number.synthetic(rng),
        given_name={OWN: "Zephyrine", OTHER: "Quillon"}[side],
        family_name={OWN: "Ashgrove-Own", OTHER: "Brackenthwaite-Other"}[side],
        date_of_birth=datetime.date(1961, 4, 17),
        postcode="LS1 4AP", imd_decile=3, ethnic_category="A", phone="07700900123",
    )


def _referral(world, side, model):
    return submit_referral(
        person=world.get(side, Person), team=world.teams[side],
        source=ReferralSource.PATHWAY_CLINICIAN, needs=["money"], reason="access matrix",
        consent_given=True, referrer=world.referrers[side],
    )


def _episode(world, side, model):
    episode = world.get(side, Referral).episode
    Episode.objects.filter(pk=episode.pk).update(worker=world.workers[side])
    episode.refresh_from_db()
    return episode


def _api_client(world, side, model):
    from upstream.service.api.tokens import create_client

    return create_client(f"Access matrix {side} system", [world.teams[side]])[0]


def _transition(world, side, model):
    return world.get(side, Episode).transitions.first()  # made by submit_referral


def _outreach_message(world, side, model):
    """A letter waiting in the outbox (so its print-ready PDF exists)."""
    from upstream.service.outreach.models import MessageKind

    return model.objects.create(episode=world.get(side, Episode), kind=MessageKind.LETTER,
                                subject="We tried to reach you", body="Please call us.",
                                recipient="A Person\n1 Street\nLS1 4AP")


def _community_referral(world, side, model):
    """A referral from the side's episode to the side's directory service: the own side's is
    addressed to the organisation the matrix's VCSE partner works for."""
    from upstream.service.connect.services import refer
    from upstream.service.directory.models import Service

    return refer(world.get(side, Episode), world.get(side, Service), by=world.workers[side],
                 consent_given=True, details=["name", "reason"], reason="access matrix")


FACTORIES = {
    "connect.communityreferral": _community_referral,
    "api.apiclient": _api_client,
    "accounts.team": _team,
    "accounts.user": _user,
    "people.person": _person,
    "referrals.referral": _referral,
    "referrals.episode": _episode,
    "referrals.episodetransition": _transition,
    "outreach.outreachmessage": _outreach_message,
}
"""Factories for models that decide scope. Others are built by ``build_generically``."""

_SIMPLE_VALUES = [
    (models.BooleanField, False),
    (models.EmailField, "someone@example.org"),
    (models.URLField, "https://example.org/"),
    (models.CharField, "x"),
    (models.TextField, "x"),
    (models.DateTimeField, timezone.now),
    (models.DateField, datetime.date.today),
    (models.DurationField, lambda: datetime.timedelta(minutes=30)),
    (models.DecimalField, 1),
    (models.FloatField, 1.0),
    (models.IntegerField, 1),  # also the positive and small integer fields
    (models.UUIDField, uuid.uuid4),
    (models.JSONField, list),
]


def _value_for(world, side, model, f: models.Field):
    if f.is_relation:
        return world.get(side, f.related_model)
    if f.choices:
        return f.choices[0][0]
    if f.unique and isinstance(f, models.CharField):
        return f"{side}-{model._meta.model_name}"[: f.max_length]
    for kind, value in _SIMPLE_VALUES:
        if isinstance(f, kind):
            return value() if callable(value) else value
    raise WorldError(
        f"Cannot build {model._meta.label} for the access matrix: no value for field "
        f"{f.name!r} ({type(f).__name__}). Add a factory for it to FACTORIES in "
        "tests/integration/security/world.py."
    )


def build_generically(world, side, model):
    """Create a ``model`` row on ``side``: relations to scoped records point at that side's
    records; other required fields get a plain valid value."""
    values = {}
    for f in model._meta.concrete_fields:
        if f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            continue
        scoped = f.is_relation and f.related_model in SCOPED
        if f.is_relation and f.related_model is get_user_model():
            scoped = not f.null
        if f.is_relation and not scoped and f.null:
            continue
        if not f.is_relation and (f.has_default() or f.null or f.blank):
            continue
        values[f.name] = _value_for(world, side, model, f)
    try:
        return model.objects.create(**values)
    except Exception as error:  # noqa: BLE001 - turned into a clear instruction
        raise WorldError(
            f"Cannot build {model._meta.label} for the access matrix generically ({error}). "
            "Add a factory for it to FACTORIES in tests/integration/security/world.py."
        ) from error


SCOPED = (Team, Person, Referral, Episode)


def record_models() -> list[type[models.Model]]:
    """Upstream models that hang off a person, referral or episode (directly or through
    another such model): the world builds one of each on each side."""
    candidates = [m for m in apps.get_models() if m.__module__.startswith("upstream.")]

    def is_record(model, seen=()):
        if model in SCOPED[1:]:
            return True
        return any(
            f.is_relation and not f.null and f.related_model not in seen
            and f.related_model is not model and is_record(f.related_model, (*seen, model))
            for f in model._meta.concrete_fields
        )

    return [m for m in candidates if is_record(m)]


def build_world() -> World:
    """Two teams on one pathway; a user per role; referrers and workers for each side; and
    one record of every record model on each side."""
    User = get_user_model()
    pathway = Pathway.objects.create(name="Access matrix pathway")
    teams = {side: Team.objects.create(name=f"Access matrix team {side}", pathway=pathway)
             for side in SIDES}
    for team in teams.values():  # so the 3 Conversations pages exist on both sides
        TeamPractice.objects.create(team=team, model=PracticeModel.THREE_CONVERSATIONS)

    def user(username, role, team=None, **extra):
        u = User.objects.create_user(username=username, password=None, role=role, **extra)
        if team is not None:
            u.teams.add(team)
        return u

    users = {
        Role.REFERRER: user("matrix-referrer", Role.REFERRER),
        Role.LINK_WORKER: user("matrix-worker", Role.LINK_WORKER, teams[OWN]),
        Role.TEAM_LEAD: user("matrix-lead", Role.TEAM_LEAD, teams[OWN]),
        Role.COMMISSIONER: user("matrix-commissioner", Role.COMMISSIONER),
        Role.ADMIN: user("matrix-admin", Role.ADMIN, is_staff=True, is_superuser=True),
        Role.VCSE_PARTNER: user("matrix-partner", Role.VCSE_PARTNER),
    }
    world = World(
        teams=teams,
        users=users,
        referrers={OWN: users[Role.REFERRER],
                   OTHER: user("matrix-other-referrer", Role.REFERRER)},
        workers={OWN: users[Role.LINK_WORKER],
                 OTHER: user("matrix-other-worker", Role.LINK_WORKER, teams[OTHER])},
    )
    from upstream.service.connect.models import PartnerMembership
    from upstream.service.directory.models import Organization

    # The partner works for the own side's directory organisation only.
    PartnerMembership.objects.create(user=users[Role.VCSE_PARTNER],
                                     organization=world.get(OWN, Organization))
    for side in SIDES:
        for model in record_models():
            world.get(side, model)
    return world
