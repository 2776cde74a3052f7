"""Server-rendered SVG: a horizontal bar chart and the map of regions. The data table under each chart
is what screen readers read; the SVG is marked as an image with a short label."""

import json
from functools import cache
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

MAP_FILE = Path(__file__).parent / "static" / "activities" / "vendor" / "kz-regions" / "kz-regions.json"
CITY_CODES = {"KZ-71", "KZ-75", "KZ-79"}
# Sequential blues (ColorBrewer, 5 classes); hidden cells are drawn hatched grey.
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


def bar_chart(rows, *, measure: str, title: str) -> str:
    """``rows`` are DashboardRow; bars for visible values, "<5" or "…" written where a value is hidden."""
    width, bar_left, row_height = 640, 220, 26
    visible = [row.measures[measure].value or 0 for row in rows]
    largest = max(visible, default=0) or 1
    height = row_height * max(1, len(rows)) + 10
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">',
            width,
            height,
            title,
        )
    ]
    for index, row in enumerate(rows):
        y = 5 + index * row_height
        cell = row.measures[measure]
        label = row.label if len(row.label) <= 32 else row.label[:31] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>', bar_left - 6, y + 17, label
            )
        )
        if cell.hidden:
            parts.append(
                format_html('<text x="{}" y="{}" class="chart-value">{}</text>', bar_left + 4, y + 17, cell.label)
            )
            continue
        bar = round((width - bar_left - 70) * (cell.value / largest), 1)
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"><title>{}: {}</title></rect>',
                bar_left,
                y + 3,
                bar,
                row_height - 8,
                row.label,
                cell.label,
            )
        )
        parts.append(
            format_html('<text x="{}" y="{}" class="chart-value">{}</text>', bar_left + bar + 4, y + 17, cell.label)
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))


@cache
def _map_data() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@cache
def _paths() -> dict[str, str]:
    """The SVG path of every region, built once per process (only the fills change between requests)."""
    return {
        code: " ".join("M" + " L".join(f"{x} {y}" for x, y in ring) + " Z" for ring in region["rings"])
        for code, region in _map_data()["regions"].items()
    }


@cache
def _bounds_of_map() -> tuple[float, float, float, float]:
    return _bounds(_map_data()["regions"])


