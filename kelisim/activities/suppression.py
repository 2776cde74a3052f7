"""Small-cell suppression for public tables of people counts.

A count from 1 to 4 is published as "<5". That alone is not enough: with the total published, the
total minus the visible cells is the sum of the hidden ones, and with one hidden cell that sum *is*
the cell. So, after hiding the small cells, we check what a reader can derive:

* a small hidden cell is known to lie in 1..4, a complementary hidden cell in 5.. (it is not "<5");
* the hidden cells add up to total − visible cells.

If any small hidden cell is pinned to one value by these constraints, the smallest visible non-zero
cell is hidden too (complementary suppression), and the check repeats; if nothing is left to hide, the
total itself is withheld. Zeros stay visible: they reveal nobody.
"""

from dataclasses import dataclass

SMALL_MAX = 4
HIDDEN_LABEL = "<5"
COMPLEMENT_LABEL = "…"


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when withheld
    label: str  # what the page shows
    small: bool = False  # withheld because it is 1..4
    complementary: bool = False  # withheld to protect a small cell

    @property
    def hidden(self) -> bool:
        return self.value is None


def _is_small(value: int) -> bool:
    return 1 <= value <= SMALL_MAX


def _pinned(values: list[int], small: set[int], complementary: set[int], total: int) -> bool:
    """Whether some small hidden cell's value follows from the published figures."""
    hidden = small | complementary
    hidden_sum = total - sum(value for index, value in enumerate(values) if index not in hidden)
    bounds = dict.fromkeys(small, (1, SMALL_MAX)) | dict.fromkeys(complementary, (SMALL_MAX + 1, None))
    for index in small:
        others = [bounds[other] for other in hidden if other != index]
        upper = min(SMALL_MAX, hidden_sum - sum(low for low, _high in others))
        if any(high is None for _low, high in others):
            lower = 1
        else:
            lower = max(1, hidden_sum - sum(high for _low, high in others))
        if lower >= upper:
            return True
    return False


def suppress(values: list[int], *, total: int | None = None) -> tuple[list[Cell], Cell]:
    """Cells and total as they may be published. ``total`` defaults to the sum of ``values``."""
    total = sum(values) if total is None else total
    small = {index for index, value in enumerate(values) if _is_small(value)}
    complementary: set[int] = set()
    withhold_total = _is_small(total)  # a total is a count of people too
    while small and not withhold_total and _pinned(values, small, complementary, total):
        candidates = [
            (value, index) for index, value in enumerate(values) if value > 0 and index not in small | complementary
        ]
        if not candidates:
            withhold_total = True
            break
        complementary.add(min(candidates)[1])
    cells = []
    for index, value in enumerate(values):
        if index in small:
            cells.append(Cell(None, HIDDEN_LABEL, small=True))
        elif index in complementary:
            cells.append(Cell(None, COMPLEMENT_LABEL, complementary=True))
        else:
            cells.append(Cell(value, str(value)))
    if withhold_total:
        total_cell = Cell(None, HIDDEN_LABEL if _is_small(total) else COMPLEMENT_LABEL, complementary=True)
    else:
        total_cell = Cell(total, str(total))
    return cells, total_cell


def plain(values: list[int], *, total: int | None = None) -> tuple[list[Cell], Cell]:
    """The same shape without suppression, for officers' internal views."""
    total = sum(values) if total is None else total
    return [Cell(value, str(value)) for value in values], Cell(total, str(total))
