"""A team's practice model."""

import factory
from factory.django import DjangoModelFactory

from upstream.service.practice.models import PracticeModel, TeamPractice

from .accounts import TeamFactory


class TeamPracticeFactory(DjangoModelFactory):
    """A team that works to the 3 Conversations."""

    class Meta:
        model = TeamPractice
        django_get_or_create = ("team",)

    team = factory.SubFactory(TeamFactory)
    model = PracticeModel.THREE_CONVERSATIONS
