"""The practice model a team works to, and its vocabulary.

A practice model is a named way of working that changes what the team records. Leicester's
"3 Conversations" is the first (and so far only) one: every contact attempt and session is
tagged with the conversation it belongs to. A team with no ``TeamPractice`` row works to none
and sees none of it.
"""

from django.db import models

from upstream.service.accounts.models import Team


class PracticeModel(models.TextChoices):
    THREE_CONVERSATIONS = "three_conversations", "3 Conversations"


class Conversation(models.IntegerChoices):
    """The three conversations of the 3 Conversations model."""

    CONNECT = 1, "Conversation 1: what matters and connecting"
    CRISIS = 2, "Conversation 2: intensive support in a crisis"
    GOOD_LIFE = 3, "Conversation 3: building a good life"


CONVERSATION_HINTS = {
    Conversation.CONNECT: "Listening to what matters to the person and connecting them to "
                          "local resources and their own networks.",
    Conversation.CRISIS: "Intensive, short-term support when the person is at risk or in "
                         "crisis. Needs a crisis plan: what the crisis is, what will be done, "
                         "by whom, by when, and a review date.",
    Conversation.GOOD_LIFE: "Building a good life over the longer term, once the person is "
                            "safe and connected.",
}
"""The description of each conversation, shown as hint text wherever one is chosen."""

SHORT_NAMES = {
    Conversation.CONNECT: "what matters and connecting",
    Conversation.CRISIS: "intensive support in a crisis",
    Conversation.GOOD_LIFE: "building a good life",
}


class TeamPractice(models.Model):
    """The practice model ``team`` works to (one per team)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="practice")
    model = models.CharField("Practice model", max_length=40, choices=PracticeModel.choices)
    since = models.DateField("Working to it since", null=True, blank=True)

    class Meta:
        verbose_name = "team practice model"

    def __str__(self) -> str:
        return f"{self.team}: {self.get_model_display()}"


def works_to_three_conversations(team: Team) -> bool:
    """Whether ``team`` tags its work with the 3 Conversations. Django caches the look-up on
    the team instance; ``select_related("team__practice")`` makes it free for lists."""
    try:
        return team.practice.model == PracticeModel.THREE_CONVERSATIONS
    except TeamPractice.DoesNotExist:
        return False
