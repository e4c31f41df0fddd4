"""A flow record is credited to a workload of the snapshot only within its own network.

The sample estate's ``prod-batch`` subnet (10.0.64.0/20, vpc-0b873741c03378b7d, account
111122223333, us-east-1) sends everything outside the VPC through nat-02c7f1abd219e91b4; its
ENI eni-069bf417deb59f0da holds 10.0.70.12. Every record below leaves from 10.0.70.12 to an S3
address; only those that belong to that VPC, account and region may count as its NAT bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main

HEADER = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status vpc-id subnet-id region"
)
SAMPLE_ACCOUNT = "111122223333"
PROD_BATCH = "subnet-06a183592e89e1674"
NAT = "nat-02c7f1abd219e91b4"


def record(
    eni: str,
    nbytes: int,
    *,
    account: str = SAMPLE_ACCOUNT,
    src: str = "10.0.70.12",
    vpc: str = "-",
    subnet: str = "-",
    region: str = "us-east-1",
) -> str:
    return (
        f"5 {account} {eni} {src} 52.216.10.10 40000 443 6 10 {nbytes} 1714521600 1714521660 "
        f"ACCEPT OK {vpc} {subnet} {region}"
    )


def write_log(path: Path, *records: str) -> Path:
    path.write_text("\n".join((HEADER, *records)) + "\n")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def other_networks() -> list[str]:
    """Records of the snapshot's networks and of others that reuse their addresses."""
    return [
        # Must trigger: the snapshot's own ENI, and an ENI created after the snapshot whose
        # account, region and address place it in prod-batch.
        record("eni-069bf417deb59f0da", 1000),
        record("eni-0fffffffffffffff1", 2000),
        # Must not: the same address in a VPC, account, region or subnet the snapshot lacks.
        record("eni-0fffffffffffffff2", 4000, vpc="vpc-0abc0000000000000"),
        record("eni-0fffffffffffffff3", 8000, account="999988887777"),
        record("eni-0fffffffffffffff4", 16000, region="ap-south-1"),
        record("eni-0fffffffffffffff5", 32000, subnet="subnet-0fff0000000000000"),
        record("eni-0fffffffffffffff6", 64000, src="10.99.0.5"),
        # Must not: the snapshot's own ENI and subnet ids, in records of another region/VPC.
        record("eni-069bf417deb59f0da", 128000, region="eu-west-1"),
        record("eni-0fffffffffffffff7", 256000, subnet=PROD_BATCH, vpc="vpc-0abc0000000000000"),
    ]


def test_records_of_other_networks_are_reported_not_credited(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(tmp_path / "mixed.log", *other_networks())
    code, out, err = run(capsys, "flows", "--sample", "--offline", "--json", str(log))
    assert code == 0, err
    doc = json.loads(out)
    assert_contract(doc, "flows-1")
    rows = sorted(
        (r["nat_gateway_id"], r["source_subnet_id"], r["source_eni_id"], r["bytes_to_destination"])
        for r in doc["nat_traffic"]
    )
    assert rows == [
        (NAT, PROD_BATCH, "eni-069bf417deb59f0da", 1000),
        (NAT, PROD_BATCH, "eni-0fffffffffffffff1", 2000),
    ]
    assert doc["totals"]["nat_bytes"] == 3000
    assert [(u["reason"], u["records"], u["bytes"], u["named"]) for u in doc["unattributed"]] == [
        ("conflicting-ids", 2, 384000, []),
        ("address-in-no-subnet", 1, 64000, []),
        ("subnet-not-in-snapshot", 1, 32000, ["subnet-0fff0000000000000"]),
        ("region-not-in-snapshot", 1, 16000, ["ap-south-1"]),
        ("account-not-in-snapshot", 1, 8000, ["999988887777"]),
        ("vpc-not-in-snapshot", 1, 4000, ["vpc-0abc0000000000000"]),
    ]
    assert doc["matched_records"] == 2


def test_text_report_names_what_was_not_attributed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = write_log(
        tmp_path / "other-vpc.log",
        record("eni-069bf417deb59f0da", 1000),
        record("eni-0fffffffffffffff2", 4000, vpc="vpc-0abc0000000000000"),
    )
    code, out, err = run(capsys, "flows", "--sample", "--offline", str(log))
    assert code == 0, err
    assert "Not attributed to the snapshot (ACCEPT records, not counted above):" in out
    assert (
        "  3.91 KiB in 1 records: the record's vpc-id is not in the snapshot "
        "(vpc-0abc0000000000000)" in out
    )
    assert "Not attributed (source subnet, direction or route unknown)" not in out


@pytest.mark.parametrize(("region", "attributed"), [("us-east-1", True), ("ap-south-1", False)])
def test_region_of_an_s3_delivered_file_scopes_its_records(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, region: str, attributed: bool
) -> None:
    folder = tmp_path / "AWSLogs" / SAMPLE_ACCOUNT / "vpcflowlogs" / region / "2024/05/01"
    folder.mkdir(parents=True)
    name = f"{SAMPLE_ACCOUNT}_vpcflowlogs_{region}_fl-0123_20240501T0000Z_abcd.log"
    default = (
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
        "bytes start end action log-status"
    )
    unknown_eni = (
        f"2 {SAMPLE_ACCOUNT} eni-0fffffffffffffff1 10.0.70.12 52.216.10.10 40000 443 6 10 "
        "5000 1714521600 1714521660 ACCEPT OK"
    )
    known_eni = unknown_eni.replace("eni-0fffffffffffffff1", "eni-069bf417deb59f0da").replace(
        " 5000 ", " 7 "
    )
    (folder / name).write_text(f"{default}\n{unknown_eni}\n")
    # The snapshot's own ENI, in a file with no origin in its path.
    (tmp_path / "own.log").write_text(f"{default}\n{known_eni}\n")
    code, out, err = run(capsys, "flows", "--sample", "--offline", "--json", str(tmp_path))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["totals"]["nat_bytes"] == (5007 if attributed else 7)
    expected = [] if attributed else [("region-not-in-snapshot", 1, 5000, ["ap-south-1"])]
    assert [(u["reason"], u["records"], u["bytes"], u["named"]) for u in doc["unattributed"]] == (
        expected
    )
