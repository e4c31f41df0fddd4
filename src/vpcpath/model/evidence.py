"""Traffic evidence an audit can price findings with: flow logs, or NAT gateway metrics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from vpcpath.model.enums import Verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class TrafficRecord:
    """Bytes one source subnet exchanged with one service over one path, in the window."""

    source_subnet_id: str | None
    nat_gateway_id: str | None
    service: str | None  # ip-ranges name (S3, DYNAMODB, AMAZON, …) or None for non-AWS
    service_region: str | None
    bytes_to_destination: int
    bytes_from_destination: int
    avoidable_by: str | None
    # The verdict of the path the bytes took: nat-gateway, or transit-gateway when a TGW led
    # to the NAT.
    path: Verdict = Verdict.NAT_GATEWAY
    transit_gateway_id: str | None = None
    # What the bytes cost over their whole path, as the flow analysis priced it (a path through
    # a transit gateway pays it and the egress NAT gateway, and a zone crossing where any).
    usd: float | None = None

    @property
    def bytes(self) -> int:
        return self.bytes_to_destination + self.bytes_from_destination


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowEvidence:
    files: int
    records: int
    window_start: int  # epoch seconds, UTC
    window_end: int
    traffic: tuple[TrafficRecord, ...]
    notes: tuple[str, ...] = ()

    @property
    def window_days(self) -> float:
        return max(self.window_end - self.window_start, 0) / 86400


@dataclass(frozen=True, slots=True, kw_only=True)
class NatMetrics:
    """AWS/NATGateway byte metrics of one NAT gateway over ``days``."""

    nat_gateway_id: str
    region: str
    bytes_out_to_destination: int
    bytes_in_from_destination: int
    bytes_in_from_source: int
    bytes_out_to_source: int

    @property
    def processed_bytes(self) -> int:
        # NAT data processing counts each byte once per direction: source → destination
        # (BytesOutToDestination) and destination → source (BytesInFromDestination).
        return self.bytes_out_to_destination + self.bytes_in_from_destination


@dataclass(frozen=True, slots=True, kw_only=True)
class CloudWatchEvidence:
    days: int
    start: str
    end: str
    nat_gateways: Mapping[str, NatMetrics] = field(default_factory=dict)
    missing: tuple[tuple[str, str], ...] = ()  # (nat id, why no metrics)


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    flows: FlowEvidence | None = None
    cloudwatch: CloudWatchEvidence | None = None
