"""Regenerate the screenshots under docs/screenshots/ (`make screenshots`).

A throw-away instance (its own SQLite database, seeded, served by gunicorn on loopback, with
the fictional accounts and records of tests/browser/screens.py) is photographed in Debian's
Chromium at 1280 and 390 px: `<screen>-desktop.png` and `<screen>-phone.png`. Each picture
shows the whole page, the fixed quick-exit button where it sits at the end of the scroll.

Usage: PYTHONPATH=. .venv/bin/python scripts/screenshots.py [--all] [--out DIR] [NAME …]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

from tests.browser import screens
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.live import LiveInstance, gunicorn_instance
from tests.mail import SmtpServer

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
# The pages shown in the README; --all photographs every screen of the list.
DEFAULT = (
    "home",
    "region-sector",
    "organisation",
    "organisation-shelter",
    "login-errors",
    "account-request-errors",
    "account-admin",
    "manage-overview",
    "manage-service-errors",
    "manage-history",
    "manage-conflict",
    "admin-accounts",
    "admin-verification-region",
    "corrections",
    "questionnaire",
    "evaluation-reports",
    "coverage",
    # Not restyled yet (the design's second pass): shown as they are today.
    "search",
    "meeting-proposal",
    "meeting",
)


def _photograph(browser: Browser, live: LiveInstance, names: list[str], out: Path) -> None:
    outside: list[str] = []
    states = screens.signed_in_states(browser, live, outside)
    chosen = [screen for screen in screens.SCREENS if screen.name in names]
    for screen in chosen:
        for label, width in screens.WIDTHS.items():
            context = screens.new_context(
                browser, live, width=width, state=states[screen.role], outside=outside
            )
            page = screens.open_screen(context, screen)
            # A viewport as tall as the page: fixed elements sit where the reader ends up.
            height = page.evaluate("Math.ceil(document.body.getBoundingClientRect().bottom)")
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=out / f"{screen.name}-{label}.png")
            context.close()
            sys.stdout.write(f"{screen.name}-{label}.png\n")
    if outside:
        raise SystemExit(f"requests outside loopback: {outside}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="screens to photograph (default: README's)")
    parser.add_argument("--all", action="store_true", help="every screen of the list")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    known = [screen.name for screen in screens.SCREENS]
    names = known if args.all else (args.names or list(DEFAULT))
    unknown = sorted(set(names) - set(known))
    if unknown:
        parser.error(f"unknown screens: {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    smtp = SmtpServer()
    smtp.start()
    try:
        with (
            tempfile.TemporaryDirectory() as instance,
            gunicorn_instance(Path(instance), smtp.port, workers=2) as live,
            sync_playwright() as playwright,
        ):
            screens.prepare(live)
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                _photograph(browser, live, names, args.out)
            finally:
                browser.close()
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
