"""Outcome measure pages, mounted at /outcomes/."""

from django.urls import path

from upstream.service.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("episodes/<int:episode_id>/", views.episode_outcomes, name="episode"),
    path("episodes/<int:episode_id>/record/", views.record, name="record"),
]
