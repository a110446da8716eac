from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "upstream.service.referrals"
    label = "referrals"
