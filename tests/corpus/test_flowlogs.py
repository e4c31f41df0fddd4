"""Every flow-log file of ``real-world/flowlogs`` (AWS documentation examples, Elastic's parser
fixtures): the exact counts, the bytes attributed, or the specific error that is due.

The expected numbers were counted by reading each file, not by running vpcpath: a line is a
record when it is not the header; its fields are split on single spaces and paired with the
header's names; it is malformed when the count differs from the header's; NODATA/SKIPDATA are
its ``log-status``; bytes are the ``bytes`` of the ACCEPT records whose status is OK (REJECT
records carried nothing; NODATA/SKIPDATA records carry no traffic, even where Elastic's
fixtures give them a number). Each case says which lines make its numbers.

The snapshot is written here (not taken from the corpus): the network the AWS documentation's
examples describe — account 123456789010, us-east-1, vpc-abcdefab012345678 with the private
subnet-aaaaaaaa012345678 (10.0.0.0/24, whose default route goes to a NAT gateway) — so the
files that belong to it are attributed, and the others (other accounts, regions, address
ranges) must not be.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main
from vpcpath.errors import FlowLogError, NoFlowEvidence
from vpcpath.flows import FlowsRequest, FlowsResult, analyze_flows
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices
from vpcpath.report.flows_json import flows_to_json
from vpcpath.sources.folder import load_snapshot

ACCOUNT, REGION, VPC = "123456789010", "us-east-1", "vpc-abcdefab012345678"
PRIVATE, PUBLIC = "subnet-aaaaaaaa012345678", "subnet-bbbbbbbb012345678"
NAT, NAT_ENI = "nat-0a1b2c3d4e5f60718", "eni-0a1b2c3d4e5f60718"
S3_LAYOUT = (
    "awsdocs-s3-layout/AWSLogs/123456789010/vpcflowlogs/us-east-1/2019/08/26/"
    "123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20190826T1945Z_hash.log.gz"
)


def _describe(folder: Path) -> None:
    def tags(name: str) -> list[dict[str, str]]:
        return [{"Key": "Name", "Value": name}]

    files: dict[str, dict[str, Any]] = {
        "describe-vpcs.json": {
            "Vpcs": [
                {
                    "VpcId": VPC,
                    "OwnerId": ACCOUNT,
                    "CidrBlock": "10.0.0.0/16",
                    "CidrBlockAssociationSet": [
                        {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}}
                    ],
                    "State": "available",
                    "IsDefault": False,
                    "Tags": tags("docs"),
                }
            ]
        },
        "describe-subnets.json": {
            "Subnets": [
                {
                    "SubnetId": sid,
                    "VpcId": VPC,
                    "OwnerId": ACCOUNT,
                    "CidrBlock": cidr,
                    "AvailabilityZone": "us-east-1a",
                    "AvailabilityZoneId": "use1-az1",
                    "State": "available",
                    "Tags": tags(name),
                }
                for sid, cidr, name in (
                    (PRIVATE, "10.0.0.0/24", "private"),
                    (PUBLIC, "10.0.1.0/24", "public"),
                )
            ]
        },
        "describe-route-tables.json": {
            "RouteTables": [
                {
                    "RouteTableId": "rtb-0000000000000000a",
                    "VpcId": VPC,
                    "OwnerId": ACCOUNT,
                    "Associations": [
                        {
                            "Main": True,
                            "RouteTableId": "rtb-0000000000000000a",
                            "AssociationState": {"State": "associated"},
                        }
                    ],
                    "Routes": [
                        {
                            "DestinationCidrBlock": "10.0.0.0/16",
                            "GatewayId": "local",
                            "State": "active",
                        },
                        {
                            "DestinationCidrBlock": "0.0.0.0/0",
                            "NatGatewayId": NAT,
                            "State": "active",
                        },
                    ],
                },
                {
                    "RouteTableId": "rtb-0000000000000000b",
                    "VpcId": VPC,
                    "OwnerId": ACCOUNT,
                    "Associations": [
                        {
                            "Main": False,
                            "SubnetId": PUBLIC,
                            "RouteTableId": "rtb-0000000000000000b",
                            "AssociationState": {"State": "associated"},
                        }
                    ],
                    "Routes": [
                        {
                            "DestinationCidrBlock": "10.0.0.0/16",
                            "GatewayId": "local",
                            "State": "active",
                        },
                        {
                            "DestinationCidrBlock": "0.0.0.0/0",
                            "GatewayId": "igw-0000000000000000c",
                            "State": "active",
                        },
                    ],
                },
            ]
        },
        "describe-internet-gateways.json": {
            "InternetGateways": [
                {
                    "InternetGatewayId": "igw-0000000000000000c",
                    "OwnerId": ACCOUNT,
                    "Attachments": [{"State": "available", "VpcId": VPC}],
                }
            ]
        },
        "describe-nat-gateways.json": {
            "NatGateways": [
                {
                    "NatGatewayId": NAT,
                    "SubnetId": PUBLIC,
                    "VpcId": VPC,
                    "State": "available",
                    "ConnectivityType": "public",
                    "NatGatewayAddresses": [
                        {
                            "NetworkInterfaceId": NAT_ENI,
                            "PrivateIp": "10.0.1.100",
                            "PublicIp": "198.51.100.7",
                            "IsPrimary": True,
                        }
                    ],
                }
            ]
        },
    }
    for name, doc in files.items():
        (folder / name).write_text(json.dumps(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def docs_network(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs-network")
    folder = root / ACCOUNT / REGION
    folder.mkdir(parents=True)
    _describe(folder)
    return root


@pytest.fixture(scope="module")
def snapshot(docs_network: Path) -> Snapshot:
    return load_snapshot(docs_network)


@pytest.fixture(scope="module")
def flowlogs(real_world: Path) -> Path:
    return real_world / "flowlogs"


def read(
    snapshot: Snapshot, path: Path, ip_ranges: Path, **request: Any
) -> tuple[FlowsResult, str | None]:
    """The result, and the no-evidence error's message when there is one."""
    req = FlowsRequest(
        inputs=(str(path),), ip_ranges_path=ip_ranges, allow_download=False, **request
    )
    try:
        return analyze_flows(snapshot, req, prices=load_prices()), None
    except NoFlowEvidence as exc:
        assert isinstance(exc.result, FlowsResult)
        return exc.result, str(exc)


