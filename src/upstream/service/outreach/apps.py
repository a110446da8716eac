from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "upstream.service.outreach"
    label = "outreach"
