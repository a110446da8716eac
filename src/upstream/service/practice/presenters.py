"""Display of the 3 Conversations and of the personal network: wording, tags and rows, so the
templates only lay things out."""

from django.urls import reverse
from django.utils import timezone

from upstream.service.engagement.models import NetworkSnapshot
from upstream.service.engagement.network import compare, picture
from upstream.service.practice import conversations
from upstream.service.practice.models import CONVERSATION_HINTS, Conversation
from upstream.service.ui.format import long_date, plural
from upstream.service.ui.tags import Tag, conversation_tag
from upstream.standards import disclosure


def current_conversation_tag(episode) -> Tag | None:
    """The tag of the conversation the person is in, for lists (caseload, huddle); None when
    the team does not work to the 3 Conversations or nothing is tagged yet."""
    if not conversations.applies(episode):
        return None
    return conversation_tag(conversations.current(conversations.tags(episode)))


def short_date(day) -> str:
    """'3 March' this year, '3 March 2025' in any other year."""
    text = long_date(day)
    return text.rsplit(" ", 1)[0] if day.year == timezone.localdate().year else text


def moves_text(found: list[conversations.Tag]) -> str:
    """"Started in 1 on 1 March; 1 → 2 on 3 March, 2 → 1 on 10 March", or "" with no tags."""
    if not found:
        return ""
    started = f"Started in {found[0].conversation.value} on {short_date(found[0].on)}"
    moved = [f"{m.came_from.value} → {m.to.value} on {short_date(m.on)}"
             for m in conversations.moves(found)]
    return started + ("; " + ", ".join(moved) if moved else "")


def episode_conversation(episode) -> dict | None:
    """The conversation summary shown on every page of the episode (None when the team does
    not work to the 3 Conversations): the current conversation's tag, the moves in words and
    whether a crisis plan is needed."""
    if not conversations.applies(episode):
        return None
    found = conversations.tags(episode)
    plan = conversations.latest_crisis_plan(episode)
    in_crisis = conversations.current(found) == Conversation.CRISIS
    return {
        "tag": conversation_tag(conversations.current(found)),
        "moves": moves_text(found) or "No conversation recorded yet",
        "needs_crisis_plan": conversations.needs_crisis_plan(episode, found),
        "plan_review_due": (long_date(plan.review_on) if in_crisis and plan
                            and plan.review_on <= timezone.localdate() else ""),
        "href": reverse("engagement:conversations", kwargs={"episode_id": episode.pk}),
    }


def conversations_view(episode) -> dict:
    """The 3 Conversations page: where the person is, the timeline of moves, every tagged
    piece of work and the crisis plans (current first)."""
    found = conversations.tags(episode)
    plans = list(episode.crisis_plans.all())
    return {
        "current": conversation_tag(conversations.current(found)),
        "needs_crisis_plan": conversations.needs_crisis_plan(episode, found),
        "timeline": [
            {"on": long_date(m.on), "text": f"Conversation {m.came_from.value} → "
                                            f"conversation {m.to.value}",
             "to": conversation_tag(m.to)}
            for m in conversations.moves(found)
        ],
        "moves": moves_text(found),
        "started": ({"on": long_date(found[0].on), "tag": conversation_tag(found[0].conversation)}
                    if found else None),
        "tagged": len(found),
        "descriptions": [(f"Conversation {c.value}", CONVERSATION_HINTS[c]) for c in Conversation],
        "plans": [
            {"rows": [("What the crisis is", p.crisis), ("What will be done", p.actions),
                      ("By whom", p.by_whom), ("By when", long_date(p.by_when)),
                      ("Review date", long_date(p.review_on))],
             "recorded": f"Recorded {long_date(p.recorded_at)}"
                         + (f" by {p.recorded_by.display_name}" if p.recorded_by else "")}
            for p in plans
        ],
    }


# -- strengths, interests and personal network ------------------------------------------------

def _entries_table(snapshot: NetworkSnapshot) -> list[list[str]]:
    return [[e.who, e.get_kind_display(), e.get_frequency_display(), f"{e.helpfulness} of 5"]
            for e in snapshot.entries.all()]


def _snapshot(snapshot: NetworkSnapshot, heading: str) -> dict:
    entries = list(snapshot.entries.all())
    title = f"{heading}: {long_date(snapshot.taken_on)}"
    return {
        "heading": title,
        "stage": snapshot.get_stage_display(),
        "picture": picture(entries, title=f"Personal network, {title}",
                           description=f"{plural(len(entries), 'contact')} around the person, "
                                       "grouped by kind. The table below lists them."),
        "rows": _entries_table(snapshot),
        "strengths": snapshot.strengths,
        "interests": snapshot.interests,
    }


def network_view(episode) -> dict:
    """The network page: the first and latest snapshots side by side (or the one there is),
    a plain comparison, and every snapshot's date."""
    snapshots = list(episode.network_snapshots.all())
    if not snapshots:
        return {"first": None, "latest": None, "comparison": [], "history": []}
    first, latest = snapshots[0], snapshots[-1]
    same = first.pk == latest.pk
    return {
        "first": _snapshot(first, "Only snapshot" if same else "At the start"),
        "latest": None if same else _snapshot(latest, "Latest"),
        "comparison": [] if same else compare(first.entries.all(), latest.entries.all()).sentences,
        "history": [f"{long_date(s.taken_on)}: {s.get_stage_display().lower()}, "
                    f"{plural(len(s.entries.all()), 'contact')}" for s in snapshots],
    }


def initial_entries(episode) -> list[dict]:
    """The latest snapshot's entries, to start the next snapshot from."""
    latest = episode.network_snapshots.last()
    if latest is None:
        return []
    return [{"who": e.who, "kind": e.kind, "frequency": e.frequency,
             "helpfulness": e.helpfulness} for e in latest.entries.all()]


def huddle_counts(teams) -> list[tuple[str, str]] | None:
    """For the huddle: the open cases of ``teams`` working to the 3 Conversations, supported in
    conversation 1 only so far against those who needed 2 or 3, through disclosure control
    (ADR 0006) like every count across people. None when no team works to the model."""
    kept = conversations.kept_from_needing_2_or_3(teams, open_only=True)
    if kept is None:
        return None
    release = disclosure.Release()
    release.count("kept", kept.conversation_1_only)
    release.count("needed", kept.needed_2_or_3)
    release.total("all", ["kept", "needed"])
    figures = release.protect()
    return [("Open cases in conversation 1 only so far", figures["kept"].display),
            ("Open cases that needed conversation 2 or 3", figures["needed"].display),
            ("Open cases with a conversation recorded", figures["all"].display)]
