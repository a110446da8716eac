"""Display helpers for the accounts pages."""


def error_summary_items(form) -> list[dict]:
    """The NHS.UK error summary list for ``form``: each error links to its field."""
    items = [{"text": str(error), "href": "#main-content"} for error in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == "__all__":
            continue
        items.extend({"text": str(error), "href": f"#id_{name}"} for error in errors)
    return items


def field_error(form, name: str) -> dict | None:
    """The NHS.UK ``errorMessage`` argument for field ``name``, or None when it has no error."""
    errors = form.errors.get(name)
    return {"text": " ".join(str(e) for e in errors)} if errors else None
