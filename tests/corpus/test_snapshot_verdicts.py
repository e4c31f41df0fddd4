"""Verdicts on real snapshots, checked by hand against the raw describe output.

Each case names the route that decides it (table, route, file), read from the JSON files, not
from what vpcpath loaded. Exit 4 marks a partial answer (the snapshot lacks what the answer
needs, and `missing` says what); exit 3 an error naming what to add.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from vpcpath.cli import main


@dataclass(frozen=True)
class Case:
    folder: str
    source: str
    destination: str
    verdict: str  # of the first (only) leg
    last_hop: tuple[str, str]  # (id, type) of the leg's last hop
    exit: int = 0
    missing: str | None = None  # a list id the partial answer must name


CASES: dict[str, Case] = {
    # 554773406868/us-east-1/RouteTables.json: rtb-04f71fc2caa8d94cf (explicit for
    # subnet-01e5f0945f6d6f47c) holds local 10.1.0.0/16 and pl-63a5400a → vpce-0b7357542bb7b83ec;
    # PrefixLists.json: pl-63a5400a is com.amazonaws.us-east-1.s3.
    "endpoint-gw/private-s3": Case(
        "batfish-test-vpc-endpoint-gateway",
        "subnet-01e5f0945f6d6f47c",
        "s3",
        "gateway-endpoint",
        ("vpce-0b7357542bb7b83ec", "gateway-endpoint"),
    ),
    # Same table: DynamoDB's list pl-02cd2c6b (52.94.0.0/22, 52.119.224.0/20) matches no route.
    "endpoint-gw/private-dynamodb": Case(
        "batfish-test-vpc-endpoint-gateway",
        "subnet-01e5f0945f6d6f47c",
        "dynamodb",
        "no-route",
        ("rtb-04f71fc2caa8d94cf", "route-table"),
    ),
    # rtb-0efde4139784b75b0 (subnet-04391f04b912d0a73): 0.0.0.0/0 → igw-0c8afe4471084ccba and
    # pl-63a5400a → vpce-…; 52.216.1.1 is in the list's 52.216.0.0/15 (/15 beats /0).
    "endpoint-gw/public-s3-address": Case(
        "batfish-test-vpc-endpoint-gateway",
        "subnet-04391f04b912d0a73",
        "52.216.1.1",
        "gateway-endpoint",
        ("vpce-0b7357542bb7b83ec", "gateway-endpoint"),
    ),
    # Same table: DynamoDB has no endpoint here, so the default route to the IGW takes it.
    "endpoint-gw/public-dynamodb": Case(
        "batfish-test-vpc-endpoint-gateway",
        "subnet-04391f04b912d0a73",
        "dynamodb",
        "internet-gateway",
        ("igw-0c8afe4471084ccba", "internet-gateway"),
    ),
    # Without PrefixLists.json: S3 of us-east-1 is the endpoint's list by definition, so the
    # endpoint carries it — but more specific routes cannot be checked: partial, names the list.
    "no-prefixlists/private-s3": Case(
        "batfish-test-vpc-endpoint-gateway-no-prefixlists",
        "subnet-01e5f0945f6d6f47c",
        "s3",
        "gateway-endpoint",
        ("vpce-0b7357542bb7b83ec", "gateway-endpoint"),
        exit=4,
        missing="pl-63a5400a",
    ),
    # An S3 address from the public subnet: whether pl-63a5400a holds it is unknown, so the
    # default route's verdict is given as partial, never as a certain internet-gateway answer.
    "no-prefixlists/public-s3-address": Case(
        "batfish-test-vpc-endpoint-gateway-no-prefixlists",
        "subnet-04391f04b912d0a73",
        "52.216.1.1",
        "internet-gateway",
        ("igw-0c8afe4471084ccba", "internet-gateway"),
        exit=4,
        missing="pl-63a5400a",
    ),
    # 554773406868/us-east-2/RouteTables.json: rtb-02fe228b42de92a7c (subnet-06f469bcee42e408e)
    # 0.0.0.0/0 → nat-07ab4846da51f4612; NatGateways.json puts the NAT in
    # subnet-0428892a357fa1f94, whose table rtb-0ddf14681733ed0b7 sends 0.0.0.0/0 to
    # igw-071753b9c23d8a9b2: S3 goes through the NAT gateway.
    "nat/private-s3": Case(
        "batfish-test-nat-gateway",
        "subnet-06f469bcee42e408e",
        "s3",
        "nat-gateway",
        ("igw-071753b9c23d8a9b2", "internet-gateway"),
    ),
    # subnet-02ff259e663e9613e has no explicit association: main table rtb-0e169c4a1e0b27b55
    # holds only the local route.
    "nat/isolated-s3": Case(
        "batfish-test-nat-gateway",
        "subnet-02ff259e663e9613e",
        "s3",
        "no-route",
        ("rtb-0e169c4a1e0b27b55", "route-table"),
    ),
    # Main table rtb-002f0eabf583bf991 (subnet-0f263105946ad1a1d has no explicit association):
    # 0.0.0.0/0 → vgw-070087240d6fa2989.
    "public-private/vgw-s3": Case(
        "batfish-test-public-private-subnet",
        "subnet-0f263105946ad1a1d",
        "s3",
        "virtual-private-gateway",
        ("vgw-070087240d6fa2989", "virtual-private-gateway"),
    ),
    # rtb-0d20fcae075afe460 (subnet-0cf7a93fbd779f3a3): 0.0.0.0/0 → igw-0eac198308206c358.
    "public-private/public-internet": Case(
        "batfish-test-public-private-subnet",
        "subnet-0cf7a93fbd779f3a3",
        "8.8.8.8",
        "internet-gateway",
        ("igw-0eac198308206c358", "internet-gateway"),
    ),
    # 123456789012/us-east-1/RouteTables.json: rtb-0039abf2a28b091bb (subnet-03a80d08017ee39ef)
    # 10.2.0.0/16 → pcx-0040f7640e10191f4 (listed by both accounts, merged).
    "peering-multi-account/peer": Case(
        "batfish-test-vpc-peering-multi-account",
        "subnet-03a80d08017ee39ef",
        "10.2.1.10",
        "peering",
        ("pcx-0040f7640e10191f4", "peering-connection"),
    ),
    # Same table: 0.0.0.0/0 → igw-0ccac11864b23b189; no endpoint route, so any S3 address
    # leaves through the internet gateway.
    "peering-multi-account/s3": Case(
        "batfish-test-vpc-peering-multi-account",
        "subnet-03a80d08017ee39ef",
        "s3",
        "internet-gateway",
        ("igw-0ccac11864b23b189", "internet-gateway"),
    ),
    # 000000111234/us-west-2/RouteTables.json: subnet-8d0cbdeb has no explicit association; its
    # VPC's main table rtb-f28e418b sends 0.0.0.0/0 to nat-055c00735cace0ec4, State blackhole.
    "hybrid/blackhole-s3": Case(
        "batfish-hybrid-cloud-aws",
        "subnet-8d0cbdeb",
        "s3",
        "blackhole",
        ("rtb-f28e418b", "route-table"),
    ),
    # rtb-7b73bf02 (subnet-62f14104): 0.0.0.0/0 → igw-fac5839d.
    "hybrid/public-s3": Case(
        "batfish-hybrid-cloud-aws",
        "subnet-62f14104",
        "s3",
        "internet-gateway",
        ("igw-fac5839d", "internet-gateway"),
    ),
    # describe-route-tables-1.json: rtb-a1eec7de is the main table of vpc-3EXAMPLE (the VPC of
    # subnet-8EXAMPLE in describe-subnets-1.json): 0.0.0.0/0 → igw-fEXAMPLE.
    "awscli/main-table-s3": Case(
        "awscli-examples",
        "subnet-8EXAMPLE",
        "s3",
        "internet-gateway",
        ("igw-fEXAMPLE", "internet-gateway"),
    ),
    # VpcEndpoints.json: vpce-083c683a6be29b889 (com.amazonaws.us-east-1.cloudtrail, Interface,
    # PrivateDnsEnabled) in subnet-0bb8615d8368ece31 of the same VPC: the service's name
    # resolves to its ENI, reached by the local route of rtb-07e4f0e11d543c220.
    "endpoint-interface/cloudtrail": Case(
        "batfish-test-vpc-endpoint-interface",
        "subnet-0611b848137c513d1",
        "cloudtrail.us-east-1.amazonaws.com",
        "interface-endpoint",
        ("vpce-083c683a6be29b889", "interface-endpoint"),
    ),
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdict_checked_by_hand(
    name: str, real_world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    folder = real_world / "snapshots" / case.folder
    argv = ["explain", "--snapshot", str(folder), "--from", case.source, "--to", case.destination]
    code, out, err = _run([*argv, "--json"], capsys)
    assert code == case.exit, err
    doc = json.loads(out)
    (leg,) = doc["legs"]
    assert leg["verdict"] == case.verdict
    last = leg["paths"][-1]["hops"][-1]
    assert (last["id"], last["type"]) == case.last_hop
    if case.missing is None:
        assert doc["missing"] == []
    else:
        assert len(doc["missing"]) == 1 and case.missing in doc["missing"][0]
        assert f"vpcpath: warning: partial answer: prefix list {case.missing}" in err


@pytest.mark.parametrize(
    ("folder", "subnet"),
    [
        # No RouteTables.json in either folder (SOURCES.md: cloudmapper's demo has none).
        ("cloudmapper-demo", "subnet-00000001"),
        ("batfish-test", "subnet-b26c24fa"),
    ],
)
def test_subnet_without_route_table_is_an_error_naming_what_to_add(
    folder: str, subnet: str, real_world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["explain", "--snapshot", str(real_world / "snapshots" / folder)]
    code, out, err = _run([*argv, "--from", subnet, "--to", "s3"], capsys)
    assert (code, out) == (3, "")
    assert f"subnet {subnet} has no explicit route table association" in err
    assert "include describe-route-tables for that VPC" in err


def test_missing_prefix_list_resolved_from_ip_ranges(
    corpus: Path, real_world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same folder with AWS's ip-ranges beside it: pl-63a5400a → vpce-0b7357542bb7b83ec is
    # resolved from the endpoint's ServiceName (com.amazonaws.us-east-1.s3) and ip-ranges' S3
    # us-east-1 prefixes, where 52.216.0.0/15 is listed; the answer says so and is complete.
    folder = tmp_path / "snapshot"
    shutil.copytree(
        real_world / "snapshots" / "batfish-test-vpc-endpoint-gateway-no-prefixlists", folder
    )
    shutil.copy(corpus / "ip-ranges-2026-07-24.json", folder / "ip-ranges.json")
    argv = ["explain", "--snapshot", str(folder), "--from", "subnet-04391f04b912d0a73"]
    code, out, err = _run([*argv, "--to", "52.216.1.1", "--json"], capsys)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    (leg,) = doc["legs"]
    assert leg["verdict"] == "gateway-endpoint" and doc["missing"] == []
    assert (
        "prefix list pl-63a5400a of vpce-0b7357542bb7b83ec (com.amazonaws.us-east-1.s3) is not "
        "in the snapshot: its addresses are taken from ip-ranges S3 us-east-1 (sync 1784861225)"
    ) in leg["paths"][0]["explanation"]
