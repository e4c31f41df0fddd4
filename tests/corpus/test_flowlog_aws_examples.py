"""Flow-log readers on the example records of the AWS VPC user guide (the corpus's
``flowlog-record-examples.txt``): default format, custom orders, NAT and transit gateway
formats, v5 ``pkt-*`` fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vpcpath.flows.fields import DEFAULT_FORMAT

EXAMPLES = "flowlog-record-examples.txt"


def example_blocks(corpus: Path) -> list[tuple[tuple[str, ...], list[str]]]:
    """(format, records) per run of records in AWS's example file, in document order.

    Blocks are separated by ``---``; a block whose one line is a list of field names sets the
    format of the blocks after it; before the first such list, records use the default format.
    Trailing ``#…`` remarks are the documentation's, not part of the records.
    """
    text = (corpus / EXAMPLES).read_text(encoding="utf-8")
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


def write_by_format(corpus: Path, folder: Path) -> dict[tuple[str, ...], Path]:
    merged: dict[tuple[str, ...], list[str]] = {}
    for fmt, lines in example_blocks(corpus):
        merged.setdefault(fmt, []).extend(lines)
    paths: dict[tuple[str, ...], Path] = {}
    for i, (fmt, lines) in enumerate(merged.items()):
        path = folder / f"format-{i}.log"
        path.write_text(" ".join(fmt) + "\n" + "\n".join(lines) + "\n", encoding="ascii")
        paths[fmt] = path
    return paths


def test_aws_examples_default_format(corpus: Path, tmp_path: Path, scan: Any) -> None:
    path = write_by_format(corpus, tmp_path)[DEFAULT_FORMAT]
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
    corpus: Path, tmp_path: Path, scan: Any
) -> None:
    paths = write_by_format(corpus, tmp_path)
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
    corpus: Path, tmp_path: Path, scan: Any
) -> None:
    paths = write_by_format(corpus, tmp_path)
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


def test_aws_examples_v5_pkt_service_fields(corpus: Path, tmp_path: Path, scan: Any) -> None:
    paths = write_by_format(corpus, tmp_path)
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
