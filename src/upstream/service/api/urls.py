"""URLs of the referral intake API: ``/api/v1/...`` (see ``api.py``)."""

from django.urls import path

from upstream.service.api.api import api

app_name = "api"
urlpatterns = [path("v1/", api.urls)]
