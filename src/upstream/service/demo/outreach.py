"""Outreach in the demo world: each team's settings (reading-age target and contact details,
from Ofcom's drama telephone ranges) and realistic templates written in plain English: a first
contact text, a call script, a "we tried to reach you" letter at a low reading age and an
appointment reminder. The Heart Centre also keeps an old formal letter that reads above its
target (so the warning shows), and has a text and a letter waiting in its outbox."""

from upstream.service.demo.journeys import TeamStaff
from upstream.service.outreach import notify, services
from upstream.service.outreach.models import MessageKind, MessageTemplate
from upstream.service.referrals.states import Status

SETTINGS = {
    "Heart Centre social prescribing": (9, "020 7946 0123", "Heart Centre social prescribing\n"
                                        "Example Hospital\nWhitechapel Road\nLondon\nE1 1BB"),
    "Young adult diabetes": (9, "020 7946 0456", "Young adult diabetes team\nExample Hospital\n"
                             "London\nE1 1BB"),
    "Children and young people's social prescribing": (
        7, "020 7946 0789", "Children and young people's team\nExample Children's Hospital\n"
                            "London\nE1 2CC"),
    "ED high intensity use service": (7, "020 7946 0321", "High intensity use service\n"
                                      "Emergency Department, Example Hospital\nLondon\nE1 1BB"),
}

TEMPLATES = [
    (MessageKind.SMS, "First contact text", "",
     "Hello ((given_name)). This is ((worker_name)) from ((team_name)). Your hospital team "
     "asked us to get in touch. We can help with things like money, housing or feeling alone. "
     "Please call or text us on ((team_phone)). If you do not want our help, that is fine."),
    (MessageKind.CALL_SCRIPT, "First call", "",
     "Hello, can I speak to ((given_name)), please?\n"
     "My name is ((worker_name)). I work with ((team_name)) at the hospital.\n"
     "Your hospital team asked us to call you. Is now a good time to talk?\n"
     "We help people with the things that affect their health, like money, housing, work or "
     "feeling alone.\n"
     "Can I ask what matters most to you just now?\n"
     "If now is not good: when is a better time to call? Is it OK to leave a message or "
     "send a text?"),
    (MessageKind.LETTER, "We tried to reach you", "We tried to reach you",
     "Dear ((given_name)),\n"
     "We tried to call you. We could not get through.\n"
     "Your hospital team asked us to help you. We help with money, housing, feeling alone "
     "and other things that matter to you.\n"
     "Please call us on ((team_phone)). We are here Monday to Friday, 9am to 5pm.\n"
     "If you do not want our help, that is fine. Just let us know.\n"
     "Best wishes,\n((worker_name))\n((team_name))"),
    (MessageKind.SMS, "Appointment reminder", "",
     "Hi ((given_name)), see you on ((appointment_date)). If you cannot come, call "
     "((team_phone)). ((worker_name))"),
    (MessageKind.EMAIL, "After our chat", "Your support from ((team_name))",
     "Hello ((given_name)),\n"
     "Thank you for talking with me today. Here is what we agreed.\n"
     "I will call you again next week. If you need me before then, call ((team_phone)).\n"
     "Best wishes,\n((worker_name))"),
]

FORMAL_LETTER = (
    MessageKind.LETTER, "Introductory letter (old, formal)", "Social prescribing service",
    "Dear ((given_name)) ((family_name)),\n"
    "Following your recent attendance, your clinical team has identified that you may benefit "
    "from engagement with our social prescribing service, which addresses non-clinical "
    "determinants of health and wellbeing, including financial circumstances, accommodation "
    "and social isolation.\n"
    "We would be grateful if you could contact the service at your earliest convenience to "
    "arrange an initial assessment.\n"
    "Yours sincerely,\n((worker_name))")


def add_outreach(staff: dict[str, TeamStaff]) -> None:
    """Give every demo team its outreach settings and templates; fill the Heart Centre's
    outbox with a text and a letter written by its first link worker."""
    for name, team_staff in staff.items():
        team = team_staff.team
        target, phone, address = SETTINGS[name]
        services.save_settings(services.settings_for(team), by=team_staff.lead,
                               reading_age_target=target, phone=phone, address=address,
                               email="")
        for kind, template_name, subject, body in TEMPLATES:
            services.save_template(MessageTemplate(team=team, kind=kind, name=template_name,
                                                   subject=subject, body=body),
                                   by=team_staff.lead)
    heart = staff["Heart Centre social prescribing"]
    kind, template_name, subject, body = FORMAL_LETTER
    services.save_template(MessageTemplate(team=heart.team, kind=kind, name=template_name,
                                           subject=subject, body=body), by=heart.lead)
    if not notify.configured():  # the demo never sends real messages
        _fill_outbox(heart)


def _fill_outbox(team_staff: TeamStaff) -> None:
    worker = team_staff.workers[0]
    templates = {t.name: t for t in MessageTemplate.objects.filter(team=team_staff.team)}
    episodes = team_staff.team.episodes.filter(
        worker=worker, status=Status.CONTACTING, person__date_of_death__isnull=True,
    ).exclude(person__address="").select_related("person", "team").order_by("pk")
    for episode, template_name in zip(episodes, ["First contact text", "We tried to reach you"],
                                      strict=False):
        draft = services.draft(templates[template_name], episode, worker)
        if draft.refusal is None:
            services.send(draft, by=worker)
