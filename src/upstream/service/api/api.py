"""The referral intake API (``/api/v1/``): one NinjaAPI, every route behind a bearer token.

Systems authenticate with ``Authorization: Bearer <token>`` (see ``tokens.py``); an unknown or
revoked token is 401. Bearer tokens are not sent by browsers on their own, so the API needs no
CSRF cookie. The OpenAPI document (``openapi.json``) and its Swagger page (``docs``) hold no
records and are public. The docs page is Swagger UI from django-ninja's bundled static files
(``ninja`` is an installed app for that), served by the service itself: no CDN, nothing inline
that the Content Security Policy would block.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle

from upstream.service.accounts.access import public
from upstream.service.api import views
from upstream.service.api.tokens import client_for_token

DESCRIPTION = """\
Send referrals to Upstream teams from an electronic patient record or another system, and
read back what happened to them (triage, waiting, engaged, closed and why).

Each system has its own token, limited to the teams it may refer to; ask the Upstream
administrator for one. Send it as `Authorization: Bearer <token>`. Every referral sent or
read is recorded in the audit log under the system's name.

Invalid input is answered with 422 and a list of errors, each naming the field
(e.g. `person.nhs_number`). Use synthetic NHS numbers (the 999 range) when testing.
"""


class ClientToken(HttpBearer):
    """Bearer token of an ``ApiClient``: ``request.auth`` becomes the client."""

    def authenticate(self, request, token: str):
        return client_for_token(token)


class ClientRateThrottle(AuthRateThrottle):
    """At most ``UPSTREAM_API_RATE`` requests per client (``"120/min"``), counted in the
    shared cache so that every gunicorn worker sees the same count. Over it, ninja answers
    429 with ``Retry-After`` (seconds). The rate is read from the settings on each request."""

    scope = "client"

    def __init__(self):
        super().__init__(rate=settings.UPSTREAM_API_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.UPSTREAM_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str:
        client = getattr(request, "auth", None)  # counted per token (its stored hash)
        ident = client.token_hash if client is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's bundled static files, in a page that names its language."""

    template = "api/swagger.html"


api = NinjaAPI(
    title="Upstream referral intake API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=ClientToken(),
    throttle=ClientRateThrottle(),
    docs=LocalSwagger(),
    docs_decorator=public,
)
api.add_router("", views.router)


FRIENDLY = {
    "missing": "this field is required",
    "string_pattern_mismatch": "must not contain control characters",
}


def field_error(error: dict) -> dict:
    """One error of ninja's ValidationError, with the field's dotted path leading the message.

    Ninja's ``loc`` is (source, [parameter name for a body,] field path...); the parameter
    name is internal and dropped.
    """
    source, *path = error["loc"]
    if source == "body":
        path = path[1:]
    field = ".".join(str(part) for part in path) or source
    message = FRIENDLY.get(error["type"], error["msg"]).removeprefix("Value error, ")
    return {
        "field": field, "msg": f"{field}: {message}", "type": error["type"],
        "loc": [source, *path],
    }


@api.exception_handler(ValidationError)
def validation_errors(request, exc: ValidationError):
    return api.create_response(
        request, {"detail": [field_error(error) for error in exc.errors]}, status=422
    )


@api.exception_handler(RequestDataTooBig)
def body_too_big(request, exc: RequestDataTooBig):
    limit_kb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return api.create_response(
        request, {"detail": f"The request body is too large: send at most {limit_kb} KB."},
        status=413,
    )
