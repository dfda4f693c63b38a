"""Model presets as data: what each Animagine version wants around a prompt.

Presets live in TOML (``data/presets.toml``, plus an optional user file) so a
reviewer can check every number against its source without reading code.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10, A1111's own: the same parser, from PyPI (declared with a marker in pyproject.toml)
    import tomli as tomllib

BUILTIN_PRESETS_FILE = Path(__file__).with_name("data") / "presets.toml"
DEFAULT_PRESET = "animagine-xl-4.0"


class PresetError(ValueError):
    """A preset file or name the user supplied is unusable; the message says why."""


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    quality_suffix: tuple[str, ...]
    negative: tuple[str, ...]
    sampler_name: str
    scheduler: str
    cfg_scale: float
    cfg_range: tuple[float, float]
    steps: int
    steps_range: tuple[int, int]
    default_resolution: tuple[int, int]
    resolutions: tuple[tuple[int, int], ...]
    max_side: int
    model_tags: str
    #: "end" (Animagine: the card's template closes with them) or "start" (Pony, NoobAI: a prefix).
    quality_position: str = "end"
    #: The model's spelling of each rating choice (``safe`` → ``rating_safe`` for Pony); missing: as is.
    rating_tags: tuple[tuple[str, str], ...] = ()
    #: Words in a checkpoint's name that mean this model (compared without case or punctuation).
    checkpoint_names: tuple[str, ...] = ()

    def rating_tag(self, rating: str) -> str:
        """The tag this model was trained on for the rating choice ``rating``."""
        return dict(self.rating_tags).get(rating, rating)

    @property
    def title(self) -> str:
        """The model's name without the label's note: "Animagine XL 4.0", not "... (also 4.0 Opt)"."""
        return self.label.split(" (", 1)[0]

    @property
    def negative_prompt(self) -> str:
        return ", ".join(self.negative)


_FIELDS = {
    "label": str,
    "quality_suffix": list,
    "negative": list,
    "sampler_name": str,
    "scheduler": str,
    "cfg_scale": (int, float),
    "cfg_range": list,
    "steps": int,
    "steps_range": list,
    "default_resolution": list,
    "resolutions": list,
    "max_side": int,
    "model_tags": str,
}
#: Keys a preset may leave out, with what leaving them out means.
_OPTIONAL = {"quality_position": "end", "rating_tags": {}, "checkpoint_names": []}
_QUALITY_POSITIONS = ("end", "start")


def _preset_from_table(name: str, table: Mapping[str, object], origin: str, base: Preset | None) -> Preset:
    values: dict[str, object] = {} if base is None else dict(base.__dict__)
    values["name"] = name
    for key, value in table.items():
        expected = _FIELDS.get(key) or (type(_OPTIONAL[key]) if key in _OPTIONAL else None)
        if expected is None:
            raise PresetError(f"{origin}: preset [{name}]: unknown key {key!r}")
        if not isinstance(value, expected):
            raise PresetError(f"{origin}: preset [{name}]: {key} has the wrong type ({type(value).__name__})")
        values[key] = value
    missing = [k for k in _FIELDS if k not in values]
    if missing:
        raise PresetError(f"{origin}: preset [{name}]: missing {', '.join(missing)}")
    for key, default in _OPTIONAL.items():
        values.setdefault(key, default)
    if values["quality_position"] not in _QUALITY_POSITIONS:
        raise PresetError(f"{origin}: preset [{name}]: quality_position must be one of {', '.join(_QUALITY_POSITIONS)}")
    ratings = values["rating_tags"]
    ratings = ratings if isinstance(ratings, tuple) else tuple(sorted(dict(ratings).items()))  # type: ignore[call-overload]
    try:
        return Preset(
            name=name,
            label=str(values["label"]),
            quality_suffix=tuple(str(t) for t in values["quality_suffix"]),  # type: ignore[union-attr]
            negative=tuple(str(t) for t in values["negative"]),  # type: ignore[union-attr]
            sampler_name=str(values["sampler_name"]),
            scheduler=str(values["scheduler"]),
            cfg_scale=float(values["cfg_scale"]),  # type: ignore[arg-type]
            cfg_range=(float(values["cfg_range"][0]), float(values["cfg_range"][1])),  # type: ignore[index]
            steps=int(values["steps"]),  # type: ignore[call-overload]
            steps_range=(int(values["steps_range"][0]), int(values["steps_range"][1])),  # type: ignore[index]
            default_resolution=(int(values["default_resolution"][0]), int(values["default_resolution"][1])),  # type: ignore[index]
            resolutions=tuple((int(w), int(h)) for w, h in values["resolutions"]),  # type: ignore[union-attr]
            max_side=int(values["max_side"]),  # type: ignore[call-overload]
            model_tags=str(values["model_tags"]),
            quality_position=str(values["quality_position"]),
            rating_tags=tuple((str(k), str(v)) for k, v in ratings),
            checkpoint_names=tuple(_compact(str(n)) for n in values["checkpoint_names"]),  # type: ignore[union-attr]
        )
    except (TypeError, ValueError, IndexError) as exc:
        raise PresetError(f"{origin}: preset [{name}]: {exc}") from None


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise PresetError(f"{path}: cannot read presets file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"{path}: not valid TOML ({exc})") from None


def load_presets(user_file: Path | None = None) -> Mapping[str, Preset]:
    """Built-in presets, overlaid by ``user_file`` when it exists.

    A user table with a built-in name only needs the keys it changes.
    """
    presets: dict[str, Preset] = {}
    for name, table in _read_toml(BUILTIN_PRESETS_FILE).items():
        presets[name] = _preset_from_table(name, table, str(BUILTIN_PRESETS_FILE), None)  # type: ignore[arg-type]
    if user_file is not None and user_file.exists():
        for name, table in _read_toml(user_file).items():
            if not isinstance(table, dict):
                raise PresetError(f"{user_file}: [{name}] must be a table")
            presets[name] = _preset_from_table(name, table, str(user_file), presets.get(name))
    return MappingProxyType(presets)


def _compact(text: str) -> str:
    """``animagine-xl-4.0``, ``animagineXL40`` and ``Animagine XL 4.0`` all read ``animaginexl40``."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def preset_for_checkpoint(name: str | None, presets: Mapping[str, Preset]) -> str | None:
    """The preset whose model a checkpoint's name (file name, title or ``modelspec.title``) names.

    The longest matching name wins, so ``animagine-xl-3.1`` picks 3.1 over the bare
    ``animagine`` that 4.0 claims. A name that names two families (a merge) gets the
    longer word's; it only preselects a choice the user can change. None: nothing
    matched, keep what the user chose.
    """
    text = _compact(name or "")
    if not text:
        return None
    best: tuple[int, str] | None = None
    for key, preset in presets.items():
        for marker in preset.checkpoint_names:
            if marker and marker in text and (best is None or len(marker) > best[0]):
                best = (len(marker), key)
    return None if best is None else best[1]


