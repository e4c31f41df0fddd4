"""Batches that repeat pairs are merged in ``pairs`` without changing a sum, count or time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from vpcpath.flows import engine_duckdb
from vpcpath.flows.engine_duckdb import Engine
from vpcpath.flows.readers import read_format
from vpcpath.flows.scan_engine import ScanFile
from vpcpath.flows.scan_rules import KEY_NAMES
from vpcpath.flows.synthetic import Truth

_BY_PAIR = (
    f"SELECT {', '.join(KEY_NAMES)}, sum(bytes), sum(accepted), sum(records), sum(malformed),"
    " sum(nodata), sum(skipdata), min(first_start), max(last_end)"
    f" FROM pairs GROUP BY ALL ORDER BY ALL"
)


def _scan_twice(
    files: list[ScanFile], merge_rows: int, monkeypatch: Any, again: list[ScanFile] | None = None
) -> Any:
    """Two batches: ``files``, then ``again`` (``files`` by default), repeating every pair."""
    monkeypatch.setattr(engine_duckdb, "MERGE_ROWS", merge_rows)
    engine = Engine()
    engine.scan(files)
    engine.scan(again or files)
    return engine


def _files(folder: Path) -> list[ScanFile]:
    paths = sorted(folder.rglob("*.log.gz"))[:3]
    return [
        ScanFile(path=p, location=str(p), size=p.stat().st_size, format=read_format(p, str(p)))
        for p in paths
    ]


@pytest.mark.parametrize("logs", ["v2_logs", "v5_logs"])
def test_repeated_pairs_are_merged_with_every_total_kept(
    logs: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = request.getfixturevalue(logs)
    files = _files(folder)
    with _scan_twice(files, 10**12, monkeypatch) as kept:  # must not merge
        unmerged_rows = kept.con.execute("SELECT count(*) FROM pairs").fetchone()[0]
        expected = kept.con.execute(_BY_PAIR).fetchall()
    with _scan_twice(files, 1, monkeypatch) as merged:  # must merge after each batch
        rows = merged.con.execute("SELECT count(*) FROM pairs").fetchone()[0]
        assert merged.con.execute(_BY_PAIR).fetchall() == expected
        assert merged.state().files == 6
    assert rows == len(expected)  # one row per pair
    assert unmerged_rows == 2 * len(expected)  # each statement's pairs, twice


def test_merge_keeps_malformed_lines_and_their_examples(
    tmp_path: Path, v2_logs: tuple[Path, Truth], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    source = sorted(v2_logs[0].rglob("*.log.gz"))[0]
    lines = gzip.decompress(source.read_bytes()).decode().splitlines()
    lines[5] = lines[5].replace(" ACCEPT ", " ACCEPT extra ")  # a field too many
    fields = lines[7].split(" ")
    fields[9] = "12x"  # bytes that are no number
    lines[7] = " ".join(fields)
    batches = []
    for name in ("a", "b"):  # the same records in two files, one per batch
        bad = tmp_path / f"{name}.log.gz"
        bad.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
        where = f"s3://bucket/{name}.log.gz"
        batches.append([ScanFile(path=bad, location=where, size=1, format=read_format(bad, where))])
    with _scan_twice(batches[0], 1, monkeypatch, batches[1]) as engine:
        totals = engine.state()
        merged_rows = engine.con.execute("SELECT count(*) FROM pairs").fetchone()[0]
        malformed = engine.con.execute("SELECT sum(malformed) FROM pairs").fetchone()[0]
    assert merged_rows < len(lines) - 1  # merged: both files' pairs share rows
    assert malformed == 2  # the bad bytes line of each file
    assert totals.rejected == 2  # the line with a field too many, in each file
    assert [(e.file, e.line, e.reason) for e in totals.examples] == [
        ("s3://bucket/a.log.gz", 6, "more fields than the header names"),
        ("s3://bucket/a.log.gz", 8, "bytes is '12x', not an integer or '-'"),
        ("s3://bucket/b.log.gz", 6, "more fields than the header names"),
        ("s3://bucket/b.log.gz", 8, "bytes is '12x', not an integer or '-'"),
    ]
