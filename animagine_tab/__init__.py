"""The Animagine tab: one gradio UI shared by the standalone app and the WebUI.

Only this package imports gradio, and only in :mod:`.layout`, which
:func:`build_tab` loads on first use: the engine, the CLI and the WebUI's
generation hook never pay for (or depend on) gradio. Everything else here is
plain Python that the tests call without a browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .context import SendBinder, TabContext, TokenCounter

if TYPE_CHECKING:  # pragma: no cover
    import gradio as gr

__all__ = ["SendBinder", "TabContext", "TokenCounter", "build_tab"]


def build_tab(ctx: TabContext) -> gr.Blocks:
    """The whole tab as a ``gr.Blocks``; see :func:`animagine_tab.layout.build_tab`."""
    from .layout import build_tab as _build

    return _build(ctx)
