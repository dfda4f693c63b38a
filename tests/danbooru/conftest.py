"""Fixtures for the Danbooru tests: a fake server on 127.0.0.1, a cache path, a settable clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from danbooru_fake import Clock, FakeDanbooru


@pytest.fixture
def fake() -> Iterator[FakeDanbooru]:
    with FakeDanbooru() as server:
        yield server


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "tags" / "danbooru-cache.json"


@pytest.fixture
def clock() -> Clock:
    return Clock()
