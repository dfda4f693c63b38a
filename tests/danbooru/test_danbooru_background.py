"""Background lookups: the caller hands tags over and goes on; answers arrive in the cache later."""

from __future__ import annotations

import time

from danbooru_fake import Reply

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import BackgroundLookup, DanbooruCacheSource


def test_submit_returns_at_once_and_answers_reach_the_source(fake, cache_path):
    def delay(path, params):
        time.sleep(0.1)  # a slow Danbooru
        return None

    fake.intercept(delay)
    seen: list = []
    worker = BackgroundLookup(fake.config(), cache_path, on_result=seen.extend)
    source = DanbooruCacheSource(cache_path, recheck_s=0.0)

    started = time.perf_counter()
    queued = worker.submit(["miku hatsune", "wlop", "wlop", "no such tag zzz"])
    elapsed = time.perf_counter() - started

    assert elapsed < 0.05
    assert queued == 3  # the duplicate is queued once
    assert source.get("wlop") is None  # not answered yet: nobody waited
    assert worker.join_idle(timeout=10)
    assert source.get("miku hatsune") == ("hatsune miku", Category.CHARACTER)
    assert source.get("wlop") == ("wlop", Category.ARTIST)
    assert {r.key for r in seen} == {"miku_hatsune", "wlop", "no_such_tag_zzz"}
    worker.close()


def test_disabled_worker_queues_nothing(fake, cache_path):
    worker = BackgroundLookup(fake.config(enabled=False), cache_path)

    assert worker.submit(["wlop"]) == 0
    time.sleep(0.05)
    assert fake.requests == [] and not cache_path.exists()


def test_failures_pause_the_worker_instead_of_hammering(fake, cache_path):
    fake.intercept(lambda path, params: Reply(503, b""))
    worker = BackgroundLookup(fake.config(), cache_path, pause_s=30)

    worker.submit(["wlop"])
    deadline = time.monotonic() + 5
    while worker.last_message is None and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.submit(["absurdres", "long hair"])  # arrives during the pause: waits, no retry loop
    time.sleep(0.1)

    assert "HTTP 503" in worker.last_message
    assert len(fake.requests) == 1
    started = time.monotonic()
    worker.close(timeout=2)
    assert time.monotonic() - started < 1  # closing cuts the pause short


def test_free_text_is_never_sent(fake, cache_path):
    worker = BackgroundLookup(fake.config(), cache_path)
    sentence = "a girl standing in the rain at night holding a red umbrella and smiling"

    assert worker.submit([sentence, "x" * 81, ""]) == 0
    assert worker.submit([sentence, "wlop"]) == 1
    assert worker.join_idle(timeout=5)
    worker.close()
    assert all("rain" not in r.raw_target for r in fake.requests)
