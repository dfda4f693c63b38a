"""The generation path never waits on the network, even with the Danbooru cache in the knowledge base."""

from __future__ import annotations

import socket

import pytest
import requests

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import CacheEntry, DanbooruCacheSource
from animagine_prompt.danbooru.cache import CacheData, save_cache
from animagine_prompt.formatter import format_prompt
from animagine_prompt.presets import get_preset
from animagine_prompt.tagdb import TagDBConfig, load_tagdb


@pytest.fixture
def network_calls(monkeypatch) -> list[str]:
    """Record (and refuse) every attempt to resolve a name or open a connection."""
    calls: list[str] = []

    def refuse(name: str):
        def blocked(*args, **kwargs):
            calls.append(name)
            raise OSError(f"network access from the generation path: {name}")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(requests.Session, "send", refuse("requests.Session.send"))
    return calls


def test_formatting_with_the_cache_source_touches_no_network(tmp_path, network_calls):
    cache = tmp_path / "tags" / "danbooru-cache.json"
    save_cache(
        cache,
        CacheData(
            {
                "koharu_(example_game)": CacheEntry(1.0, "koharu_(example_game)", 4, 1204, series=("example_game",)),
                "example_game": CacheEntry(1.0, "example_game", 3, 2890),
                "never_heard_of": CacheEntry(1.0),  # a remembered "not found"
            }
        ),
    )
    kgen = tmp_path / "kgen"
    kgen.mkdir()
    for name in ("meta.txt", "artist.txt", "copyrights.txt", "characters.txt"):
        (kgen / name).write_text("absurdres\r\n" if name == "meta.txt" else "")
    source = DanbooruCacheSource(cache, recheck_s=0.0)  # re-stat the file on every get: still no network
    db = load_tagdb(
        TagDBConfig(
            tags_dir=tmp_path / "tags",
            tagcomplete_dirs=(),
            index_dir=tmp_path / "index",
            kgen_dir=kgen,
            extra_sources=(source,),
        )
    )
    prompt = "smile, never heard of, totally unknown tag xyz, koharu_(example_game), 1girl, unknown_thing_2"

    result = format_prompt(prompt, db=db, preset=get_preset("animagine-xl-4.0"))

    assert network_calls == []
    assert result.error is None
    assert db.lookup("koharu (example game)").category is Category.CHARACTER  # the cache did answer
    assert db.lookup("totally unknown tag xyz") is None
    assert result.prompt.index("koharu") < result.prompt.index("smile")  # and the formatter used it
    assert network_calls == []


def test_the_guard_itself_catches_a_request(network_calls):
    """Without this, a broken guard would make the test above pass vacuously."""
    with pytest.raises(OSError):
        requests.get("http://127.0.0.1:9/", timeout=0.1)
    assert network_calls
