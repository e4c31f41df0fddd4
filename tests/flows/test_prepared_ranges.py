"""The classification cache (``prepared_ranges``): hit, miss, corrupt or old entries, a changed
ip-ranges file, and where it lives."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import vpcpath.flows.analysis as analysis
from vpcpath.errors import SourceError
from vpcpath.flows import FlowsRequest, FlowsResult, analyze_flows, prepared_ranges
from vpcpath.flows.engine_spark import SparkOptions
from vpcpath.flows.prepared_ranges import FOLDER, FORMAT
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

ENI = "eni-01d9b5870047c5e53"  # the sample's app ENI (10.0.52.23), NAT-routed to the internet


def _doc(service: str) -> dict[str, Any]:
    return {
        "syncToken": "1700000000",
        "createDate": "2023-11-14-22-13-20",
        "prefixes": [
            {"ip_prefix": "52.216.0.0/15", "region": "us-east-1", "service": "S3"},
            {"ip_prefix": "151.101.0.0/16", "region": "us-east-1", "service": service},
        ],
        "ipv6_prefixes": [
            {"ipv6_prefix": "2600:1f18::/36", "region": "us-east-1", "service": "S3"}
        ],
    }


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "logs" / "flows.log"
    path.parent.mkdir()
    path.write_text(
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes"
        " start end action log-status\n"
        f"2 111122223333 {ENI} 10.0.52.23 151.101.1.69 1 443 6 1 500 1 2 ACCEPT OK\n"
        f"2 111122223333 {ENI} 10.0.52.23 52.216.1.1 1 443 6 1 700 1 2 ACCEPT OK\n"
    )
    return path


@pytest.fixture
def partitions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the classification partitions built (a cache hit builds none)."""
    built: list[int] = []
    original: Callable[..., Any] = getattr(analysis, "address_partition")  # noqa: B009

    def counting(*args: Any) -> Any:
        built.append(1)
        return original(*args)

    monkeypatch.setattr(analysis, "address_partition", counting)
    return built


def _run(snapshot: Snapshot, log: Path, ranges: Path, cache: Path | None) -> FlowsResult:
    request = FlowsRequest(
        inputs=(str(log),), ip_ranges_path=ranges, allow_download=False, ip_ranges_cache_dir=cache
    )
    return analyze_flows(snapshot, request, prices=load_prices())


def _services(result: FlowsResult) -> set[tuple[str | None, int]]:
    return {(r.service, r.bytes_to_destination) for r in result.nat_traffic}


def _entry(cache: Path) -> tuple[Path, Path]:
    (manifest,) = (cache / FOLDER).glob("*.json")
    return manifest.with_suffix(".parquet"), manifest


@pytest.fixture
def ranges(tmp_path: Path) -> Path:
    path = tmp_path / "ip-ranges.json"
    path.write_text(json.dumps(_doc("EC2")))
    return path


@pytest.fixture
def bare(sample: Snapshot) -> Snapshot:
    return replace(sample, ip_ranges=None)


def test_second_run_reads_the_cache(
    bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, partitions: list[int]
) -> None:
    cache = tmp_path / "cache"
    first = _run(bare, log, ranges, cache)
    assert partitions == [1]
    _, manifest = _entry(cache)
    doc = json.loads(manifest.read_text())
    assert doc["schema"] == FORMAT and doc["sync_token"] == "1700000000"
    second = _run(bare, log, ranges, cache)
    assert partitions == [1]  # not built again
    assert _services(first) == _services(second) == {("EC2", 500), ("S3", 700)}
    assert second.ip_ranges_source == first.ip_ranges_source
    assert first.ip_ranges_source == (
        f"{ranges} (syncToken 1700000000, created 2023-11-14-22-13-20)"
    )
    assert second.nat_traffic == first.nat_traffic and second.coverage == first.coverage


def test_a_changed_file_is_a_miss(
    bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, partitions: list[int]
) -> None:
    cache = tmp_path / "cache"
    assert _services(_run(bare, log, ranges, cache)) == {("EC2", 500), ("S3", 700)}
    ranges.write_text(json.dumps(_doc("CLOUDFRONT")))  # same name, other content
    assert _services(_run(bare, log, ranges, cache)) == {("CLOUDFRONT", 500), ("S3", 700)}
    assert partitions == [1, 1]
    assert len(list((cache / FOLDER).glob("*.json"))) == 2


def test_other_prefix_lists_are_a_miss(
    sample: Snapshot, bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, partitions: list[int]
) -> None:
    cache = tmp_path / "cache"
    _run(bare, log, ranges, cache)
    _run(replace(bare, prefix_lists={}), log, ranges, cache)
    assert partitions == [1, 1]


