"""A letter to a person as a print-ready PDF (fpdf2): A4, the person's address placed for a
DL or C5 window envelope (20 mm from the left, 50 mm from the top, 90 by 35 mm), the team's
address and contact details top right, the date, the subject and the message.

"Private and confidential" is printed above the address, where it shows through the window:
the letter is about the person's care, for them alone. Nothing else is marked, because the
letter is the person's own (a "confidential: do not share" footer would be for letters about
a person to a third party, like the discharge summary).
"""

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from upstream.service.engagement.pdf import _latin1
from upstream.service.outreach.models import OutreachMessage
from upstream.service.outreach.services import settings_for
from upstream.service.ui.format import long_date

ADDRESS_WINDOW = {"x": 20, "y": 50, "w": 90, "h": 35}
"""Where the recipient's address goes (mm from the page's top left)."""
TEAM_BLOCK_X = 120
LEFT_MARGIN = 20
_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def letter_pdf(message: OutreachMessage) -> bytes:
    """Render ``message`` (a letter) to PDF bytes."""
    team = message.episode.team
    team_settings = settings_for(team)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(_latin1(message.subject or "Letter"))
    pdf.set_author(_latin1(team.name))
    pdf.set_lang("en-GB")
    pdf.set_margins(LEFT_MARGIN, 15, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()

    pdf.set_xy(TEAM_BLOCK_X, 15)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 5, _latin1(team.name), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    team_lines = [line.strip() for line in team_settings.address.splitlines() if line.strip()]
    if team_settings.phone:
        team_lines.append(f"Phone: {team_settings.phone}")
    if team_settings.email:
        team_lines.append(f"Email: {team_settings.email}")
    for line in team_lines:
        pdf.set_x(TEAM_BLOCK_X)
        pdf.multi_cell(0, 5, _latin1(line), new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_x(TEAM_BLOCK_X)
    pdf.cell(0, 5, _latin1(long_date(message.created_at)), **_NEXT_LINE)

    pdf.set_xy(ADDRESS_WINDOW["x"], ADDRESS_WINDOW["y"] - 6)
    pdf.set_font("Helvetica", "B", 9)
    pdf.cell(ADDRESS_WINDOW["w"], 5, "Private and confidential", **_NEXT_LINE)
    pdf.set_font("Helvetica", "", 11)
    pdf.set_xy(ADDRESS_WINDOW["x"], ADDRESS_WINDOW["y"])
    for line in message.recipient.splitlines():
        pdf.set_x(ADDRESS_WINDOW["x"])
        pdf.cell(ADDRESS_WINDOW["w"], 5, _latin1(line), **_NEXT_LINE)

    pdf.set_xy(LEFT_MARGIN, ADDRESS_WINDOW["y"] + ADDRESS_WINDOW["h"] + 10)
    if message.subject:
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, _latin1(message.subject), **_NEXT_LINE)
        pdf.ln(3)
    pdf.set_font("Helvetica", "", 12)
    for paragraph in message.body.split("\n"):
        if paragraph.strip():
            pdf.multi_cell(0, 6, _latin1(paragraph.strip()), **_NEXT_LINE)
            pdf.ln(3)
    if team_settings.phone:
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 5, _latin1(
            "If you would like this letter in another language, in large print or in easy "
            f"read, please call us on {team_settings.phone}."), **_NEXT_LINE)
    return bytes(pdf.output())
