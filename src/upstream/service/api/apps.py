from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "upstream.service.api"
    label = "api"
