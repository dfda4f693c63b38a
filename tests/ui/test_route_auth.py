"""With ``--gradio-auth`` the format route wants the browser's logged-in session, over real HTTP.

The route is mounted on a launched gradio app with ``auth`` set, as the host's
``on_app_started`` mounts it after ``demo.launch(auth=...)``; runs under gradio 3.41 and 4.40.
"""

from __future__ import annotations

import httpx
import pytest

from animagine_webui import api
from animagine_webui.element_ids import FORMAT_ROUTE
from animagine_webui.settings import AdapterSettings

from .browser import free_port, stop

BODY = {"prompt": "1girl, smile"}


@pytest.fixture
def launch(real_tagdb, monkeypatch):
    import gradio as gr

    from animagine_webui import engine

    monkeypatch.setattr(api, "KNOWLEDGE_BASE", engine.KnowledgeBase(lambda: real_tagdb))
    demos = []

    def start(api_auth: str | None = None) -> str:
        with gr.Blocks(analytics_enabled=False) as demo:
            gr.Textbox()
        port = free_port()
        app, _, _ = demo.launch(
            server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, auth=[("ui", "pw")]
        )
        api.add_routes(app, AdapterSettings, api_auth=api_auth)
        demos.append(demo)
        return f"http://127.0.0.1:{port}"

    yield start
    for demo in demos:
        stop(demo)


def login(client: httpx.Client, url: str, password: str = "pw") -> httpx.Response:
    return client.post(url + "/login", data={"username": "ui", "password": password})


def test_gradio_auth_needs_a_logged_in_session(launch):
    url = launch()
    with httpx.Client(timeout=30) as client:
        assert client.post(url + FORMAT_ROUTE, json=BODY).status_code == 401
        assert login(client, url, "wrong").status_code >= 400
        assert client.post(url + FORMAT_ROUTE, json=BODY).status_code == 401
        assert login(client, url).status_code == 200
        response = client.post(url + FORMAT_ROUTE, json=BODY)
    assert response.status_code == 200
    assert response.json()["prompt"].startswith("1girl, smile")


def test_gradio_and_api_auth_accept_either_proof(launch):
    url = launch(api_auth="api:key")
    assert httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY).status_code == 401
    ui_login_as_basic = httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("ui", "pw"))
    assert ui_login_as_basic.status_code == 401  # the UI login is not API auth
    assert httpx.post(url + FORMAT_ROUTE, timeout=30, json=BODY, auth=("api", "key")).status_code == 200
    with httpx.Client(timeout=30) as client:
        login(client, url)
        assert client.post(url + FORMAT_ROUTE, json=BODY).status_code == 200
