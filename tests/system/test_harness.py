"""The browser harness itself: axe really fails a page with a WCAG problem, and the one
accepted design-system pattern (aria-expanded on a conditional reveal) is all it lets pass."""

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
