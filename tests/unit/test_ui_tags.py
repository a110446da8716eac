"""ui.tags: one map from every status to a label and an NHS.UK tag colour."""

import pytest

from upstream.service.engagement.models import GoalStatus
from upstream.service.referrals.models import Identity
from upstream.service.referrals.states import Status
from upstream.service.ui import tags


@pytest.mark.parametrize("status", list(Status))
def test_every_episode_status_has_a_tag(status):
    tag = tags.status_tag(status.value)
    assert tag.text == status.label
    assert tag.colour in tags.COLOURS


@pytest.mark.parametrize("status", list(GoalStatus))
def test_every_goal_status_has_a_tag(status):
    assert tags.goal_tag(status.value).text == status.label


@pytest.mark.parametrize("identity", list(Identity))
def test_every_identity_state_has_a_tag(identity):
    assert tags.identity_tag(identity.value).text == identity.label


def test_one_colour_rule():
    """The colours the two old maps disagreed on, settled once."""
    assert tags.status_tag("referred").colour == "blue"
    assert tags.status_tag("allocated").colour == "purple"
    assert tags.status_tag("engaged").colour == "green"
    assert tags.status_tag("closing").colour == "pink"
    ended = [Status.CLOSED, Status.NOT_ENGAGED, Status.DECLINED, Status.NOT_SUITABLE,
             Status.DECEASED]
    assert {tags.status_tag(s).colour for s in ended} == {"grey"}
    assert tags.URGENT == tags.urgency_tag("urgent")
    assert tags.urgency_tag("routine") is None


def test_a_colour_nhsuk_does_not_have_is_refused():
    with pytest.raises(ValueError, match="not an NHS.UK tag colour"):
        tags.Tag("Done", "teal")
