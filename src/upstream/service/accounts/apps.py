from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upstream.service.accounts"
    label = "accounts"
