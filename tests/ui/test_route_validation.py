"""The format route's refusals under this venv's pydantic (1 with gradio 3.41, 2 with gradio 4.40)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from animagine_webui import api
from animagine_webui.element_ids import FORMAT_ROUTE
from animagine_webui.settings import AdapterSettings


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    api.add_routes(app, AdapterSettings)
    return TestClient(app)


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"prompt": "1girl", "rating": "sfw"}, 422, "rating"),
        ({"prompt": 5}, 422, "prompt"),
        ({"prompt": "1girl", "width": "832"}, 422, "width"),
        ({"prompt": "1girl", "preset": "nope"}, 422, "preset"),
        ({"prompt": "x" * (64 * 1024 + 1)}, 413, "prompt"),
    ],
)
def test_bad_request_names_the_field_under_either_pydantic(client, body, status, field):
    response = client.post(FORMAT_ROUTE, json=body)
    assert response.status_code == status
    assert [problem["loc"] for problem in response.json()["detail"]] == [["body", field]]
