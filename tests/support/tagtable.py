"""A tiny in-memory tag table that satisfies ``TagLookup``, for engine tests.

Why: property tests need a knowledge base that answers instantly and whose
contents the test knows, so generated prompts can mix known tags (which the
engine classifies, canonicalises and escapes) with unknown text (which it must
leave alone). The real, indexed knowledge base is used too when it exists.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from animagine_prompt.categories import Category
from animagine_prompt.tagdb_protocol import TagInfo

__all__ = ["ALIASES", "EMOTICONS", "TAGS", "MemoryTagDB", "memory_db"]

C = Category

#: canonical name (Danbooru spelling, spaces, bare parentheses) -> category
TAGS: Mapping[str, Category] = MappingProxyType(
    {
        # people
        "1girl": C.PEOPLE,
        "2girls": C.PEOPLE,
        "6+girls": C.PEOPLE,
        "multiple girls": C.PEOPLE,
        "1boy": C.PEOPLE,
        "2boys": C.PEOPLE,
        "1other": C.PEOPLE,
        "no humans": C.PEOPLE,
        # characters, most with a series qualifier
        "firefly (honkai: star rail)": C.CHARACTER,
        "hoshimachi suisei": C.CHARACTER,
        "hoshimachi suisei (1st costume)": C.CHARACTER,
        "makima (chainsaw man)": C.CHARACTER,
        "arima kana": C.CHARACTER,
        "hatsune miku": C.CHARACTER,
        "kafka (honkai: star rail)": C.CHARACTER,
        "rem (re:zero)": C.CHARACTER,
        "saber (fate)": C.CHARACTER,
        # copyrights
        "honkai (series)": C.COPYRIGHT,
        "honkai: star rail": C.COPYRIGHT,
        "oshi no ko": C.COPYRIGHT,
        "chainsaw man": C.COPYRIGHT,
        "vocaloid": C.COPYRIGHT,
        "hololive": C.COPYRIGHT,
        "re:zero kara hajimeru isekai seikatsu": C.COPYRIGHT,
        "fate (series)": C.COPYRIGHT,
        # artists
        "wlop": C.ARTIST,
        "ask (askzy)": C.ARTIST,
        "mika pikazo": C.ARTIST,
        # ratings
        "safe": C.RATING,
        "sensitive": C.RATING,
        "nsfw": C.RATING,
        "explicit": C.RATING,
        # quality, score, year, meta
        "masterpiece": C.QUALITY,
        "best quality": C.QUALITY,
        "low quality": C.QUALITY,
        "worst quality": C.QUALITY,
        "very aesthetic": C.QUALITY,
        "high score": C.SCORE,
        "great score": C.SCORE,
        "good score": C.SCORE,
        "bad score": C.SCORE,
        "year 2005": C.YEAR,
        "year 2023": C.YEAR,
        "year 2024": C.YEAR,
        "newest": C.YEAR,
        "absurdres": C.META,
        "highres": C.META,
        "lowres": C.META,
        # general
        "solo": C.GENERAL,
        "long hair": C.GENERAL,
        "short hair": C.GENERAL,
        "blonde hair": C.GENERAL,
        "blue eyes": C.GENERAL,
        "smile": C.GENERAL,
        "looking at viewer": C.GENERAL,
        "outdoors": C.GENERAL,
        "night": C.GENERAL,
        "casual": C.GENERAL,
        "cosplay": C.GENERAL,
        "v": C.GENERAL,
        "school uniform": C.GENERAL,
        "reaching towards viewer": C.GENERAL,
        "upper body": C.GENERAL,
        "cat ears": C.GENERAL,
        "sky": C.GENERAL,
        "holding umbrella": C.GENERAL,
        "^_^": C.GENERAL,
        ">_<": C.GENERAL,
        "o_o": C.GENERAL,
        ";_;": C.GENERAL,
    }
)

#: Tags whose underscores are part of the name (never replaced by spaces).
EMOTICONS = frozenset(name for name in TAGS if "_" in name)

#: user spelling -> canonical name
ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "blond hair": "blonde hair",
        "smiling": "smile",
        "1girls": "1girl",
        "miku": "hatsune miku",
        "hsr": "honkai: star rail",
        "absurd res": "absurdres",
    }
)

_WS = re.compile(r"\s+")
_QUALIFIER = re.compile(r"\(([^()]+)\)\s*\Z")


def _key(text: str) -> str:
    text = text.strip().replace("\\(", "(").replace("\\)", ")").lower()
    return _WS.sub(" ", text)


class MemoryTagDB:
    """``TagLookup`` over a dict. Matching ignores case, ``_``/space and ``\\(``/``(``,
    except that emoticon tags match only with their own underscores (``^_^``, not ``^ ^``)."""

    def __init__(self, tags: Mapping[str, Category], aliases: Mapping[str, str] = MappingProxyType({})) -> None:
        index: dict[str, TagInfo] = {}
        for name, category in tags.items():
            info = TagInfo(name=name, category=category, source="memory")
            index[name if name in EMOTICONS else name.replace("_", " ")] = info
        for alias, target in aliases.items():
            index.setdefault(alias, index[target])
        self._index = MappingProxyType(index)
        self._names = tuple(tags)
        # immutable, so its content names it: the engine's memos work as with the real table
        content = repr((sorted(index.items()), self._names)).encode()
        self.revision = "memory-" + hashlib.blake2b(content, digest_size=8).hexdigest()
        # memoised per table: suggestions are pure, and an instant answer keeps engine timings about the engine
        self._suggest = lru_cache(maxsize=4096)(self._suggest_uncached)

    def lookup(self, text: str) -> TagInfo | None:
        key = _key(text)
        hit = self._index.get(key)
        if hit is not None:
            return hit
        spaced = _WS.sub(" ", key.replace("_", " ")).strip()
        hit = self._index.get(spaced)
        return None if hit is None or hit.name in EMOTICONS else hit

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return list(self._suggest(text, limit))

    def _suggest_uncached(self, text: str, limit: int) -> tuple[str, ...]:
        return tuple(difflib.get_close_matches(_key(text).replace("_", " "), self._names, n=limit, cutoff=0.75))

    def names(self) -> Iterable[str]:
        return self._names

    def series_for_character(self, name: str) -> str | None:
        """The copyright a character's qualifier names (``makima (chainsaw man)`` -> ``chainsaw man``),
        mirroring the real knowledge base's optional helper so the engine's series insertion runs."""
        m = _QUALIFIER.search(_key(name))
        if m is None:
            return None
        for candidate in (m.group(1), f"{m.group(1)} (series)"):
            info = self.lookup(candidate)
            if info is not None and info.category is Category.COPYRIGHT:
                return info.name
        return None


def memory_db() -> MemoryTagDB:
    """The table every engine test shares (immutable, so sharing is safe)."""
    return MemoryTagDB(TAGS, ALIASES)


class FailingTable:
    """A knowledge base whose every lookup fails: what an internal error looks like from outside
    the engine's one never-raises boundary."""

    def __init__(self, message: str = "index is gone") -> None:
        self.message = message

    def lookup(self, text: str) -> TagInfo | None:
        raise RuntimeError(self.message)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        return []
