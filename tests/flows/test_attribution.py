"""Attribution cases the generator does not make: sources the snapshot does not know, pkt-*
service names, REJECT records, IPv6, and records that cannot be attributed."""

# ruff: noqa: E501  (flow-log records are long lines, kept whole)

from __future__ import annotations

from pathlib import Path

from vpcpath.flows import Evidence, FlowsRequest, FlowsResult, analyze_flows
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices

V3 = "version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status pkt-src-aws-service pkt-dst-aws-service"
NAT_C = "eni-0cc379ad5e141f2a8"  # nat-0f9c0b4f18fa0b021, 10.0.2.201, prod zone c
EKS_C = "subnet-04b48fe40f9d9fa52"  # 10.0.48.0/20, 2600:1f18:4a3c:7e12::/64


def run(sample: Snapshot, folder: Path, lines: list[str]) -> FlowsResult:
    path = folder / "flows.log"
    path.write_text(V3 + "\n" + "\n".join(lines) + "\n", encoding="ascii")
    return analyze_flows(sample, FlowsRequest(inputs=(str(path),)), prices=load_prices())


def rec(**fields: object) -> str:
    values = dict.fromkeys(V3.split(), "-")
    values.update(
        {"version": "5", "account-id": "111122223333", "action": "ACCEPT", "log-status": "OK"}
    )
    values.update({k.replace("_", "-"): str(v) for k, v in fields.items()})
    return " ".join(values[name] for name in V3.split())


def test_unknown_sources_resolve_by_subnet(sample: Snapshot, tmp_path: Path) -> None:
    lines = [
        # A NAT client leg with pkt-* from a pod IP no ENI lists (10.0.50.9 is in eks-c):
        rec(
            interface_id=NAT_C,
            srcaddr="10.0.50.9",
            dstaddr="10.0.2.201",
            pkt_srcaddr="10.0.50.9",
            pkt_dstaddr="52.216.7.7",
            bytes=300,
            pkt_dst_aws_service="S3",
        ),
        rec(
            interface_id=NAT_C,
            srcaddr="10.0.2.201",
            dstaddr="10.0.50.9",
            pkt_srcaddr="52.216.7.7",
            pkt_dstaddr="10.0.50.9",
            bytes=7000,
            pkt_src_aws_service="S3",
        ),
        # ... and its internet legs: the same bytes again, never counted.
        rec(
            interface_id=NAT_C,
            srcaddr="10.0.2.201",
            dstaddr="52.216.7.7",
            pkt_srcaddr="10.0.2.201",
            pkt_dstaddr="52.216.7.7",
            bytes=300,
        ),
        rec(
            interface_id=NAT_C,
            srcaddr="52.216.7.7",
            dstaddr="10.0.2.201",
            pkt_srcaddr="52.216.7.7",
            pkt_dstaddr="10.0.2.201",
            bytes=7000,
        ),
        # A REJECT on the NAT ENI carries no bytes.
        rec(
            interface_id=NAT_C,
            srcaddr="10.0.50.9",
            dstaddr="10.0.2.201",
            pkt_srcaddr="10.0.50.9",
            pkt_dstaddr="52.216.7.7",
            bytes=999999,
            action="REJECT",
        ),
    ]
    result = run(sample, tmp_path, lines)
    assert [
        (
            r.source_subnet_id,
            r.source_eni_id,
            r.service,
            r.service_region,
            r.bytes_to_destination,
            r.bytes_from_destination,
            r.avoidable_by,
            r.evidence,
        )
        for r in result.nat_traffic
    ] == [(EKS_C, None, "S3", "us-east-1", 300, 7000, "s3-gateway-endpoint", Evidence.NAT_ENI_PKT)]
    (check,) = result.coverage
    assert (check.client_leg_bytes, check.internet_leg_bytes, check.direct) == (7300, 7300, True)


def test_workload_eni_unknown_to_the_snapshot_uses_the_record_subnet(
    sample: Snapshot, tmp_path: Path
) -> None:
    lines = [
        rec(
            interface_id="eni-0gone0000000000000",
            subnet_id=EKS_C,
            srcaddr="10.0.60.1",
            dstaddr="151.101.1.69",
            bytes=1234,
        ),
        rec(
            interface_id="eni-0gone0000000000000",
            subnet_id=EKS_C,
            srcaddr="151.101.1.69",
            dstaddr="10.0.60.1",
            bytes=4321,
        ),
    ]
    result = run(sample, tmp_path, lines)
    assert [
        (
            r.nat_gateway_id,
            r.source_subnet_id,
            r.source_eni_id,
            r.service,
            r.bytes_to_destination,
            r.bytes_from_destination,
        )
        for r in result.nat_traffic
    ] == [("nat-0f9c0b4f18fa0b021", EKS_C, "eni-0gone0000000000000", None, 1234, 4321)]


def test_pkt_service_name_wins_over_ip_ranges(sample: Snapshot, tmp_path: Path) -> None:
    # 151.101.1.69 is outside the sample's ip-ranges; the record says it is AMAZON.
    lines = [
        rec(
            interface_id="eni-01d9b5870047c5e53",
            srcaddr="10.0.52.23",
            dstaddr="151.101.1.69",
            bytes=10,
            pkt_dst_aws_service="AMAZON",
        ),
    ]
    (row,) = run(sample, tmp_path, lines).nat_traffic
    assert (row.service, row.service_region, row.bytes_to_destination) == ("AMAZON", None, 10)


def test_ipv6_and_unattributable_bytes_are_reported(sample: Snapshot, tmp_path: Path) -> None:
    lines = [
        # eks-c to an IPv6 internet host: the egress-only internet gateway, not NAT.
        rec(
            interface_id="eni-01d9b5870047c5e53",
            type="IPv6",
            srcaddr="2600:1f18:4a3c:7e12:6f50:d13a:82e9:b74",
            dstaddr="2606:4700::6810:84e5",
            bytes=5000,
        ),
        # An ENI the snapshot does not know, without subnet-id, from an address no subnet holds.
        rec(
            interface_id="eni-0elsewhere00000000",
            srcaddr="192.0.2.10",
            dstaddr="52.216.7.7",
            bytes=77,
        ),
    ]
    result = run(sample, tmp_path, lines)
    assert result.nat_traffic == ()
    buckets = {b.name: (b.records, b.bytes) for b in result.buckets}
    assert buckets == {"ipv6": (1, 5000), "unattributed": (1, 77)}
    assert dict(result.bytes_by_verdict) == {
        "egress-only-internet-gateway": 5000,
        "unattributed": 77,
    }


def test_a_packet_address_of_another_family_is_not_the_header_address(
    sample: Snapshot, tmp_path: Path
) -> None:
    # On the NAT's ENI, a packet source written as IPv6 whose number equals the NAT's IPv4
    # address (10.0.2.201 = ::a00:2c9) is another address: the record is not an internet leg
    # (whose packet address is the header's own), as the Athena query also reads it.
    leg = {"interface_id": NAT_C, "srcaddr": "10.0.2.201", "dstaddr": "52.216.7.7"}
    internet = rec(**leg, pkt_srcaddr="10.0.2.201", pkt_dstaddr="52.216.7.7", bytes=300)
    other = rec(**leg, pkt_srcaddr="::a00:2c9", pkt_dstaddr="52.216.7.7", bytes=40)
    (check,) = run(sample, tmp_path, [internet, other]).coverage
    assert check.internet_leg_bytes == 300
