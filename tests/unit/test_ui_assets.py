"""ui.assets: the NHS.UK stylesheet the service serves fetches nothing from another host."""

import re

from django.conf import settings
from django.contrib.staticfiles import finders

from upstream.service.ui.assets import SERVED_NAME, for_the_service

PACKAGE_LIKE = (
    "html{font-family:Frutiger W01,arial,sans-serif}"
    "@font-face{font-family:Frutiger W01;src:url(https://assets.nhs.uk/fonts/a.woff2)}"
    ".x{background:url(/assets/images/nhsuk-icon-cross.svg)}"
)


def test_web_font_rules_go_and_icons_point_at_the_service():
    css = for_the_service(PACKAGE_LIKE, "/static/nhsuk/assets/")
    assert "@font-face" not in css and "assets.nhs.uk" not in css
    assert "url(/static/nhsuk/assets/images/nhsuk-icon-cross.svg)" in css


def test_the_served_stylesheet_links_only_to_the_service():
    path = finders.find(f"nhsuk/{SERVED_NAME}")
    assert path, "the served NHS.UK stylesheet was not written"
    urls = re.findall(r"url\(([^)]+)\)", open(path, encoding="utf-8").read())
    assert urls, "expected the icons' links"
    outside = [u for u in urls if not u.strip("'\"").startswith(settings.STATIC_URL)]
    assert outside == []
    for url in {u.strip("'\"") for u in urls}:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), f"{url} is not served"
