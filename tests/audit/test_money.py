"""Money per finding: flow-log bytes scaled to 30 days, metric upper bounds, no double count."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audit.scenarios import build, load
from vpcpath.audit.engine import audit
from vpcpath.model.evidence import (
    CloudWatchEvidence,
    Evidence,
    FlowEvidence,
    NatMetrics,
    TrafficRecord,
)
from vpcpath.pricing.table import load_bundled_prices

PRICES = load_bundled_prices()
USE1 = PRICES.for_region("us-east-1")
GIB = 2**30
DAY = 86400


def record(
    subnet: str,
    nat: str,
    service: str | None,
    to: int,
    back: int,
    *,
    region: str = "us-east-1",
    avoidable: bool = True,
) -> TrafficRecord:
    return TrafficRecord(
        source_subnet_id=subnet,
        nat_gateway_id=nat,
        service=service,
        service_region=region,
        bytes_to_destination=to,
        bytes_from_destination=back,
        avoidable_by=f"{(service or '').lower()}-gateway-endpoint"
        if avoidable and service
        else None,
    )


def test_flow_log_money_is_bytes_times_price_times_30_over_days(tmp_path: Path) -> None:
    built = build(containers=True)
    snapshot = load(built, tmp_path)
    traffic = (
        record(built.private, built.nat, "S3", 3 * GIB, 7 * GIB),
        # Same subnet, S3 outside the prefix list: not avoidable by the endpoint.
        record(built.private, built.nat, "S3", 5 * GIB, 5 * GIB, avoidable=False),
        # Another region's S3: not this VPC's endpoint's business.
        record(built.private, built.nat, "S3", GIB, GIB, region="eu-west-1", avoidable=False),
        record(built.second, "nat-unknown", "DYNAMODB", 0, 2 * GIB),
        record(built.second, "nat-unknown", None, 4 * GIB, 4 * GIB, avoidable=False),
    )
    window = 2 * DAY  # two days observed → ×15
    flows = FlowEvidence(
        files=1,
        records=99,
        window_start=1_700_000_000,
        window_end=1_700_000_000 + window,
        traffic=traffic,
    )
    report = audit(snapshot, PRICES, Evidence(flows=flows))
    by_id = {f.id: f for f in report.findings}
    s3 = by_id[f"s3-via-nat:{built.vpc}"]
    assert s3.bytes_per_month == 10 * GIB * 15
    assert s3.usd_per_month == round(10 * 15 * USE1.nat_gateway_gb, 2) == 6.75
    assert "× 15.0000 = 30 days" in s3.money_basis
    ddb = by_id[f"dynamodb-via-nat:{built.vpc}"]
    # The DynamoDB record went through a NAT gateway the finding does not name: not counted.
    assert ddb.bytes_per_month == 0
    ecr = by_id[f"ecr-pulls-via-nat:{built.vpc}"]
    assert ecr.usd_per_month == s3.usd_per_month  # the same layer bytes…
    assert report.usd_per_month_avoidable == 6.75  # …counted once in the summary
    assert report.bytes_per_month_avoidable == 10 * GIB * 15


def test_cross_az_money_counts_all_services(tmp_path: Path) -> None:
    built = build(nat_zone_for_second="a")
    snapshot = load(built, tmp_path)
    traffic = (
        record(built.second, built.nat, None, GIB, 3 * GIB, avoidable=False),
        record(built.second, built.nat, "S3", GIB, GIB),
    )
    flows = FlowEvidence(files=1, records=4, window_start=0, window_end=30 * DAY, traffic=traffic)
    report = audit(snapshot, PRICES, Evidence(flows=flows))
    cross = {f.id: f for f in report.findings}[f"cross-az-nat:{built.second}"]
    assert cross.bytes_per_month == 6 * GIB
    assert cross.usd_per_month == pytest.approx(6 * 2 * USE1.cross_az_gb)
    # Summary: NAT processing of the S3 bytes (2 GiB) + cross-AZ of all 6 GiB, each once.
    assert report.usd_per_month_avoidable == round(
        2 * USE1.nat_gateway_gb + 6 * 2 * USE1.cross_az_gb, 2
    )


def test_cloudwatch_upper_bound_per_nat_gateway(tmp_path: Path) -> None:
    built = build()
    snapshot = load(built, tmp_path)
    metrics = NatMetrics(
        nat_gateway_id=built.nat,
        region="us-east-1",
        bytes_out_to_destination=10 * GIB,
        bytes_in_from_destination=20 * GIB,
        bytes_in_from_source=10 * GIB,
        bytes_out_to_source=20 * GIB,
    )
    cw = CloudWatchEvidence(days=10, start="s", end="e", nat_gateways={built.nat: metrics})
    report = audit(snapshot, PRICES, Evidence(cloudwatch=cw))
    s3 = {f.id: f for f in report.findings}[f"s3-via-nat:{built.vpc}"]
    assert s3.upper_bound
    assert "upper bound" in s3.money_basis
    # s3-via-nat names both NAT gateways; only one has metrics: 30 GiB over 10 days × 3.
    assert s3.bytes_per_month == 90 * GIB
    assert s3.usd_per_month == round(90 * USE1.nat_gateway_gb, 2)
    # Several findings name the same NAT gateway: the summary counts its bytes once per charge.
    assert report.usd_per_month_avoidable == round(90 * USE1.nat_gateway_gb, 2)


def test_without_evidence_money_is_null_and_says_why(tmp_path: Path) -> None:
    report = audit(load(build(), tmp_path), PRICES)
    assert report.usd_per_month_avoidable is None
    for f in report.findings:
        assert f.usd_per_month is None and f.bytes_per_month is None
        assert "--flow-logs" in f.money_basis


@pytest.mark.parametrize(("api_gib_per_day", "verdict"), [(1, "would not"), (40, "would")])
def test_ecr_interface_endpoints_judged_at_observed_api_traffic(
    tmp_path: Path, api_gib_per_day: int, verdict: str
) -> None:
    built = build(containers=True)
    snapshot = load(built, tmp_path)
    traffic = (
        record(built.private, built.nat, "AMAZON", 0, api_gib_per_day * GIB, avoidable=False),
    )
    flows = FlowEvidence(files=1, records=1, window_start=0, window_end=DAY, traffic=traffic)
    report = audit(snapshot, PRICES, Evidence(flows=flows))
    ecr = {f.id: f for f in report.findings}[f"ecr-pulls-via-nat:{built.vpc}"]
    # Two endpoints (ecr.api, ecr.dkr) in the two zones of the affected subnets.
    break_even = (
        2
        * 2
        * USE1.interface_endpoint_az_hour
        * 730
        / (USE1.nat_gateway_gb - USE1.interface_endpoint_gb)
    )
    assert ecr.interface_endpoint_break_even_gb == pytest.approx(break_even)
    assert f"{api_gib_per_day * 30:,.1f} GiB/month" in ecr.explanation
    assert f"interface endpoints {verdict} pay for themselves" in ecr.explanation
