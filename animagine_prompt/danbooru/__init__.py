"""Opt-in Danbooru lookups: ask about unknown tags, refresh the character lists, remember answers.

Only :class:`DanbooruCacheSource` is meant for the generation path, and it
only reads a local file; everything that talks to Danbooru (``lookup``,
``refresh``, :class:`BackgroundLookup`, the CLI) runs when the user asks for
it or on a worker thread.
"""

from .background import BackgroundLookup
from .cache import CacheEntry, CacheStore, load_cache
from .client import DanbooruClient
from .config import DanbooruConfig, user_agent
from .errors import DanbooruError
from .lookup import LookupResult, lookup
from .refresh import RefreshReport, refresh
from .source import DanbooruCacheSource

__all__ = [
    "BackgroundLookup",
    "CacheEntry",
    "CacheStore",
    "DanbooruCacheSource",
    "DanbooruClient",
    "DanbooruConfig",
    "DanbooruError",
    "LookupResult",
    "RefreshReport",
    "load_cache",
    "lookup",
    "refresh",
    "user_agent",
]
