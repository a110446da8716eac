from django.urls import path

from upstream.service.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
]
