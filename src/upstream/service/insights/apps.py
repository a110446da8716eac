from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "upstream.service.insights"
    label = "insights"
