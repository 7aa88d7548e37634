"""Headless Chromium for the browser tests: the system browser (Debian's `chromium` package),
driven by Playwright; never a downloaded browser. Without one installed these tests skip and
say why (CI installs it: see .ci/run).

Every wait is on a condition with a generous bound (a loaded 2-core machine can take many
seconds to start a viewer process); no test sleeps. Every page may load only from this machine: any other request is aborted and recorded, and a
test fails if one was attempted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright import sync_api

from tests.browser import WAIT_MS

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def chromium_path() -> str | None:
    for candidate in (os.environ.get("DRSTUI_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium installed (apt-get install chromium; CI does it in .ci/run)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS, headless=True,
                                              timeout=WAIT_MS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    context.set_default_timeout(WAIT_MS)
    context.set_default_navigation_timeout(WAIT_MS)
    page = context.new_page()
    page.outside_requests = []  # type: ignore[attr-defined]

    def local_only(route):  # type: ignore[no-untyped-def]
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("file", "data", "about") or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            page.outside_requests.append(url)  # type: ignore[attr-defined]
            route.abort()

    context.route("**/*", local_only)
    try:
        yield page
    finally:
        context.close()
