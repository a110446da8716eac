"""Schedules pages, mounted at the site root: /today/ and /schedules/..."""

from django.urls import path

from upstream.service.schedules import views

app_name = "schedules"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("schedules/", views.index, name="index"),
    path("schedules/teams/<int:team_id>/cadence/", views.cadence, name="cadence"),
    path("schedules/teams/<int:team_id>/programme/", views.programme, name="programme"),
    path("schedules/teams/<int:team_id>/screens/new/", views.new_screen, name="new_screen"),
    path("schedules/episodes/<int:episode_id>/", views.episode, name="episode"),
    path("schedules/episodes/<int:episode_id>/decision/", views.decision, name="decision"),
    path("schedules/screens/<int:screening_schedule_id>/", views.screen, name="screen"),
    path("schedules/screenings/<int:screening_id>/", views.screening, name="screening"),
]
