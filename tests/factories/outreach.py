"""Message templates and a team's outreach settings."""

import factory
from factory.django import DjangoModelFactory

from upstream.service.outreach.models import MessageKind, MessageTemplate, OutreachSettings

from .accounts import TeamFactory


class OutreachSettingsFactory(DjangoModelFactory):
    """A team's phone and address for merge fields; reading-age target as the model's default."""

    class Meta:
        model = OutreachSettings
        django_get_or_create = ("team",)

    team = factory.SubFactory(TeamFactory)
    phone = "0116 496 0123"
    address = "Link workers\nLeicester\nLE1 1AA"


class MessageTemplateFactory(DjangoModelFactory):
    """A text message template using the merge fields; give ``kind``, ``body``, ``subject``."""

    class Meta:
        model = MessageTemplate

    team = factory.SubFactory(TeamFactory)
    kind = MessageKind.SMS
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.kind} template {n}")
    subject = ""
    body = "Hello ((given_name)), this is ((worker_name)) from ((team_name))."
