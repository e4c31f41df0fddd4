"""The corpus is there and holds what the other corpus tests read."""

from __future__ import annotations

from pathlib import Path


def test_real_world_corpus_has_snapshots_and_flow_logs(real_world: Path) -> None:
    assert (real_world / "SOURCES.md").is_file()
    assert sum(1 for p in (real_world / "snapshots").iterdir() if p.is_dir()) >= 30
    assert sum(1 for p in (real_world / "flowlogs").iterdir()) >= 18
