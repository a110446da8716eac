"""The browser harness itself: axe really fails a page with a WCAG problem, the one accepted
design-system pattern (aria-expanded on a conditional reveal) is all it lets pass, and a
Content Security Policy violation of any directive is caught."""

import pytest

from tests.system.conftest import AccessibilityViolation


def test_axe_reports_an_unlabelled_input(visit):
    visitor = visit("anyone")
    visitor.goto("/accounts/login/")
    visitor.page.evaluate("""() => {
        const input = document.createElement('input');
        input.type = 'text';
        document.querySelector('main').appendChild(input);
    }""")
    with pytest.raises(AccessibilityViolation, match="label"):
        visitor.check()


def test_aria_expanded_passes_only_on_a_conditional_reveal(visit):
    visitor = visit("anyone")
    visitor.goto("/accounts/login/")
    visitor.page.evaluate("""() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', `
          <fieldset><legend>Reveal</legend>
            <input class="nhsuk-radios__input" type="radio" id="r1" name="r"
                   aria-controls="panel" aria-expanded="false"><label for="r1">One</label>
            <div class="nhsuk-radios__conditional" id="panel"></div>
          </fieldset>`);
    }""")
    visitor.check()
    visitor.page.evaluate("""() => {
        document.querySelector('main').insertAdjacentHTML('beforeend', `
          <input type="radio" id="r2" name="s" aria-expanded="false"><label for="r2">Two</label>`);
    }""")
    with pytest.raises(AccessibilityViolation, match="aria-allowed-attr"):
        visitor.check()


def test_a_content_security_policy_violation_is_recorded(visit):
    visitor = visit("anyone")
    visitor.goto("/accounts/login/")
    assert visitor.csp_violations == []
    with visitor.page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        visitor.page.evaluate("""() => {
            const image = document.createElement('img');
            image.alt = '';
            image.src = 'https://example.invalid/tracker.png';
            document.querySelector('main').appendChild(image);
        }""")
    assert len(visitor.csp_violations) == 1 and "img-src" in visitor.csp_violations[0]
    visitor.csp_violations.clear()  # the fixture fails any test that leaves one behind
