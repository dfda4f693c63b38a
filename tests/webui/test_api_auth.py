"""``/animagine/v1/format`` asks for what the host's own API asks for, over real HTTP.

The app is a bare FastAPI app with the adapter's ``on_app_started`` callback run on it, as
under ``--nowebui``; ``shared.cmd_opts.api_auth`` is the host's ``--api-auth`` value.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from modules import script_callbacks, shared

from animagine_webui.element_ids import FORMAT_ROUTE
from tests.support.http import serve

BODY = {"prompt": "1girl, smile"}


@pytest.fixture
def server(host, fake_engine, monkeypatch):
    def start(api_auth: str | None):
        monkeypatch.setattr(shared.cmd_opts, "api_auth", api_auth, raising=False)
        app = FastAPI()
        script_callbacks.app_started_callback(None, app)
        return serve(app)

    return start


def test_host_without_auth_flags_answers_anyone(server):
    with server(None) as url:
        response = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY)
    assert response.status_code == 200
    assert response.json()["prompt"].startswith("1girl, smile")


def test_api_auth_requires_the_same_basic_credentials_as_the_host(server):
    with server("alice:s3cret,bob:pa:ss") as url:
        anonymous = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY)
        wrong = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("alice", "nope"))
        unknown = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("mallory", "s3cret"))
        alice = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("alice", "s3cret"))
        bob = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("bob", "pa:ss"))
    for response in (anonymous, wrong, unknown):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Basic"  # curl/browsers then ask for credentials
        assert "prompt" not in response.json()
    assert alice.status_code == 200 and alice.json()["prompt"].startswith("1girl")
    assert bob.status_code == 200