@pytest.fixture(scope="module")
def ip_ranges(corpus: Path) -> Path:
    return corpus / "ip-ranges-2026-07-24.json"


@dataclass(frozen=True)
class Counts:
    records: int
    malformed: int
    nodata: int
    skipdata: int


@dataclass(frozen=True)
class Case:
    counts: Counts
    nat_to: int = 0  # NAT bytes workload → remote
    nat_from: int = 0  # NAT bytes remote → workload
    unattributed: tuple[tuple[str, int, int], ...] = ()  # (reason, ACCEPT records, bytes)
    error: str | None = None  # the no-evidence message's start, when one is due


TCP_FLAGS = Case(
    # 7 ACCEPT records of subnet-aaaa…'s ENI, 10.0.0.62 ↔ 52.213.180.42, all OK; out of the
    # VPC through the NAT: sent 376 + 632 + 63388, received 568 + 100701 + 23294588 + 1260.
    counts=Counts(records=7, malformed=0, nodata=0, skipdata=0),
    nat_to=64396,
    nat_from=23397117,
)
ECS = Case(
    # 10 records: 4 NODATA, 2 SKIPDATA; ACCEPT+OK: lines 5 (67179) and 9 (4775) of account
    # 000000000000, which the snapshot does not hold.
    counts=Counts(records=10, malformed=0, nodata=4, skipdata=2),
    unattributed=(("account-not-in-snapshot", 2, 71954),),
    error="none of the 8 usable records in 1 file belongs to a network interface",
)
DEFAULT_V2 = Case(
    # 7 records, 1 NODATA, 1 SKIPDATA; ACCEPT+OK 4249 + 336 + 8855 between 172.31.x.x,
    # 203.0.113.12 and 2001:db8:…: no subnet of the snapshot holds them.
    counts=Counts(records=7, malformed=0, nodata=1, skipdata=1),
    unattributed=(("address-in-no-subnet", 3, 13440),),
    error="none of the 6 usable records in 1 file belongs to a network interface",
)

CASES: dict[str, Case] = {
    "awsdocs-v3-tcp-flags.log": TCP_FLAGS,
    S3_LAYOUT: TCP_FLAGS,  # the same records, gzipped, where S3 delivery puts them
    "awsdocs-v2-default.log": DEFAULT_V2,
    # The extra samples: the same 7 records as the docs' default example, 78.24.182.42 →
    # 158.109.0.1 in place of 172.31.16.139 → 172.31.16.21.
    "elastic-extra-samples-v2.log": DEFAULT_V2,
    # One record, with a doubled space: one field too many, malformed.
    "awsdocs-v3-doublespace.log": Case(
        counts=Counts(records=1, malformed=1, nodata=0, skipdata=0),
        error="no usable flow records in 1 file (1 records read, 1 malformed)",
    ),
    # Account 123456789012 in ap-southeast-2 names subnet-aaaa…: not the snapshot's subnet
    # of that id (us-east-1, 123456789010). ACCEPT 15044 + 471.
    "awsdocs-v5-s3-traffic-path.log": Case(
        counts=Counts(records=2, malformed=0, nodata=0, skipdata=0),
        unattributed=(("conflicting-ids", 2, 15515),),
        error="none of the 2 usable records in 1 file belongs to a network interface",
    ),
    "elastic-ecs-samples-v7.log": ECS,
    "elastic-ecs-samples-v7.log.gz": ECS,
    "elastic-ecs-samples-v7.parquet": ECS,
    # subnet-aaaa…, account 123456789010: one ACCEPT 52.213.180.42 → 10.0.0.62 of 568 bytes,
    # one SKIPDATA, one NODATA.
    "elastic-tcp-flag-sequence-v3.log": Case(
        counts=Counts(records=3, malformed=0, nodata=1, skipdata=1), nat_from=568
    ),
    # One REJECT record of account 64111117617: nothing counts, nothing is the snapshot's.
    "elastic-v5-all-fields.log": Case(
        counts=Counts(records=1, malformed=0, nodata=0, skipdata=0),
        error="none of the 1 usable records in 1 file belongs to a network interface",
    ),
    # One REJECT NODATA record of account 000000000000.
    "elastic-v8-reject-reason.log": Case(
        counts=Counts(records=1, malformed=0, nodata=1, skipdata=0),
        error="none of the 1 usable records in 1 file belongs to a network interface",
    ),
    "header-only.log": Case(
        counts=Counts(records=0, malformed=0, nodata=0, skipdata=0),
        error="no flow records in 1 file: the files hold no records (a header only?)",
    ),
}

