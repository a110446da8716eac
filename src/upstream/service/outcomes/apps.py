from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "upstream.service.outcomes"
    label = "outcomes"
    verbose_name = "Outcome measures"
