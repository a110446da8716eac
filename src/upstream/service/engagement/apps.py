from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "upstream.service.engagement"
    label = "engagement"
