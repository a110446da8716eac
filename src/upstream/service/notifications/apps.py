from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "upstream.service.notifications"
    label = "notifications"
