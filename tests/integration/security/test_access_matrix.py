"""The access matrix: every URL of the service against every role.

For each view (found by walking the URL resolver, so a new view cannot be forgotten):

- it declares its rule with ``@allow`` or ``@public`` (``view.access``);
- a role the rule does not allow gets 403, and an anonymous visitor is sent to sign in;
- an allowed role gets the page (200, or 302 / 405 for an action that only takes POST) for a
  record on its own side (own team; for a referrer, their own referral);
- the same role gets 404 for another team's record, on GET and on POST;
- a commissioner never receives a page carrying a person's name or NHS number.

API routes (django-ninja) answer 401 without a valid token. The Django admin needs staff.
The declared rules are also compared with a hand-written table of the intended roles of the
main pages, so that changing who may see a page has to be deliberate.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from upstream.service.accounts.models import Role
from upstream.service.referrals.models import ReferralSource
from upstream.service.referrals.services import submit_referral
from upstream.service.referrals.views import SUBMITTED_KEY

from .urlmap import API, API_DOCS, VIEW, all_routes
from .world import OTHER, OWN, SIDES, build_world, model_for_kwarg

ROUTES = all_routes()
VIEWS = [r for r in ROUTES if r.kind == VIEW]
API_ROUTES = [r for r in ROUTES if r.kind == API]
API_DOCS_ROUTES = [r for r in ROUTES if r.kind == API_DOCS]
ROLES = [None, *Role.values]  # None is the anonymous visitor

EVERYONE = set(Role.values)
STAFF = {Role.LINK_WORKER, Role.TEAM_LEAD}
INTENDED_ROLES = {
    "home": EVERYONE,
    "accounts:logout": EVERYONE,
    "accounts:two_factor": EVERYONE,
    "accounts:password_change": EVERYONE,
    "people:detail": STAFF,
    "people:edit": STAFF,
    "people:flags": STAFF,
    "people:resolve_flag": STAFF,
    "referrals:notes": STAFF,
    "notifications:inbox": EVERYONE,
    "notifications:mark_read": EVERYONE,
    "people:search": STAFF,
    "referrals:new": {Role.REFERRER, *STAFF},
    "referrals:mine": {Role.REFERRER},
    "referrals:triage": STAFF,
    "referrals:board": {Role.TEAM_LEAD},
    "referrals:waiting": STAFF,
    "referrals:detail": {Role.REFERRER, *STAFF},
    "referrals:triage_referral": STAFF,
    "referrals:episode": {Role.REFERRER, *STAFF},
    "referrals:allocate": {Role.TEAM_LEAD},
    "referrals:transition": STAFF,
    "referrals:identity_queue": {Role.TEAM_LEAD},
    "referrals:identity": {Role.TEAM_LEAD},
    "referrals:history": STAFF,
    "referrals:break_glass_log": {Role.TEAM_LEAD},
    "engagement:caseload": STAFF,
    "engagement:huddle": STAFF,
    "schedules:today": STAFF,
    "schedules:index": STAFF,
    "schedules:cadence": {Role.TEAM_LEAD},
    "schedules:programme": {Role.TEAM_LEAD},
    "schedules:new_screen": {Role.TEAM_LEAD},
    "schedules:episode": STAFF,
    "schedules:decision": {Role.TEAM_LEAD},
    "schedules:screening": STAFF,
    "engagement:contacts": STAFF,
    "engagement:what_matters": STAFF,
    "engagement:plan": STAFF,
    "engagement:conversations": STAFF,
    "engagement:network": STAFF,
    "practice:team": {Role.TEAM_LEAD},
    "engagement:close": STAFF,
    "engagement:summary": {Role.REFERRER, *STAFF},
    "outcomes:episode": STAFF,
    "outcomes:record": STAFF,
    "outreach:templates": STAFF,
    "outreach:template": STAFF,
    "outreach:template_new": {Role.TEAM_LEAD},
    "outreach:template_edit": {Role.TEAM_LEAD},
    "outreach:template_delete": {Role.TEAM_LEAD},
    "outreach:settings": {Role.TEAM_LEAD},
    "outreach:send": STAFF,
    "outreach:outbox": STAFF,
    "outreach:mark_sent": STAFF,
    "outreach:letter_pdf": STAFF,
    "insights:dashboard": {Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN},
    "insights:export_csv": {Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN},
    "insights:export_xlsx": {Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN},
    "insights:export_pdf": {Role.COMMISSIONER, Role.TEAM_LEAD, Role.ADMIN},
    "audit:events": {Role.ADMIN},
    "directory_search:find": STAFF,
    "directory_search:service": STAFF,
    "directory_search:provision": {Role.TEAM_LEAD, Role.COMMISSIONER},
    "directory_search:provision_csv": {Role.TEAM_LEAD, Role.COMMISSIONER},
    "connect:choose": STAFF,
    "connect:refer": STAFF,
    "connect:cancel": STAFF,
    "connect:partner_referrals": {Role.VCSE_PARTNER},
    "connect:partner_referral": {Role.VCSE_PARTNER},
    "connect:partner_services": {Role.VCSE_PARTNER},
    "connect:partner_service": {Role.VCSE_PARTNER},
    "connect:partner_opening_times": {Role.VCSE_PARTNER},
}
"""Who each main page is meant for. A change to a view's ``@allow`` must be mirrored here.
Commissioners appear only on the insights dashboard and the directory's provision page;
administrators work in the admin site, the audit log and the dashboard, not on named records.
VCSE partners appear only on their organisation's community referral and service pages
(ADR 0021)."""

SHARED_RECORD_PAGES = {"directory_search:service"}
"""Pages of records every team shares (a community service in the directory describes no
person): an allowed role sees the other side's record too."""

