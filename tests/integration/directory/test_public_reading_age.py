"""The public "Find support" pages read at a reading age of 9 to 11.

Every fixed text of these pages is in ``public_text`` (the templates carry no words of their
own, which the last test checks), and each is measured here:

- a text of three words or more with the project's formula (``outreach.readability``:
  Flesch-Kincaid grade + 5, via ``textstat``), at most ``READING_AGE_TARGET`` (11);
- a shorter label, where that formula only counts syllables, word by word: each word must be
  one a 9 year old knows (textstat's Dale-Chall list of easy words, after taking off -s, -es,
  -ing, -ed), or one of the few everyday UK words the American list lacks (``UK_EVERYDAY``).

Texts with ``{places}`` are measured with the sample values in ``SAMPLES``.
"""

import re
from pathlib import Path

import pytest
import textstat

from upstream.service.directory import public_text as words
from upstream.service.outreach.readability import reading_age_years
from upstream.standards.vocabularies import NEEDS

SAMPLES = {"most": "10", "count": "12", "first": "11", "last": "20", "miles": "2.5",
           "time": "9:30", "day": "Tuesday", "date": "1 May 2027", "wait": "2 weeks",
           "low": "18", "high": "65", "days": "Monday", "opens": "9:30", "closes": "12:00"}
UK_EVERYDAY = {
    "postcode": "every UK address has one; the form asks for it",
    "email": "as common as phone",
    "website": "as common as phone",
    "online": "as in 'help to get online'",
    "pdf": "the file type people save",
    "error": "NHS.UK pattern: a page with a problem starts its title 'Error: '",
}
TEMPLATES = Path(words.__file__).parent / "jinja2" / "directory" / "public"


def _filled(text: str) -> str:
    return text.format(**SAMPLES)


def _is_easy(word: str) -> bool:
    word = word.lower()
    stems = {word, re.sub(r"(es|ing|ed)$", "", word), re.sub(r"s$", "", word),
             re.sub(r"ied$", "y", word),
             re.sub(r"ing$", "e", word), re.sub(r"ed$", "e", word)}
    return word in UK_EVERYDAY or any(not textstat.is_difficult_word(s) for s in stems if s)


TEXTS = words.all_texts()
SENTENCES = {n: t for n, t in TEXTS.items() if len(_filled(t).split()) >= 3}
LABELS = {n: t for n, t in TEXTS.items() if n not in SENTENCES}


def test_there_are_texts_of_both_kinds():
    assert len(SENTENCES) > 20 and len(LABELS) > 10


@pytest.mark.parametrize("name", sorted(SENTENCES))
def test_each_sentence_reads_at_11_or_under(name):
    text = _filled(SENTENCES[name])
    years = reading_age_years(text)
    assert years <= words.READING_AGE_TARGET, (
        f"public_text.{name} reads at age {years} (target {words.READING_AGE_TARGET}): {text!r}")


@pytest.mark.parametrize("name", sorted(LABELS))
def test_each_label_uses_words_a_9_year_old_knows(name):
    text = _filled(LABELS[name])
    hard = [w for w in re.findall(r"[A-Za-z']+", text) if not _is_easy(w)]
    assert not hard, f"public_text.{name} ({text!r}) has hard words: {hard}"


def test_the_measure_can_fail():
    """The checks above catch hard wording (so a pass means something)."""
    assert reading_age_years("Eligibility is determined by the organisation's "
                             "commissioning arrangements.") > words.READING_AGE_TARGET
    assert not _is_easy("eligibility") and _is_easy("keeping") and _is_easy("postcode")


def test_the_footer_link_uses_the_pages_name():
    from upstream.service.ui.nav import footer_links

    assert words.SERVICE_NAME in {link.text for link in footer_links()}


def test_every_theme_of_need_has_a_plain_name():
    assert set(words.NEED_LABELS) == set(NEEDS)


_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
_HTML = re.compile(r"<script\b.*?</script>|<[^>]*>", re.S)
_LITERAL = re.compile(r"\"([^\"\\]*(?:\\.[^\"\\]*)*)\"|'([^'\\]*(?:\\.[^'\\]*)*)'")


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.jinja")))
def test_templates_have_no_words_of_their_own(template):
    """Words outside tags, or capitalised words in a string inside a Jinja tag (a macro's
    {"text": "Search"}), would escape the measures above."""
    source = (TEMPLATES / template).read_text()
    code = " ".join(m.group(0) for m in _JINJA.finditer(source)
                    if not m.group(0).startswith("{#"))
    outside = _HTML.sub(" ", _JINJA.sub(" ", source))
    loose = re.findall(r"[A-Za-z]{2,}", outside)
    assert not loose, f"{template} has words outside tags: {loose}"
    literals = [a or b for a, b in _LITERAL.findall(code)]
    worded = [s for s in literals if re.search(r"\b[A-Z][a-z]+", s)]
    assert not worded, f"{template} has wording in Jinja strings: {worded}"
