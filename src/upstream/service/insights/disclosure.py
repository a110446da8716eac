"""Statistical disclosure control for published counts.

Rules (applied before anything is shown):

- A count from 1 to 9 is suppressed (*primary*), shown as "<10".
- Where a published total would let someone work a suppressed count out by subtraction
  (exactly one suppressed cell in a group whose total is shown), the next smallest cell in
  that group is suppressed too (*secondary*), shown as "[c]". This repeats until stable, over
  every group (rows and columns of a table).
- Percentages are only computed for cells that are shown, from totals that are shown.

Pure Python: takes counts, returns what may be displayed.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

THRESHOLD = 10
PRIMARY = "<10"
SECONDARY = "[c]"


@dataclass(frozen=True)
class Cell:
    """A count as it may be published: ``count`` is None when suppressed."""

    count: int | None
    display: str
    percent: str = ""

    @property
    def suppressed(self) -> bool:
        return self.count is None


def is_small(count: int) -> bool:
    return 0 < count < THRESHOLD


def protect(counts: dict[Hashable, int], groups: Iterable[Iterable[Hashable]]) -> dict:
    """Decide which cells of ``counts`` may be shown.

    ``groups`` lists the sets of cells whose totals are published (each row, each column, or
    just all the cells for a one-way table). Returns ``{key: Cell}`` without percentages.
    """
    groups = [list(group) for group in groups]
    primary = {key for key, n in counts.items() if is_small(n)}
    hidden = set(primary)
    changed = True
    while changed:
        changed = False
        for group in groups:
            if sum(counts[k] for k in group) < THRESHOLD:
                continue  # the group's total is not published either
            inside = [k for k in group if k in hidden]
            if len(inside) == 1:
                shown = sorted((k for k in group if k not in hidden), key=lambda k: counts[k])
                if shown:
                    hidden.add(shown[0])
                    changed = True
    return {
        key: Cell(None, PRIMARY if key in primary else SECONDARY) if key in hidden
        else Cell(n, f"{n:,}")
        for key, n in counts.items()
    }


def total(counts: Iterable[int]) -> Cell:
    """A published total: suppressed itself when small."""
    n = sum(counts)
    return Cell(None, PRIMARY) if is_small(n) else Cell(n, f"{n:,}")


def with_percent(cell: Cell, of: Cell) -> Cell:
    """``cell`` with its share of ``of``, when both are shown and ``of`` is not zero."""
    if cell.suppressed or of.suppressed or not of.count:
        return cell
    return Cell(cell.count, cell.display, f"{100 * cell.count / of.count:.0f}%")


def one_way(counts: dict[Hashable, int]) -> tuple[dict, Cell]:
    """Protect a one-way table; returns ``({key: Cell with percent}, total Cell)``."""
    cells = protect(counts, [list(counts)])
    grand = total(counts.values())
    return {key: with_percent(cell, grand) for key, cell in cells.items()}, grand
