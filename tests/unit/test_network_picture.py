"""The personal network picture's structure (not its pixels) and the start/latest comparison."""

import re
from dataclasses import dataclass
from xml.etree import ElementTree

from upstream.service.engagement.network import (
    KIND_ORDER,
    STROKE_WIDTH,
    compare,
    picture,
)

SVG = "{http://www.w3.org/2000/svg}"
LABEL = f"{SVG}text[@class='network-label']"


@dataclass
class Entry:
    who: str
    kind: str
    frequency: str
    helpfulness: int


ENTRIES = [
    Entry("Sister", "family", "weekly", 5),
    Entry("Tuesday walking group", "group", "weekly", 4),
    Entry("Son", "family", "monthly", 2),
    Entry("GP", "professional", "rarely", 3),
    Entry("Neighbour at 12", "neighbour", "daily", 4),
]


def _draw(entries):
    return ElementTree.fromstring(str(picture(entries, title="Network at the start",
                                              description="5 contacts")))


def _entries(svg):
    return svg.findall(f".//{SVG}g[@class='network-entry']")


def test_one_node_per_entry_each_with_its_line_and_label():
    svg = _draw(ENTRIES)
    nodes = _entries(svg)
    assert len(nodes) == len(ENTRIES)
    by_who = {node.findtext(LABEL): node for node in nodes}
    assert sorted(by_who) == sorted(e.who for e in ENTRIES)
    for entry in ENTRIES:
        node = by_who[entry.who]
        assert node.find(f"{SVG}line") is not None
        assert node.find(f"{SVG}circle") is not None
        assert node.get("data-helpfulness") == str(entry.helpfulness)


def test_entries_are_grouped_by_kind_in_the_fixed_order():
    svg = _draw(ENTRIES)
    groups = svg.findall(f"{SVG}g[@class='network-kind']")
    assert [g.get("data-kind") for g in groups] == [
        k for k in KIND_ORDER if k in {"family", "group", "professional", "neighbour"}]
    family = next(g for g in groups if g.get("data-kind") == "family")
    assert {n.get("data-kind") for n in _entries(family)} == {"family"}
    assert len(_entries(family)) == 2


def test_line_thickness_follows_frequency_and_rarely_is_dashed():
    svg = _draw(ENTRIES)
    by_who = {n.findtext(LABEL): n for n in _entries(svg)}
    assert by_who["Neighbour at 12"].find(f"{SVG}line").get("stroke-width") == str(
        STROKE_WIDTH["daily"])
    assert float(by_who["Neighbour at 12"].find(f"{SVG}line").get("stroke-width")) > float(
        by_who["Son"].find(f"{SVG}line").get("stroke-width"))
    assert by_who["GP"].find(f"{SVG}line").get("stroke-dasharray")
    assert by_who["Sister"].find(f"{SVG}line").get("stroke-dasharray") is None


def test_helpfulness_sets_the_node_colour_and_is_printed():
    svg = _draw(ENTRIES)
    by_who = {n.findtext(LABEL): n for n in _entries(svg)}
    assert by_who["Sister"].find(f"{SVG}circle").get("fill") != by_who["Son"].find(
        f"{SVG}circle").get("fill")
    assert [t.text for t in by_who["Son"].findall(f"{SVG}text")][0] == "2"


def test_labels_the_person_typed_are_escaped():
    svg = str(picture([Entry('<script>alert(1)</script>"', "friend", "weekly", 3)],
                      title="t", description="d"))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ElementTree.fromstring(svg)  # still well-formed


def test_picture_has_a_title_and_description_and_the_person_in_the_centre():
    svg = _draw(ENTRIES)
    assert svg.get("role") == "img"
    assert svg.findtext(f"{SVG}title") == "Network at the start"
    ids = svg.get("aria-labelledby").split()
    assert {svg.find(f"{SVG}title").get("id"), svg.find(f"{SVG}desc").get("id")} == set(ids)
    assert svg.find(f"{SVG}circle[@class='network-person']") is not None


def test_an_empty_network_draws_only_the_person():
    svg = _draw([])
    assert _entries(svg) == []
    assert svg.find(f"{SVG}circle[@class='network-person']") is not None


def test_comparison_counts_contacts_weekly_contacts_helpfulness_and_new_kinds():
    start = [Entry("Sister", "family", "monthly", 2), Entry("GP", "professional", "rarely", 3)]
    latest = [*start[:1], Entry("Walking group", "group", "weekly", 4),
              Entry("Neighbour", "neighbour", "daily", 4), Entry("Choir", "group", "weekly", 5),
              Entry("Sister", "family", "weekly", 4)]
    sentences = compare(start, latest).sentences
    assert sentences[0] == "3 more people and groups in the network than at the start (2)."
    assert sentences[1] == "4 more contacts at least weekly than at the start (0)."
    assert re.match(r"Average helpfulness 3\.8 out of 5, up from 2\.5 at the start\.",
                    sentences[2])
    assert sentences[3] == "New kinds of contact: neighbour, group."


def test_comparison_says_fewer_and_the_same():
    start = [Entry("Sister", "family", "weekly", 4), Entry("Son", "family", "weekly", 4)]
    sentences = compare(start, start[:1]).sentences
    assert sentences[0] == "1 fewer people and groups in the network than at the start (2)."
    assert "the same as 4.0" in sentences[2]
