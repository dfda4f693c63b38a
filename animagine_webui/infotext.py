"""What the extension writes into the infotext, and how pasting it restores the accordion.

Keys (``p.extra_generation_params``; the host JSON-quotes values holding ``,``, ``:`` or a newline):

- ``Animagine``: the preset name; its presence means formatting was on (the paste toggle test).
- ``Animagine locks``: the locks switched on, ``sampler+cfg+steps+size`` or ``none``.
- ``Animagine negative``: ``on``/``off``, whether the model's negative prompt was added.
- ``Animagine rating``: the rating added when missing (absent when none was chosen).
- ``Animagine original prompt`` / ``Animagine original negative``: the text before formatting
  (after styles and wildcards), absent when formatting changed nothing.
- ``Animagine version``: the extension version.
- ``Animagine yielded``: locks skipped because an X/Y/Z axis sets that field (``cfg+steps``).
- ``Animagine warning`` / ``Animagine error``: one line each; an error means the prompt was left as written.

Every hook first removes all of these keys: X/Y/Z cells share one
``extra_generation_params`` dict through a shallow ``copy(p)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from animagine_prompt.options import RATINGS

from .args import LOCKS, NO_RATING

KEY = "Animagine"
KEY_LOCKS = "Animagine locks"
KEY_NEGATIVE = "Animagine negative"
KEY_RATING = "Animagine rating"
KEY_ORIGINAL = "Animagine original prompt"
KEY_ORIGINAL_NEGATIVE = "Animagine original negative"
KEY_VERSION = "Animagine version"
KEY_YIELDED = "Animagine yielded"
KEY_WARNING = "Animagine warning"
KEY_ERROR = "Animagine error"

ALL_KEYS = (
    KEY,
    KEY_LOCKS,
    KEY_NEGATIVE,
    KEY_RATING,
    KEY_ORIGINAL,
    KEY_ORIGINAL_NEGATIVE,
    KEY_VERSION,
    KEY_YIELDED,
    KEY_WARNING,
    KEY_ERROR,
)


def clear(params: dict[str, Any]) -> None:
    for key in ALL_KEYS:
        params.pop(key, None)


def join_names(names: tuple[str, ...] | list[str]) -> str:
    """``+`` joins names without a comma, so the host leaves the value unquoted."""
    return "+".join(names) if names else "none"


def split_names(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split("+") if part.strip() and part.strip() != "none"]


def add_note(params: dict[str, Any], key: str, text: str) -> None:
    """Append to a one-line note key, so several warnings share one infotext entry."""
    old = params.get(key)
    params[key] = text if not old else f"{old}; {text}"


def _nonempty(text: str) -> str:
    """An empty value makes the host's parser fail on the key (``v[0]`` on ""); ``""`` unquotes to it."""
    return text if text else '""'


def image_index(kwargs: dict[str, Any]) -> int:
    """The image an infotext is being written for, as an index into ``p.all_prompts``.

    ``create_infotext`` is called with the batch slice and a batch-local
    ``index`` per image (processing.py:1026), with the full list and a global
    index from ``Processed.infotext``, and with ``use_main_prompt`` for grids.
    """
    if kwargs.get("use_main_prompt"):
        return 0
    p = kwargs["p"]
    index = int(kwargs.get("index") or 0)
    shown = kwargs.get("all_prompts")
    if shown is not None and p.all_prompts is not None and len(shown) != len(p.all_prompts):
        index += int(getattr(p, "iteration", 0) or 0) * int(getattr(p, "batch_size", 1) or 1)
    return index


def per_image_value(originals: list[str], current: list[str], shown_key: str) -> Any:
    """An infotext value for "the text before formatting" of each image.

    ``originals[i]`` is image i's text before formatting, ``current[i]`` what it
    became. A plain string when every image shares one original (so the API's
    JSON ``info`` carries it too); otherwise a callable the host calls per
    image with ``create_infotext``'s locals; either way absent (None) when
    formatting changed nothing. Indexing by image, not by text, survives later
    scripts (comment stripping) editing the formatted text.
    """
    if not originals or all(o == c for o, c in zip(originals, current)):
        return None
    if len(set(originals)) == 1:
        return _nonempty(originals[0])

    def original(**kwargs: Any) -> str | None:
        i = image_index(kwargs)
        if not 0 <= i < len(originals):
            return None
        value = originals[i]
        return None if value == kwargs.get(shown_key) else _nonempty(value)

    return original


# -- pasting -------------------------------------------------------------------------------


def _when_on(fn: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    """Leave a control alone (None -> ``gr.update()``) when the infotext has no Animagine entry."""

    def read(d: dict[str, Any]) -> Any:
        return fn(d) if KEY in d else None

    return read


def paste_readers(resolve_preset: Callable[[str], str | None]) -> list[Callable[[dict[str, Any]], Any]]:
    """One reader per script argument, in argument order (see ``args.ARG_NAMES``)."""

    def lock(name: str) -> Callable[[dict[str, Any]], Any]:
        return _when_on(lambda d: name in split_names(d.get(KEY_LOCKS)))

    def rating(d: dict[str, Any]) -> str:
        value = str(d.get(KEY_RATING, NO_RATING)).strip().lower()
        return value if value in RATINGS else NO_RATING

    return [
        lambda d: KEY in d,  # the host's own toggle pattern (processing_scripts/refiner.py)
        _when_on(lambda d: resolve_preset(str(d[KEY]))),
        *(lock(name) for name in LOCKS),
        _when_on(lambda d: str(d.get(KEY_NEGATIVE, "on")).strip().lower() != "off"),
        _when_on(rating),
    ]


def restore_original(
    params: dict[str, Any], extract_styles: Callable[[str, str], Any] | None, styles_mode: str
) -> None:
    """``on_infotext_pasted``: put the pre-formatting prompt back into the prompt box.

    The stored original includes the styles that were applied, so when the host
    would extract styles it is asked to extract them from the original as well.
    """
    original = params.get(KEY_ORIGINAL)
    if not isinstance(original, str) or KEY not in params:
        return
    negative = params.get(KEY_ORIGINAL_NEGATIVE)
    negative = negative if isinstance(negative, str) else params.get("Negative prompt", "")
    prompt = original
    if extract_styles is not None and styles_mode != "Ignore":
        try:
            found, prompt_no_styles, negative_no_styles = extract_styles(original, negative)
        except Exception:
            found = None
        if found:
            prompt, negative = prompt_no_styles, negative_no_styles
            if styles_mode in ("Apply", "Apply if any"):
                params["Styles array"] = found
    params["Prompt"] = prompt
    params["Negative prompt"] = negative
