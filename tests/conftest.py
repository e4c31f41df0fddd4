"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vpcpath.model import Snapshot
from vpcpath.sources.sample_estate import load_sample

REPO = Path(__file__).resolve().parents[1]
# Public reference data lives beside the checkout (../shared/data), never copied into the repo;
# VPCPATH_SHARED_DATA points elsewhere (a clone made outside the workspace, say).
SHARED_DATA = Path(os.environ.get("VPCPATH_SHARED_DATA") or REPO.parent / "shared" / "data")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Say once, clearly, when the reference data is missing, instead of failing many tests."""
    if not SHARED_DATA.is_dir():
        raise pytest.UsageError(
            f"reference data not found at {SHARED_DATA}: the tests read AWS's public reference "
            "data from ../shared/data beside the checkout; set VPCPATH_SHARED_DATA=<folder> "
            "when the checkout lives elsewhere"
        )


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
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.fail(f"reference data not found at {SHARED_DATA} (expected ../shared/data)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def sample() -> Snapshot:
    return load_sample()
