"""Changing the practice model a team works to. Audited."""

from django.db import transaction

from upstream.service.audit.models import Action
from upstream.service.audit.services import record
from upstream.service.practice.models import PracticeModel, TeamPractice


@transaction.atomic
def set_practice_model(team, model: str | None, *, by, since=None) -> TeamPractice | None:
    """Make ``team`` work to ``model`` (a ``PracticeModel`` value), or to none (``None``).
    Tags already recorded stay on the work; a team that stops sees none of them."""
    if model is not None and model not in PracticeModel.values:
        raise ValueError(f"Unknown practice model {model!r}")
    current = TeamPractice.objects.select_for_update().filter(team=team).first()
    if model is None:
        if current is not None:
            current.delete()
        record(by, Action.CHANGE, team, detail="practice model: none")
        return None
    if current is None:
        current = TeamPractice.objects.create(team=team, model=model, since=since)
    elif current.model != model:
        current.model, current.since = model, since
        current.save(update_fields=["model", "since"])
    record(by, Action.CHANGE, team, detail=f"practice model: {model}")
    return current
