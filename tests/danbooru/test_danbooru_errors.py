"""Every way a request fails ends as one clear message; the caller carries on."""

from __future__ import annotations

import socket

import pytest
from danbooru_fake import Reply

from animagine_prompt.categories import Category
from animagine_prompt.danbooru import DanbooruClient, DanbooruConfig, DanbooruError, load_cache, lookup


def _only_first(reply: Reply):
    """Intercept the first request only."""
    used = []

    def intercept(path, params):
        if not used:
            used.append(path)
            return reply
        return None

    return intercept


def test_timeout_on_series_keeps_the_category(fake, cache_path):
    fake.intercept(lambda path, params: Reply(delay=1.0) if path == "/related_tag.json" else None)

    [miku, wlop] = lookup(fake.config(timeout_s=0.2), cache_path, ["hatsune miku", "wlop"])

    assert miku.found and miku.category is Category.CHARACTER and miku.series == ()
    assert wlop.found and wlop.category is Category.ARTIST
    assert set(load_cache(cache_path).data.entries) == {"hatsune_miku", "wlop"}


def test_timeout_on_first_request_caches_nothing(fake, cache_path):
    fake.intercept(lambda path, params: Reply(delay=1.0))
    [result] = lookup(fake.config(timeout_s=0.2), cache_path, ["wlop"])

    assert result.message == "wlop: Danbooru did not answer within 0.2 s; try again later."
    assert not cache_path.exists()  # a failure is not remembered as "not found"


def test_rate_limit_is_waited_out(fake, cache_path):
    fake.intercept(_only_first(Reply(429, b'{"success":false}', {"Retry-After": "3"})))
    slept: list[float] = []
    client = DanbooruClient(fake.config(), sleep=slept.append)

    [result] = lookup(fake.config(), cache_path, ["wlop"], client=client)

    assert result.found
    assert slept == [3.0]
    assert fake.paths()[:2] == ["/tags.json", "/tags.json"]


def test_rate_limit_beyond_cap_gives_up_with_the_wait(fake):
    fake.intercept(lambda path, params: Reply(429, b"{}", {"Retry-After": "600"}))
    slept: list[float] = []
    client = DanbooruClient(fake.config(max_retry_after_s=30), sleep=slept.append)

    with pytest.raises(DanbooruError) as err:
        client.tags_named(["wlop"])

    assert err.value.kind == "rate_limited"
    assert err.value.message == "Danbooru is limiting requests; try again in 600 s."
    assert slept == []
    assert len(fake.requests) == 1


def test_min_interval_spaces_requests():
    now = [100.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    class Session:
        headers: dict = {}

        def get(self, *a, **kw):
            now[0] += 0.1  # each request takes 0.1 s

            class R:
                status_code = 200

                def json(self):
                    return []

                def close(self):
                    pass

            return R()

        def close(self):
            pass

    config = DanbooruConfig(enabled=True, min_interval_s=1.0)
    client = DanbooruClient(config, session=Session(), clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        client.tags_named(["x"])
    assert slept == [pytest.approx(0.9), pytest.approx(0.9)]


@pytest.mark.parametrize(
    ("reply", "kind", "text"),
    [
        (Reply(500, b"<html>oops</html>"), "server", "Danbooru had a server error (HTTP 500); try again later."),
        (Reply(503, b""), "server", "Danbooru had a server error (HTTP 503); try again later."),
        (Reply(200, b"<html>Just a moment...</html>"), "malformed", "not the expected JSON"),
        (Reply(200, b'{"unexpected": "object"}'), "malformed", "not the expected JSON"),
        (Reply(403, b"<html>blocked</html>"), "refused", "Danbooru refused the request (HTTP 403)"),
        (Reply(422, b'{"success":false}'), "refused", "Danbooru rejected the request (HTTP 422)."),
    ],
)
def test_bad_answers_become_one_message(fake, cache_path, reply, kind, text):
    fake.intercept(lambda path, params: reply)
    client = DanbooruClient(fake.config())
    with pytest.raises(DanbooruError) as err:
        client.tags_named(["wlop"])
    assert err.value.kind == kind
    assert text in err.value.message

    [result] = lookup(fake.config(), cache_path, ["wlop"])
    assert text in result.message
    assert not cache_path.exists()


def test_offline_is_one_message(cache_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = DanbooruConfig(enabled=True, base_url=f"http://127.0.0.1:{port}", min_interval_s=0)

    [result] = lookup(config, cache_path, ["wlop"])

    assert result.message == (
        "wlop: Could not reach Danbooru (127.0.0.1): no network connection, or the name did not resolve."
    )


def test_dns_failure_is_one_message(monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    client = DanbooruClient(DanbooruConfig(enabled=True, base_url="https://danbooru.invalid", min_interval_s=0))

    with pytest.raises(DanbooruError) as err:
        client.tags_named(["wlop"])
    assert err.value.kind == "offline"
    assert "danbooru.invalid" in err.value.message


@pytest.mark.parametrize(
    "url",
    ["http://danbooru.donmai.us", "ftp://danbooru.donmai.us", "danbooru.donmai.us", "https://u:p@danbooru.donmai.us"],
)
def test_only_https_is_accepted(url):
    with pytest.raises(DanbooruError) as err:
        DanbooruClient(DanbooruConfig(enabled=True, base_url=url))
    assert err.value.kind == "config"


@pytest.mark.parametrize("url", ["https://danbooru.donmai.us", "http://127.0.0.1:8080", "http://localhost:1"])
def test_https_and_local_http_are_accepted(url):
    DanbooruClient(DanbooruConfig(enabled=True, base_url=url)).close()


def test_username_without_key_is_refused():
    with pytest.raises(DanbooruError, match="both"):
        DanbooruConfig(enabled=True, username="alice").validated()
