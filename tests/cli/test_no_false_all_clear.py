"""No all-clear without evidence: a snapshot with nothing to trace is an error (exit 3), one
with gaps is a partial answer (exit 4) that says what is missing, never "No findings" / 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.estate_builder import S3_PL, Estate, to_endpoint, to_igw
from vpcpath.cli import main


def _audit(folder: Path) -> int:
    return main(["--color", "never", "audit", "--snapshot", str(folder), "--format", "table"])


def test_vpcs_only_is_nothing_to_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    e = Estate()
    e.vpc()
    e.vpc("10.1.0.0/16")
    assert _audit(e.write(tmp_path)) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "vpcpath: error: nothing to audit: the snapshot has no subnets (it has 2 VPCs); "
        "vpcpath needs `aws ec2 describe-subnets` and `describe-route-tables` output"
    )


def test_nothing_understood_is_an_input_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = Estate()
    e.extra_files["Addresses.json"] = {"Addresses": []}
    assert _audit(e.write(tmp_path)) == 3
    assert "no describe output vpcpath understands in 1 JSON files" in capsys.readouterr().err


def test_subnets_without_route_tables_are_partial_not_all_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = Estate()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    assert _audit(e.write(tmp_path)) == 4
    out = capsys.readouterr().out
    assert "No findings: every audited path" not in out
    assert "No findings in what could be audited; 1 part(s) of the snapshot could not be" in out
    assert f"skipped {subnet}: subnet {subnet} has no explicit route table association" in out


def test_complete_snapshot_without_findings_is_an_all_clear(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    igw = e.igw(vpc)
    table = e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(subnet,), main=True)
    e.gateway_endpoint(vpc, "s3", (table,))
    e.gateway_endpoint(vpc, "dynamodb", (table,))
    assert _audit(e.write(tmp_path)) == 0
    assert "No findings: every audited path is already on its cheapest route." in (
        capsys.readouterr().out
    )


def test_explain_with_a_missing_prefix_list_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = Estate()
    vpc = e.vpc()
    subnet = e.subnet(vpc, "10.0.0.0/24")
    table = e.route_table(vpc, [], subnets=(subnet,))
    vpce = e.gateway_endpoint(vpc, "s3", (table,))
    e.docs["RouteTables"][0]["Routes"].append(to_endpoint(S3_PL["us-east-1"], vpce))
    argv = ["explain", "--snapshot", str(e.write(tmp_path)), "--from", subnet, "--to", "s3"]
    assert main(argv) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"vpcpath: warning: partial answer: prefix list {S3_PL['us-east-1']}")


def test_explain_on_vpcs_only_says_there_is_nothing_to_trace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    e = Estate()
    e.vpc()
    argv = ["explain", "--snapshot", str(e.write(tmp_path)), "--from", "10.0.0.5", "--to", "s3"]
    assert main(argv) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(
        "vpcpath: error: nothing to trace: the snapshot has no subnets (it has 1 VPC); "
    )
