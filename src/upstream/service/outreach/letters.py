"""A letter to a person as a print-ready PDF (``outreach/letter_pdf.jinja`` through the one PDF
layer, ``ui/pdf.py``: tagged PDF/UA-1): A4, the person's address placed for a DL or C5 window
envelope, the team's address and contact details top right, the date, the subject and the
message.

"Private and confidential" is printed above the address, where it shows through the window:
the letter is about the person's care, for them alone. Nothing else is marked, because the
letter is the person's own (a "confidential: do not share" footer would be for letters about
a person to a third party, like the discharge summary).
"""

from upstream.service.outreach.models import OutreachMessage
from upstream.service.outreach.services import settings_for
from upstream.service.ui.format import long_date
from upstream.service.ui.pdf import render_pdf


def letter_pdf(message: OutreachMessage) -> bytes:
    """Render ``message`` (a letter) to PDF bytes."""
    team = message.episode.team
    team_settings = settings_for(team)
    team_lines = [line.strip() for line in team_settings.address.splitlines() if line.strip()]
    if team_settings.phone:
        team_lines.append(f"Phone: {team_settings.phone}")
    if team_settings.email:
        team_lines.append(f"Email: {team_settings.email}")
    formats_note = (
        "If you would like this letter in another language, in large print or in easy read, "
        f"please call us on {team_settings.phone}." if team_settings.phone else "")
    return render_pdf("outreach/letter_pdf.jinja", {
        "title": message.subject or "Letter",
        "author": team.name,
        "team_lines": team_lines,
        "date": long_date(message.created_at),
        "recipient_lines": [line for line in message.recipient.splitlines() if line.strip()],
        "subject": message.subject,
        "paragraphs": [p.strip() for p in message.body.split("\n") if p.strip()],
        "formats_note": formats_note,
    })
