"""The open directory API at ``/oruk/``: Open Referral UK / HSDS 3.0, read only, no keys.

- ``params``: the query parameters, checked; a bad value is a 400 naming the parameter.
- ``postcode_centroids``: postcode → latitude/longitude for ``postcode`` + ``proximity``.
- ``queries``: the filtered, ordered, prefetched querysets behind each endpoint.
- ``serialisers``: directory records → HSDS 3.0 JSON objects.
- ``http``: what every answer carries (CORS, caching, JSON errors) and the OPTIONS preflight.
- ``views`` and ``urls``: the endpoints of the HSDS 3.0 OpenAPI document.

Every answer validates against the official HSDS 3.0 and UK profile schemas
(``upstream.standards.openreferral.validation``; tests/integration/directory/test_oruk_api.py).
"""
