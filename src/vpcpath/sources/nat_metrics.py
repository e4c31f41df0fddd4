"""NAT gateway byte metrics from CloudWatch (``AWS/NATGateway``), for upper-bound pricing.

Metrics per NAT gateway (VPC User Guide, "Monitor NAT gateways with Amazon CloudWatch" →
"NAT gateway metrics and dimensions",
https://docs.aws.amazon.com/vpc/latest/userguide/metrics-dimensions-nat-gateway.html):
BytesOutToDestination, BytesInFromDestination, BytesInFromSource, BytesOutToSource, each with
the ``NatGatewayId`` dimension; the Sum statistic gives bytes per period.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from vpcpath.errors import AwsError, ReadOnlyViolation, UndeclaredAwsCall
from vpcpath.model import NatGateway
from vpcpath.model.evidence import CloudWatchEvidence, NatMetrics
from vpcpath.sources.live.aws_errors import aws_errors
from vpcpath.sources.live.calls import NAT_METRICS_CALL

METRICS = (
    "BytesOutToDestination",
    "BytesInFromDestination",
    "BytesInFromSource",
    "BytesOutToSource",
)
DAY = 86400


def collect_nat_metrics(
    nat_gateways: Iterable[NatGateway],
    client_for: Callable[[str], Any],
    *,
    days: int,
    now: datetime,
) -> CloudWatchEvidence:
    """Sum each metric over ``days`` whole days ending at ``now`` (UTC), per NAT gateway."""
    start = now - timedelta(days=days)
    found: dict[str, NatMetrics] = {}
    missing: list[tuple[str, str]] = []
    for nat in sorted(nat_gateways, key=lambda n: n.id):
        client = client_for(nat.region)
        sums: dict[str, int] = {}
        try:
            with aws_errors(NAT_METRICS_CALL.iam_action, where=f"{nat.id} ({nat.region})"):
                for metric in METRICS:
                    answer = getattr(client, NAT_METRICS_CALL.method)(
                        Namespace="AWS/NATGateway",
                        MetricName=metric,
                        Dimensions=[{"Name": "NatGatewayId", "Value": nat.id}],
                        StartTime=start,
                        EndTime=now,
                        Period=DAY,
                        Statistics=["Sum"],
                    )
                    sums[metric] = int(sum(p.get("Sum", 0.0) for p in answer.get("Datapoints", [])))
        except (ReadOnlyViolation, UndeclaredAwsCall):
            raise  # vpcpath's own guard refused the call: a bug, not a gap in the evidence
        except AwsError as exc:  # denied, throttled, unreachable: this NAT gateway is missing
            missing.append((nat.id, str(exc)))
            continue
        found[nat.id] = NatMetrics(
            nat_gateway_id=nat.id,
            region=nat.region,
            bytes_out_to_destination=sums["BytesOutToDestination"],
            bytes_in_from_destination=sums["BytesInFromDestination"],
            bytes_in_from_source=sums["BytesInFromSource"],
            bytes_out_to_source=sums["BytesOutToSource"],
        )
    return CloudWatchEvidence(
        days=days,
        start=start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        end=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        nat_gateways=found,
        missing=tuple(missing),
    )