def test_an_entry_of_other_partition_code_is_a_miss(
    bare: Snapshot,
    log: Path,
    tmp_path: Path,
    ranges: Path,
    partitions: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An entry written by a vpcpath whose classification code differed (simulated: the digest
    # of other source files) is never used; the same code finds its own entry again.
    cache = tmp_path / "cache"
    _run(bare, log, ranges, cache)
    monkeypatch.setattr(prepared_ranges, "PARTITION_MODULES", ("vpcpath.flows.fields",))
    prepared_ranges.code_digest.cache_clear()
    try:
        _run(bare, log, ranges, cache)
        _run(bare, log, ranges, cache)
    finally:
        prepared_ranges.code_digest.cache_clear()
    assert partitions == [1, 1]
    assert len(list((cache / FOLDER).glob("*.json"))) == 2


def test_the_code_digest_reads_the_partition_modules() -> None:
    import hashlib

    from vpcpath.flows import classify
    from vpcpath.routing import destinations

    expected = hashlib.sha256(
        Path(classify.__file__).read_bytes() + Path(destinations.__file__).read_bytes()
    ).hexdigest()
    assert prepared_ranges.code_digest() == expected


@pytest.mark.parametrize(
    "damage",
    [
        "parquet-garbage",
        "parquet-missing",
        "manifest-not-json",
        "manifest-old-format",
        "manifest-other-digest",
        "manifest-wrong-rows",
    ],
)
def test_a_damaged_or_old_entry_is_rebuilt_not_trusted(
    bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, partitions: list[int], damage: str
) -> None:
    cache = tmp_path / "cache"
    first = _run(bare, log, ranges, cache)
    parquet, manifest = _entry(cache)
    doc = json.loads(manifest.read_text())
    if damage == "parquet-garbage":
        parquet.write_bytes(b"PAR1 not really parquet")
    elif damage == "parquet-missing":
        parquet.unlink()
    elif damage == "manifest-not-json":
        manifest.write_text("{")
    elif damage == "manifest-old-format":
        manifest.write_text(json.dumps({**doc, "schema": "vpcpath.prepared-ranges/0"}))
    elif damage == "manifest-other-digest":
        manifest.write_text(json.dumps({**doc, "sha256": "0" * 64}))
    else:  # the Parquet file checks out, the row count does not
        manifest.write_text(json.dumps({**doc, "rows": doc["rows"] + 1}))
    second = _run(bare, log, ranges, cache)
    assert partitions == [1, 1]  # built again
    assert second.nat_traffic == first.nat_traffic
    assert second.ip_ranges_source == first.ip_ranges_source
    # ... and the entry rewritten: the next run is a hit.
    assert json.loads(manifest.read_text()) == doc
    _run(bare, log, ranges, cache)
    assert partitions == [1, 1]


def test_the_cache_lives_in_xdg_cache_home(
    bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    _run(bare, log, ranges, None)
    assert len(list((tmp_path / "xdg" / "vpcpath" / FOLDER).glob("*.parquet"))) == 1


def test_the_snapshot_copy_is_cached_by_its_content(
    sample: Snapshot, log: Path, tmp_path: Path, partitions: list[int]
) -> None:
    cache = tmp_path / "cache"
    request = FlowsRequest(inputs=(str(log),), allow_download=False, ip_ranges_cache_dir=cache)
    first = analyze_flows(sample, request, prices=load_prices())
    second = analyze_flows(sample, request, prices=load_prices())
    assert partitions == [1]
    assert second.nat_traffic == first.nat_traffic
    assert second.ip_ranges_source == first.ip_ranges_source
    assert first.ip_ranges_source.startswith("the snapshot (syncToken ")


def test_an_unwritable_cache_only_costs_a_rebuild(
    bare: Snapshot, log: Path, tmp_path: Path, ranges: Path, partitions: list[int]
) -> None:
    cache = tmp_path / "cache-is-a-file"
    cache.write_text("")
    first = _run(bare, log, ranges, cache)
    second = _run(bare, log, ranges, cache)
    assert partitions == [1, 1]
    assert _services(first) == _services(second) == {("EC2", 500), ("S3", 700)}


@pytest.mark.parametrize("spark", [False, True], ids=["duckdb", "spark"])
def test_a_bad_ip_ranges_file_fails_before_any_engine_starts(
    bare: Snapshot, log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spark: bool
) -> None:
    """A file that is not ip-ranges JSON is refused before a scan (or a Spark session) starts,
    naming the file; the engine classes are never built. A good file does build one."""
    started: list[str] = []

    def engine(*_: object) -> None:
        started.append("engine")
        raise AssertionError("an engine was started")

    monkeypatch.setattr(analysis, "Engine", engine)
    monkeypatch.setattr(analysis, "SparkEngine", engine)
    bad = tmp_path / "ip-ranges.json"
    bad.write_text('{"syncToken": "1", "prefixes": [')  # cut short
    request = FlowsRequest(
        inputs=(str(log),),
        ip_ranges_path=bad,
        allow_download=False,
        ip_ranges_cache_dir=tmp_path / "cache",
        spark=SparkOptions() if spark else None,
    )
    with pytest.raises(SourceError, match=re.escape(str(bad))):
        analyze_flows(bare, request, prices=load_prices())
    assert started == []
    bad.write_text(json.dumps(_doc("EC2")))
    with pytest.raises(AssertionError, match="an engine was started"):
        analyze_flows(bare, request, prices=load_prices())
    assert started == ["engine"]
