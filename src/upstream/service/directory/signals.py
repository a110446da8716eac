"""Keep the search word index (``search_index``) current: after an import (its ``ImportRun`` is
saved once every record is written, in the same transaction) the words of that feed's services
are rebuilt; a service saved on its own (an edit in Upstream) has its words rebuilt."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from upstream.service.directory.models import ImportRun, Service
from upstream.service.directory.search_index import refresh


@receiver(post_save, sender=ImportRun, dispatch_uid="directory-search-words-after-import")
def words_after_import(sender, instance: ImportRun, created: bool, **kwargs):
    if created:
        refresh(Service.objects.filter(feed=instance.feed).only("id", "name", "description"))


@receiver(post_save, sender=Service, dispatch_uid="directory-search-words-of-a-service")
def words_of_a_saved_service(sender, instance: Service, raw: bool = False, **kwargs):
    if not raw:
        refresh([instance])
