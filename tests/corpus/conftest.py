"""Corpus tests: vpcpath against inputs others wrote, read from ``../shared/data``.

They run with ``make test-corpus`` (CI runs it after ``make test``), never in ``make test``,
which must pass on a fresh clone with nothing beside it. Without the corpus they fail at once,
naming the folder they looked in: a corpus run that silently tests nothing proves nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.flows.conftest import scan  # noqa: F401  (the flow-log reader tests' fixture)

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("VPCPATH_SHARED_DATA") or REPO.parent / "shared" / "data")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if any("tests/corpus" in str(item.path) for item in items) and not CORPUS.is_dir():
        raise pytest.UsageError(
            f"corpus not found at {CORPUS}: `make test-corpus` reads the third-party reference "
            "data from ../shared/data beside the checkout (set VPCPATH_SHARED_DATA=<folder> "
            "for a checkout that lives elsewhere)"
        )


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def real_world(corpus: Path) -> Path:
    return corpus / "real-world"


@pytest.fixture(scope="session")
def aws_policy_samples(corpus: Path) -> Path:
    """AWS's data-perimeter sample endpoint policies."""
    return corpus / "aws-data-perimeter"
