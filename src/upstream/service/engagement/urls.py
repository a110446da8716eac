"""Engagement pages, mounted at /engagement/."""

from django.urls import path

from upstream.service.engagement import views

app_name = "engagement"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("huddle/", views.huddle, name="huddle"),
    path("episodes/<int:episode_id>/contacts/", views.contacts, name="contacts"),
    path("episodes/<int:episode_id>/what-matters/", views.what_matters, name="what_matters"),
    path("episodes/<int:episode_id>/plan/", views.plan, name="plan"),
    path("episodes/<int:episode_id>/sessions/", views.sessions, name="sessions"),
    path("episodes/<int:episode_id>/conversations/", views.conversations,
         name="conversations"),
    path("episodes/<int:episode_id>/network/", views.network, name="network"),
    path("episodes/<int:episode_id>/close/", views.close, name="close"),
    path("episodes/<int:episode_id>/summary/", views.summary, name="summary"),
    path("episodes/<int:episode_id>/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
