"""Credentials go to Danbooru in a header and nowhere else; requests say who we are."""

from __future__ import annotations

import base64
import logging
from datetime import date

from danbooru_fake import Reply

from animagine_prompt import __version__
from animagine_prompt.danbooru import DanbooruClient, DanbooruError, lookup, refresh

SECRET = "s3cr3t-API-k3y-9f8e7d"


def test_credentials_never_reach_logs_cache_or_errors(fake, cache_path, caplog):
    caplog.set_level(logging.DEBUG)  # including urllib3's request lines
    config = fake.config(username="alice", api_key=SECRET)
    messages: list[str] = []

    results = lookup(config, cache_path, ["hatsune miku", "miku hatsune", "nothing here"])
    report = refresh(config, cache_path, date(2025, 1, 1), None, min_posts=50)
    fake.intercept(lambda path, params: Reply(500, SECRET.encode()))  # even a server echoing it back
    messages += [r.message or "" for r in lookup(config, cache_path, ["new tag"])]
    try:
        DanbooruClient(config).tags_named(["x"])
    except DanbooruError as exc:
        messages += [str(exc), repr(exc), exc.message]

    assert all(r.found or r.entry for r in results) and report.complete
    assert messages and all(SECRET not in m for m in messages)
    assert caplog.records and SECRET not in caplog.text
    assert SECRET not in cache_path.read_text()
    assert SECRET not in repr(config)
    for request in fake.requests:  # not in any URL either: only in the Authorization header
        assert SECRET not in request.raw_target
    expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert {r.headers.get("Authorization") for r in fake.requests} == {expected}


def test_anonymous_requests_send_no_authorization(fake, cache_path):
    lookup(fake.config(), cache_path, ["wlop"])
    assert all("Authorization" not in r.headers for r in fake.requests)


def test_user_agent_names_the_extension(fake, cache_path):
    lookup(fake.config(), cache_path, ["wlop"])
    agent = fake.requests[0].headers["User-Agent"]
    assert agent.startswith(f"sd-webui-animagine/{__version__} (+https://github.com/")
