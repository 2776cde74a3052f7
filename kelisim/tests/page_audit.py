"""Audits of a page open in Chromium: axe-core's accessibility rules, and whether the page scrolls sideways at
a phone's width. axe-core is installed from npm outside git (``make axe``; ``.ci/run`` does it)."""

import os
from functools import cache
from pathlib import Path

import pytest

AXE_PATH = Path(
    os.environ.get(
        "KELISIM_AXE", Path(__file__).resolve().parents[2] / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
FAILING_IMPACTS = ("serious", "critical")
PHONE_WIDTH = 360


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        pytest.fail(f"The accessibility checks need axe-core at {AXE_PATH}: run `make axe` (npm install axe-core)")
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now: rule, impact and the first elements concerned."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    results = page.evaluate(
        """async () => {
            const results = await window.axe.run(document, {resultTypes: ['violations']});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')), count: v.nodes.length,
            }));
        }"""
    )
    return results


def sideways_overflow(page, width: int = PHONE_WIDTH) -> dict | None:
    """At ``width`` CSS pixels, how far the page is wider than the screen and the widest elements to blame,
    or None when nothing scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate(
        """(width) => {
            const scroll = document.documentElement.scrollWidth;
            if (scroll <= width) return null;
            const culprits = [];
            for (const el of document.body.querySelectorAll('*')) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && box.width > 0) {
                    let inside = false;
                    for (let p = el.parentElement; p; p = p.parentElement) {
                        const style = getComputedStyle(p);
                        if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) { inside = true; break; }
                    }
                    if (!inside) culprits.push(el.tagName.toLowerCase() + (el.className ? '.' +
                        String(el.className).trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(box.right));
                }
            }
            return {scroll_width: scroll, culprits: culprits.slice(0, 8)};
        }""",
        width,
    )
