"""The Jinja2 environment for Upstream's pages.

Templates are looked up in the app folders (``<app>/jinja2/<app>/...``) and the service's
``jinja2/`` folder first, then in the NHS.UK frontend macros package. Globals available in
every template: ``static``, ``url``, ``page_messages``, ``navigation``, ``footer_links``,
``tags`` (``ui.tags``: named tags such as ``tags.OVERDUE``);
``request``, ``csrf_input`` and ``csrf_token`` come from Django's Jinja2 backend. Filters from
``ui.format``: ``long_date``, ``date_time``, ``relative_day``, ``nhs_number``, ``plural``,
``duration``.
"""

from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from upstream.service.ui import format as ui_format
from upstream.service.ui import tags as ui_tags
from upstream.service.ui.messages import page_messages
from upstream.service.ui.nav import footer_links, navigation


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
        page_messages=page_messages,
        navigation=navigation,
        footer_links=footer_links,
        tags=ui_tags,
    )
    env.filters.update(
        long_date=ui_format.long_date,
        date_time=ui_format.date_time,
        relative_day=ui_format.relative_day,
        nhs_number=ui_format.nhs_number,
        plural=ui_format.plural,
        duration=ui_format.duration,
    )
    return env
