"""How Django's one-off messages ("Episode closed", "caseload is full") show at the top of a
page: warnings and errors as an NHS.UK warning callout (something did not happen, or needs
attention), the rest as inset text."""

from dataclasses import dataclass

from django.contrib import messages as django_messages


@dataclass(frozen=True)
class PageMessage:
    text: str
    warning: bool


def page_messages(request) -> list[PageMessage]:
    """The request's pending messages (reading them marks them shown)."""
    return [PageMessage(str(m), m.level >= django_messages.WARNING)
            for m in django_messages.get_messages(request)]
