"""Outreach in a browser: a team lead writes a text template (an unknown merge field is
refused first); a link worker sees how to reach the person, sends a text from the template
(no Notify key, so it goes to the outbox) and marks it sent, writes a letter, downloads it to
print and marks it posted; the contact attempts list shows both. axe checks every page."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories.accounts import PathwayFactory, TeamFactory
from tests.factories.outreach import MessageTemplateFactory, OutreachSettingsFactory
from upstream.service.accounts.models import Role
from upstream.service.engagement.models import ContactAttempt
from upstream.service.outreach.models import MessageKind
from upstream.service.people.models import Person
from upstream.service.referrals.services import submit_referral, transition
from upstream.service.referrals.states import Status
from upstream.standards import nhs_number

PERSON = "Priya Shah"


@pytest.fixture
def leicester(transactional_db, make_user, settings):
    settings.UPSTREAM_NOTIFY_API_KEY = ""
    team = TeamFactory(name="Leicester social prescribing",
                       pathway=PathwayFactory(name="Leicester cardiology"))
    OutreachSettingsFactory(team=team, reading_age_target=7,
                            address="Social prescribing team\nLeicester\nLE1 1AA")
    lead = make_user("nadia.patel", Role.TEAM_LEAD, [team])
    worker = make_user("amara.okafor", Role.LINK_WORKER, [team])
    person = Person.objects.create(
        nhs_number=next(nhs_number.test_range()), given_name="Priya", family_name="Shah",
        date_of_birth=datetime.date(1956, 5, 2), phone="07700 900123",
        address="12 Example Road, Leicester", postcode="LE2 1AB", preferred_channel="sms",
        interpreter_needed=True, preferred_language="Gujarati")
    referral = submit_referral(person=person, team=team, source="pathway_clinician",
                               needs=["money_debt"], reason="Money worries",
                               consent_given=True, referrer=lead)
    episode = referral.episode
    episode.worker = worker
    episode.save(update_fields=["worker"])
    for step in (Status.TRIAGED, Status.ALLOCATED):
        transition(episode, step, by=lead, reason="test set-up")
    MessageTemplateFactory(
        team=team, kind=MessageKind.LETTER, name="We tried to reach you",
        subject="We tried to reach you",
        body="Dear ((given_name)),\nWe tried to call you.\nPlease ring us on ((team_phone)).")
    return {"team": team, "episode": episode}


def write_text_template(visitor) -> None:
    page = visitor.page
    visitor.follow("Outbox")
    visitor.follow("Your team's message templates")
    visitor.follow("Add a message template")
    page.get_by_label("Text message", exact=True).check()
    page.get_by_label("Name", exact=True).fill("First contact text")
    page.get_by_label("Message", exact=True).fill(
        "Hello ((first_name)). This is ((worker_name)). Please call us on ((team_phone)).")
    visitor.submit("Save template")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text(
        "merge field that does not exist: ((first_name))")
    page.get_by_label("Message", exact=True).fill(
        "Hello ((given_name)). This is ((worker_name)). Please call us on ((team_phone)).")
    visitor.submit("Save template")
    assert visitor.heading() == "First contact text"
    expect(page.locator("main")).to_contain_text("Reading age")


def send(visitor, template: str, button: str) -> None:
    page = visitor.page
    visitor.follow("Send a text, email or letter from a template")
    page.get_by_label("Message template").select_option(label=template)
    visitor.submit("Show message")
    visitor.submit(button)
    assert visitor.heading() == "Contact attempts"


def test_a_worker_texts_and_writes_to_a_person_from_templates(visit, leicester):
    lead = visit("team lead")
    lead.sign_in("nadia.patel")
    write_text_template(lead)

    worker = visit("link worker")
    worker.sign_in("amara.okafor")
    page = worker.page
    episode = leicester["episode"]
    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    reach = page.locator("main")
    expect(reach).to_contain_text("07700 900123 (mobile)")
    expect(reach).to_contain_text("Needed: Gujarati")

    send(worker, "First contact text (text message)", "Send text message")
    worker.follow("Outbox")
    expect(page.locator("main")).to_contain_text("Hello Priya. This is Amara Okafor.")
    worker.submit(f"Mark text message to {PERSON} as sent")
    expect(page.locator("main")).to_contain_text("Nothing waiting to be sent")

    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    send(worker, "We tried to reach you (letter)", "Send letter")
    worker.follow("Outbox")
    pdf_link = page.get_by_role("link", name=f"Download the letter to print (PDF) for {PERSON}")
    pdf = page.request.get(worker.url(pdf_link.get_attribute("href")))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    worker.submit(f"Mark letter to {PERSON} as posted")

    worker.goto(f"/engagement/episodes/{episode.pk}/contacts/")
    attempts = page.locator("table").filter(has_text="Outcome")
    expect(attempts).to_contain_text("Text message (SMS)")
    expect(attempts).to_contain_text("Letter")
    assert list(ContactAttempt.objects.filter(episode=episode).values_list(
        "channel", "outcome")) == [("sms", "letter_sent"), ("letter", "letter_sent")]
