"""Acceptance: with generated flow logs of known truth, every finding's usd_per_month equals
truth bytes × price × 30 / window days, to the cent (issue 5).

The judge shares nothing with what it judges: which truth bytes a finding stands for is read
from the finding's published fields (check, region, subnets, NAT gateways) by the rules written
out below, the prices come from the price table's JSON file, and the zones from the sample's raw
describe-subnets/describe-nat-gateways files — not through the finding's traffic selector, the
product's ``usd_per_gb`` or its loaded snapshot.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from vpcpath.audit.engine import audit
from vpcpath.audit.findings import Finding
from vpcpath.audit.flow_evidence import flow_evidence
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.synthetic import Truth, generate
from vpcpath.model import Snapshot
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
GIB = 2**30
PRICE_FILE = Path(str(resources.files("vpcpath.pricing") / "data" / "prices.json"))
SAMPLE = Path(str(resources.files("vpcpath.sources") / "sample"))

# The traffic each check's money is about: the ip-ranges service of the bytes (None: every
# destination) — always bytes a gateway endpoint in the finding's region would carry.
SERVICE: dict[str, str | None] = {
    "s3-via-nat": "S3",
    "s3-endpoint-not-associated": "S3",
    "ecr-pulls-via-nat": "S3",  # the image layers come from S3
    "dynamodb-via-nat": "DYNAMODB",
    "dynamodb-endpoint-not-associated": "DYNAMODB",
    "s3-via-transit-gateway": "S3",
    "dynamodb-via-transit-gateway": "DYNAMODB",
    "cross-az-nat": None,
}
# A more specific route that beats an endpoint's: the service its id ends with.
OVERRIDDEN = "endpoint-route-overridden"
ID_SERVICE = {"s3": "S3", "dynamodb": "DYNAMODB"}
TRANSIT_CHECKS = frozenset({"s3-via-transit-gateway", "dynamodb-via-transit-gateway"})


def region_prices(region: str) -> dict[str, float]:
    table = json.loads(PRICE_FILE.read_text())
    prices: dict[str, float] = table["regions"][region]
    return prices


def raw_zones() -> tuple[dict[str, str], dict[str, str]]:
    """(subnet → zone, NAT gateway → its subnet) from the sample's raw describe answers."""
    zones: dict[str, str] = {}
    nat_subnets: dict[str, str] = {}
    for path in SAMPLE.rglob("describe-subnets.json"):
        for subnet in json.loads(path.read_text())["Subnets"]:
            zones[subnet["SubnetId"]] = subnet["AvailabilityZone"]
    for path in SAMPLE.rglob("describe-nat-gateways.json"):
        for nat in json.loads(path.read_text())["NatGateways"]:
            nat_subnets[nat["NatGatewayId"]] = nat["SubnetId"]
    return zones, nat_subnets


def truth_keys(truth: Truth, finding: Finding) -> list[tuple[str, str, int]]:
    """(NAT gateway, source subnet, bytes) of the truth the finding is about."""
    if finding.check == OVERRIDDEN:
        service: str | None = ID_SERVICE[finding.id.rsplit(":", 1)[-1]]
    else:
        service = SERVICE[finding.check]
    found = []
    for key in set(truth.nat) | set(truth.nat_from):
        nat, subnet, _eni, key_service, key_region, avoid = key
        if subnet not in finding.subnet_ids:
            continue
        if finding.nat_gateway_ids and nat not in finding.nat_gateway_ids:
            continue
        if service is not None and (
            key_service != service or key_region != finding.region or avoid is None
        ):
            continue
        found.append((nat, subnet, truth.nat[key] + truth.nat_from[key]))
    return found


def truth_usd(truth: Truth, finding: Finding) -> float:
    """Bytes × the price per GiB each byte pays, from the price table file.

    NAT processing: the NAT rate. A zone crossing: the cross-AZ rate on each side of it
    (twice). Centralized egress through a transit gateway: its processing, the egress NAT's,
    and a crossing (both sides) where the spoke subnet's zone differs from the NAT gateway's.
    """
    rates = region_prices(finding.region)
    keys = truth_keys(truth, finding)
    if finding.check == "cross-az-nat":
        return sum(size for _, _, size in keys) / GIB * 2 * rates["cross_az_gb"]
    if finding.check not in TRANSIT_CHECKS:
        return sum(size for _, _, size in keys) / GIB * rates["nat_gateway_gb"]
    zones, nat_subnets = raw_zones()
    total = 0.0
    for nat, subnet, size in keys:
        per_gb = rates["nat_gateway_gb"] + rates["transit_gateway_gb"]
        if zones[subnet] != zones[nat_subnets[nat]]:
            per_gb += 2 * rates["cross_az_gb"]
        total += size / GIB * per_gb
    return total


@pytest.mark.parametrize("mode", ["v2-vpc", "v5-nat"])
def test_finding_money_matches_ground_truth(sample: Snapshot, tmp_path: Path, mode: str) -> None:
    truth = generate(sample, tmp_path, records=40_000, mode=mode, records_per_file=10_000)
    result = analyze_flows(
        sample, FlowsRequest(inputs=(str(tmp_path),), allow_download=False), prices=PRICES
    )
    report = audit(sample, PRICES, Evidence(flows=flow_evidence(result)))
    assert truth.window_start is not None and truth.window_end is not None
    days = (truth.window_end - truth.window_start) / 86400
    priced = [f for f in report.findings if f.usd_per_month is not None]
    assert {f.check for f in priced} == {*SERVICE, OVERRIDDEN}
    for finding in priced:
        expected_bytes = sum(size for _, _, size in truth_keys(truth, finding))
        assert expected_bytes > 0, finding.id  # every priced finding stands for real traffic
        assert finding.usd_per_month == round(truth_usd(truth, finding) * 30 / days, 2), finding.id
        assert finding.bytes_per_month == round(expected_bytes * 30 / days), finding.id
