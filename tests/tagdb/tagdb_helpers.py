"""Small synthetic tag sources for the knowledge-base tests (build in milliseconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO_TAGS = Path(__file__).resolve().parents[2] / "tags"

# A slice of Tag Autocomplete's danbooru.csv, plus lines a real install may hold.
DANBOORU_CSV = """\
1girl,0,6008644,"1girls,sole_female"
long_hair,0,4350743,"/lh,longhair"
hatsune_miku,4,106634,"miku,/hm"
^_^,0,110141,^^
looking_at_viewer,0,3315722,"/lav,pov_eye_contact"
this line is broken
absurdres,5,1782391,"insaneres,very_high_resolution"
"""
# e621's ids mean other things (7 = meta there); its files are skipped by name.
E621_CSV = "e621_only_tag,0,100,\nsome_species,5,100,\n"
# Another booru's list under a name we do not know: rejected by its type ids.
OTHER_BOORU_CSV = "safe,5,2204259\ntwilight_sparkle,7,362028,ts\n"


def write_tagcomplete(root: Path) -> Path:
    """An extension folder laid out like a Tag Autocomplete install."""
    tags = root / "a1111-sd-webui-tagcomplete" / "tags"
    tags.mkdir(parents=True)
    (tags / "danbooru.csv").write_text(DANBOORU_CSV, encoding="utf-8")
    (tags / "e621.csv").write_text(E621_CSV, encoding="utf-8")
    (tags / "ponybooru.csv").write_text(OTHER_BOORU_CSV, encoding="utf-8")
    return tags.parent


def copy_curated(tags_dir: Path) -> Path:
    """A tags folder with our shipped curated files and no user.csv (a developer's own must not leak in)."""
    shutil.copytree(REPO_TAGS / "curated", tags_dir / "curated")
    return tags_dir


# ----------------------------------------------------------------------------- small synthetic sources

FAKE_KGEN = {
    "characters.txt": "makima (chainsaw man)\r\nlayered\r\n",
    "copyrights.txt": "chainsaw man\r\n",
    "artist.txt": "some artist\r\n",
    "meta.txt": "highres\r\n",
}


def write_fake_kgen(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A tiny stand-in for kgen's tag-list folder: builds in milliseconds."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (FAKE_KGEN if files is None else files).items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder
