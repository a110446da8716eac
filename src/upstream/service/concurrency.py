"""Optimistic concurrency for records that people edit through forms.

A versioned record carries a ``version`` number. A form is built from the version the user
saw and posts it back; the save goes ahead only if the record is still at that version, and
then advances it. Two people editing at once cannot silently overwrite each other: the later
save is refused (``StaleRecord``), the page answers 409 with the user's entry kept, and they
save again after reading the other person's change.

Episodes carry their own ``version`` (``referrals.models.Episode``) and every change to an
episode's record (contacts, what matters, the plan and its goals and actions, sessions,
closing) advances it through ``referrals.services.bump_version``, which uses ``bump_version``
here. A person's details are versioned separately (``people.models.Person``), because they are
shared by every episode that person has.
"""

from django.db import models
from django.db.models import F


class Versioned(models.Model):
    """A record edited under optimistic concurrency: ``version`` starts at 1 and goes up by
    one with every save made through ``bump_version``."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class StaleRecord(Exception):
    """Someone else saved this record since it was loaded: the save was refused.

    ``expected`` is the version the user's page was built from, ``actual`` the current one.
    Subclasses word the message for their kind of record.
    """

    message = (
        "This record was changed by someone else while you were editing it. Your changes "
        "have not been saved: reload the page to see theirs, then apply yours."
    )

    def __init__(self, record_id, expected: int | None, actual: int):
        super().__init__(self.message)
        self.record_id, self.expected, self.actual = record_id, expected, actual


def bump_version(instance: models.Model, expected_version: int | None, *,
                 stale: type[StaleRecord] = StaleRecord) -> int:
    """Advance ``instance.version`` in the database, refusing with ``stale`` if the stored
    version is not ``expected_version``; return the new version (also set on ``instance``).

    The check-and-increment is one UPDATE, so two concurrent saves cannot both pass.
    ``expected_version=None`` means the caller holds no stale copy (e.g. a system action).
    Call it inside the transaction that writes the change, so a refusal saves nothing.
    """
    model = type(instance)
    rows = model._base_manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        actual = model._base_manager.values_list("version", flat=True).get(pk=instance.pk)
        raise stale(instance.pk, expected_version, actual)
    instance.version = model._base_manager.values_list("version", flat=True).get(pk=instance.pk)
    return instance.version
