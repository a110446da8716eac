"""Service-wide response rules.

``no_store``: no response of the service may be kept by a browser's or a proxy's cache.
Pages and PDFs for signed-in users and API answers carry identifiable data, and a shared
computer's "back" button or disk cache must not show them to the next person. Static assets
are served before this middleware (WhiteNoise) and stay cacheable.
"""

from django.utils.cache import add_never_cache_headers


def no_store(get_response):
    """Mark every response ``Cache-Control: no-store`` (with ``private, no-cache``...)."""

    def middleware(request):
        response = get_response(request)
        add_never_cache_headers(response)
        return response

    return middleware
