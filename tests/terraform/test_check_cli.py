"""`vpcpath check` on the command line: every format, exit codes, assumed money, --output."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from tests.terraform.conftest import FIXTURES, check_json, run

FLAT_STATE = str(FIXTURES / "flat-state.json")


def test_fail_on_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--terraform", FLAT_STATE, "--fail-on", "high"]) == 1
    assert run(["check", "--terraform", FLAT_STATE, "--fail-on", "critical"]) == 0
    assert run(["check", "--terraform", FLAT_STATE]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "--terraform", FLAT_STATE, "--format", "html"],
        ["check", "--terraform", FLAT_STATE, "--fail-on", "severe"],
        ["check", "--terraform", FLAT_STATE, "--assume-gb-per-month", "0"],
        ["check", "--terraform", FLAT_STATE, "--assume-gb-per-month", "lots"],
        ["check", "--terraform", FLAT_STATE, "--assume-gb-per-month", "inf"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    assert "vpcpath: error:" in capsys.readouterr().err


def test_not_terraform_output_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "snapshot.json"
    other.write_text(json.dumps({"Vpcs": []}))
    assert run(["check", "--terraform", str(other)]) == 3
    err = capsys.readouterr().err
    assert f"{other}: no format_version key; expected the JSON that `terraform show -json`" in err


def test_assumed_money_is_labelled_and_exact(capsys: pytest.CaptureFixture[str]) -> None:
    table = json.loads((resources.files("vpcpath.pricing") / "data" / "prices.json").read_text())
    rates = table["regions"]["us-east-1"]
    doc = check_json("flat-state.json", "--assume-gb-per-month", "100", capsys=capsys)
    by_id = {f["id"]: f for f in doc["findings"]}
    dynamo = by_id["dynamodb-via-nat:vpc-0f1a2b3c4d5e6f701"]  # 3 subnets through NAT
    assert dynamo["bytes_per_month"] == 3 * 100 * 2**30
    assert dynamo["usd_per_month"] == round(3 * 100 * rates["nat_gateway_gb"], 2) == 13.5
    assert dynamo["money_basis"].startswith("assumed, not observed: 100 GiB/month × 3 subnet(s)")
    cross = by_id["cross-az-nat:subnet-0c0c0c0c0c0c0c0cb"]  # both sides of the crossing
    assert cross["usd_per_month"] == round(100 * 2 * rates["cross_az_gb"], 2) == 2.0
    endpoint_b = by_id["s3-endpoint-not-associated:rtb-0202020202020202b"]
    assert endpoint_b["usd_per_month"] == 4.5
    assert doc["summary"]["usd_per_month_avoidable"] == 13.5 + 2.0 + 4.5 + 4.5
    assert "assumed 100 GiB a month" in doc["summary"]["scaling"]


def test_text_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--color", "never", "check", "--terraform", FLAT_STATE]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == (
        "vpcpath check: 4 findings (3 high, 1 low); not priced (a plan carries no traffic)"
    )
    assert lines[1] == f"{FLAT_STATE}: state (Terraform 1.9.8, us-east-1)"
    assert (
        "[high] s3-endpoint-not-associated:rtb-0202020202020202b  vpce-03030303030303031 is not "
        "associated with rtb-0202020202020202b" in out
    )
    assert (
        '  addresses: aws_route_table.app["b"], aws_subnet.app["b"], aws_nat_gateway.main,' in out
    )
    assert '      route_table_id  = aws_route_table.app["b"].id' in out
    assert "2 resource(s) of 2 type(s) not modelled" in out and "--verbose lists them" in out
    assert "  aws_eip.nat" not in out


def test_verbose_lists_unmodelled(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--verbose", "check", "--terraform", FLAT_STATE]) == 0
    out = capsys.readouterr().out
    assert "\n  aws_eip.nat\n  aws_security_group.app\n" in out


def test_markdown_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--terraform", FLAT_STATE, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# vpcpath check: 4 findings (3 high, 1 low)")
    assert (
        '| high | `s3-endpoint-not-associated:rtb-0202020202020202b` | `aws_route_table.app["b"]`'
        in out
    )
    assert '```hcl\nresource "aws_vpc_endpoint_route_table_association"' in out


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.sarif"
    argv = ["check", "--terraform", FLAT_STATE, "--format", "sarif", "--output", str(target)]
    assert run([*argv, "--fail-on", "low"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"— wrote {target}" in captured.err
    assert json.loads(target.read_text())["version"] == "2.1.0"
