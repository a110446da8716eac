from django.apps import AppConfig


class ConnectConfig(AppConfig):
    name = "upstream.service.connect"
    label = "connect"
    verbose_name = "Community referrals"
