"""Feeds' HTML becomes plain text with no markup left."""

import pytest

from upstream.service.directory.html_text import plain_text


@pytest.mark.parametrize(("html", "text"), [
    ("<p>Drug &amp; Alcohol support&nbsp;</p><p>Drop in</p>", "Drug & Alcohol support\n\nDrop in"),
    ("Before<script>document.cookie</script>after", "Beforeafter"),
    ("<style>p {color: red}</style><b>Bold</b> and <i>italic</i>", "Bold and italic"),
    ("<ul><li>One</li><li>Two</li></ul>", "- One\n- Two"),
    ("Line<br>next<br/>last", "Line\nnext\nlast"),
    ("&lt;script&gt;alert(1)&lt;/script&gt;Hello &lt;b&gt;you&lt;/b&gt;", "Hello you"),
    ("<a href=\"javascript:alert(1)\" onclick=\"x()\">Visit us</a>", "Visit us"),
    ("&#163;5 per session &ndash; &#x2014; free for carers", "£5 per session – — free for carers"),
    ("<p>unterminated <b", "unterminated"),
    ("<img src=x onerror=alert(1)>Picture", "Picture"),
])
def test_markup_is_removed_and_entities_decoded(html, text):
    assert plain_text(html) == text


@pytest.mark.parametrize("plain", ["Ages 5 < 11 and > 3", "Tom & Jerry", "  spaced  "])
def test_plain_text_is_kept_as_given(plain):
    assert plain_text(plain) == plain.strip()


def test_no_tag_survives_in_the_real_feeds_html():
    html = ("<section><h2>About</h2><table><tr><td>Mon</td><td>9&ndash;5</td></tr></table>"
            "<p><span style='x'>Call&nbsp;us</span><sup>1</sup></p></section>")
    text = plain_text(html)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "About" in text and "Call us" in text and "Mon 9–5" in text
