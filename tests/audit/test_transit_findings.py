"""s3-/dynamodb-via-transit-gateway: found in the spokes, fixed in the spokes, priced with the
whole path from flow logs (or labelled as an upper bound from the egress NAT metrics)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tests.estate_builder import S3_PL, to_endpoint
from tests.routing.hub_and_spoke import hub_and_spoke
from vpcpath.audit.engine import audit
from vpcpath.model.enums import Verdict
from vpcpath.model.evidence import (
    CloudWatchEvidence,
    Evidence,
    FlowEvidence,
    NatMetrics,
    TrafficRecord,
)
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.sources.folder import load_snapshot

PRICES = load_bundled_prices()
_RAW = json.loads(
    (resources.files("vpcpath.pricing") / "data" / "prices.json").read_text(encoding="utf-8")
)["regions"]["us-east-1"]
GIB = 2**30
DAY = 86400


def test_spoke_s3_through_the_hub_is_one_finding_per_spoke_table(tmp_path: Path) -> None:
    h = hub_and_spoke()
    snapshot = load_snapshot(h.estate.write(tmp_path))
    report = audit(snapshot, PRICES)
    ids = {f.id for f in report.findings}
    assert f"s3-via-transit-gateway:{h.spoke1_rt}" in ids
    spoke1 = next(f for f in report.findings if f.id == f"s3-via-transit-gateway:{h.spoke1_rt}")
    assert spoke1.subnet_ids == (h.spoke1_a,)  # not the attachment-only subnet
    assert spoke1.nat_gateway_ids == (h.nats["a"],)
    assert f"in {h.spoke1} — the spoke, not the egress VPC —" in spoke1.remediation
    assert "A gateway endpoint in the egress VPC cannot help" in spoke1.explanation
    # The egress VPC's attachment subnets only carry the spokes' bytes: no s3-via-nat there.
    assert f"s3-via-nat:{h.egress}" not in ids
    # The spokes' paths are not counted as NAT findings of their own VPC either.
    assert not any(i.startswith("s3-via-nat:") for i in ids)


def test_a_gateway_endpoint_in_the_spoke_clears_the_finding(tmp_path: Path) -> None:
    h = hub_and_spoke()
    e = h.estate
    vpce = e.gateway_endpoint(h.spoke1, "s3", (h.spoke1_rt,))
    rt = next(t for t in e.docs["RouteTables"] if t["RouteTableId"] == h.spoke1_rt)
    rt["Routes"].append(to_endpoint(S3_PL[e.region], vpce))
    report = audit(load_snapshot(e.write(tmp_path)), PRICES)
    ids = {f.id for f in report.findings}
    assert f"s3-via-transit-gateway:{h.spoke1_rt}" not in ids
    assert any(i.startswith("s3-via-transit-gateway:") for i in ids)  # spoke-2 still pays


def _record(subnet: str, nat: str, usd_per_gb: float, size: int) -> TrafficRecord:
    return TrafficRecord(
        source_subnet_id=subnet,
        nat_gateway_id=nat,
        service="S3",
        service_region="us-east-1",
        bytes_to_destination=size,
        bytes_from_destination=size,
        avoidable_by="s3-gateway-endpoint",
        path=Verdict.TRANSIT_GATEWAY,
        transit_gateway_id="tgw-x",
        usd=2 * size / GIB * usd_per_gb,
    )


def test_flow_log_money_is_the_whole_path_per_record(tmp_path: Path) -> None:
    h = hub_and_spoke()
    snapshot = load_snapshot(h.estate.write(tmp_path))
    same_zone = _RAW["nat_gateway_gb"] + _RAW["transit_gateway_gb"]
    crossing = same_zone + 2 * _RAW["cross_az_gb"]
    traffic = (
        _record(h.spoke2_b, h.nats["b"], same_zone, 3 * GIB),
        _record(h.spoke2_c, h.nats["a"], crossing, 2 * GIB),
        # A plain NAT record of the same subnet is not this finding's (no transit gateway).
        TrafficRecord(
            source_subnet_id=h.spoke2_b,
            nat_gateway_id=h.nats["b"],
            service="S3",
            service_region="us-east-1",
            bytes_to_destination=GIB,
            bytes_from_destination=GIB,
            avoidable_by="s3-gateway-endpoint",
        ),
    )
    flows = FlowEvidence(files=1, records=9, window_start=0, window_end=3 * DAY, traffic=traffic)
    report = audit(snapshot, PRICES, Evidence(flows=flows))
    spoke2_table = next(
        f
        for f in report.findings
        if f.check == "s3-via-transit-gateway" and h.spoke2_b in f.subnet_ids
    )
    assert spoke2_table.bytes_per_month == 10 * GIB * 10
    assert spoke2_table.usd_per_month == round((6 * same_zone + 4 * crossing) * 10, 2)
    assert "whole path" in spoke2_table.money_basis
    assert report.usd_per_month_avoidable == spoke2_table.usd_per_month


def test_metrics_price_the_hub_as_a_labelled_upper_bound(tmp_path: Path) -> None:
    h = hub_and_spoke()
    snapshot = load_snapshot(h.estate.write(tmp_path))
    metrics = {
        h.nats["a"]: NatMetrics(
            nat_gateway_id=h.nats["a"],
            region="us-east-1",
            bytes_out_to_destination=4 * GIB,
            bytes_in_from_destination=6 * GIB,
            bytes_in_from_source=4 * GIB,
            bytes_out_to_source=6 * GIB,
        )
    }
    cw = CloudWatchEvidence(days=10, start="s", end="e", nat_gateways=metrics)
    report = audit(snapshot, PRICES, Evidence(cloudwatch=cw))
    spoke1 = next(f for f in report.findings if f.id == f"s3-via-transit-gateway:{h.spoke1_rt}")
    per_gb = _RAW["nat_gateway_gb"] + _RAW["transit_gateway_gb"]
    assert spoke1.upper_bound
    assert spoke1.bytes_per_month == 10 * GIB * 3
    assert spoke1.usd_per_month == round(30 * per_gb, 2)
    assert "upper bound" in spoke1.money_basis and "every spoke" in spoke1.money_basis
