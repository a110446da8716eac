"""Staff directory pages, mounted at /directory/."""

from django.urls import path

from upstream.service.directory import search_views as views

app_name = "directory_search"
urlpatterns = [
    path("", views.find, name="find"),
    path("services/<uuid:service_id>/", views.service, name="service"),
]
