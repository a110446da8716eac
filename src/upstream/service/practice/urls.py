"""Practice model pages, mounted at /practice/."""

from django.urls import path

from upstream.service.practice import views

app_name = "practice"
urlpatterns = [
    path("teams/<int:team_id>/", views.team, name="team"),
]
