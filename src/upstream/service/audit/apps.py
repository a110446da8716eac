from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "upstream.service.audit"
    label = "audit"

    def ready(self):
        from upstream.service.audit import signals  # noqa: F401 - connects the receivers
