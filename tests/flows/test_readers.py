"""Readers: the default format with status and REJECT records, v5 pkt-* fields, custom field
orders, Parquet, and bad input (malformed lines with file:line, truncated gzip, unreadable
headers). AWS's own example records are read in ``tests/corpus/test_flowlog_aws_examples.py``."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest

from vpcpath.errors import FlowLogError
from vpcpath.flows.fields import DEFAULT_FORMAT
from vpcpath.flows.readers import Container, read_format


def _log(path: Path, fields: tuple[str, ...] | list[str], records: list[str]) -> Path:
    path.write_text(" ".join(fields) + "\n" + "\n".join(records) + "\n", encoding="ascii")
    return path


def test_default_format_counts_status_records_and_no_reject_bytes(
    tmp_path: Path, scan: Any
) -> None:
    path = _log(
        tmp_path / "default.log",
        DEFAULT_FORMAT,
        [
            "2 111122223333 eni-0a 10.0.0.5 52.216.1.1 40000 443 6 10 5000 100 160 ACCEPT OK",
            "2 111122223333 eni-0a 198.51.100.7 10.0.0.5 50000 22 6 1 40 100 160 REJECT OK",
            "2 111122223333 eni-0b - - - - - - - 100 160 - NODATA",
            "2 111122223333 eni-0c - - - - - - - 100 160 - SKIPDATA",
            "2 111122223333 eni-0a 2001:db8::5 2600:1f18::1 40002 443 6 4 700 100 160 ACCEPT OK",
        ],
    )
    assert scan(path).totals() == {
        "records": 5,
        "malformed": 0,
        "nodata": 1,
        "skipdata": 1,
        "bytes": 5000 + 700,  # REJECT records carried no bytes anywhere
    }


def test_v5_pkt_service_fields_are_read(tmp_path: Path, scan: Any) -> None:
    fields = [
        "version",
        "srcaddr",
        "dstaddr",
        "subnet-id",
        "instance-id",
        "bytes",
        "action",
        "log-status",
        "pkt-src-aws-service",
        "pkt-dst-aws-service",
        "flow-direction",
        "traffic-path",
    ]
    path = _log(
        tmp_path / "v5.log",
        fields,
        [
            "5 10.0.0.7 52.216.8.9 subnet-0a i-0a 600 ACCEPT OK - S3 egress 8",
            "5 52.216.8.9 10.0.0.7 subnet-0a i-0a 90000 ACCEPT OK S3 - ingress -",
        ],
    )
    rows = scan(path).query(
        "SELECT srcaddr, dstaddr, pkt_src_aws_service, pkt_dst_aws_service, subnet_id,"
        " instance_id, bytes FROM pairs ORDER BY bytes"
    )
    assert rows == [
        ("10.0.0.7", "52.216.8.9", None, "S3", "subnet-0a", "i-0a", 600),
        ("52.216.8.9", "10.0.0.7", "S3", None, "subnet-0a", "i-0a", 90000),
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
    query = (
        "SELECT interface_id, srcaddr, dstaddr, bytes, accepted, records FROM pairs ORDER BY ALL"
    )
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
    examples = scanned.engine.state().examples
    found = sorted((e.line, e.reason) for e in examples)
    assert found == [
        (3, "bytes is '1.5', not an integer or '-'"),
        (4, "fewer fields than the header names"),
        (5, "more fields than the header names"),
        (6, "a numeric field holds something other than an integer"),
        (8, "bytes is '0x10', not an integer or '-'"),
    ]
    assert {e.file for e in examples} == {str(path)}


def test_examples_are_the_lines_the_check_refused_and_no_others(tmp_path: Path, scan: Any) -> None:
    line = "2 1 eni-0a 10.0.0.5 52.216.1.1 {port} 443 6 3 {b} 100 160 ACCEPT OK"
    lines = [
        line.format(port=1, b="9223372036854775807"),  # the largest BIGINT: ok
        line.format(port=1, b="0000000000000000042"),  # 19 digits, not canonical
        line.format(port=-1, b=10),  # a negative port
        line.format(port="-0", b=20),  # zero: ok
        line.format(port=1, b="12x"),
    ]
    scanned = scan(_log(tmp_path / "bad.log", DEFAULT_FORMAT, lines))
    assert scanned.totals()["malformed"] == 3
    assert [(e.line, e.reason) for e in scanned.engine.state().examples] == [
        (3, "bytes is '0000000000000000042', not an integer or '-'"),
        (4, "a numeric field holds a negative number"),
        (6, "bytes is '12x', not an integer or '-'"),
    ]


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path, scan: Any) -> None:
    line = "2 1 eni-0a 10.0.0.5 52.216.1.1 {p} 443 6 3 1000 100 160 ACCEPT OK"
    body = " ".join(DEFAULT_FORMAT) + "\n" + "\n".join(line.format(p=i) for i in range(50000))
    whole = gzip.compress((body + "\n").encode(), compresslevel=1)
    path = tmp_path / "cut.log.gz"
    path.write_bytes(whole[: len(whole) // 2])
    scanned = scan(path)
    errors = scanned.engine.state().errors
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