# Files vpcpath cannot read as they are: the message that names what each is.
REFUSED: dict[str, str] = {
    "awsdocs-nat-gateway-pkt.log": "not read: no bytes field in its format (instance-id "
    "interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr)",
    "awsdocs-tgw-v3.log": "not read: no bytes field in its format (version interface-id",
    "elastic-tgw-samples.log": "not read: a transit gateway flow log (tgw-* fields, no "
    "interface-id)",
    "elastic-extra-samples-noheader.log": "line 1 is a flow-log record, not a header: this "
    "looks like a CloudWatch Logs export",
    "elastic-with-message-field.log": "line 1 is JSON",
}


def test_every_file_has_a_case(flowlogs: Path) -> None:
    found = {p.relative_to(flowlogs).as_posix() for p in flowlogs.rglob("*") if p.is_file()}
    assert found == set(CASES) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_counts_bytes_and_outcome(
    snapshot: Snapshot, flowlogs: Path, ip_ranges: Path, name: str
) -> None:
    case = CASES[name]
    result, error = read(snapshot, flowlogs / name, ip_ranges)
    s = result.input
    assert Counts(s.records, s.malformed, s.nodata, s.skipdata) == case.counts
    to = sum(r.bytes_to_destination for r in result.nat_traffic)
    got = sum(r.bytes_from_destination for r in result.nat_traffic)
    assert (to, got) == (case.nat_to, case.nat_from)
    assert {r.nat_gateway_id for r in result.nat_traffic} <= {NAT}
    assert {r.source_subnet_id for r in result.nat_traffic} <= {PRIVATE}
    assert tuple((u.reason, u.records, u.bytes) for u in result.unattributed) == (case.unattributed)
    if case.error is None:
        assert error is None
    else:
        assert error is not None and error.startswith(case.error)
    assert_contract(flows_to_json(result), "flows-1")


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_files_vpcpath_cannot_read_are_named(
    snapshot: Snapshot, flowlogs: Path, ip_ranges: Path, name: str
) -> None:
    with pytest.raises(FlowLogError) as info:
        read(snapshot, flowlogs / name, ip_ranges)
    assert REFUSED[name] in str(info.value)


def test_the_s3_layout_names_account_and_region(
    snapshot: Snapshot, flowlogs: Path, ip_ranges: Path
) -> None:
    result, error = read(snapshot, flowlogs / "awsdocs-s3-layout", ip_ranges)
    assert error is None
    assert (result.window_start, result.window_end) == (1566848875, 1566933193)
    assert result.matched_records == 7


def test_a_cloudwatch_export_is_read_with_the_default_format(
    snapshot: Snapshot, flowlogs: Path, ip_ranges: Path
) -> None:
    from vpcpath.flows.fields import DEFAULT_FORMAT

    exported, error = read(
        snapshot,
        flowlogs / "elastic-extra-samples-noheader.log",
        ip_ranges,
        fields=DEFAULT_FORMAT,
    )
    headed, _ = read(snapshot, flowlogs / "elastic-extra-samples-v2.log", ip_ranges)
    assert error is not None and error.startswith(DEFAULT_V2.error or "")
    assert exported.input.records == headed.input.records == 7
    assert exported.unattributed == headed.unattributed


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["awsdocs-v3-tcp-flags.log"], 0),
        (["elastic-ecs-samples-v7.parquet"], 3),
        (["elastic-tgw-samples.log"], 3),
        (["elastic-extra-samples-noheader.log"], 3),
        (["--format", "default", "elastic-extra-samples-noheader.log"], 3),
        (["awsdocs-v3-tcp-flags.log", "elastic-tgw-samples.log"], 4),
    ],
)
def test_cli_exit_codes(
    capsys: pytest.CaptureFixture[str],
    docs_network: Path,
    flowlogs: Path,
    ip_ranges: Path,
    argv: list[str],
    code: int,
) -> None:
    args = [a if a.startswith("-") or a == "default" else str(flowlogs / a) for a in argv]
    got = main(
        [
            "flows",
            "--snapshot",
            str(docs_network),
            "--ip-ranges",
            str(ip_ranges),
            "--offline",
            *args,
        ]
    )
    err = capsys.readouterr().err
    assert got == code, err
    assert "Traceback" not in err
