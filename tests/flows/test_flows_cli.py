"""``vpcpath flows`` end to end: text, JSON, exit codes 0 / 3 (bad header) / 4 (partial)."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main
from vpcpath.flows.synthetic import Truth


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def readable_records(path: Path) -> int:
    """Whole data lines in a cut gzip file before the cut, read with zlib, not the engine: the
    pieces between newlines, less the header and the piece the cut left (empty or half a line)."""
    text = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(path.read_bytes())
    return len(text.split(b"\n")) - 2


def test_text_report(capsys: pytest.CaptureFixture[str], v2_logs: tuple[Path, Truth]) -> None:
    folder, truth = v2_logs
    code, out, err = run(capsys, "flows", "--sample", str(folder), "--top", "3")
    assert code == 0, err
    assert f"{truth.records:,} records, {truth.malformed:,} malformed, 1 NODATA, 1 SKIPDATA" in out
    for title in (
        "Top NAT gateways",
        "Top source subnets (by avoidable bytes)",
        "Top source ENIs / instances",
        "By service and region",
        "Coverage check",
    ):
        assert title in out
    assert "subnet-04b48fe40f9d9fa52 (prod-eks-nodes-c)" in out
    assert "S3 / us-east-1 → s3-gateway-endpoint" in out
    assert "all bytes accounted for" in out
    assert "Prices: " in out and "IP ranges: the snapshot (syncToken 1784861225" in out
    assert ".log.gz:" in out  # malformed lines shown as file:line
    assert err == ""  # no progress bar when stderr is not a terminal


def test_json_output(capsys: pytest.CaptureFixture[str], v5_logs: tuple[Path, Truth]) -> None:
    folder, truth = v5_logs
    code, out, _ = run(capsys, "flows", "--sample", str(folder), "--json")
    assert code == 0
    doc = json.loads(out)
    assert_contract(doc, "flows-1")
    assert doc["totals"]["nat_bytes"] == truth.nat_bytes
    assert doc["totals"]["avoidable_bytes"] == truth.avoidable_bytes
    assert doc["input"]["records"] == truth.records


def test_partial_input_exits_4(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, v2_logs: tuple[Path, Truth]
) -> None:
    source = sorted(v2_logs[0].rglob("*.log.gz"))[0]
    data = source.read_bytes()
    damaged = tmp_path / "damaged.log.gz"
    damaged.write_bytes(data[: len(data) * 2 // 3])
    code, out, err = run(capsys, "flows", "--sample", str(damaged), "--json")
    assert code == 4
    doc = json.loads(out)
    assert_contract(doc, "flows-1")
    assert doc["input"]["partial"] is True
    assert doc["input"]["errors"][0]["file"] == str(damaged)
    assert doc["input"]["records"] == readable_records(damaged)
    assert f"vpcpath: error: {damaged}: damaged gzip data" in err
    with gzip.open(damaged, "rt") as handle, pytest.raises(EOFError):
        handle.read()


def test_bad_header_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "not-a-log.log"
    path.write_text("hello world, this is no flow log\n")
    code, out, err = run(capsys, "flows", "--sample", str(path))
    assert code == 3
    assert out == ""
    assert err.startswith(f"vpcpath: error: {path}: line 1 is not a header")


def test_missing_input_exits_3(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "flows", "--sample", str(tmp_path / "nope"))
    assert code == 3
    assert "no such file or folder" in err


def test_window_selects_files_by_their_names(
    capsys: pytest.CaptureFixture[str], v2_logs: tuple[Path, Truth]
) -> None:
    folder, _ = v2_logs
    names = sorted(p.name for p in folder.rglob("*.log.gz"))
    # Generated files are stamped 00:00, 00:05, … on 2026-11-01: keep those before 00:05.
    code, out, _ = run(
        capsys,
        "flows",
        "--sample",
        str(folder),
        "--json",
        "--start",
        "2026-11-01",
        "--end",
        "2026-11-01T00:05",
    )
    assert code == 0
    doc = json.loads(out)
    stamped_0000 = [n for n in names if "_20261101T0000Z_" in n]
    assert doc["input"]["files"] == len(stamped_0000) > 0
    assert (
        f"{len(names) - len(stamped_0000)} files outside --start/--end were skipped"
        in (doc["notes"])
    )


def test_bad_time_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "flows", "--sample", str(tmp_path), "--start", "yesterday")
    assert code == 2
    assert "--start 'yesterday'" in err


def test_progress_reports_bytes_up_to_the_total(
    sample: object, v2_logs: tuple[Path, Truth]
) -> None:
    from vpcpath.flows import FlowsRequest, analyze_flows
    from vpcpath.pricing.table import load_prices

    calls: list[tuple[int, int]] = []
    analyze_flows(
        sample,  # type: ignore[arg-type]
        FlowsRequest(inputs=(str(v2_logs[0]),), batch_bytes=50_000),
        prices=load_prices(),
        progress=lambda done, total: calls.append((done, total)),
    )
    total = sum(p.stat().st_size for p in v2_logs[0].rglob("*.log.gz"))
    assert calls and calls[-1] == (total, total)
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_bar_draws_on_a_terminal_only() -> None:
    import io

    from vpcpath.cli.flows import ByteProgress as _ByteProgress

    stream = io.StringIO()
    bar = _ByteProgress(stream, enabled=True)
    bar(1 << 29, 1 << 30)
    bar(1 << 30, 1 << 30)
    bar.close()
    text = stream.getvalue()
    assert "reading flow logs: 0.50 GiB of 1.00 GiB (50%)" in text
    assert "reading flow logs: 1.00 GiB of 1.00 GiB (100%)" in text
    quiet = io.StringIO()
    _ByteProgress(quiet, enabled=False)(1, 2)
    assert quiet.getvalue() == ""


def test_bad_memory_limit_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], v2_logs: tuple[Path, Truth]
) -> None:
    code = main(["flows", "--sample", str(v2_logs[0]), "--memory-limit", "lots"])
    assert code == 2
    assert "memory limit 'lots': expected a size like 1GB" in capsys.readouterr().err
