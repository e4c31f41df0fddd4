"""docs/checks.md is generated from the checks' metadata and must not drift from it."""

from __future__ import annotations

from tests.conftest import REPO
from vpcpath.audit.docs import checks_markdown


def test_checks_doc_is_up_to_date() -> None:
    committed = (REPO / "docs" / "checks.md").read_text()
    assert committed == checks_markdown(), (
        "docs/checks.md is stale: run `python -m vpcpath.audit.docs > docs/checks.md`"
    )
