"""Files of many S3 origins (accounts, regions) read together: one statement per format, each
record placed by its own file's path, as when each origin was read alone."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import duckdb
import pytest

from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.engine_duckdb import Engine
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.pricing.table import load_prices
from vpcpath.sources.sample_estate import load_sample

ENI = "eni-069bf417deb59f0da"  # the sample's, in 111122223333 / us-east-1


def write_many_origins(folder: Path) -> None:
    """Seven files of five origins in three formats (two text, one Parquet) in AWS's S3
    layout. Only the files of 111122223333 / us-east-1 hold the sample's ENI where it is:
    100 + 200 bytes twice each, and 3,200; the rest (12,000) is the same ENI elsewhere."""
    default = " ".join(DEFAULT_FORMAT)
    bare = "interface-id srcaddr dstaddr bytes action"
    record = f"{ENI} 10.0.70.12 52.216.10.10"
    texts = [
        ("111122223333", "us-east-1", default, f"2 unknown {record} 1 443 6 1 100 1 2 ACCEPT OK"),
        ("111122223333", "us-east-1", bare, f"{record} 200 ACCEPT"),
        ("999988887777", "us-east-1", bare, f"{record} 400 ACCEPT"),
        ("111122223333", "eu-west-1", bare, f"{record} 800 ACCEPT"),
        ("999988887777", "eu-west-1", default, f"2 unknown {record} 1 443 6 1 1600 1 2 ACCEPT OK"),
    ]
    for n, (account, region, header, line) in enumerate(texts):
        where = folder / "AWSLogs" / account / "vpcflowlogs" / region / "2024/05/01"
        where.mkdir(parents=True, exist_ok=True)
        name = f"{account}_vpcflowlogs_{region}_fl-1_20240501T000{n}Z_h.log.gz"
        with gzip.open(where / name, "wt") as handle:
            handle.write(f"{header}\n{line}\n{line}\n")
    for account, size in (("111122223333", 3200), ("999988887777", 6400)):
        where = folder / "AWSLogs" / account / "vpcflowlogs" / "us-east-1" / "2024/05/02"
        where.mkdir(parents=True, exist_ok=True)
        target = where / f"{account}_vpcflowlogs_us-east-1_fl-1_20240502T0000Z_p.parquet"
        duckdb.execute(
            f"COPY (SELECT '{ENI}' AS interface_id, '10.0.70.12' AS srcaddr,"
            f" '52.216.10.10' AS dstaddr, {size}::BIGINT AS bytes, 'ACCEPT' AS action)"
            f" TO '{target}' (FORMAT parquet)"
        )


def test_one_statement_per_format_places_records_by_their_own_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_many_origins(tmp_path)
    statements: list[str] = []
    original = Engine._run_with_progress

    def counting(self: Engine, sql: str, *args: Any) -> None:
        statements.append(sql)
        original(self, sql, *args)

    monkeypatch.setattr(Engine, "_run_with_progress", counting)
    request = FlowsRequest(inputs=(str(tmp_path),), allow_download=False)
    result = analyze_flows(load_sample(), request, prices=load_prices())
    assert len(statements) == 3  # three formats, five origins
    assert result.nat_bytes == 3800
    assert [(u.reason, u.bytes) for u in result.unattributed] == [("conflicting-ids", 12000)]
    assert (result.input.files, result.input.records) == (7, 12)