PUBLIC = {"healthz", "status", "accessibility", "privacy", "help", "accounts:login",
          "accounts:login_code", "find_support:find", "find_support:service",
          "find_support:leaflet", "find_support:leaflet_pdf"}
"""Pages meant to be open to anyone."""

PUBLIC |= {f"oruk:{name}" for name in (
    "root", "openapi", "services", "service", "services_at_locations", "service_at_location",
    "organizations", "organization", "taxonomies", "taxonomy", "taxonomy_terms",
    "taxonomy_term", "unknown")}
"""The open directory API (Open Referral UK requires it be open, without keys)."""

OK = {200, 302, 405}
"""An allowed user's GET: the page, a redirect onwards, or 405 for a POST-only action."""


@pytest.fixture
def world(db):
    return build_world()


def _just_submitted(client, world, user):
    referral = submit_referral(
        person=world.people[0], team=world.teams[OWN], source=ReferralSource.GP,
        needs=["money"], consent_given=True, referrer=user,
    )
    session = client.session
    session[SUBMITTED_KEY] = referral.pk
    session.save()


PREPARE = {"referrals:submitted": _just_submitted}
"""Pages that show what the user has just done: how to put the session in that state."""


def _client(world, role, route=None):
    client = Client()
    if role is not None:
        client.force_login(world.users[role])
        if route is not None and route.name in PREPARE:
            PREPARE[route.name](client, world, world.users[role])
    return client


def _url(route, world, side):
    return route.url({name: world.get(side, model_for_kwarg(name)).pk for name in route.kwargs})


def _identifiers(world) -> list[str]:
    found = []
    for person in world.people:
        found += [person.given_name, person.family_name, person.nhs_number,
                  person.nhs_number_display]
    return found


def test_the_matrix_covers_views():
    assert VIEWS, "the URL walk found no views"
    assert any(r.name == "accounts:login" for r in VIEWS)


def test_every_view_declares_who_may_use_it():
    unprotected = [f"{r.name} ({r.route})" for r in VIEWS if not hasattr(r.callback, "access")]
    assert not unprotected, (
        "These views have no @allow(...) or @public rule: " + ", ".join(unprotected))


def test_declared_rules_match_the_intended_table():
    declared = {r.name: r.callback.access for r in VIEWS if hasattr(r.callback, "access")}
    differences = [
        f"{name}: declared {sorted(declared[name].roles)}, intended {sorted(roles)}"
        for name, roles in INTENDED_ROLES.items()
        if name in declared and (declared[name].public or set(declared[name].roles) != roles)
    ]
    public = {name for name, rule in declared.items() if rule.public}
    missing = sorted(set(INTENDED_ROLES) - set(declared))
    assert not missing, f"pages in the intended table no longer exist (renamed?): {missing}"
    assert not differences, "; ".join(differences)
    assert public == PUBLIC, f"public pages are {sorted(public)}, intended {sorted(PUBLIC)}"


