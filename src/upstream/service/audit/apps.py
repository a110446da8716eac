from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "upstream.service.audit"
    label = "audit"
