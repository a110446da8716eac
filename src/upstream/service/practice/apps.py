from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "upstream.service.practice"
    label = "practice"
    verbose_name = "Practice models"
