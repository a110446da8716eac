"""Service-wide response rules.

``no_store``: no response of the service may be kept by a browser's or a proxy's cache.
Pages and PDFs for signed-in users and API answers carry identifiable data, and a shared
computer's "back" button or disk cache must not show them to the next person. Static assets
are served before this middleware (WhiteNoise) and stay cacheable, and so do responses a view
marks ``shared_cacheable = True`` after setting its own ``Cache-Control``: only the open
directory API does, and only for requests that carry no cookie (``directory/oruk/http.py``).
"""

from django.utils.cache import add_never_cache_headers


def no_store(get_response):
    """Mark every response ``Cache-Control: no-store`` (with ``private, no-cache``...), except
    those marked ``shared_cacheable``."""

    def middleware(request):
        response = get_response(request)
        if not getattr(response, "shared_cacheable", False):
            add_never_cache_headers(response)
        return response

    return middleware
