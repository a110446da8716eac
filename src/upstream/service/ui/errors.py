"""The one NHS.UK error summary builder.

Each field error links to the ``id`` the ``ui/fields.jinja`` macros render for that field, so
following the link moves focus to the field: the input, textarea or select itself; the first
radio or checkbox; the day box of a three-field date input. A form-wide error (and a page-level
``problem``) links to ``problem_href`` (the page's main content unless the view names a better
place, such as the form)."""

from django import forms

from upstream.service.people.forms import NHSDateInput

MAIN_CONTENT = "#maincontent"
"""The ``id`` of NHS.UK's ``<main>`` element."""


def field_id(field: forms.BoundField) -> str:
    """The ``id`` ``ui/fields.jinja`` gives the element that takes focus for ``field``."""
    if isinstance(field.field.widget, NHSDateInput):
        return f"{field.auto_id}-day"
    return field.auto_id


def error_message(field: forms.BoundField) -> dict | None:
    """The NHS.UK ``errorMessage`` parameter for ``field``: all its errors, or None."""
    return {"text": " ".join(str(e) for e in field.errors)} if field.errors else None


def error_summary(*forms_shown: forms.Form | None, problem: str | None = None,
                  problem_href: str = MAIN_CONTENT) -> list[dict]:
    """The ``errorList`` of the NHS.UK error summary: ``problem`` first, then every error of
    every bound form in ``forms_shown`` (``None`` and unbound forms are skipped), in field
    order. Hidden fields' errors (a stale form version) link to ``problem_href``."""
    items = [{"text": problem, "href": problem_href}] if problem else []
    for form in forms_shown:
        if form is None or not form.is_bound:
            continue
        items += [{"text": str(e), "href": problem_href} for e in form.non_field_errors()]
        for name in form.fields:
            if name not in form.errors:
                continue
            field = form[name]
            href = problem_href if field.is_hidden else f"#{field_id(field)}"
            items += [{"text": str(e), "href": href} for e in form.errors[name]]
    return items
