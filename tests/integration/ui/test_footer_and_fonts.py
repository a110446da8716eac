"""The footer's pages (public, written for this service), a human service status page, fonts
served by the service (no page loads anything from another host) and the full-caseload
warning."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import override_settings
from django.urls import reverse

from tests.integration.engagement import factories as make
from upstream.service.referrals.services import CaseloadFull, allocate
from upstream.service.referrals.states import Status

pytestmark = pytest.mark.django_db

FOOTER = {
    "/accessibility": ["Accessibility statement for Upstream", "WCAG", "Enforcement procedure"],
    "/privacy": ["Privacy notice", "data controller", "How to complain",
                 "Information Commissioner"],
    "/help": ["Help and contact", "your team's administrator", "call 999"],
    "/status": ["Service status", "Upstream is working normally"],
}


@pytest.mark.parametrize("path", FOOTER)
def test_footer_pages_are_public_and_written_for_this_service(client, path):
    response = client.get(path)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    for words in FOOTER[path]:
        assert words in html, words


def test_every_page_links_the_footer_pages_and_status_is_not_raw_json(client):
    html = client.get(reverse("accounts:login")).content.decode()
    footer = html[html.index('class="nhsuk-footer'):]
    for path in FOOTER:
        assert f'href="{path}"' in footer
    assert 'href="/healthz"' not in footer
    assert client.get("/healthz").json()["status"] == "ok"  # still there for machines


RESOURCE = re.compile(r'<(?:link|script|img|source|iframe)\b[^>]*\b(?:href|src)="([^"]+)"')


def _external(html: str) -> list[str]:
    return [url for url in RESOURCE.findall(html) if re.match(r"(?:https?:)?//", url)]


def test_no_page_loads_anything_from_another_host(client, worker, team):
    episode = make.episode(team, worker=worker)
    pages = [reverse("accounts:login"), *FOOTER]
    for path in pages:
        assert _external(client.get(path).content.decode()) == [], path
    client.force_login(worker)
    for path in [reverse("engagement:caseload"),
                 reverse("engagement:contacts", args=[episode.pk])]:
        assert _external(client.get(path).content.decode()) == [], path


def test_fonts_may_only_come_from_the_service():
    assert settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["font-src"] == ["'self'"]


def test_the_service_stylesheet_uses_the_devices_fonts_not_the_nhs_web_font():
    """NHS.UK frontend's stylesheet names Frutiger first (fetched from assets.nhs.uk); ours,
    loaded after it, sets the page's font to the device's own, so Frutiger is never used."""
    css = open(finders.find("upstream/upstream.css")).read()
    rule = re.search(r"html\s*\{\s*font-family:([^;}]+)", css)
    assert rule and "Frutiger" not in rule[1] and "sans-serif" in rule[1]
    assert "url(" not in css


def test_a_full_caseload_is_a_warning_callout_not_a_neutral_inset(client, team, lead):
    team.caseload_limit = 1
    team.save()
    worker = make.user("link_worker", team)
    make.episode(team, worker=worker, status=Status.ALLOCATED)
    waiting = make.episode(team, status=Status.TRIAGED)
    with pytest.raises(CaseloadFull):
        allocate(waiting, worker, by=lead)
    waiting.refresh_from_db()
    client.force_login(lead)
    response = client.post(reverse("referrals:allocate", args=[waiting.pk]),
                           {"worker": worker.pk, "version": waiting.version}, follow=True)
    html = unescape(response.content.decode())
    callout = html[html.index('class="nhsuk-warning-callout"'):]
    assert "caseload is full (1 of 1)" in callout[:800]
    assert not re.search(r'nhsuk-inset-text"[^>]*>\s*<p>[^<]*caseload is full', html)


def test_the_served_nhs_stylesheet_is_found_without_web_fonts_and_with_served_icons(tmp_path):
    """The served copy is written by its static files finder when first asked for, into the
    folder settings name (loading settings writes nothing)."""
    from upstream.service.ui.assets import SERVED_NAME, ServedStylesheetFinder

    with override_settings(SERVED_NHSUK_DIR=tmp_path / "nhsuk"):
        assert not (tmp_path / "nhsuk").exists()
        found = ServedStylesheetFinder().find(f"nhsuk/{SERVED_NAME}")
    css = open(found, encoding="utf-8").read()
    assert found == str(tmp_path / "nhsuk" / SERVED_NAME)
    assert "@font-face" not in css and "/static/nhsuk/assets/" in css
    assert "url(/assets/" not in css

