from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "upstream.service.schedules"
    label = "schedules"
    verbose_name = "Schedules"
