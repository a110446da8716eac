"""Finding support without signing in: search by need, by everyday words, by postcode with
distance; bad input gets a plain message and a 400 (never a 500, never the typed HTML); the
service page, the printable leaflet and its PDF; no cookies and nothing stored."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import directory as make
from tests.pdf import read_pdf
from upstream.service.directory import public_text as words
from upstream.service.directory.models import CostOption, Phone, Service
from upstream.service.directory.public_views import MOST_PAGES, PER_PAGE
from upstream.standards import postcode_directory

pytestmark = pytest.mark.django_db

MILE = 1 / 69.05
FIND = "/find-support/"


@pytest.fixture
def postcodes(tmp_path, settings):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "postcodes.sqlite3"
    postcode_directory.write(settings.UPSTREAM_POSTCODE_DIRECTORY,
                             [("E1 6AN", 51.52, -0.06)])


def get(client, path=FIND, **query):
    response = client.get(path, query)
    return response.status_code, unescape(response.content.decode())


def results(html: str) -> str:
    return html[html.index('id="results"'):] if 'id="results"' in html else ""


def test_the_form_is_open_to_anyone_and_sets_no_cookie(client):
    response = client.get(reverse("find_support:find"))
    assert response.status_code == 200
    page = response.content.decode()
    assert words.FIND_TITLE in page and 'method="get"' in page
    assert "csrfmiddlewaretoken" not in page
    assert not response.cookies, f"cookies set: {list(response.cookies)}"


def test_search_by_need_finds_services_under_its_sub_themes(client):
    make.service("Money advice", "debt_advice", accepting_referrals=True)
    make.service("Walking group", "walking_groups")
    status, page = get(client, need="money_debt")
    found = results(page)
    assert status == 200 and "Money advice" in found and "Walking group" not in found
    assert words.RESULTS_FOUND_ONE in found
    assert words.NEED_LABELS["money_debt"] in found  # helps with, in plain words
    assert words.TAKING_NEW_PEOPLE in found


def test_everyday_words_find_debt_and_housing_advice(client):
    make.service("Debt help", "debt_advice")
    make.service("Housing help", "housing_advice")
    make.service("Walking group", "walking_groups")
    status, page = get(client, text="can't pay my rent")
    found = results(page)
    assert status == 200
    assert "Debt help" in found and "Housing help" in found and "Walking group" not in found


def test_postcode_search_shows_distance_and_leaves_out_far_services(client, postcodes):
    make.service("Near food bank", "food_bank", at=(51.52 + 2 * MILE, -0.06), byday="TU")
    make.service("Far food bank", "food_bank", at=(51.52 + 20 * MILE, -0.06))
    status, page = get(client, need="food", postcode="e1 6an", miles="5")
    found = results(page)
    assert status == 200 and "Near food bank" in found and "Far food bank" not in found
    assert words.MILES_AWAY.format(miles="2.0") in found
    assert "Opens on" in found or "Opens to" in found or "Open now" in found


def test_a_result_says_where_when_cost_and_how_to_get_in_touch(client):
    service = make.service("Lunch club", "food_bank", byday="WE",
                           accepting_referrals=False, email="hello@example.org",
                           url="https://example.org/lunch")
    Phone.objects.create(service=service, number="01632 960123")
    CostOption.objects.create(service=service, option="Per meal", amount=2)
    found = results(get(client, need="food")[1])
    assert "1 High Street" in found and words.NOT_TAKING_NEW_PEOPLE in found
    assert "Per meal: £2.00" in found
    raw = client.get(FIND, {"need": "food"}).content.decode()  # links are real links
    assert '<a href="tel:01632960123">01632 960123</a>' in raw
    assert '<a href="mailto:hello@example.org">hello@example.org</a>' in raw
    assert '<a href="https://example.org/lunch">https://example.org/lunch</a>' in raw


def test_service_data_is_shown_as_text_never_as_html(client):
    service = make.service("<b>Bold</b> group", "food_bank", email='x@example.org"><script>',
                           url="javascript:alert(1)")
    raw = client.get(reverse("find_support:service", args=[service.id])).content.decode()
    assert "<b>Bold</b>" not in raw and "&lt;b&gt;Bold&lt;/b&gt; group" in raw
    assert '"><script>' not in raw and "javascript:" not in raw


def test_only_active_services_are_shown(client):
    make.service("Closed group", "food_bank", status=Service.Status.INACTIVE)
    assert words.RESULTS_NONE in results(get(client, need="food")[1])
    closed = Service.objects.get(name="Closed group")
    assert client.get(reverse("find_support:service", args=[closed.id])).status_code == 404


@pytest.mark.parametrize(("query", "message"), [
    ({"need": ""}, words.NEED_OR_WORDS_MISSING),
    ({"need": "<script>alert(1)</script>"}, words.NEED_UNKNOWN),
    ({"need": "food", "postcode": "not a postcode"}, words.POSTCODE_NOT_REAL),
    ({"need": "food", "postcode": "x" * 5000}, words.POSTCODE_NOT_REAL),
    ({"text": "rent " * 500}, words.TEXT_TOO_LONG),
    ({"text": "rent\x00"}, words.TEXT_ODD),
    ({"need": "food", "miles": "100000"}, words.MILES_UNKNOWN),
    ({"need": "food", "page": "999999999999999999999"},
     words.PAGE_NOT_A_NUMBER.format(most=MOST_PAGES)),
    ({"need": "food", "page": "-1"}, words.PAGE_NOT_A_NUMBER.format(most=MOST_PAGES)),
    ({"need": "food", "page": "1e9"}, words.PAGE_NOT_A_NUMBER.format(most=MOST_PAGES)),
])
def test_bad_input_gets_a_plain_message_and_400(client, postcodes, query, message):
    status, page = get(client, **query)
    assert status == 400
    assert message in page
    assert words.ERROR_PREFIX + words.FIND_TITLE in page  # the page title says there is a problem


def test_a_postcode_alone_finds_everything_near_it(client, postcodes):
    make.service("Near group", "walking_groups", at=(51.52 + MILE / 2, -0.06))
    make.service("Far group", "walking_groups", at=(51.52 + 9 * MILE, -0.06))
    status, page = get(client, postcode="E1 6AN", miles="3")
    found = results(page)
    assert status == 200 and "Near group" in found and "Far group" not in found
    assert words.LESS_THAN_A_MILE in found


def test_a_result_shows_the_start_of_a_long_description(client):
    make.service("Debt help", "debt_advice", description="Money help. " + "More words. " * 100)
    found = results(get(client, need="money_debt")[1])
    assert "Money help. More words." in found and found.count("More words.") < 30


def test_an_unknown_postcode_says_so(client, postcodes):
    status, page = get(client, need="food", postcode="E2 7QX")
    assert status == 400 and words.POSTCODE_NOT_FOUND in page


def test_without_a_postcode_file_the_page_says_to_leave_it_out(client, settings, tmp_path):
    settings.UPSTREAM_POSTCODE_DIRECTORY = tmp_path / "none.sqlite3"
    status, page = get(client, need="food", postcode="E1 6AN")
    assert status == 400 and words.POSTCODE_NOT_LOADED in page


def test_typed_html_is_never_reflected(client):
    make.service("Debt help", "debt_advice")
    attack = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    response = client.get(FIND, {"text": f"can't pay {attack}"})
    raw = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in raw and "<img src=x" not in raw
    assert "&lt;script&gt;alert(1)" in raw  # shown back in the box, escaped


def test_results_come_ten_to_a_page_with_a_link_to_more(client):
    for number in range(PER_PAGE + 3):
        make.service(f"Food bank {number:02d}", "food_bank")
    first = results(get(client, need="food")[1])
    assert first.count('class="nhsuk-card"') == PER_PAGE
    assert words.RESULTS_SHOWN.format(first=1, last=PER_PAGE) in first
    more = re.search(r'href="(\?[^"]*page=2[^"]*)"', first)
    assert more, "a link to the next page"
    second = results(get(client, **dict(re.findall(r"(\w+)=([^&]*)",
                                                   unescape(more.group(1)[1:]))))[1])
    assert second.count('class="nhsuk-card"') == 3
    assert words.RESULTS_SHOWN.format(first=PER_PAGE + 1, last=PER_PAGE + 3) in second
    status, past_the_end = get(client, need="food", page=str(MOST_PAGES))
    assert status == 200 and words.RESULTS_NONE in past_the_end


def test_service_page_shows_what_the_service_is_and_links_the_leaflets(client):
    service = make.service("Women's peer group", "peer_support", "sex:F", byday="WE",
                           minimum_age=18, accepting_referrals=True, waiting_time_days=21,
                           last_verified=datetime.date(2020, 1, 1),
                           description="Talk with others who understand.")
    status, page = get(client, reverse("find_support:service", args=[service.id]))
    assert status == 200
    assert "Women's peer group" in page and "Talk with others who understand." in page
    assert words.TAKING_NEW_PEOPLE_WAIT.format(wait="3 weeks") in page
    assert "Women only" in page and words.AGES_FROM.format(low="18") in page
    assert words.MAY_BE_OLD in page
    assert "Every Wednesday 9:30 to 12:00" in page
    assert reverse("find_support:leaflet", args=[service.id]) in page
    assert reverse("find_support:leaflet_pdf", args=[service.id]) in page


def test_an_unknown_service_is_a_plain_404(client):
    status, page = get(client, "/find-support/services/00000000-0000-0000-0000-000000000001/")
    assert status == 404 and words.SERVICE_NOT_FOUND in page
    assert client.get("/find-support/services/not-a-uuid/").status_code == 404


def test_leaflet_page_has_a_print_stylesheet(client):
    service = make.service("Debt help", "debt_advice")
    status, page = get(client, reverse("find_support:leaflet", args=[service.id]))
    assert status == 200 and "upstream/leaflet.css" in page and "Debt help" in page
    assert words.LEAFLET_FOOT in page


def test_leaflet_pdf_is_one_tagged_page_of_real_text(client):
    service = make.service("Debt help", "debt_advice", byday="MO",
                           description="Free advice on money worries. " * 200)
    Phone.objects.create(service=service, number="01632 960123")
    response = client.get(reverse("find_support:leaflet_pdf", args=[service.id]))
    data = response.content
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert data.startswith(b"%PDF")
    found = read_pdf(data)
    assert "Debt help" in found.text and "01632 960123" in found.text
    assert words.PHONE in found.text
    assert (found.lang, found.title, found.displays_title) == ("en-GB", "Debt help", True)
    assert found.pdfua_part == "1" and found.count("H1") == 1 and found.count("TH") >= 2
    assert found.pages == 1  # the long description shrank the text to fit
    assert b"/Subtype /Image" not in data


def test_searching_stores_nothing(client):
    from django.apps import apps
    make.service("Debt help", "debt_advice")
    counts = {m: m.objects.count() for m in apps.get_models()}
    client.get(FIND, {"text": "can't pay my rent"})
    assert {m: m.objects.count() for m in apps.get_models()} == counts


@pytest.fixture
def demo_directory(tmp_path, settings):
    from upstream.service.directory.importer import import_directory
    from upstream.synth import directory as synthetic

    settings.VAR_DIR = tmp_path
    path = synthetic.write(tmp_path / "demo-directory.json",
                           synthetic.generate(seed=5, services=120))
    import_directory(path, "demo-directory")


def test_every_demo_service_has_a_page_and_a_one_page_leaflet(client, demo_directory):
    """The synthetic directory's services, with all their kinds of opening times, costs,
    contacts and restrictions, show without error; each leaflet fits on one page."""
    status, page = get(client, text="can't pay my rent")
    assert status == 200 and words.RESULTS_NONE not in page
    for service in Service.objects.filter(status=Service.Status.ACTIVE)[:40]:
        for name in ("find_support:service", "find_support:leaflet"):
            assert client.get(reverse(name, args=[service.id])).status_code == 200
        pdf = client.get(reverse("find_support:leaflet_pdf", args=[service.id])).content
        assert read_pdf(pdf).pages == 1, service.name
    for need in words.NEED_LABELS:
        assert get(client, need=need)[0] == 200
