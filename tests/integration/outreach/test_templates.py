"""Message templates: merge fields (an unknown one is refused, naming it), reading age against
the team's target, preview with sample details or a person from the team, who may manage
them, and the team's outreach settings."""

import html

import pytest
import textstat
from django.urls import reverse

from tests.integration.engagement import factories as make
from upstream.service.accounts.models import Role
from upstream.service.audit.models import Action, AuditEvent
from upstream.service.outreach import merge, readability
from upstream.service.outreach.models import MessageKind, MessageTemplate, OutreachSettings

from .conftest import template

PLAIN = "Hello ((given_name)). We tried to call you. Please ring us. We want to help."
HARD = ("We are writing to inform you that, following your recent hospital admission, a social "
        "prescribing practitioner has been allocated to support you with the non-clinical "
        "determinants of your wellbeing, including financial circumstances and accommodation.")


def test_unknown_merge_fields_are_named():
    assert merge.unknown_fields("Hi ((given_name)) and ((frist_name)) ((nhs_number))") == [
        "frist_name", "nhs_number"]
    assert merge.merge("Hi ((given_name))!", {"given_name": "Priya"}) == "Hi Priya!"
    with pytest.raises(KeyError):
        merge.merge("Hi ((appointment_date))", {})


def test_reading_age_is_flesch_kincaid_grade_plus_five():
    plain_text = merge.merge(PLAIN, merge.SAMPLE)
    expected = max(5, round(textstat.flesch_kincaid_grade(plain_text) + 5))
    assert readability.reading_age_years(PLAIN) == expected
    assert readability.reading_age_years(PLAIN) <= 7
    assert readability.reading_age_years(HARD) >= 16
    assert readability.reading_age(HARD, 9).above_target
    assert not readability.reading_age(PLAIN, 9).above_target


def test_lead_adds_a_template_and_it_shows_its_reading_age(client, team, lead):
    client.force_login(lead)
    response = client.post(reverse("outreach:template_new", kwargs={"team_id": team.pk}), {
        "kind": MessageKind.SMS, "name": "First contact", "subject": "", "body": PLAIN})
    saved = MessageTemplate.objects.get(team=team, name="First contact")
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:template",
                                           kwargs={"message_template_id": saved.pk})
    listing = client.get(reverse("outreach:templates")).content.decode()
    assert "First contact" in listing
    assert f"Reading age {readability.reading_age_years(PLAIN)}" in listing
    assert "Reading age target: 7 years" in listing


def test_a_template_above_the_target_warns(client, team, worker):
    hard = template(team, MessageKind.LETTER, HARD, subject="Your support")
    client.force_login(worker)
    page = html.unescape(client.get(reverse(
        "outreach:template", kwargs={"message_template_id": hard.pk})).content.decode())
    years = readability.reading_age_years(f"Your support\n{HARD}")
    assert "Harder to read than your target" in page
    assert f"Reading age {years} is above your team's target of 7" in page
    assert "Flesch-Kincaid grade + 5" in page


