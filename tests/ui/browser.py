"""Driving the tab in Debian's chromium through Playwright, under whichever gradio is installed.

Helpers hide the DOM differences between gradio 3.41 and 4.40 (how a textbox,
radio, dropdown or tab button is rendered), so each test reads like what a
user does. Chromium is the system package: Playwright never downloads one.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000


SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page: Any, name: str) -> None:
    """Refresh ``docs/screenshots/<name>.png`` when ANIMAGINE_SCREENSHOTS=1; a plain test run writes nothing."""
    if os.environ.get("ANIMAGINE_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(blocks: Any) -> None:
    """Close a gradio server without waiting for connections a closed browser may have left half-open
    (uvicorn's graceful shutdown can otherwise wait forever under gradio 3)."""
    server = getattr(blocks, "server", None)
    if server is not None:
        server.force_exit = True
    blocks.close()


def skip_without_browser() -> None:
    if os.environ.get("ANIMAGINE_SKIP_BROWSER") == "1":
        pytest.skip("ANIMAGINE_SKIP_BROWSER=1")
    if not os.path.exists(CHROMIUM) and shutil.which("chromium") is None:
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (./dev.sh test does it)")


@contextmanager
def chromium_page_raw(url: str, *, dark: bool = False, init_script: str = "", ready: str = "body") -> Iterator[Any]:
    """A fresh page on ``url`` in a headless chromium; uncaught page errors are collected on ``page.errors``."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:

            def open_page() -> Any:
                page = browser.new_page(
                    viewport={"width": 1280, "height": 1000}, color_scheme="dark" if dark else "light"
                )
                page.set_default_timeout(TIMEOUT_MS)
                page.errors = []
                page.on("pageerror", lambda exc: page.errors.append(str(exc)))
                if init_script:
                    page.add_init_script(init_script)
                page.goto(url)
                page.locator(ready).first.wait_for()
                page.open_another = open_page  # a second browser tab on the same server, same browser
                return page

            yield open_page()
        finally:
            browser.close()


def chromium_page(url: str, *, dark: bool = False) -> Any:
    """The Animagine tab at ``url``, loaded."""
    return chromium_page_raw(url, dark=dark, ready="#animagine_input")


def panel(page: Any, elem_id: str) -> Any:
    """An HTML/Markdown output (gradio 3 puts the id on both the block and its content)."""
    return page.locator(f"#{elem_id}").first


def text_box(page: Any, elem_id: str) -> Any:
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def click_radio(page: Any, elem_id: str, label: str) -> None:
    page.locator(f"#{elem_id} label", has_text=label).first.click()


def choose(page: Any, elem_id: str, value: str) -> None:
    """Pick a dropdown entry the way a user does: open the list, click the entry."""
    box = page.locator(f"#{elem_id} input").first
    box.click()
    page.locator("ul.options li", has_text=value).first.click()


def open_tab(page: Any, title: str) -> None:
    page.locator("button", has_text=title).first.click()
