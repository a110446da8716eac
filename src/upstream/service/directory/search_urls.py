"""Staff directory pages, mounted at /directory/."""

from django.urls import path

from upstream.service.directory import hub_views
from upstream.service.directory import search_views as views

app_name = "directory_search"
urlpatterns = [
    path("", views.find, name="find"),
    path("services/<uuid:service_id>/", views.service, name="service"),
    path("provision/", hub_views.provision, name="provision"),
    path("provision/download.csv", hub_views.provision_csv, name="provision_csv"),
]
