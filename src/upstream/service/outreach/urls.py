"""Outreach pages, mounted at /outreach/."""

from django.urls import path

from upstream.service.outreach import views

app_name = "outreach"
urlpatterns = [
    path("templates/", views.templates, name="templates"),
    path("teams/<int:team_id>/templates/new/", views.template_new, name="template_new"),
    path("teams/<int:team_id>/settings/", views.team_settings, name="settings"),
    path("templates/<int:message_template_id>/", views.template, name="template"),
    path("templates/<int:message_template_id>/edit/", views.template_edit,
         name="template_edit"),
    path("templates/<int:message_template_id>/delete/", views.template_delete,
         name="template_delete"),
    path("episodes/<int:episode_id>/send/", views.send, name="send"),
    path("outbox/", views.outbox, name="outbox"),
    path("messages/<int:outreach_message_id>/sent/", views.mark_sent, name="mark_sent"),
    path("messages/<int:outreach_message_id>/letter.pdf", views.letter_pdf, name="letter_pdf"),
]
