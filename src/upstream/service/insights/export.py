"""CSV and Excel files of every table on the insights page.

The files are written from the page's own :class:`~upstream.service.insights.presenters.Table`
objects, whose cells are already the published strings of the disclosure-controlled release
(docs/adr/0006), so an export can show nothing the page does not: no second path to a count.
"""

import csv
import io

import xlsxwriter

from upstream.service.insights.presenters import Dashboard

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_NAME_LENGTH = 31
_FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def _heading(dashboard: Dashboard) -> list[str]:
    return [f"Upstream insights: {dashboard.scope}. {dashboard.period}.",
            "De-identified. Numbers 1 to 9 shown as <10; others rounded to the nearest 5; [c] "
            "hides a number that could otherwise be worked out (docs/adr/0006)."]


def _notes(dashboard: Dashboard) -> list[list[str]]:
    charts = [c for c in (dashboard.funnel, *dashboard.trends) if c is not None]
    rows = [["Chart", "Method", "Caveats", "Run chart signals"]]
    rows += [[c.title, c.method, c.caveats, " ".join(c.signals)] for c in charts]
    return rows


def inert(cell: str) -> str:
    """``cell`` made safe to open in a spreadsheet: text that a spreadsheet would run as a
    formula (a team name "=HYPERLINK(...)", a change "+1.25 (...)") gets a leading apostrophe
    (OWASP's CSV injection advice). A lone "-" (no percentage) is left as it is."""
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) and cell != "-" else cell


class _InertWriter:
    def __init__(self, out):
        self._writer = csv.writer(out)

    def writerow(self, row) -> None:
        self._writer.writerow([inert(str(cell)) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def as_csv(dashboard: Dashboard) -> str:
    """Every table, one after another: its caption, headers and rows, then a blank line;
    the method notes last. Cells that would run as spreadsheet formulas are made inert."""
    out = io.StringIO()
    writer = _InertWriter(out)
    for line in _heading(dashboard):
        writer.writerow([line])
    writer.writerow([])
    for table in dashboard.every_table():
        writer.writerow([table.caption])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        writer.writerow([])
    writer.writerow(["Method notes"])
    writer.writerows(_notes(dashboard))
    return out.getvalue()


def as_xlsx(dashboard: Dashboard) -> bytes:
    """A workbook: a contents sheet, one sheet per table (caption in the first row), and a
    sheet of method notes and caveats. Cells are the published strings."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    contents = book.add_worksheet("Contents")
    for i, line in enumerate(_heading(dashboard)):
        contents.write_string(i, 0, line)
    used: set[str] = {"contents", "method notes"}
    for n, table in enumerate(dashboard.every_table(), start=1):
        name = _sheet_name(f"{n} {table.caption}", used)
        contents.write_string(n + 2, 0, name)
        contents.write_string(n + 2, 1, table.caption)
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, table.caption, bold)
        for col, header in enumerate(table.headers):
            sheet.write_string(2, col, header, bold)
        for row_number, row in enumerate(table.rows, start=3):
            for col, cell in enumerate(row):
                sheet.write_string(row_number, col, str(cell))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, max(1, len(table.headers) - 1), 18)
    notes = book.add_worksheet("Method notes")
    for row_number, row in enumerate(_notes(dashboard)):
        for col, cell in enumerate(row):
            notes.write_string(row_number, col, cell, bold if row_number == 0 else None)
    notes.set_column(0, 3, 60)
    book.close()
    return out.getvalue()


def _sheet_name(wanted: str, used: set[str]) -> str:
    name = wanted.translate(_FORBIDDEN_IN_SHEET_NAMES)[:_SHEET_NAME_LENGTH].strip()
    if name.lower() in used:
        raise ValueError(f"Two insights tables would share the sheet name {name!r}")
    used.add(name.lower())
    return name
