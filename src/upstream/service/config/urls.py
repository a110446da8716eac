"""The service's URL map. Each app owns its own ``urls.py``.

Every view must declare who may use it (``upstream.service.accounts.access``); the access
matrix test enumerates this map and fails on any view that does not.
"""

from django.contrib import admin
from django.urls import include, path

from upstream.service.config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("status", views.status, name="status"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("privacy", views.privacy, name="privacy"),
    path("help", views.help_page, name="help"),
    path("accounts/", include("upstream.service.accounts.urls")),
    path("people/", include("upstream.service.people.urls")),
    path("referrals/", include("upstream.service.referrals.urls")),
    path("notifications/", include("upstream.service.notifications.urls")),
    path("engagement/", include("upstream.service.engagement.urls")),
    path("practice/", include("upstream.service.practice.urls")),
    path("outreach/", include("upstream.service.outreach.urls")),
    path("", include("upstream.service.schedules.urls")),
    path("insights/", include("upstream.service.insights.urls")),
    path("outcomes/", include("upstream.service.outcomes.urls")),
    path("audit/", include("upstream.service.audit.urls")),
    path("api/", include("upstream.service.api.urls")),
    path("oruk/", include("upstream.service.directory.oruk.urls")),
    path("directory/", include("upstream.service.directory.search_urls")),
    path("connect/", include("upstream.service.connect.urls")),
    path("find-support/", include("upstream.service.directory.public_urls")),
    path("admin/", admin.site.urls),
]

# API paths get JSON errors, every other path an NHS.UK error page (config/views.py).
handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.not_found
handler500 = views.server_error