def test_an_unknown_merge_field_is_refused_naming_it_and_nothing_is_saved(client, team, lead):
    client.force_login(lead)
    response = client.post(reverse("outreach:template_new", kwargs={"team_id": team.pk}), {
        "kind": MessageKind.SMS, "name": "Typo", "body": "Hello ((frist_name))"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Message uses a merge field that does not exist: ((frist_name))" in page
    assert not MessageTemplate.objects.filter(name="Typo").exists()


def test_letters_and_emails_need_a_subject(client, team, lead):
    client.force_login(lead)
    response = client.post(reverse("outreach:template_new", kwargs={"team_id": team.pk}), {
        "kind": MessageKind.LETTER, "name": "No subject", "body": "Dear ((given_name))"})
    assert "Enter a subject for the letter" in response.content.decode()
    assert not MessageTemplate.objects.filter(name="No subject").exists()


def test_names_are_unique_in_a_team(client, team, lead, text_template):
    client.force_login(lead)
    response = client.post(reverse("outreach:template_new", kwargs={"team_id": team.pk}), {
        "kind": MessageKind.SMS, "name": "first contact text", "body": "Hi"})
    assert "already has a template called" in response.content.decode()


def test_lead_edits_a_template_and_the_change_is_audited(client, lead, text_template):
    client.force_login(lead)
    url = reverse("outreach:template_edit", kwargs={"message_template_id": text_template.pk})
    response = client.post(url, {"kind": MessageKind.SMS, "name": text_template.name,
                                 "body": "Hi ((given_name)), call ((team_phone))."})
    assert response.status_code == 302
    text_template.refresh_from_db()
    assert text_template.body == "Hi ((given_name)), call ((team_phone))."
    assert text_template.updated_by == lead
    assert AuditEvent.objects.filter(action=Action.CHANGE, record_id=str(text_template.pk),
                                     record_type="outreach.messagetemplate").exists()


def test_link_workers_use_templates_but_do_not_manage_them(client, team, worker, text_template):
    client.force_login(worker)
    assert client.get(reverse("outreach:template_new",
                              kwargs={"team_id": team.pk})).status_code == 403
    assert client.get(reverse("outreach:template_edit", kwargs={
        "message_template_id": text_template.pk})).status_code == 403
    page = client.get(reverse("outreach:templates")).content.decode()
    assert "First contact text" in page
    assert "Add a message template" not in page


def test_preview_with_sample_details_or_a_person_in_the_team(client, worker, episode,
                                                             text_template):
    client.force_login(worker)
    url = reverse("outreach:template", kwargs={"message_template_id": text_template.pk})
    sample = client.get(url).content.decode()
    assert "Hello Sam, this is Test User" in sample
    assert "Please call us on 0116 496 0123." in sample
    person = client.get(url, {"episode": episode.pk}).content.decode()
    assert f"For {episode.person}" in person
    assert "Hello Priya, this is" in person
    assert AuditEvent.objects.filter(action=Action.VIEW, record_type="referrals.episode",
                                     record_id=str(episode.pk), user=worker).exists()


def test_preview_cannot_reach_a_person_outside_the_team(client, worker, text_template):
    elsewhere = make.episode(make.team("Another team"))
    client.force_login(worker)
    url = reverse("outreach:template", kwargs={"message_template_id": text_template.pk})
    page = client.get(url, {"episode": elsewhere.pk}).content.decode()
    assert "Select a person from the list" in page
    assert elsewhere.person.family_name not in page


def test_another_teams_template_is_not_found(client, worker):
    other = template(make.team("Other team"), MessageKind.SMS, "Hi")
    client.force_login(worker)
    assert client.get(reverse("outreach:template", kwargs={
        "message_template_id": other.pk})).status_code == 404


def test_lead_sets_the_reading_age_target(client, team, lead):
    client.force_login(lead)
    url = reverse("outreach:settings", kwargs={"team_id": team.pk})
    bad = client.post(url, {"reading_age_target": "30", "phone": "not a number"})
    page = bad.content.decode()
    assert "Reading age target must be between 5 and 18 years" in page
    assert "Team phone number must be a UK number" in page
    assert OutreachSettings.objects.get(team=team).reading_age_target == 7
    client.post(url, {"reading_age_target": "6", "phone": "01164960999",
                      "email": "", "address": "1 Street\nLeicester"})
    saved = OutreachSettings.objects.get(team=team)
    assert (saved.reading_age_target, saved.phone) == (6, "0116 496 0999")


def test_a_team_without_settings_gets_the_uk_average_target(client, db):
    team = make.team("New team")
    lead = make.user(Role.TEAM_LEAD, team)
    client.force_login(lead)
    assert "Reading age target: 9 years" in client.get(
        reverse("outreach:templates")).content.decode()



def test_lead_deletes_a_template_and_messages_keep_their_text(client, lead, worker, episode,
                                                              text_template):
    from upstream.service.outreach import services

    message = services.send(services.draft(text_template, episode, worker), by=worker)
    client.force_login(lead)
    url = reverse("outreach:template_delete", kwargs={"message_template_id": text_template.pk})
    assert client.post(url).status_code == 302
    assert not MessageTemplate.objects.filter(pk=text_template.pk).exists()
    message.refresh_from_db()
    assert message.template is None and message.body.startswith("Hello Priya")
    client.force_login(worker)
    assert client.post(reverse("outreach:template_delete", kwargs={
        "message_template_id": message.pk})).status_code == 403
