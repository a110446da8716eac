"""Reading the service's PDFs in tests the way assistive technology and people meet them
(pypdf): the text on the pages, and the tags: language, title, PDF/UA identification and the
structure tree in reading order, with the text each structure element holds."""

from dataclasses import dataclass, field
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, NumberObject


@dataclass
class Element:
    kind: str
    """The structure type without its slash: "H1", "P", "TD", "Figure"."""
    text: str
    alt: str = ""


@dataclass
class ReadPdf:
    pages: int
    text: str
    """Every page's extracted text, pages joined by newlines."""
    lang: str | None
    title: str | None
    displays_title: bool
    pdfua_part: str | None
    marked: bool
    """The catalog's ``/MarkInfo /Marked``: the document says it is tagged."""
    elements: list[Element] = field(default_factory=list)
    """Structure elements in reading order (a parent before its children)."""

    @property
    def structure(self) -> list[str]:
        return [element.kind for element in self.elements]

    def count(self, kind: str) -> int:
        return self.structure.count(kind)

    def texts(self, kind: str) -> list[str]:
        """The text of each element of ``kind``, e.g. every table cell with ``"TD"``."""
        return [element.text for element in self.elements if element.kind == kind]

    @property
    def figure_alts(self) -> list[str]:
        return [element.alt for element in self.elements if element.kind == "Figure"]


def _marked_text(reader: PdfReader) -> dict[tuple[int, int], str]:
    """Text drawn inside each marked-content sequence, keyed by (page index, MCID)."""
    found: dict[tuple[int, int], str] = {}
    for index, page in enumerate(reader.pages):
        open_ids: list[int | None] = []

        def before(operator, operands, *_):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                open_ids.append(None if mcid is None else int(mcid))
            elif operator == b"BMC":
                open_ids.append(None)
            elif operator == b"EMC" and open_ids:
                open_ids.pop()

        def text(chars, *_):
            current = next((mcid for mcid in reversed(open_ids) if mcid is not None), None)
            if current is not None and chars:
                key = (index, current)
                found[key] = found.get(key, "") + chars

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def read_pdf(data: bytes) -> ReadPdf:
    """``data`` (PDF bytes) read; raises if it is not a PDF."""
    reader = PdfReader(BytesIO(data))
    root = reader.trailer["/Root"]
    page_index = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    marked = _marked_text(reader)
    elements: list[Element] = []

    def walk(node, page: int | None) -> str:
        node = node.get_object()
        if isinstance(node, NumberObject):
            return marked.get((page, int(node)), "")
        if not isinstance(node, DictionaryObject):
            return ""
        if "/Pg" in node:
            page = page_index.get(node.raw_get("/Pg").idnum, page)
        if node.get("/Type") == "/MCR":
            return marked.get((page, int(node["/MCID"])), "")
        element = None
        if "/S" in node:
            element = Element(str(node["/S"]).lstrip("/"), "", str(node.get("/Alt", "")))
            elements.append(element)
        kids = node.get("/K")
        kids = [] if kids is None else kids.get_object()
        held = "".join(walk(kid, page) for kid in (
            kids if isinstance(kids, ArrayObject) else [kids]))
        if element is not None:
            element.text = " ".join(held.split())
        return held

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"], None)
    part = None
    if reader.xmp_metadata is not None:
        raw = reader.xmp_metadata.stream.get_data().decode("utf-8", "replace")
        marker = 'pdfuaid:part="'
        if marker in raw:
            part = raw.split(marker, 1)[1].split('"', 1)[0]
    preferences = root.get("/ViewerPreferences", {})
    return ReadPdf(
        pages=len(reader.pages),
        text="\n".join(page.extract_text() for page in reader.pages),
        lang=str(root["/Lang"]) if "/Lang" in root else None,
        title=reader.metadata.title if reader.metadata else None,
        displays_title=bool(preferences.get("/DisplayDocTitle", False)),
        pdfua_part=part,
        marked=bool(root.get("/MarkInfo", {}).get("/Marked", False)),
        elements=elements,
    )
