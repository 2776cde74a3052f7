"""The suppression rule: no published cell, and no difference between the published total and the
published cells, reveals a count from 1 to 4. Checked against a brute-force reader who knows the rule."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.activities.suppression import SMALL_MAX, plain, suppress


def _feasible_values(cells, total_value):
    """For each hidden cell, every value a reader could assign to it given what is published."""
    hidden = [index for index, cell in enumerate(cells) if cell.hidden]
    if total_value is None:
        return dict.fromkeys(hidden)  # the sum is unknown: nothing pins a cell down
    remaining = total_value - sum(cell.value for cell in cells if not cell.hidden)
    ranges = {
        index: range(1, SMALL_MAX + 1) if cells[index].small else range(SMALL_MAX + 1, remaining + 1)
        for index in hidden
    }
    feasible = {}
    for index in hidden:
        others = [ranges[other] for other in hidden if other != index]
        reachable = {0}
        for options in others:
            reachable = {total + value for total in reachable for value in options if total + value <= remaining}
        feasible[index] = {value for value in ranges[index] if remaining - value in reachable}
    return feasible


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=7))
def test_no_published_figure_reveals_a_small_count(values):
    cells, total = suppress(values)
    for value, cell in zip(values, cells, strict=True):
        if not cell.hidden:
            assert cell.value == value
            assert not 1 <= cell.value <= SMALL_MAX
        elif 1 <= value <= SMALL_MAX:
            assert cell.label == "<5"
    if not total.hidden:
        assert total.value == sum(values)
        assert not 1 <= total.value <= SMALL_MAX
    feasible = _feasible_values(cells, total.value)
    for index, options in feasible.items():
        if options is None or not 1 <= values[index] <= SMALL_MAX:
            continue
        assert values[index] in options  # the reader's model is right about the true value...
        assert len(options) >= 2, f"{values}: cell {index} is pinned to {options}"  # ...and cannot pin it


def test_a_single_small_cell_gets_a_complement():
    cells, total = suppress([3, 20, 7, 0])
    assert [cell.label for cell in cells] == ["<5", "20", "…", "0"]
    assert total.label == "30"


def test_all_large_cells_are_published_as_they_are():
    cells, total = suppress([5, 12, 0])
    assert [cell.label for cell in cells] + [total.label] == ["5", "12", "0", "17"]


def test_only_small_cells_withhold_the_total_when_it_would_pin_them():
    cells, total = suppress([1, 1])
    assert [cell.label for cell in cells] == ["<5", "<5"]
    assert total.hidden


def test_internal_tables_are_exact():
    cells, total = plain([1, 2, 30])
    assert [cell.label for cell in cells] + [total.label] == ["1", "2", "30", "33"]
