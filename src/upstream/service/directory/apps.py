from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "upstream.service.directory"
    label = "directory"
    verbose_name = "Community service directory"

    def ready(self):
        # The search index (search_index.py, ADR 0018), its generation table and what keeps it
        # current.
        from upstream.service.directory import search_index, signals  # noqa: F401
