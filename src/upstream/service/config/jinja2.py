"""The Jinja2 environment for Upstream's pages.

Templates are looked up in the app folders (``<app>/jinja2/<app>/...``) and the service's
``jinja2/`` folder first, then in the NHS.UK frontend macros package. Globals available in
every template: ``static``, ``url``, ``get_messages``, ``navigation``; ``request``,
``csrf_input`` and ``csrf_token`` come from Django's Jinja2 backend.
"""

from django.contrib import messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from upstream.service.accounts.navigation import navigation


def url(viewname: str, *args, **kwargs) -> str:
    """Reverse a URL name: ``url('referrals:detail', referral.pk)``."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    """Build the environment Django's Jinja2 backend renders with."""
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options["undefined"] = ChainableUndefined
    options.setdefault("autoescape", True)
    env = Environment(**options)
    env.globals.update(
        static=static,
        url=url,
        get_messages=messages.get_messages,
        navigation=navigation,
    )
    return env
