"""Community referral pages, mounted at /connect/."""

from django.urls import path

from upstream.service.connect import views

app_name = "connect"
urlpatterns = [
    path("episodes/<int:episode_id>/refer/", views.choose, name="choose"),
    path("episodes/<int:episode_id>/refer/<uuid:service_id>/", views.refer, name="refer"),
    path("referrals/<int:community_referral_id>/cancel/", views.cancel, name="cancel"),
    path("partner/", views.partner_referrals, name="partner_referrals"),
    path("partner/referrals/<int:community_referral_id>/", views.partner_referral,
         name="partner_referral"),
    path("partner/services/", views.partner_services, name="partner_services"),
    path("partner/services/<uuid:service_id>/", views.partner_service, name="partner_service"),
    path("partner/services/<uuid:service_id>/opening-times/", views.partner_opening_times,
         name="partner_opening_times"),
]