def _check_anonymous(route, world, response):
    """Public pages answer anyone; others send an anonymous visitor to sign in."""
    if route.callback.access.public:
        assert response.status_code < 500 and response.status_code not in (401, 403)
        return
    assert response.status_code == 302, f"anonymous {route.name}: {response.status_code}"
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def _check_allowed(route, role, response, where):
    assert response.status_code in OK, f"{role} {where} {route.name}: {response.status_code}"
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse(settings.LOGIN_URL)), (
            f"{role} was sent to sign in by {route.name}")


@pytest.mark.parametrize("route", VIEWS, ids=lambda r: r.name)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_view_answers_each_role_as_declared(route, role, world):
    if not hasattr(route.callback, "access"):
        pytest.fail(f"{route.name} declares no access rule")
    rule = route.callback.access
    client = _client(world, role, route)
    own = client.get(_url(route, world, OWN))
    if role is None or rule.public:
        _check_anonymous(route, world, own)
        return
    if role not in rule.roles:
        assert own.status_code == 403, f"{role} on {route.name}: {own.status_code}, not 403"
        return
    if role == Role.COMMISSIONER:
        # Commissioners have no records of their own: any record page is 404 for them.
        responses = [own] + ([client.get(_url(route, world, OTHER))] if route.kwargs else [])
        for response in responses:
            assert response.status_code in OK | {404}, f"{route.name}: {response.status_code}"
            body = response.content.decode(errors="replace")
            leaked = [i for i in _identifiers(world) if i and i in body]
            assert not leaked, f"{route.name} showed a commissioner identifiers {leaked}"
        return
    _check_allowed(route, role, own, "own")
    if not route.kwargs:
        return
    other_url = _url(route, world, OTHER)
    other = client.get(other_url)
    if role == Role.ADMIN or route.name in SHARED_RECORD_PAGES:
        _check_allowed(route, role, other, "other team's")
        return
    assert other.status_code in (404, 405), (
        f"{role} reached another team's record at {route.name}: {other.status_code}")
    posted = client.post(other_url, {})
    assert posted.status_code in (404, 405), (
        f"{role} could POST to another team's record at {route.name}: {posted.status_code}")
    assert (other.status_code, posted.status_code) != (405, 405), (
        f"{route.name} answers neither GET nor POST")


@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.name)
def test_api_route_needs_a_valid_token(route, world):
    values = {name: {"int": 1, "uuid": "00000000-0000-0000-0000-000000000001"}.get(conv, "x")
              for name, conv in route.converters.items()}
    url = route.url(values)
    client = Client()
    answered = set()
    for method in ("get", "post", "put", "patch", "delete"):
        for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-real-token"}):
            status = getattr(client, method)(url, **headers).status_code
            assert status in (401, 405), f"{method.upper()} {url} without a valid token: {status}"
            answered.add(status)
    assert 401 in answered, f"{url} accepts no method"


@pytest.mark.parametrize("route", API_DOCS_ROUTES, ids=lambda r: r.name)
def test_api_documentation_is_public(route, db):
    """The API's own pages (root, OpenAPI document, docs) are open: they hold no data."""
    status = Client().get(route.url({})).status_code
    assert status in (200, 302, 404), f"{route.name}: {status}"
    if "openapi" in route.name and "json" in route.name:
        assert status == 200, "the OpenAPI document is served"


def test_django_admin_needs_staff(world):
    url = reverse("admin:index")
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    for role in Role.values:
        response = _client(world, role).get(url)
        if world.users[role].is_staff:
            assert response.status_code == 200
        else:
            assert response.status_code == 302, f"{role} reached the admin"


def test_admin_sign_in_goes_through_upstream_sign_in(world):
    response = Client().get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_world_has_a_record_of_each_kind_on_each_side(world):
    kinds = {model for _, model in world.objects}
    for side in SIDES:
        for model in kinds:
            assert world.objects[(side, model)].pk is not None
    assert world.get(OWN, model_for_kwarg("person_id")) != world.get(
        OTHER, model_for_kwarg("person_id"))
