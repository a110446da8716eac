"""Pathways, teams and users."""

import factory
from factory.django import DjangoModelFactory

from upstream.service.accounts.models import Pathway, Role, Team, User


class PathwayFactory(DjangoModelFactory):
    class Meta:
        model = Pathway
        django_get_or_create = ("name",)

    name = "Heart Centre"
    specialty = "Cardiology"


class TeamFactory(DjangoModelFactory):
    """A team prompting a review after 3 unsuccessful contact attempts."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Test team {n}")
    pathway = factory.SubFactory(PathwayFactory)
    attempts_prompt_after = 3


class UserFactory(DjangoModelFactory):
    """A user with no usable password (tests sign in with ``force_login``); ``teams=[...]``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.LazyAttributeSequence(lambda o, n: f"{o.role}-{n}")
    role = Role.LINK_WORKER
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        user = model_class(*args, **kwargs)
        user.set_unusable_password()
        user.save()
        return user

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)
