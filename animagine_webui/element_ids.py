"""DOM ids shared by the Python UI and ``javascript/animagine.js``: one place, one prefix."""

PREFIX = "animagine"


def accordion(tab: str) -> str:
    """The per-generation InputAccordion; gradio gives its checkbox ``<id>-checkbox``."""
    return f"{PREFIX}_{tab}_enable"


def format_button(tab: str) -> str:
    return f"{PREFIX}_{tab}_format_button"


def badge(tab: str) -> str:
    return f"{PREFIX}_{tab}_badge"


TAB = f"{PREFIX}_tab"  # on_ui_tabs elem_id; the host renders it as tab_<TAB>
FORMAT_ROUTE = "/animagine/v1/format"


def control(tab: str, name: str) -> str:
    """A control inside the accordion (``preset``, ``lock_cfg``, ``rating``...), unique per tab."""
    return f"{PREFIX}_{tab}_{name}"


def summary(tab: str) -> str:
    """The one-line live summary under the accordion's controls."""
    return f"{PREFIX}_{tab}_summary"
