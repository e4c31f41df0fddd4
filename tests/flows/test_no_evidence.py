""" "$0.00" only with evidence: inputs that prove nothing are errors (3) or partial (4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main

DEFAULT = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
)
# The sample's prod-batch ENI, to an S3 address through its NAT gateway.
GOOD = (
    "2 111122223333 eni-069bf417deb59f0da 10.0.70.12 52.216.10.10 40000 443 6 10 1000 "
    "1714521600 1714521660 ACCEPT OK"
)
OTHER_ACCOUNT = GOOD.replace("111122223333", "999988887777").replace("eni-069b", "eni-fff")
TGW = (
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
    "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
    "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
    "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
    "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
    "flow-direction pkt-src-aws-service pkt-dst-aws-service"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def flows(capsys: pytest.CaptureFixture[str], *paths: Path | str) -> tuple[int, str, str]:
    return run(capsys, "flows", "--sample", "--offline", "--json", *map(str, paths))


def test_good_records_answer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "good.log"
    path.write_text(f"{DEFAULT}\n{GOOD}\n")
    code, out, err = flows(capsys, path)
    assert (code, err) == (0, "")
    assert json.loads(out)["totals"]["nat_bytes"] == 1000


def test_nodata_of_the_snapshots_eni_proves_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "quiet.log"
    path.write_text(
        f"{DEFAULT}\n2 111122223333 eni-069bf417deb59f0da - - - - - - - 1714521600 1714521660"
        " - NODATA\n"
    )
    code, out, err = flows(capsys, path)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert (doc["input"]["nodata"], doc["totals"]["nat_bytes"], doc["matched_records"]) == (1, 0, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (f"{DEFAULT}\n", "no flow records in 1 file: the files hold no records (a header only?)"),
        (
            f"{DEFAULT}\n{GOOD} extra\n{GOOD.replace(' 1000 ', ' 1e3 ')}\n",
            "no usable flow records in 1 file (2 records read, 2 malformed)",
        ),
        (
            f"{DEFAULT}\n2 111122223333 eni-069bf417deb59f0da - - - - - - - 1714521600 "
            "1714521660 - SKIPDATA\n",
            "no usable flow records in 1 file (1 records read, 0 malformed, 1 SKIPDATA",
        ),
        (
            f"{DEFAULT}\n{OTHER_ACCOUNT}\n",
            "none of the 1 usable records in 1 file belongs to a network interface, subnet or "
            "NAT gateway of the snapshot: 1000 bytes in 1 ACCEPT records: the record's account "
            "is not in the snapshot (999988887777)",
        ),
        (
            "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr\n"
            "- eni-0a 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5\n",
            "no bytes field in its format (instance-id interface-id srcaddr dstaddr pkt-srcaddr "
            "pkt-dstaddr): vpcpath needs bytes, action, srcaddr, dstaddr in each record",
        ),
        (
            f"{TGW}\n",
            "a transit gateway flow log (tgw-* fields, no interface-id)",
        ),
    ],
    ids=["header-only", "all-malformed", "skipdata-only", "other-account", "no-bytes", "tgw"],
)
def test_input_that_proves_nothing_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "input.log"
    path.write_text(content)
    code, out, err = flows(capsys, path)
    assert (code, out) == (3, "")
    assert err.startswith("vpcpath: error: ")
    assert message in err
    assert "$0" not in err


def test_a_file_set_aside_makes_the_answer_partial(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a-good.log").write_text(f"{DEFAULT}\n{GOOD}\n")
    tgw = tmp_path / "b-tgw.log"
    tgw.write_text(f"{TGW}\n")
    code, out, err = flows(capsys, tmp_path)
    assert code == 4
    doc = json.loads(out)
    assert_contract(doc, "flows-1")
    assert doc["totals"]["nat_bytes"] == 1000
    assert [e["file"] for e in doc["input"]["errors"]] == [str(tgw)]
    assert doc["input"]["errors"][0]["message"].startswith("not read: a transit gateway flow log")
    assert f"vpcpath: error: {tgw}: not read: a transit gateway flow log" in err


def test_a_folder_without_flow_logs_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "describe-vpcs.json").write_text('{"Vpcs": []}')
    (tmp_path / "notes.md").write_text("# notes\n")
    code, out, err = flows(capsys, tmp_path)
    assert (code, out) == (3, "")
    assert err == "vpcpath: error: no flow-log files to read\n"


def test_headerless_export_is_named_and_read_with_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "export.log"
    path.write_text(f"{GOOD}\n")
    code, out, err = flows(capsys, path)
    assert (code, out) == (3, "")
    assert "looks like a CloudWatch Logs export" in err
    assert f'--fields "{DEFAULT}"' in err
    for flag in (["--format", "default"], ["--fields", "default"], ["--fields", DEFAULT]):
        code, out, err = run(capsys, "flows", "--sample", "--offline", "--json", *flag, str(path))
        assert (code, err) == (0, ""), flag
        doc = json.loads(out)
        assert (doc["input"]["records"], doc["totals"]["nat_bytes"]) == (1, 1000)


def test_fields_that_do_not_fit_the_records_prove_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "export.log"
    path.write_text(f"{GOOD}\n")
    code, _, err = run(
        capsys,
        "flows",
        "--sample",
        "--offline",
        "--fields",
        "version srcaddr dstaddr bytes action",
        str(path),
    )
    assert code == 3
    assert "no usable flow records in 1 file (1 records read, 1 malformed)" in err
