"""ui.tags: one map from every status to a label and an NHS.UK tag colour."""

import re
from pathlib import Path

import pytest

from upstream.service.engagement.models import GoalStatus
from upstream.service.referrals.models import Identity
from upstream.service.referrals.states import Status
from upstream.service.schedules.models import ScreeningStatus
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


@pytest.mark.parametrize("status", list(ScreeningStatus))
def test_every_screening_status_has_a_tag(status):
    assert tags.screening_tag(status.value).text == status.label


def test_conversation_two_is_the_red_one():
    assert tags.conversation_tag(2).colour == "red"
    assert tags.conversation_tag(2).text == "Conversation 2: intensive support in a crisis"
    assert {tags.conversation_tag(c).colour for c in (1, 3)} == {"white"}
    assert tags.conversation_tag(None) is None


def test_reading_age_and_overdue_tags():
    assert tags.reading_age_tag(12, 9) == tags.Tag("Reading age 12: above 9", "orange")
    assert tags.reading_age_tag(9, 9) == tags.Tag("Reading age 9", "green")
    assert tags.overdue_tag(0) == tags.DUE_TODAY
    assert tags.overdue_tag(3) == tags.Tag("3 days overdue", "red")


SERVICE = Path(tags.__file__).resolve().parents[1]
COLOUR_CHOICE = re.compile(
    r"_COLOURS\s*=|[\"']colour[\"']\s*:|\bTag\([^)]*,\s*[\"'](?:"
    + "|".join(sorted(tags.COLOURS)) + r")[\"']")


def test_no_module_outside_ui_keeps_its_own_colour_map():
    """Colour maps live only in ui.tags: a second map is how the two disagreed before."""
    offenders = [str(p.relative_to(SERVICE)) for p in SERVICE.rglob("*.py")
                 if p.parent.name != "ui" and "migrations" not in p.parts
                 and COLOUR_CHOICE.search(p.read_text())]
    assert not offenders, offenders


def test_no_template_chooses_a_tag_colour():
    offenders = [str(p.relative_to(SERVICE)) for p in SERVICE.rglob("*.jinja")
                 if COLOUR_CHOICE.search(p.read_text())]
    assert not offenders, offenders
