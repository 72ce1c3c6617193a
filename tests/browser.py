"""Headless Chromium for the browser tests, driven by Playwright through Debian's own binary.

`scripts/ensure-browser` (run by `scripts/check`) installs Debian's chromium when it is missing;
Playwright's own browser download cannot work on machines that reach only the package registries.
A test that needs a browser fails when none is found, so CI cannot pass without running it.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Browser, async_playwright

# Without the background-networking flags Chromium tries to reach Google's hosts at every start,
# and this machine's closed network refuses those connections.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str:
    """Return the system Chromium's path, or fail with what to run."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no chromium on this machine: run scripts/ensure-browser")


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """Start headless Chromium and close it afterwards."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            await browser.close()
