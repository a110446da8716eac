"""Keep search current (``search_index``, ADR 0018): every save or delete of a record search
reads, and every finished directory import (whose bulk writes send no per-row signals; its
``ImportRun`` is saved in the import's transaction), records a new directory generation, so
each process rebuilds its search index before its next search."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from upstream.service.directory.models import (
    Attribute,
    ImportRun,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from upstream.service.directory.search_index import changed

SEARCHED = (Service, Location, ServiceAtLocation, Schedule, Attribute, TaxonomyTerm)
"""The models whose rows the search index is built from."""


def _changed(sender, **kwargs):
    changed()


for model in SEARCHED:
    post_save.connect(_changed, sender=model, dispatch_uid=f"directory-search-{model.__name__}")
    post_delete.connect(_changed, sender=model,
                        dispatch_uid=f"directory-search-deleted-{model.__name__}")


@receiver(post_save, sender=ImportRun, dispatch_uid="directory-search-after-import")
def after_import(sender, instance: ImportRun, created: bool, **kwargs):
    if created:
        changed()