#: Words that every Animagine preset name carries, so a bare version number is enough to name one.
_FAMILY_WORDS = frozenset({"animagine", "xl"})


def _name_tokens(text: str) -> tuple[str, ...]:
    """``"Animagine XL 4.0"``, ``animagine-xl-4.0`` and ``4`` reduce to comparable tokens.

    Letters and version numbers are the tokens; a version loses its trailing ``.0`` parts
    (``4.0`` is ``4``), so what API, CLI, tab and infotext users type all meet in one place.
    """
    tokens = []
    for token in re.findall(r"[a-z]+|\d+(?:\.\d+)*", text.lower()):
        if token[0].isdigit():
            parts = token.split(".")
            while len(parts) > 1 and parts[-1].strip("0") == "":
                parts.pop()
            token = ".".join(str(int(part)) for part in parts)
        tokens.append(token)
    return tuple(tokens)


def _label_tokens(label: str) -> tuple[str, ...]:
    """A label's own name, without the parenthesised note (``"Animagine XL 4.0 (also 4.0 Opt)"``)."""
    return _name_tokens(label.split("(", 1)[0])


def find_preset_name(name: str, presets: Mapping[str, Preset]) -> str | None:
    """The one preset key that ``name`` means, or None.

    The single preset-name rule of every front end: the exact key first, then the same
    tokens as a key or label (case, spaces, dashes and a trailing ``.0`` do not matter),
    then the same tokens once the family words ``animagine`` and ``xl`` are dropped from
    both sides. An ambiguous short name matches nothing rather than the wrong model.
    """
    wanted = name.strip()
    if wanted in presets:
        return wanted
    tokens = _name_tokens(wanted)
    if not tokens:
        return None
    for strip in (False, True):

        def key(t: tuple[str, ...], strip: bool = strip) -> tuple[str, ...]:
            return tuple(x for x in t if x not in _FAMILY_WORDS) if strip else t

        want = key(tokens)
        if not want:
            continue
        hits = [
            n
            for n, p in presets.items()
            if want in (key(_name_tokens(n)), key(_label_tokens(p.label)))
        ]
        if len(hits) == 1:
            return hits[0]
        if hits:
            return None
    # Last, a model's family word on its own ("pony", "NoobAI", "Illustrious XL"); a name with
    # more in it ("animagine-xl-9") is not a family word, and matches nothing.
    compact = _compact(wanted)
    for text in (compact, compact.replace("xl", "")):
        hits = [n for n, p in presets.items() if text in p.checkpoint_names]
        if len(hits) == 1:
            return hits[0]
    return None


def get_preset(name: str | None, presets: Mapping[str, Preset] | None = None) -> Preset:
    """Look a preset up by any spelling :func:`find_preset_name` accepts (None: the default).

    Raises :class:`PresetError` with a message that lists the valid names.
    """
    presets = load_presets() if presets is None else presets
    wanted = DEFAULT_PRESET if name is None or not name.strip() else name
    found = find_preset_name(wanted, presets)
    if found is None:
        raise PresetError(f"unknown preset {wanted.strip()!r}; choose one of: {', '.join(presets)}")
    return presets[found]
