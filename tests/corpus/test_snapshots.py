"""Every real-world snapshot (``real-world/snapshots/``, see its SOURCES.md) is handled right.

For each folder: what the loader reads (counts of VPCs, subnets, route tables, endpoints and
instances, recounted by hand from the raw files), what it leaves out on purpose, what is
missing (a partial answer), and the exit code of ``vpcpath audit``: 0 where the snapshot is
complete, 4 where it has gaps (and says which), 3 where nothing in it can be traced. A folder
added to the corpus without an expectation here fails the first test.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from vpcpath.cli import main
from vpcpath.errors import SourceError
from vpcpath.model import EndpointType
from vpcpath.sources.folder import load_snapshot


@dataclass(frozen=True)
class Expect:
    vpcs: int = 0
    subnets: int = 0
    route_tables: int = 0
    endpoints: int = 0
    instances: int = 0
    audit_exit: int = 0
    skipped: tuple[str, ...] = ()  # what the snapshot lacks (notes.skipped), in order
    left_out: tuple[str, ...] = ()  # read and left out on purpose (notes.ignored)
    error: str | None = None  # the loader refuses the folder with this message (regex)


# Batfish rigs whose transit gateway answers hold VPN / Direct Connect attachments: their
# propagated routes are learnt over BGP and are in no describe answer, so the answer is partial.
_DX = ("tgw-rtb-dx01/tgw-attach-dx01", "tgw-rtb-dx01/tgw-attach-vpn-dx-test", "tgw-rtb-iso01")
_HYBRID = (
    "tgw-rtb-00e37bc5142347b03/tgw-attach-0881ce2eb93cd63a8",
    "tgw-rtb-049367cdac1fcd74e/tgw-attach-0b45e5d982f47ddda",
)

EXPECTED: dict[str, Expect] = {
    # A docs typo ("PrivateIpAddress": "10-0-0-157"): a clear refusal naming the place is right.
    "awscli-describe-instances-doc-typo": Expect(
        error=r"describe-instances\.json: Reservations\[0\]\.Instances\[0\]\.PrivateIpAddress: "
        r"'10-0-0-157' is not valid"
    ),
    # Unrelated documentation examples: one subnet (vpc-3EXAMPLE) with its VPC's main table.
    "awscli-examples": Expect(vpcs=2, subnets=1, route_tables=3, endpoints=3),
    # Prefix lists only: pl-0123456abcabcabc1 gets its entries from pl-0123456abcabcabc1.json;
    # the IPv6 list's entries were not saved (partial), and there is nothing to trace (3).
    "awscli-managed-prefix-lists": Expect(audit_exit=3, skipped=("pl-11223344556677aab",)),
    # Four endpoints (Interface, GatewayLoadBalancer, Resource, ServiceNetwork), no subnets.
    "awscli-vpc-endpoint-types": Expect(endpoints=4, audit_exit=3),
    "batfish-hybrid-cloud-aws": Expect(vpcs=4, subnets=10, route_tables=5, instances=4),
    "batfish-ipsec-vpn-host-aws-cisco": Expect(vpcs=1, subnets=1, route_tables=1),
    "batfish-load-vendor-configurations": Expect(vpcs=1, subnets=1, route_tables=1, instances=1),
    # No RouteTables.json: every subnet is reported as not traced (partial, exit 4).
    "batfish-test": Expect(vpcs=2, subnets=3, instances=2, audit_exit=4),
    "batfish-test-direct-connect-gateway": Expect(
        vpcs=2, subnets=2, route_tables=2, instances=1, audit_exit=4, skipped=_DX
    ),
    # Transit gateways and Direct Connect only: no VPC to trace from.
    "batfish-test-direct-connect-gateway-multi-region": Expect(
        audit_exit=3, skipped=("tgw-rtb-east", "tgw-rtb-west")
    ),
    "batfish-test-direct-connect-private-vif": Expect(
        vpcs=1, subnets=1, route_tables=1, instances=1
    ),
    "batfish-test-load-balancer": Expect(vpcs=1, subnets=3, route_tables=2, instances=3),
    # Vpcs.json only, in two accounts: nothing to trace.
    "batfish-test-multi-account": Expect(vpcs=2, audit_exit=3),
    "batfish-test-nat-gateway": Expect(vpcs=1, subnets=3, route_tables=3, instances=3),
    "batfish-test-public-private-subnet": Expect(vpcs=1, subnets=2, route_tables=2, instances=2),
    "batfish-test-public-subnet": Expect(vpcs=1, subnets=1, route_tables=2, instances=1),
    "batfish-test-subnet": Expect(vpcs=1, subnets=1, route_tables=1, instances=2),
    # Reservations.json lists a terminated instance without SubnetId: left out, with a note.
    "batfish-test-transit-gateway": Expect(
        vpcs=2, subnets=3, route_tables=2, instances=3, left_out=("i-04a292ff83b3aa833",)
    ),
    "batfish-test-transit-gateway-asymmetric-paths": Expect(
        vpcs=2, subnets=2, route_tables=4, instances=2
    ),
    "batfish-test-transit-gateway-multi-account": Expect(
        vpcs=2,
        subnets=4,
        route_tables=4,
        instances=2,
        left_out=("i-04f03d526c63297ae", "i-0a5efcfa80eacffe4"),
    ),
    "batfish-test-transit-gateway-multi-table": Expect(
        vpcs=2, subnets=3, route_tables=2, instances=3
    ),
    # tgw-attach-012e5d602f859dd80 is listed from us-east-1 and from us-west-1: one attachment.
    "batfish-test-transit-gateway-peering": Expect(vpcs=3, subnets=3, route_tables=6, instances=3),
    "batfish-test-vpc-endpoint-gateway": Expect(
        vpcs=1, subnets=2, route_tables=3, endpoints=1, instances=2
    ),
    # PrefixLists.json left out: the endpoint route's list cannot be resolved (no ip-ranges),
    # so the audit is partial and names pl-63a5400a.
    "batfish-test-vpc-endpoint-gateway-no-prefixlists": Expect(
        vpcs=1, subnets=2, route_tables=3, endpoints=1, instances=2, audit_exit=4
    ),
    "batfish-test-vpc-endpoint-interface": Expect(
        vpcs=1, subnets=2, route_tables=2, endpoints=1, instances=2
    ),
    "batfish-test-vpc-peering": Expect(vpcs=3, subnets=3, route_tables=3, instances=3),
    # The peering connections are listed by both accounts: merged, no conflict.
    "batfish-test-vpc-peering-multi-account": Expect(
        vpcs=2, subnets=2, route_tables=4, instances=2, left_out=("i-022b9fb2c0a0c72c1",)
    ),
    "batfish-test-vpc-peering-multi-account-running-only": Expect(
        vpcs=2, subnets=2, route_tables=4, instances=2
    ),
    "batfish-test-vpn-gateway": Expect(vpcs=1, subnets=1, route_tables=1, instances=1),
    # No route tables in the demo account: a partial answer (SOURCES.md).
    "cloudmapper-demo": Expect(vpcs=1, subnets=4, endpoints=2, instances=3, audit_exit=4),
    # VPN attachments' BGP routes unknown (partial); the TGW peering attachment
    # tgw-attach-0cc6cf6a578b754e3 listed from both regions is one attachment.
    "pybatfish-hybrid-cloud": Expect(
        vpcs=4, subnets=8, route_tables=4, instances=4, audit_exit=4, skipped=_HYBRID
    ),
}


def _folders(real_world: Path) -> list[str]:
    return sorted(p.name for p in (real_world / "snapshots").iterdir() if p.is_dir())


def test_every_snapshot_folder_has_an_expectation(real_world: Path) -> None:
    assert _folders(real_world) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_snapshot_is_read_as_expected(name: str, real_world: Path) -> None:
    folder = real_world / "snapshots" / name
    expect = EXPECTED[name]
    if expect.error is not None:
        with pytest.raises(SourceError, match=expect.error):
            load_snapshot(folder)
        return
    snap = load_snapshot(folder)
    counts = (
        len(snap.vpcs),
        len(snap.subnets),
        len(snap.route_tables),
        len(snap.endpoints),
        len(snap.instances),
    )
    assert counts == (
        expect.vpcs,
        expect.subnets,
        expect.route_tables,
        expect.endpoints,
        expect.instances,
    ), name
    assert tuple(what for what, _ in snap.notes.skipped) == expect.skipped
    assert tuple(what for what, _ in snap.notes.ignored) == expect.left_out
    # Every file of the folder is either read or listed as not understood, with a reason.
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    accounted = set(snap.notes.files) | {f for f, _ in snap.notes.not_understood}
    assert on_disk == accounted
    assert all(why for _, why in snap.notes.not_understood)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_audit_exit_code(name: str, real_world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expect = EXPECTED[name]
    folder = real_world / "snapshots" / name
    code = main(["audit", "--snapshot", str(folder), "--format", "json"])
    captured = capsys.readouterr()
    wanted = 3 if expect.error is not None else expect.audit_exit
    assert code == wanted, captured.err
    if wanted == 3:
        assert captured.out == ""
        assert captured.err.rstrip().splitlines()[-1].startswith("vpcpath: error: ")
    if wanted == 0:
        assert captured.err == ""


def test_entries_only_file_gives_its_list_the_cidrs(real_world: Path) -> None:
    # pl-0123456abcabcabc1.json is `get-managed-prefix-list-entries` output (just "Entries");
    # describe-managed-prefix-lists.json names the list "vpc-cidrs".
    snap = load_snapshot(real_world / "snapshots" / "awscli-managed-prefix-lists")
    pl = snap.prefix_list("us-west-2", "pl-0123456abcabcabc1")
    assert pl is not None and pl.name == "vpc-cidrs" and pl.cidrs_known
    assert [str(c) for c in pl.cidrs] == ["10.0.0.0/16", "10.2.0.0/16"]


def test_every_endpoint_type_is_read(real_world: Path) -> None:
    snap = load_snapshot(real_world / "snapshots" / "awscli-vpc-endpoint-types")
    kinds = {e.id: (e.endpoint_type, e.serves_aws_service) for e in snap.endpoints.values()}
    assert kinds == {
        "vpce-1a2b3c4d5e6f1a2b3": (EndpointType.INTERFACE, True),
        "vpce-aabbaabbaabbaabba": (EndpointType.GATEWAY_LOAD_BALANCER, True),
        "vpce-00939a7ed9EXAMPLE": (EndpointType.RESOURCE, False),
        "vpce-0f00567fa8EXAMPLE": (EndpointType.SERVICE_NETWORK, False),
    }


def test_peering_listed_by_both_accounts_is_one_connection(real_world: Path) -> None:
    # 123456789012/…/VpcPeeringConnections.json and 123456789013/… list pcx-0040f7640e10191f4
    # (tagged differently by each account): one active connection between the two VPCs.
    for name in (
        "batfish-test-vpc-peering-multi-account",
        "batfish-test-vpc-peering-multi-account-running-only",
    ):
        snap = load_snapshot(real_world / "snapshots" / name)
        pcx = snap.peering_connections["pcx-0040f7640e10191f4"]
        assert (pcx.requester_vpc_id, pcx.accepter_vpc_id, pcx.status) == (
            "vpc-0f44fae3468d2b998",
            "vpc-05951c91977125d2e",
            "active",
        )
        assert (pcx.requester_account_id, pcx.accepter_account_id) == (
            "028403472736",
            "951601349076",
        )
        assert sorted(snap.peering_connections) == [
            "pcx-0040f7640e10191f4",
            "pcx-00eeab4f3bd2a40da",
            "pcx-07d8d712b329b9337",
        ]


def test_tgw_peering_attachment_from_both_regions_is_one_attachment(real_world: Path) -> None:
    # 732168539940/us-east-1 lists it on tgw-0e20010ebf43d07a2 with resource
    # tgw-03201f1960ddb0c25; 804819755326/us-west-1 lists the mirror image.
    snap = load_snapshot(real_world / "snapshots" / "batfish-test-transit-gateway-peering")
    att = snap.transit_gateway_attachments["tgw-attach-012e5d602f859dd80"]
    assert (att.transit_gateway_id, att.resource_id, att.region, att.peer_region) == (
        "tgw-0e20010ebf43d07a2",
        "tgw-03201f1960ddb0c25",
        "us-east-1",
        "us-west-1",
    )


def test_not_understood_files_are_named_with_their_keys(real_world: Path) -> None:
    snap = load_snapshot(real_world / "snapshots" / "batfish-test")
    assert snap.notes.not_understood == (
        (
            "028403472736/us-west-2/ElasticsearchDomains.json",
            "no describe output vpcpath reads (keys: DomainStatusList)",
        ),
        (
            "028403472736/us-west-2/RdsInstances.json",
            "no describe output vpcpath reads (keys: DBInstances)",
        ),
    )
    assert len(snap.notes.files) == 8  # all JSON files were read; two held nothing usable


def test_audit_names_the_missing_prefix_list(
    real_world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Both tables that route pl-63a5400a → vpce-0b7357542bb7b83ec (RouteTables.json) cannot be
    # checked without the list: the audit lists them instead of calling the estate all clear.
    folder = real_world / "snapshots" / "batfish-test-vpc-endpoint-gateway-no-prefixlists"
    assert main(["audit", "--snapshot", str(folder), "--format", "json"]) == 4
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == []
    skipped = [(s["what"], "pl-63a5400a" in s["why"]) for s in doc["summary"]["skipped"]]
    assert skipped == [("rtb-04f71fc2caa8d94cf", True), ("rtb-0efde4139784b75b0", True)]
