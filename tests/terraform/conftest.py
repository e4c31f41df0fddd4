"""Shared helpers for the Terraform tests: fixtures written by the project (build_fixtures.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from vpcpath.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
EPOCH = "1798761600"  # 2027-01-01T00:00:00Z


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fixed time (expiry dates), no .vpcpath.toml from the working folder, bundled prices."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def check_json(name: str, *extra: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert run(["check", "--terraform", str(FIXTURES / name), "--format", "json", *extra]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc
