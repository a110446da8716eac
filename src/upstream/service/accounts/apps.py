from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "upstream.service.accounts"
    label = "accounts"

    def ready(self):
        # Connects the receiver that stamps each sign-in's time (absolute session lifetime).
        from upstream.service.accounts import middleware  # noqa: F401
