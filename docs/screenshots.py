"""Remake the README's screenshots of the tab: desktop (1280 × 900) and phone (390 × 844) width.

    .venv/bin/python docs/screenshots.py        # gradio 3.41: docs/screenshots/tab-{desktop,phone}-g3.png
    .venv-g4/bin/python docs/screenshots.py     # gradio 4.40: docs/screenshots/tab-{desktop,phone}-g4.png

(or ``./dev.sh screenshots`` for both). The standalone app over the repo's tags, in the same headless
chromium and with the same helpers as the browser tests (tests/ui/browser.py), with an example prompt
formatted. Each PNG is reduced to a 256-colour palette and optimised, to stay well under 300 KB.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXAMPLE = "firefly_(honkai:_star_rail), 1girl, smile, night, masterpiece"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
OUT = ROOT / "docs" / "screenshots"


def save_png(data: bytes, path: Path) -> int:
    """``data`` (a PNG) as a palette PNG, optimised; returns its size in bytes."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )
    return path.stat().st_size


def main() -> int:
    import gradio as gr
    from playwright.sync_api import expect

    from animagine_tab.app import make_context, serve
    from tests.ui.browser import chromium_page, free_port, panel, stop, text_box

    tag = f"g{gr.__version__.split('.')[0]}"
    port = free_port()
    blocks = serve(make_context(), "127.0.0.1", port, block=False)
    try:
        with chromium_page(f"http://127.0.0.1:{port}/") as page:
            for name, viewport in SIZES.items():
                page.set_viewport_size(viewport)
                page.reload()
                text_box(page, "animagine_input").fill(EXAMPLE)
                expect(panel(page, "animagine_diff").locator(".animagine-category-legend")).to_be_visible()
                expect(text_box(page, "animagine_output")).to_have_value(re.compile(r"^1girl, firefly"))
                page.evaluate("() => { document.activeElement.blur(); window.scrollTo(0, 0); }")
                page.wait_for_timeout(300)
                # the phone shot is the whole page (that the prompt comes first is the point); the desktop
                # one what a 1280 × 900 window shows
                path = OUT / f"tab-{name}-{tag}.png"
                size = save_png(page.screenshot(full_page=name == "phone"), path)
                print(f"{path.relative_to(ROOT)}: {size // 1024} KB")
            assert page.errors == [], page.errors
    finally:
        stop(blocks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
