"""The personal network picture, drawn on the server as SVG (no script), and the plain-English
comparison of two snapshots.

The person is in the centre; each kind of contact (family, friends, neighbours, groups, faith
community, professionals) has its own sector around them, in a fixed order, so pictures taken
at the start and at a review line up. A line's thickness says how often they are in touch
(dashed: rarely); a node's colour and the number in it say how helpful the contact is (1 to 5).
The page always shows the same entries in a table beside the picture (the text alternative);
the picture carries a title and a one-line description too.

Works on any objects with ``who``, ``kind``, ``frequency`` and ``helpfulness`` (model rows or
plain dataclasses), so it is testable without a database.
"""

import math
from collections import Counter
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from upstream.service.engagement.models import ContactFrequency, NetworkKind

SIZE = 560
CENTRE = SIZE / 2
RADII = (170, 215)
"""Nodes alternate between two rings so that neighbours in a busy sector do not overlap."""
SECTOR_SPREAD = 22
"""Degrees either side of a sector's middle that its entries spread across (a sector is 60
degrees wide, so neighbouring kinds never mix)."""
KIND_ORDER = list(NetworkKind.values)
STROKE_WIDTH = {
    ContactFrequency.DAILY: 8, ContactFrequency.WEEKLY: 5,
    ContactFrequency.MONTHLY: 3, ContactFrequency.RARELY: 1,
}
HELPFULNESS_FILL = {1: "#d5281b", 2: "#ed8b00", 3: "#ffeb3b", 4: "#78be20", 5: "#007f3b"}
"""Red (not helpful) to green (very helpful); the number is always printed too."""
HELPFULNESS_TEXT = {1: "#ffffff", 2: "#212b32", 3: "#212b32", 4: "#212b32", 5: "#ffffff"}
AT_LEAST_WEEKLY = {ContactFrequency.DAILY, ContactFrequency.WEEKLY}
LABEL_LIMIT = 22


def _angle(kind_index: int, position: int, count: int) -> float:
    middle = -90 + kind_index * 360 / len(KIND_ORDER)
    if count == 1:
        return middle
    return middle - SECTOR_SPREAD + 2 * SECTOR_SPREAD * position / (count - 1)


