"""Fixtures for the OpenAI-compatible provider: a local fake server, and the bot configured to use it.

A test module loads them with `pytest_plugins = ["tests.openai_fixtures"]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from devtools.fake_openai import FakeOpenAI


@pytest.fixture(scope="session")
def fake_openai_server() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_openai(fake_openai_server: FakeOpenAI, settings_env: Callable[..., None]) -> Iterator[FakeOpenAI]:
    """The local fake server, reset, with ANSWER_PROVIDER=openai pointed at it."""
    fake_openai_server.reset()
    settings_env(
        ANSWER_PROVIDER="openai",
        OPENAI_BASE_URL=fake_openai_server.url,
        OPENAI_API_KEY="fake-openai-key",
        OPENAI_MODEL="fake-model-7b",
        OPENAI_TIMEOUT_SECONDS="2",
    )
    yield fake_openai_server
