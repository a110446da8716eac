"""Display logic for the outreach pages: reading-age tags, template rows, the merged message
and the outbox, as plain dicts so templates only lay things out."""

from django.urls import reverse

from upstream.service.outreach import merge, preferences, readability
from upstream.service.outreach.models import MessageKind, MessageTemplate, OutreachMessage
from upstream.service.outreach.services import Draft
from upstream.service.ui.format import long_date_time
from upstream.service.ui.tags import reading_age_tag

SEND_BUTTON = {
    MessageKind.SMS: "Send text message",
    MessageKind.EMAIL: "Send email",
    MessageKind.LETTER: "Send letter",
}


def reading_age_view(template: MessageTemplate, target: int) -> dict:
    """The template's reading age against the team's target, as a tag and a sentence."""
    age = readability.reading_age(f"{template.subject}\n{template.body}", target)
    if age.above_target:
        return {"years": age.years, "above": True,
                "tag": reading_age_tag(age.years, target),
                "text": (f"Reading age {age.years} is above your team's target of {target}. "
                         "Use shorter sentences and everyday words.")}
    return {"years": age.years, "above": False,
            "tag": reading_age_tag(age.years, target),
            "text": f"Reading age {age.years} is within your team's target of {target}."}


def template_rows(templates, target: int) -> list[dict]:
    return [{"name": t.name, "kind": t.get_kind_display(),
             "url": reverse("outreach:template", kwargs={"message_template_id": t.pk}),
             "reading_age": reading_age_view(t, target)} for t in templates]


def merge_field_rows() -> list[tuple[str, str]]:
    return [(f"(({name}))", what) for name, what in merge.FIELDS.items()]


def draft_view(draft: Draft) -> dict:
    """A merged message ready to check and send."""
    return {
        "kind": draft.template.get_kind_display(),
        "subject": draft.subject,
        "paragraphs": [p for p in draft.body.split("\n") if p.strip()],
        "recipient_lines": draft.recipient_text.split("\n") if draft.recipient_text else [],
        "refusal": draft.refusal,
        "preference": preferences.preference_note(draft.kind, draft.episode.person),
        "send_button": SEND_BUTTON.get(draft.kind),
        "call_script": draft.kind == MessageKind.CALL_SCRIPT,
        "log_url": reverse("engagement:contacts", kwargs={"episode_id": draft.episode.pk})
        + "#log-attempt",
    }


def outbox_rows(messages: list[OutreachMessage]) -> list[dict]:
    """Messages waiting to be sent by hand, oldest first, with what the worker needs to send
    each one and to mark it sent."""
    rows = []
    for message in messages:
        person = message.episode.person
        kind = message.get_kind_display()
        rows.append({
            "person": str(person),
            "contacts_url": reverse("engagement:contacts",
                                    kwargs={"episode_id": message.episode_id}),
            "kind": kind,
            "subject": message.subject,
            "body": message.body,
            "recipient_lines": message.recipient.split("\n"),
            "written": long_date_time(message.created_at),
            "by": message.created_by.display_name if message.created_by else "",
            "pdf_url": reverse("outreach:letter_pdf",
                               kwargs={"outreach_message_id": message.pk})
            if message.kind == MessageKind.LETTER else None,
            "mark_url": reverse("outreach:mark_sent",
                                kwargs={"outreach_message_id": message.pk}),
            "mark_text": (f"Mark {kind.lower()} to {person} as posted"
                          if message.kind == MessageKind.LETTER
                          else f"Mark {kind.lower()} to {person} as sent"),
        })
    return rows
