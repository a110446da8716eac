from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "upstream.service.people"
    label = "people"
