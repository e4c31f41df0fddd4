"""Readers: AWS's own example records, custom field orders, v5 pkt-* fields, Parquet, and bad
input (malformed lines with file:line, NODATA/SKIPDATA, truncated gzip, unreadable headers)."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from vpcpath.errors import FlowLogError
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.readers import Container, read_format

EXAMPLES = "flowlog-record-examples.txt"


def example_blocks(shared_data: Path) -> list[tuple[tuple[str, ...], list[str]]]:
    """(format, records) per run of records in AWS's example file, in document order.

    Blocks are separated by ``---``; a block whose one line is a list of field names sets the
    format of the blocks after it; before the first such list, records use the default format.
    Trailing ``#…`` remarks are the documentation's, not part of the records.
    """
    text = (shared_data / EXAMPLES).read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.startswith("# ")]
    fmt = DEFAULT_FORMAT
    out: list[tuple[tuple[str, ...], list[str]]] = []
    for block in "\n".join(body).split("---"):
        lines = [line.split(" #")[0].rstrip() for line in block.strip().splitlines()]
        lines = [line for line in lines if line and line != "..."]
        if len(lines) == 1 and all(t.replace("-", "").isalpha() for t in lines[0].split()):
            fmt = tuple(lines[0].split())
            continue
        out.append((fmt, lines))
    return out


def write_by_format(shared_data: Path, folder: Path) -> dict[tuple[str, ...], Path]:
    merged: dict[tuple[str, ...], list[str]] = {}
    for fmt, lines in example_blocks(shared_data):
        merged.setdefault(fmt, []).extend(lines)
    paths: dict[tuple[str, ...], Path] = {}
    for i, (fmt, lines) in enumerate(merged.items()):
        path = folder / f"format-{i}.log"
        path.write_text(" ".join(fmt) + "\n" + "\n".join(lines) + "\n", encoding="ascii")
        paths[fmt] = path
    return paths


def test_aws_examples_default_format(shared_data: Path, tmp_path: Path, scan: Any) -> None:
    path = write_by_format(shared_data, tmp_path)[DEFAULT_FORMAT]
    totals = scan(path).totals()
    # 7 records: ACCEPT 4249 (SSH), REJECT (RDP), NODATA, SKIPDATA, ACCEPT 336 (ICMP),
    # REJECT (ICMP), ACCEPT 8855 (IPv6). REJECT records carry no bytes.
    assert totals == {
        "records": 7,
        "malformed": 0,
        "nodata": 1,
        "skipdata": 1,
        "bytes": 4249 + 336 + 8855,
    }


def test_aws_examples_custom_v3_format_with_a_doubled_space(
    shared_data: Path, tmp_path: Path, scan: Any
) -> None:
    paths = write_by_format(shared_data, tmp_path)
    fmt = next(f for f in paths if f[:3] == ("version", "vpc-id", "subnet-id"))
    scanned = scan(paths[fmt])
    totals = scanned.totals()
    # 8 records; the doc's "5001 43638  10.0.0.62" has a doubled space: one field too many.
    assert totals["records"] == 8
    assert totals["malformed"] == 1
    assert totals["bytes"] == 568 + 376 + 100701 + 632 + 63388 + 23294588 + 1260
    count, examples = scanned.engine.rejected_lines()
    assert count == 1
    assert [(e.file, e.line, e.reason) for e in examples] == [
        (str(paths[fmt]), 9, "more fields than the header names")
    ]
    assert "43638  10.0.0.62" in examples[0].text


def test_aws_examples_nat_and_transit_formats_without_bytes(
    shared_data: Path, tmp_path: Path, scan: Any
) -> None:
    paths = write_by_format(shared_data, tmp_path)
    nat_fmt = ("instance-id", "interface-id", "srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr")
    scanned = scan(paths[nat_fmt])
    assert scanned.totals() == {
        "records": 6,
        "malformed": 0,
        "nodata": 0,
        "skipdata": 0,
        "bytes": 0,
    }
    # The client leg of the NAT gateway example: pkt-dstaddr is the real remote.
    assert ("10.0.1.5", "10.0.0.220", "10.0.1.5", "203.0.113.5") in scanned.query(
        "SELECT srcaddr, dstaddr, pkt_srcaddr, pkt_dstaddr FROM pairs"
    )
    tgw_fmt = next(f for f in paths if f[:2] == ("version", "interface-id"))
    assert scan(paths[tgw_fmt]).totals()["records"] == 4


def test_aws_examples_v5_pkt_service_fields(shared_data: Path, tmp_path: Path, scan: Any) -> None:
    paths = write_by_format(shared_data, tmp_path)
    v5 = next(f for f in paths if "pkt-dst-aws-service" in f)
    scanned = scan(paths[v5])
    rows = scanned.query(
        "SELECT srcaddr, dstaddr, pkt_src_aws_service, pkt_dst_aws_service, subnet_id,"
        " instance_id, bytes FROM pairs ORDER BY bytes"
    )
    assert rows == [
        (
            "10.0.0.71",
            "52.95.128.179",
            None,
            "S3",
            "subnet-aaaaaaaa012345678",
            "i-0c50d5961bcb2d47b",
            471,
        ),
        (
            "52.95.128.179",
            "10.0.0.71",
            "S3",
            None,
            "subnet-aaaaaaaa012345678",
            "i-0c50d5961bcb2d47b",
            15044,
        ),
    ]


def test_any_field_order_reads_the_same(tmp_path: Path, scan: Any) -> None:
    records = [
        "2 111122223333 eni-0a 10.0.0.5 52.216.1.1 40000 443 6 3 1200 100 160 ACCEPT OK",
        "2 111122223333 eni-0a 52.216.1.1 10.0.0.5 443 40000 6 9 90000 100 160 ACCEPT OK",
        "2 111122223333 eni-0a 10.0.0.5 52.216.1.1 40001 443 6 3 777 100 160 REJECT OK",
    ]
    plain = tmp_path / "default.log"
    plain.write_text(" ".join(DEFAULT_FORMAT) + "\n" + "\n".join(records) + "\n")
    order = list(reversed(DEFAULT_FORMAT))
    shuffled = tmp_path / "reversed.log.gz"
    with gzip.open(shuffled, "wt") as handle:
        handle.write(" ".join(order) + "\n")
        for line in records:
            values = dict(zip(DEFAULT_FORMAT, line.split(" "), strict=True))
            handle.write(" ".join(values[name] for name in order) + "\n")
    query = "SELECT interface_id, srcaddr, dstaddr, bytes, accepted, records FROM pairs ORDER BY 2"
    assert read_format(shuffled, "x").container is Container.GZIP
    a, b = scan(plain), scan(shuffled)
    assert a.query(query) == b.query(query)
    assert a.totals()["bytes"] == 1200 + 90000


def test_parquet_with_underscore_columns(tmp_path: Path, scan: Any) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "version": pa.array([5, 5, 5], pa.int32()),
            "interface_id": ["eni-0a", "eni-0a", "eni-0a"],
            "srcaddr": ["10.0.0.5", "52.216.1.1", None],
            "dstaddr": ["52.216.1.1", "10.0.0.5", None],
            "bytes": pa.array([1200, 90000, None], pa.int64()),
            "start": pa.array([100, 100, 100], pa.int64()),
            "end": pa.array([160, 160, 160], pa.int64()),
            "action": ["ACCEPT", "ACCEPT", None],
            "log_status": ["OK", "OK", "NODATA"],
            "pkt_dst_aws_service": ["S3", None, None],
        }
    )
    path = tmp_path / "flows.log.parquet"
    pq.write_table(table, path)
    fmt = read_format(path, str(path))
    assert fmt.container is Container.PARQUET
    assert fmt.fields[:3] == ("version", "interface-id", "srcaddr")
    scanned = scan(path)
    assert scanned.totals() == {
        "records": 3,
        "malformed": 0,
        "nodata": 1,
        "skipdata": 0,
        "bytes": 91200,
    }
    assert scanned.query("SELECT pkt_dst_aws_service FROM pairs WHERE srcaddr = '10.0.0.5'") == [
        ("S3",)
    ]


def test_malformed_lines_are_counted_with_file_and_line(tmp_path: Path, scan: Any) -> None:
    good = "2 1 eni-0a 10.0.0.5 52.216.1.1 1 443 6 3 {b} 100 160 ACCEPT OK"
    lines = [
        good.format(b=100),
        good.format(b="1.5"),  # not an integer
        good.format(b=200).rsplit(" ", 1)[0],  # a field short
        good.format(b=300) + " extra",  # a field too many
        "2 1 eni-0a 10.0.0.5 52.216.1.1 1 443 6 three 400 100 160 ACCEPT OK",  # packets
        good.format(b=500),
        good.format(b="0x10"),
    ]
    path = tmp_path / "bad.log.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(" ".join(DEFAULT_FORMAT) + "\n" + "\n".join(lines) + "\n")
    scanned = scan(path)
    assert scanned.totals() == {
        "records": 7,
        "malformed": 5,
        "nodata": 0,
        "skipdata": 0,
        "bytes": 600,
    }
    examples = scanned.engine.state.examples + scanned.engine.rejected_lines()[1]
    found = sorted((e.line, e.reason) for e in examples)
    assert found == [
        (3, "bytes is '1.5', not an integer or '-'"),
        (4, "fewer fields than the header names"),
        (5, "more fields than the header names"),
        (6, "a numeric field holds something other than an integer"),
        (8, "bytes is '0x10', not an integer or '-'"),
    ]
    assert {e.file for e in examples} == {str(path)}


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path, scan: Any) -> None:
    line = "2 1 eni-0a 10.0.0.5 52.216.1.1 {p} 443 6 3 1000 100 160 ACCEPT OK"
    body = " ".join(DEFAULT_FORMAT) + "\n" + "\n".join(line.format(p=i) for i in range(50000))
    whole = gzip.compress((body + "\n").encode(), compresslevel=1)
    path = tmp_path / "cut.log.gz"
    path.write_bytes(whole[: len(whole) // 2])
    scanned = scan(path)
    errors = scanned.engine.state.errors
    assert len(errors) == 1
    assert errors[0].file == str(path)
    assert "damaged gzip data" in errors[0].message
    totals = scanned.totals()
    # Every complete line before the cut, nothing after it.
    kept = totals["records"]
    assert 0 < kept < 50000
    assert totals["bytes"] == 1000 * kept
    assert f"read the {kept} records before the damage" in errors[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"2 111122223333 eni-0a 10.0.0.5 1.2.3.4 1 2 6 1 1 1 2 ACCEPT OK\n", "not a header"),
        (b"", "empty file"),
        (b"version version bytes\n", "names a field twice"),
        (b"\x1f\x8b\x08\x00garbage", "cannot read the header line"),
    ],
)
def test_unreadable_header_names_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad-header.log"
    path.write_bytes(content)
    with pytest.raises(FlowLogError, match=message) as info:
        read_format(path, str(path))
    assert str(path) in str(info.value)
