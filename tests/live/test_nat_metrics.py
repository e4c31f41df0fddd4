"""`audit --cloudwatch`: NAT gateway byte metrics read over HTTP through the read-only guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3

from vpcpath.model import NatGateway
from vpcpath.sources.live import ReadOnlyGuard
from vpcpath.sources.live.session import AwsSession
from vpcpath.sources.nat_metrics import METRICS, collect_nat_metrics

GIB = 2**30


def test_metrics_are_summed_per_nat_gateway(aws_env: str) -> None:
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    seeder = boto3.client("cloudwatch", region_name="eu-west-1")
    for day, scale in ((1, 1), (3, 2)):
        seeder.put_metric_data(
            Namespace="AWS/NATGateway",
            MetricData=[
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": "NatGatewayId", "Value": "nat-0metrics000000001"}],
                    "Timestamp": now - timedelta(days=day, hours=2),
                    "Value": float((i + 1) * scale * GIB),
                    "Unit": "Bytes",
                }
                for i, metric in enumerate(METRICS)
            ],
        )
    nat = NatGateway(
        id="nat-0metrics000000001",
        vpc_id="vpc-1",
        account_id="1",
        region="eu-west-1",
        subnet_id="subnet-1",
    )
    unknown = NatGateway(
        id="nat-0nometrics0000002",
        vpc_id="vpc-1",
        account_id="1",
        region="eu-west-1",
        subnet_id="subnet-1",
    )
    guard = ReadOnlyGuard()
    session = AwsSession.from_profile(None, guard=guard)
    evidence = collect_nat_metrics(
        [nat, unknown], lambda region: session.client("cloudwatch", region), days=7, now=now
    )
    got = evidence.nat_gateways["nat-0metrics000000001"]
    # Each metric: its value on day 1 plus twice it on day 3.
    assert got.bytes_out_to_destination == 3 * GIB
    assert got.bytes_in_from_destination == 6 * GIB
    assert got.bytes_in_from_source == 9 * GIB
    assert got.bytes_out_to_source == 12 * GIB
    assert got.processed_bytes == 9 * GIB
    # A NAT gateway without datapoints has zero bytes, not an error.
    assert evidence.nat_gateways["nat-0nometrics0000002"].processed_bytes == 0
    assert guard.used_actions == frozenset({"cloudwatch:GetMetricStatistics"})