def _point(angle: float, radius: float) -> tuple[float, float]:
    rad = math.radians(angle)
    return CENTRE + radius * math.cos(rad), CENTRE + radius * math.sin(rad)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def picture(entries, *, title: str, description: str) -> Markup:
    """The network as an inline ``<svg>``: a ``<g class="network-kind" data-kind=...>`` per
    kind present (in ``KIND_ORDER``), holding one ``<g class="network-entry">`` per entry with
    its line, node and label. Every label the person chose is escaped."""
    by_kind: dict[str, list] = {kind: [] for kind in KIND_ORDER}
    for entry in entries:
        by_kind[entry.kind].append(entry)
    kinds_svg = []
    for kind_index, kind in enumerate(KIND_ORDER):
        members = by_kind[kind]
        if not members:
            continue
        parts = []
        for position, entry in enumerate(members):
            angle = _angle(kind_index, position, len(members))
            x, y = _point(angle, RADII[position % 2])
            width = STROKE_WIDTH[ContactFrequency(entry.frequency)]
            help_ = int(entry.helpfulness)
            anchor = "start" if math.cos(math.radians(angle)) >= -0.01 else "end"
            label_dx = 26 if anchor == "start" else -26
            parts.append(
                f'<g class="network-entry" data-kind="{kind}" '
                f'data-frequency="{entry.frequency}" data-helpfulness="{help_}">'
                f'<line x1="{CENTRE:.0f}" y1="{CENTRE:.0f}" x2="{x:.1f}" y2="{y:.1f}" '
                f'stroke="#425563" stroke-width="{width}"'
                + (' stroke-dasharray="4 4"' if entry.frequency == ContactFrequency.RARELY
                   else "") + "/>"
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="20" fill="{HELPFULNESS_FILL[help_]}" '
                f'stroke="#212b32" stroke-width="2"/>'
                f'<text x="{x:.1f}" y="{y + 6:.1f}" text-anchor="middle" font-size="18" '
                f'font-weight="bold" fill="{HELPFULNESS_TEXT[help_]}">{help_}</text>'
                f'<text class="network-label" x="{x + label_dx:.1f}" y="{y + 5:.1f}" '
                f'text-anchor="{anchor}" font-size="15" fill="#212b32">'
                f"{escape(_short(entry.who))}</text></g>"
            )
        lx, ly = _point(_angle(kind_index, 0, 1), 110)
        kinds_svg.append(
            f'<g class="network-kind" data-kind="{kind}">{"".join(parts)}'
            f'<text class="network-kind-label" x="{lx:.1f}" y="{ly + 5:.1f}" '
            f'text-anchor="middle" font-size="14" font-style="italic" fill="#4c6272" '
            f'stroke="#ffffff" stroke-width="5" paint-order="stroke">'
            f"{escape(NetworkKind(kind).label)}</text></g>"
        )
    return Markup(
        f'<svg class="upstream-network" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="-120 0 {SIZE + 240} {SIZE}" role="img" '
        f'aria-labelledby="{escape(title_id(title))} {escape(title_id(title))}-desc">'
        f'<title id="{escape(title_id(title))}">{escape(title)}</title>'
        f'<desc id="{escape(title_id(title))}-desc">{escape(description)}</desc>'
        + "".join(kinds_svg) +
        f'<circle class="network-person" cx="{CENTRE:.0f}" cy="{CENTRE:.0f}" r="38" '
        f'fill="#005eb8"/>'
        f'<text x="{CENTRE:.0f}" y="{CENTRE + 6:.0f}" text-anchor="middle" font-size="17" '
        f'font-weight="bold" fill="#ffffff">Person</text></svg>'
    )


def title_id(title: str) -> str:
    """An id for the picture's title, unique per picture on a page (titles differ)."""
    return "network-" + "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")


# -- comparing two snapshots -------------------------------------------------------------

@dataclass(frozen=True)
class Comparison:
    """How the latest network differs from the first, in plain sentences."""

    sentences: list[str]


def _count_sentence(difference: int, what: str, start: int) -> str:
    if difference == 0:
        return f"The same number of {what} as at the start ({start})."
    more_or_fewer = "more" if difference > 0 else "fewer"
    return f"{abs(difference)} {more_or_fewer} {what} than at the start ({start})."


def _average_help(entries) -> float | None:
    values = [int(e.helpfulness) for e in entries]
    return sum(values) / len(values) if values else None


def compare(first, latest) -> Comparison:
    """Sentences comparing ``latest`` entries with ``first`` entries: people and groups in the
    network, contacts at least weekly, average helpfulness, and kinds of contact gained."""
    first, latest = list(first), list(latest)
    weekly = [sum(e.frequency in AT_LEAST_WEEKLY for e in side) for side in (first, latest)]
    sentences = [
        _count_sentence(len(latest) - len(first), "people and groups in the network",
                        len(first)),
        _count_sentence(weekly[1] - weekly[0], "contacts at least weekly", weekly[0]),
    ]
    before, after = _average_help(first), _average_help(latest)
    if before is not None and after is not None:
        direction = ("up from" if after > before else "down from" if after < before
                     else "the same as")
        sentences.append(f"Average helpfulness {after:.1f} out of 5, {direction} "
                         f"{before:.1f} at the start.")
    gained = [NetworkKind(k).label.lower() for k in KIND_ORDER
              if Counter(e.kind for e in latest)[k] and not any(e.kind == k for e in first)]
    if gained:
        sentences.append("New kinds of contact: " + ", ".join(gained) + ".")
    return Comparison(sentences)
