from django.urls import path

from upstream.service.referrals import case_notes, views

app_name = "referrals"
urlpatterns = [
    path("new/", views.new, name="new"),
    path("new/sent/", views.submitted, name="submitted"),
    path("mine/", views.mine, name="mine"),
    path("triage/", views.triage_queue, name="triage"),
    path("board/", views.board, name="board"),
    path("waiting/", views.waiting, name="waiting"),
    path("<int:referral_id>/", views.detail, name="detail"),
    path("<int:referral_id>/triage/", views.triage_referral, name="triage_referral"),
    path("episodes/<int:episode_id>/", views.episode, name="episode"),
    path("episodes/<int:episode_id>/allocate/", views.allocate, name="allocate"),
    path("episodes/<int:episode_id>/status/", views.transition, name="transition"),
    path("episodes/<int:episode_id>/notes/", case_notes.notes, name="notes"),
    path("identity/", views.identity_queue, name="identity_queue"),
    path("<int:referral_id>/identity/", views.identity, name="identity"),
    path("people/<int:person_id>/history/", views.history, name="history"),
    path("break-glass/", views.break_glass_log, name="break_glass_log"),
]
