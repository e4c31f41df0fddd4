"""Destinations in other partitions (China, GovCloud) are named as such and priced as the
internet, never as another region; regions AWS does not have are refused by name."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest

from tests.estate_builder import Estate, to_igw, to_nat
from vpcpath.errors import UsageError
from vpcpath.model import Snapshot
from vpcpath.model.paths import Scope
from vpcpath.model.regions import partition_of
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.routing.destinations import classify_scope
from vpcpath.routing.explain import explain
from vpcpath.routing.hostnames import parse_hostname
from vpcpath.sources.folder import load_snapshot

PRICES = load_bundled_prices()
USE1 = PRICES.for_region("us-east-1")
IP_RANGES = {
    "syncToken": "1700000000",
    "createDate": "2023-11-14-22-13-20",
    "prefixes": [
        {"ip_prefix": "52.80.0.0/16", "region": "cn-north-1", "service": "AMAZON"},
        {"ip_prefix": "3.5.0.0/19", "region": "us-east-1", "service": "S3"},
        {"ip_prefix": "3.5.64.0/21", "region": "eu-west-1", "service": "S3"},
    ],
    "ipv6_prefixes": [],
}


def _private_subnet(tmp_path: Path) -> tuple[Snapshot, str]:
    """A private subnet whose default route goes to a public NAT gateway."""
    e = Estate()
    e.prefix_lists()
    vpc = e.vpc()
    public = e.subnet(vpc, "10.0.0.0/24")
    private = e.subnet(vpc, "10.0.1.0/24")
    igw = e.igw(vpc)
    nat = e.nat(vpc, public, "10.0.0.10")
    e.route_table(vpc, [to_igw("0.0.0.0/0", igw)], subnets=(public,))
    e.route_table(vpc, [to_nat("0.0.0.0/0", nat)], subnets=(private,))
    e.extra_files["ip-ranges.json"] = IP_RANGES
    return load_snapshot(e.write(tmp_path)), private


@pytest.mark.parametrize(
    ("host", "service", "region"),
    [
        ("s3.cn-north-1.amazonaws.com.cn", "s3", "cn-north-1"),
        ("mybucket.s3.cn-northwest-1.amazonaws.com.cn", "s3", "cn-northwest-1"),
        ("api.ecr.cn-north-1.amazonaws.com.cn", "ecr.api", "cn-north-1"),
        ("s3.us-gov-west-1.amazonaws.com", "s3", "us-gov-west-1"),
        ("s3.eusc-de-east-1.amazonaws.com", "s3", "eusc-de-east-1"),
    ],
)
def test_other_partitions_hostnames_are_understood(host: str, service: str, region: str) -> None:
    target = parse_hostname(host)
    assert target is not None
    assert (target.service, target.region) == (service, region)


@pytest.mark.parametrize(
    "host", ["s3.amazonaws.com.cn", "bucket.s3.amazonaws.com.cn", "sts.amazonaws.com.cn"]
)
def test_china_has_no_global_endpoints(host: str) -> None:
    # The global forms are commercial-only; they must not be read as us-east-1.
    assert parse_hostname(host) is None


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("cn-north-1", "aws-cn"),
        ("us-gov-west-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("us-isob-east-1", "aws-iso-b"),
        ("eusc-de-east-1", "aws-eusc"),
    ],
)
def test_partition_of(region: str, partition: str) -> None:
    assert partition_of(region) == partition


@pytest.mark.parametrize(
    ("destination", "partition", "label"),
    [
        ("s3.cn-north-1.amazonaws.com.cn", "aws-cn", "AWS China"),
        ("s3:us-gov-west-1", "aws-us-gov", "AWS GovCloud (US)"),
    ],
)
def test_other_partition_is_named_and_priced_as_internet(
    tmp_path: Path, destination: str, partition: str, label: str
) -> None:
    snapshot, private = _private_subnet(tmp_path)
    leg = explain(snapshot, private, destination, prices=PRICES).legs[0]
    assert leg.verdict.value == "nat-gateway"
    assert leg.cidr_source.startswith(
        f"{leg.region} is in the {label} partition ({partition}), not the source's AWS "
        "(commercial) (aws): reached over the internet"
    )
    # NAT processing both ways, plus internet data transfer out — not the inter-region rate.
    assert leg.usd_per_gb_in == USE1.nat_gateway_gb
    assert leg.usd_per_gb_out == pytest.approx(USE1.nat_gateway_gb + USE1.internet_egress_gb)


def test_another_region_of_the_same_partition_is_inter_region(tmp_path: Path) -> None:
    snapshot, private = _private_subnet(tmp_path)
    leg = explain(snapshot, private, "s3:eu-west-1", prices=PRICES).legs[0]
    assert "partition" not in leg.cidr_source
    assert leg.usd_per_gb_out == pytest.approx(USE1.nat_gateway_gb + USE1.inter_region_gb)


@pytest.mark.parametrize("destination", ["s3:eu-west-9", "s3.eu-west-9.amazonaws.com"])
def test_region_that_does_not_exist_is_named(tmp_path: Path, destination: str) -> None:
    snapshot, private = _private_subnet(tmp_path)
    with pytest.raises(UsageError) as info:
        explain(snapshot, private, destination)
    assert str(info.value) == (
        f"--to {destination!r}: eu-west-9 is not an AWS region (not in AWS's list of regions "
        "nor in the snapshot's ip-ranges); check the region name"
    )


def test_address_of_another_partition_is_internet(tmp_path: Path) -> None:
    snapshot, _ = _private_subnet(tmp_path)
    china = classify_scope(ip_network("52.80.1.1/32"), "us-east-1", snapshot)
    assert china == (Scope.INTERNET, "cn-north-1")
    ireland = classify_scope(ip_network("3.5.64.1/32"), "us-east-1", snapshot)
    assert ireland == (Scope.AWS_OTHER_REGION, "eu-west-1")
