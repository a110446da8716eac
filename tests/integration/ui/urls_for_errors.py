"""A URL map for the error-page tests: the service's own, plus views that fail in each way."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path

from upstream.service.accounts.access import public
from upstream.service.config import urls as service_urls
from upstream.service.config.urls import handler400, handler403, handler404, handler500  # noqa: F401

NOT_YOURS = "That referral belongs to another team. Ask them to share it with you."
NO_SUCH = "No such caseload: it may have been closed."


@public
def refuses(request):
    raise PermissionDenied(NOT_YOURS)


@public
def missing(request):
    raise Http404(NO_SUCH)


@public
def breaks(request):
    raise RuntimeError("a bug")


@public
def api_breaks(request):
    raise RuntimeError("a bug in the API")


urlpatterns = [
    path("test-errors/refuses", refuses),
    path("test-errors/missing", missing),
    path("test-errors/breaks", breaks),
    path("api/test-errors/breaks", api_breaks),
    *service_urls.urlpatterns,
]
