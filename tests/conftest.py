"""Fixtures shared by every test folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcpath.model import Snapshot
from vpcpath.sources.sample_estate import load_sample

# The project's own tests read only what the repository holds; inputs others wrote are read by
# tests/corpus (``make test-corpus``), which has its own conftest.
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read the developer's refreshed prices or cached ip-ranges."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output does not depend on the developer's terminal settings (tests set them)."""
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def sample() -> Snapshot:
    return load_sample()
