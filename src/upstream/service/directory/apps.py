from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "upstream.service.directory"
    label = "directory"
    verbose_name = "Community service directory"
