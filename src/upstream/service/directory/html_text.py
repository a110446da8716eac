"""Directory feeds' HTML turned into safe plain text (standard library ``html.parser``).

No markup survives: tags are dropped, the content of ``script``, ``style`` and other
non-content elements is dropped with them, entities are decoded (``&amp;`` → ``&``,
``&nbsp;`` → a space), block elements and ``<br>`` become line breaks, list items start
with "- ", and runs of spaces and blank lines are collapsed. Text without markup or entities is
returned as given (only trimmed), so ``"a < b"`` in a plain description is not mangled.
"""

import re
from html.parser import HTMLParser

_LOOKS_LIKE_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});")

_DROPPED = {"script", "style", "head", "title", "template", "noscript", "iframe", "object",
            "embed", "svg", "math", "textarea", "select"}
_BLOCKS = {"p", "div", "section", "article", "header", "footer", "aside", "nav", "main",
           "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "tr", "blockquote",
           "pre", "hr", "address", "figure", "dl", "dt", "dd", "form", "fieldset"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropping += 1
        elif tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" or tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(data)


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def plain_text(value: str) -> str:
    """``value`` as plain text with no markup (see the module docstring). Markup hidden behind
    entities (``&lt;script&gt;``) is decoded and removed too: a pass repeats while the text
    still holds a tag."""
    if not value:
        return ""
    if not _LOOKS_LIKE_HTML.search(value):
        return value.strip()
    text = _one_pass(value)
    for _ in range(3):
        if not _TAG.search(text):
            break
        text = _one_pass(text)
    return text


def _one_pass(value: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    # An unterminated tag at the very end ("<p") is kept by the parser as text; drop it.
    return re.sub(r"<\s*/?\s*[a-zA-Z!?][^>]*$", "", text).strip()
