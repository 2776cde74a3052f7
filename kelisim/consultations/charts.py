"""A bar chart as inline SVG, drawn on the server: no script, no external library, readable when printed."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
MARGIN_BOTTOM = 36
MARGIN_TOP = 18


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float


@dataclass
class Chart:
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    maximum: int
    label_y: float


def bar_chart(data: list[tuple[str, int]]) -> Chart:
    maximum = max((value for _label, value in data), default=0) or 1
    slot = WIDTH / max(1, len(data))
    usable = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    bars = []
    for index, (label, value) in enumerate(data):
        height = usable * value / maximum
        x = index * slot + slot * 0.15
        bars.append(
            Bar(
                label=label,
                value=value,
                x=round(x, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label_x=round(x + slot * 0.35, 1),
                value_y=round(HEIGHT - MARGIN_BOTTOM - height - 4, 1),
            )
        )
    return Chart(
        bars=bars, width=WIDTH, height=HEIGHT, baseline=HEIGHT - MARGIN_BOTTOM, maximum=maximum, label_y=HEIGHT - 20
    )
