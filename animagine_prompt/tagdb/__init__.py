"""The tag knowledge base: which Danbooru category a tag belongs to.

Entry point: :func:`load_tagdb` returns an immutable :class:`TagDB` that
implements :class:`animagine_prompt.tagdb_protocol.TagLookup`.
:func:`normalize_key` is the one key function every layer shares.
"""

from .config import TagDBConfig
from .db import TagDB, load_tagdb
from .keys import canonical_name, is_emoticon, normalize_key
from .sources import SourceInfo, TagSource
from .user import read_user_overrides, write_user_overrides

__all__ = [
    "SourceInfo",
    "TagDB",
    "TagDBConfig",
    "TagSource",
    "canonical_name",
    "is_emoticon",
    "load_tagdb",
    "normalize_key",
    "read_user_overrides",
    "write_user_overrides",
]