def _bounds(regions: dict) -> tuple[float, float, float, float]:
    xs = [x for region in regions.values() for ring in region["rings"] for x, _y in ring]
    ys = [y for region in regions.values() for ring in region["rings"] for _x, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _class_of(value: int, breaks: list[int]) -> int:
    for index, limit in enumerate(breaks):
        if value <= limit:
            return index
    return len(breaks)


def _breaks(values: list[int]) -> list[int]:
    """Four upper limits splitting the visible non-zero values into five classes of about equal size."""
    ordered = sorted(value for value in values if value > 0)
    if not ordered:
        return [0, 0, 0, 0]
    return [ordered[min(len(ordered) - 1, (len(ordered) * step) // 5)] for step in (1, 2, 3, 4)]


_MAP_OPENING = (
    '<svg class="region-map" viewBox="{}" aria-hidden="true" focusable="false" data-title="{}" '
    'xmlns="http://www.w3.org/2000/svg">'
    '<defs><pattern id="hidden-hatch" width="0.4" height="0.4" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="0.4" height="0.4" fill="#e5e5e5"/>'
    '<line x1="0" y1="0" x2="0" y2="0.4" stroke="#999" stroke-width="0.12"/></pattern></defs>'
)


def _map_view_box(margin: float = 0.5) -> str:
    min_x, min_y, max_x, max_y = _bounds_of_map()
    return (
        f"{min_x - margin:.2f} {min_y - margin:.2f} {max_x - min_x + 2 * margin:.2f} {max_y - min_y + 2 * margin:.2f}"
    )


def _region_look(region: dict, row, measure: str, breaks: list[int]) -> tuple[str, str, str]:
    """(fill, name, figure shown) of one region: white without data or with zero, hatched when withheld."""
    if row is None:
        return "#ffffff", region["name"], _("no verified activity")
    cell = row.measures[measure]
    fill = "url(#hidden-hatch)" if cell.hidden else PALETTE[_class_of(cell.value, breaks)]
    if cell.value == 0:
        fill = "#ffffff"
    return fill, row.label, cell.label


def _region_shape(code: str, region: dict, fill: str, name: str, shown: str):
    """A city as a circle at its centre, a region as its outline, each titled with its figure."""
    if code in CITY_CODES:
        x, y = region["centre"]
        return format_html(
            '<circle cx="{}" cy="{}" r="0.45" fill="{}" class="region city" data-code="{}">'
            "<title>{}: {}</title></circle>",
            x,
            y,
            mark_safe(escape(fill)),
            code,
            name,
            shown,
        )
    return format_html(
        '<path d="{}" fill="{}" class="region" data-code="{}"><title>{}: {}</title></path>',
        _paths()[code],
        mark_safe(escape(fill)),
        code,
        name,
        shown,
    )


def _map_legend(breaks: list[int]) -> list[dict]:
    legend = [{"colour": PALETTE[0], "label": f"≤ {breaks[0]}"}]
    for index in range(1, 4):
        legend.append({"colour": PALETTE[index], "label": f"{breaks[index - 1] + 1}–{breaks[index]}"})
    legend.append({"colour": PALETTE[4], "label": f"> {breaks[3]}"})
    return legend


def region_map(rows, *, measure: str, title: str, link_for=None) -> str:
    """The choropleth of ``rows`` (DashboardRow with ``code`` = region code). Regions without data are white;
    cities are drawn after (above) the regions around them."""
    by_code = {row.code: row for row in rows if row.code}
    values = [row.measures[measure].value or 0 for row in by_code.values() if not row.measures[measure].hidden]
    breaks = _breaks(values)
    shapes, markers = [], []
    for code, region in sorted(_map_data()["regions"].items()):
        row = by_code.get(code)
        shape = _region_shape(code, region, *_region_look(region, row, measure, breaks))
        if row is not None and link_for:
            # Pointer users click the drawing; keyboard and screen reader users get the list beside it.
            shape = format_html('<a href="{}" tabindex="-1">{}</a>', link_for(row), shape)
        (markers if code in CITY_CODES else shapes).append(shape)
    parts = [format_html(_MAP_OPENING, _map_view_box(), title), *shapes, *markers, mark_safe("</svg>")]
    return mark_safe("".join(str(part) for part in parts)), _map_legend(breaks)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _target_summary(value) -> str:
    """What is written after a year's bars: reached of target (share), or whichever of the two there is."""
    if value.target and value.actual is not None:
        return _("%(reached)s of %(target)s (%(share)s%%)") % {
            "reached": _number(value.actual),
            "target": _number(value.target),
            "share": round(100 * value.actual / value.target),
        }
    if value.actual is not None:
        return _number(value.actual)
    return _("target %(target)s") % {"target": _number(value.target)}


def _target_bars(value, *, y: int, left: int, span: float, largest: float) -> list:
    """The outlined target bar and the filled reached bar of one year (each only when there is a figure)."""
    bars = []
    if value.target is not None:
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="12" fill="#ffffff" stroke="#08519c" stroke-width="1.5">'
                "<title>{}: {}</title></rect>",
                left,
                y + 2,
                round(span * value.target / largest, 1),
                _("Target"),
                _number(value.target),
            )
        )
    if value.actual is not None:
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="12" fill="#3182bd"><title>{}: {}</title></rect>',
                left,
                y + 16,
                round(span * value.actual / largest, 1),
                _("Reached"),
                _number(value.actual),
            )
        )
    return bars


def target_chart(values, *, title: str) -> str:
    """Target against reached, year by year (``values`` are IndicatorValue): an outlined bar for the target,
    a filled one for what was reached. Years with neither are left out."""
    rows = [value for value in values if value.target is not None or value.actual is not None]
    if not rows:
        return ""
    width, bar_left, row_height = 640, 60, 34
    largest = max(max(value.target or 0, value.actual or 0) for value in rows) or 1
    span = width - bar_left - 190  # room for "3,971 of 300 (1324%)" after the longest bar
    parts = [
        format_html(
            '<svg class="chart target-chart" viewBox="0 0 {} {}" font-size="12" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg">',
            width,
            row_height * len(rows) + 6,
            title,
        )
    ]
    for index, value in enumerate(rows):
        y = 3 + index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>', bar_left - 8, y + 20, value.year
            )
        )
        parts.extend(_target_bars(value, y=y, left=bar_left, span=span, largest=largest))
        end = bar_left + span * max(value.target or 0, value.actual or 0) / largest
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="currentColor">{}</text>', round(end + 6, 1), y + 20, _target_summary(value)
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(part) for part in parts))
