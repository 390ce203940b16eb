"""axe-core (vendored in tests/browser/vendor, never served by the application) run in a page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("critical", "serious")


@cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (evaluated by the browser, so the site's
    Content-Security-Policy does not stand in the way of the test's script)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return list(result["violations"])


def blocking(page: Page) -> list[str]:
    """The critical and serious violations, one readable line per failing element."""
    return [
        f"{item['impact']} {item['id']}: {node['target']} — {item['help']}"
        for item in violations(page)
        if item["impact"] in BLOCKING
        for node in item["nodes"]
    ]


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 when it fits)."""
    return int(
        page.evaluate(
            "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - window.innerWidth"
        )
    )
