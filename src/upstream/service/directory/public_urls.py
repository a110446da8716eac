"""The public "Find support" pages, mounted at /find-support/ (no sign-in)."""

from django.urls import path

from upstream.service.directory import public_views as views

app_name = "find_support"
urlpatterns = [
    path("", views.find, name="find"),
    path("services/<uuid:service_id>/", views.service, name="service"),
    path("services/<uuid:service_id>/leaflet/", views.leaflet, name="leaflet"),
    path("services/<uuid:service_id>/leaflet.pdf", views.leaflet_download, name="leaflet_pdf"),
]
