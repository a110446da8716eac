"""Every URL pattern of the service, found by walking the resolver, sorted into kinds."""

import functools
import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

ADMIN, API, API_DOCS, STATIC, VIEW = "admin", "api", "api_docs", "static", "view"


@dataclass(frozen=True)
class Route:
    name: str
    """``namespace:name``, or the route itself when the pattern has no name."""
    route: str
    """The full route with converters, e.g. ``referrals/<int:referral_id>/``."""
    callback: object
    kind: str

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def converters(self) -> dict[str, str]:
        return {m[1]: m[0] or "str" for m in re.findall(r"<(?:(\w+):)?(\w+)>", self.route)}

    def url(self, values: dict[str, object]) -> str:
        """The route with each ``<kwarg>`` replaced by ``values[kwarg]``."""
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), self.route)


def _module(callback) -> str:
    while isinstance(callback, functools.partial):
        callback = callback.func
    return getattr(callback, "__module__", "") or ""


def _kind(namespaces: list[str], callback) -> str:
    module = _module(callback)
    if namespaces and namespaces[0] == "admin":
        return ADMIN
    if module == "ninja.operation":
        return API
    if module.startswith("ninja."):
        return API_DOCS  # the API's root, OpenAPI document and docs page
    if module.startswith(("django.views.static", "django.contrib.staticfiles")):
        return STATIC
    return VIEW


def all_routes() -> list[Route]:
    """Every URL pattern, recursively through includes (the API's included)."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespaces: list[str]):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = [*namespaces, p.namespace] if p.namespace else namespaces
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                route = route.lstrip("^").rstrip("$").replace("\\Z", "")
                qualified = ":".join([*namespaces, p.name]) if p.name else route
                found.append(Route(qualified, route, p.callback, _kind(namespaces, p.callback)))

    walk(get_resolver().url_patterns, "", [])
    return found
