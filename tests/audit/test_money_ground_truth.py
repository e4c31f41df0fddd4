"""Acceptance: with generated flow logs of known truth, every finding's usd_per_month equals
truth bytes × price × 30 / window days, to the cent (issue 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vpcpath.audit.engine import audit
from vpcpath.audit.findings import Finding
from vpcpath.audit.flow_evidence import flow_evidence
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.synthetic import Truth, generate
from vpcpath.model import Snapshot
from vpcpath.model.enums import Charge
from vpcpath.model.evidence import Evidence
from vpcpath.pricing.path_price import usd_per_gb as rate
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
GIB = 2**30


def truth_keys(truth: Truth, finding: Finding) -> list[tuple[str, str, int]]:
    """(NAT gateway, source subnet, bytes) of the truth the finding's selector names."""
    sel = finding.traffic
    assert sel is not None
    found = []
    for key in set(truth.nat) | set(truth.nat_from):
        nat, subnet, _eni, service, region, avoid = key
        if subnet not in sel.subnet_ids:
            continue
        if sel.nat_gateway_ids and nat not in sel.nat_gateway_ids:
            continue
        if sel.services and (service not in sel.services or region != sel.region):
            continue
        if sel.avoidable_only and avoid is None:
            continue
        found.append((nat, subnet, truth.nat[key] + truth.nat_from[key]))
    return found


def truth_bytes(truth: Truth, finding: Finding) -> int:
    return sum(size for _, _, size in truth_keys(truth, finding))


def truth_usd(sample: Snapshot, truth: Truth, finding: Finding) -> float:
    """Centralized egress: each byte pays the transit gateway and the egress NAT, and a zone
    crossing (both sides) where the spoke's zone differs from the NAT gateway's."""
    sel = finding.traffic
    assert sel is not None
    region = PRICES.for_region(sel.region)
    if sel.charge is not Charge.TRANSIT_GATEWAY:
        return truth_bytes(truth, finding) / GIB * rate(sel.charge, region)
    total = 0.0
    for nat, subnet, size in truth_keys(truth, finding):
        nat_zone = sample.subnets[sample.nat_gateways[nat].subnet_id or ""].availability_zone
        crossing = sample.subnets[subnet].availability_zone != nat_zone
        per_gb = region.nat_gateway_gb + region.transit_gateway_gb
        total += size / GIB * (per_gb + (2 * region.cross_az_gb if crossing else 0.0))
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
    priced = [f for f in report.findings if f.traffic is not None and f.usd_per_month is not None]
    assert {f.check for f in priced} >= {
        "s3-endpoint-not-associated",
        "s3-via-nat",
        "ecr-pulls-via-nat",
        "cross-az-nat",
        "dynamodb-via-nat",
        "s3-via-transit-gateway",
        "dynamodb-via-transit-gateway",
    }
    for finding in priced:
        assert finding.traffic is not None
        expected_bytes = truth_bytes(truth, finding)
        expected_usd = round(truth_usd(sample, truth, finding) * 30 / days, 2)
        assert finding.usd_per_month == expected_usd, finding.id
        assert finding.bytes_per_month == round(expected_bytes * 30 / days), finding.id
    headline = {f.id: f for f in priced}["s3-endpoint-not-associated:rtb-02852e1ef289c2429"]
    assert headline.usd_per_month and headline.usd_per_month > 0
    assert headline.traffic is not None and headline.traffic.charge is Charge.NAT_PROCESSING
