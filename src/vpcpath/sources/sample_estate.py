"""The sample estate shipped in the package (raw describe JSON, so it documents the format)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from vpcpath.model import Snapshot
from vpcpath.sources.folder import load_snapshot


def sample_path() -> Path:
    return Path(str(resources.files("vpcpath.sources") / "sample"))


def load_sample() -> Snapshot:
    return load_snapshot(sample_path())
