"""Mirrors the lookups of ``modules/sd_models.py`` the adapter uses: ``CheckpointInfo`` fields (56-98),
``checkpoints_list`` keyed by title, ``get_closet_checkpoint_match(search)`` (title, then name prefix)."""

from __future__ import annotations

from types import SimpleNamespace

checkpoints_list: dict[str, SimpleNamespace] = {}

#: The loaded model, read without loading one (``model_data.sd_model``, sd_models.py:676-719); None until
#: a test puts a model there.
model_data = SimpleNamespace(sd_model=None)


def add_checkpoint(name: str, filename: str) -> SimpleNamespace:
    info = SimpleNamespace(
        name=name, name_for_extra=name.rsplit(".", 1)[0], title=f"{name} [0123456789]", filename=filename
    )
    checkpoints_list[info.title] = info
    return info


def get_closet_checkpoint_match(search_string):
    if not search_string:
        return None
    info = checkpoints_list.get(search_string)
    if info is not None:
        return info
    found = sorted([i for i in checkpoints_list.values() if search_string in i.title], key=lambda x: len(x.title))
    return found[0] if found else None
