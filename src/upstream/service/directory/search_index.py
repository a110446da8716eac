"""The words of each service's name and description, indexed for free-text search.

A search-only table (ADR 0018): one row per service and distinct word (normalised as
``standards.taxonomy.tokens`` normalises text), with where it appears (2: name, 1: description
only). Looking a word up is then an index range scan (``word >= 'rent' AND word < 'rent{'``:
every word starting "rent"), the same on SQLite and PostgreSQL, instead of a ``LIKE`` over every
description. ``refresh`` rebuilds the rows of given services; it runs after every directory
import (``ImportRun`` saved) and whenever a service is saved on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models, transaction

from upstream.service.directory.models import Service
from upstream.standards.taxonomy import tokens

MIN_LENGTH = 3
IN_NAME, IN_DESCRIPTION = 2, 1


class ServiceWord(models.Model):
    """A word of a service's name or description (search-only; rebuilt, never edited)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=40)
    weight = models.PositiveSmallIntegerField(help_text="2 in the name, 1 in the description")

    class Meta:
        app_label = "directory"
        constraints = [models.UniqueConstraint(fields=["word", "service"],
                                               name="directory_serviceword_word_service")]
        indexes = [models.Index(fields=["service", "word"], name="directory_serviceword_svc")]


def words_of(name: str, description: str) -> dict[str, int]:
    """Each distinct word (at least ``MIN_LENGTH`` letters) with its weight."""
    found = {w[:40]: IN_DESCRIPTION for w in tokens(description) if len(w) >= MIN_LENGTH}
    found.update({w[:40]: IN_NAME for w in tokens(name) if len(w) >= MIN_LENGTH})
    return found


def refresh(services: Iterable[Service] | None = None, batch: int = 2000) -> int:
    """Rebuild the words of ``services`` (all services when None); returns rows written."""
    queryset = Service.objects.all() if services is None else None
    written = 0
    with transaction.atomic():
        if queryset is not None:
            ServiceWord.objects.all().delete()
            chosen = queryset.only("id", "name", "description").iterator(chunk_size=batch)
        else:
            chosen = list(services)
            ServiceWord.objects.filter(service__in=[s.pk for s in chosen]).delete()
        rows: list[ServiceWord] = []
        for service in chosen:
            rows += [ServiceWord(service_id=service.pk, word=word, weight=weight)
                     for word, weight in words_of(service.name, service.description).items()]
            if len(rows) >= 10 * batch:
                ServiceWord.objects.bulk_create(rows, batch_size=batch)
                written, rows = written + len(rows), []
        ServiceWord.objects.bulk_create(rows, batch_size=batch)
    return written + len(rows)
