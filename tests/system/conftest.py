"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live
server, with axe-core checking WCAG 2.2 AA on every page a test visits.

- ``browser``: one Chromium for the session (``UPSTREAM_CHROMIUM``, default /usr/bin/chromium);
  skipped with a reason when it is missing (in CI a skip counts as a failure).
- ``visit``: a factory for ``Visitor`` objects, one browser context (one person at their own
  computer) each. Every page a visitor lands on is checked with axe before the test goes on,
  and at teardown the fixture fails if any page loaded without being checked, or if the
  browser blocked a script or style under the Content Security Policy.
- ``make_user``: a staff user with the test password, in the given teams, enrolled in
  two-factor sign-in with the demo key (``Visitor.sign_in`` types the code).
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from upstream.service.demo.totp import DEMO_TOTP_KEY, current_code

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make for
# set-up and checks are ordinary blocking calls, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("UPSTREAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE_SCRIPT = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
PASSWORD = "Journey-test-password-1"

_RUN_AXE = """async (tags) => {
  // The one known design-system issue we accept (see CONDITIONAL_REVEAL below): the NHS.UK
  // radios and checkboxes script puts aria-expanded on an input that reveals a conditional
  // panel. Only that exact case is dropped; any other attribute or element still fails.
  const conditionalReveal = (rule, node) => {
    if (rule.id !== 'aria-allowed-attr' || node.target.length !== 1) return false;
    const input = document.querySelector(node.target[0]);
    const panel = input && document.getElementById(input.getAttribute('aria-controls'));
    const attrs = node.any.concat(node.all, node.none)
      .flatMap(check => (check.data && check.data.values) || [check.id]);
    return Boolean(panel)
      && input.matches('.nhsuk-radios__input, .nhsuk-checkboxes__input')
      && panel.matches('.nhsuk-radios__conditional, .nhsuk-checkboxes__conditional')
      && attrs.length > 0 && attrs.every(a => String(a).startsWith('aria-expanded='));
  };
  const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return results.violations.map(rule => ({
    id: rule.id, impact: rule.impact, help: rule.help,
    targets: rule.nodes.filter(n => !conditionalReveal(rule, n)).map(n => n.target.join(' ')),
  })).filter(rule => rule.targets.length > 0);
}"""
CONDITIONAL_REVEAL = "https://github.com/alphagov/govuk-frontend/issues/979"
"""The NHS.UK (and GOV.UK) conditional reveal sets ``aria-expanded`` on a radio or checkbox,
which ARIA 1.2 does not list for those roles, so axe reports ``aria-allowed-attr``. The design
systems keep it on purpose after testing with screen reader users (it is how the reveal is
announced) and list the axe result as a known issue; ARIA may allow it (w3c/aria#1404). The
axe run above drops exactly that finding and nothing else."""


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.system)


class AccessibilityViolation(AssertionError):
    pass


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe found {len(violations)} WCAG 2.2 AA violation(s) on {url}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    at {target}" for target in v["targets"])
    return "\n".join(lines)


@dataclass
class Visitor:
    """One person's browser context. Use ``goto``/``click``/``submit`` to move between pages:
    each waits for the new page and checks it with axe (``check``)."""

    page: object
    base_url: str
    name: str
    checked: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("framenavigated", self._navigated)
        self.page.on("console", self._console)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.unchecked.append(frame.url)

    def _console(self, message) -> None:
        text = message.text
        if message.type == "error" and "Content Security Policy" in text:
            self.csp_violations.append(f"{self.page.url}: {text}")

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        self.check()
        return response

    def click(self, locator) -> None:
        """Click something that loads a new page (a link or a submit button)."""
        with self.page.expect_navigation():
            locator.click()
        self.check()

    def submit(self, button_name: str) -> None:
        self.click(self.page.get_by_role("button", name=button_name, exact=True))

    def follow(self, link_name: str) -> None:
        self.click(self.page.get_by_role("link", name=link_name).first)

    def check(self) -> None:
        """Run axe (WCAG 2.2 AA) on the current page; fail listing any violations."""
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate(_RUN_AXE, WCAG_22_AA)
        self.checked.append(self.page.url)
        self.unchecked.clear()
        if violations:
            raise AccessibilityViolation(format_violations(self.page.url, violations))

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        """Sign in with the password and then the two-factor code, as a person would: every
        test and demo user's authenticator holds the demo key (``demo/totp.py``). A code can
        be used once, so a second sign-in within the same 30 seconds types the next one."""
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.submit("Sign in")
        for offset in (0, 1):
            if "/accounts/login/code/" not in self.page.url:
                break
            self.page.get_by_label("Security code").fill(current_code(offset)[0])
            self.submit("Continue")
        assert "/accounts/login/" not in self.page.url, f"{username} could not sign in"

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text()

    def text(self) -> str:
        return self.page.locator("main").inner_text()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium "
                    "(scripts/ensure-chromium) or set UPSTREAM_CHROMIUM")
    if not AXE_SCRIPT.exists():
        pytest.skip(f"axe-core not found at {AXE_SCRIPT}: run `npm ci`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def visit(browser, live_server, transactional_db):
    """``visit(name, viewport=LAPTOP)`` opens a fresh browser context for one person.

    axe is added to every document with an init script, which the browser runs outside the
    page's Content Security Policy, so the service's CSP stays fully on during the tests.
    """
    contexts: list = []
    visitors: list[Visitor] = []

    def open_context(name: str = "visitor", viewport: dict = LAPTOP) -> Visitor:
        context = browser.new_context(viewport=viewport, locale="en-GB",
                                      timezone_id="Europe/London")
        context.add_init_script(path=str(AXE_SCRIPT))
        context.set_default_timeout(15_000)
        contexts.append(context)
        visitor = Visitor(context.new_page(), live_server.url, name)
        visitors.append(visitor)
        return visitor

    yield open_context
    for context in contexts:
        context.close()
    problems = []
    for visitor in visitors:
        if visitor.unchecked:
            problems.append(f"{visitor.name}: pages loaded but not checked with axe: "
                            f"{json.dumps(visitor.unchecked)}")
        problems.extend(f"{visitor.name}: CSP violation {v}" for v in visitor.csp_violations)
    assert not problems, "\n".join(problems)


@pytest.fixture
def make_user(transactional_db, django_user_model):
    """``make_user(username, role, teams=(), **fields)``: a user who signs in with PASSWORD."""

    def create(username: str, role: str, teams=(), **fields):
        first, _, last = username.partition(".")
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, role=role, first_name=first.title(),
            last_name=last.title(), **fields,
        )
        user.teams.set(teams)
        TOTPDevice.objects.create(user=user, name="Test authenticator", key=DEMO_TOTP_KEY,
                                  confirmed=True)
        return user

    return create
