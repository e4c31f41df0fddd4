"""What ``vpcpath flows`` finds: plain frozen values the renderers turn into JSON and text.

Bytes are integers (exact); dollars are derived from them with the NAT gateway's regional
price per GB (2^30 bytes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Evidence(StrEnum):
    """Which records a row of NAT traffic was attributed from (docs/architecture.md "Flow-log
    semantics")."""

    # The workload's own ENI records, routed through the snapshot's routing model.
    WORKLOAD_ENI = "workload-eni"
    # The NAT gateway ENI's client leg with pkt-* fields: workload and remote both known.
    NAT_ENI_PKT = "nat-eni-pkt"
    # The NAT gateway ENI's client leg without pkt-* fields (v2): the remote is not recorded,
    # so service and region are unknown. Used only for workloads without logs of their own.
    NAT_ENI = "nat-eni"


@dataclass(frozen=True, slots=True, kw_only=True)
class NatTraffic:
    """Bytes one source sent to / received from one kind of remote through one NAT gateway."""

    nat_gateway_id: str
    nat_region: str
    source_subnet_id: str | None
    source_eni_id: str | None
    source_instance_id: str | None
    service: str | None  # ip-ranges service name, None outside AWS (or unknown, see evidence)
    service_region: str | None
    bytes_to_destination: int
    bytes_from_destination: int
    avoidable_by: str | None  # "s3-gateway-endpoint" / "dynamodb-gateway-endpoint"
    usd: float
    evidence: Evidence
    nat_cross_az: bool = False
    # Set when the source reached the NAT gateway through a transit gateway (centralized
    # egress): ``usd`` is then the whole path's price (transit gateway + NAT, + cross-AZ).
    transit_gateway_id: str | None = None

    @property
    def nat_bytes(self) -> int:
        return self.bytes_to_destination + self.bytes_from_destination


@dataclass(frozen=True, slots=True, kw_only=True)
class MalformedLine:
    file: str
    line: int | None  # 1-based line number in the (decompressed) file; Parquet: row number
    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InputError:
    """A file that could be read only in part, or not at all (the result is partial)."""

    file: str
    message: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InputSummary:
    files: int
    bytes_read: int  # size of the input files as stored (compressed bytes for gzip)
    records: int  # every data line read: malformed and NODATA/SKIPDATA included
    malformed: int
    nodata: int
    skipdata: int
    malformed_examples: tuple[MalformedLine, ...] = ()
    errors: tuple[InputError, ...] = ()
    formats: tuple[str, ...] = ()  # distinct header lines / Parquet column sets seen


@dataclass(frozen=True, slots=True, kw_only=True)
class Coverage:
    """The cross-check for one NAT gateway: bytes its own ENI saw against bytes attributed."""

    nat_gateway_id: str
    client_leg_bytes: int  # NAT ENI records between the workloads and the NAT (both ways)
    internet_leg_bytes: int  # NAT ENI records between the NAT and the remotes (both ways)
    attributed_bytes: int  # the NAT bytes of the rows in nat_traffic for this gateway
    model_bytes: int  # workload-ENI bytes the routing model sends through this gateway
    nat_eni_logged: bool  # whether the input holds records of this NAT gateway's ENI
    direct: bool  # attributed from the NAT ENI's pkt-* fields instead of the routing model

    @property
    def ratio(self) -> float | None:
        """attributed / client-leg bytes; None when the NAT ENI's records are not in the input."""
        if not self.nat_eni_logged or self.client_leg_bytes == 0:
            return None
        return self.attributed_bytes / self.client_leg_bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class Bucket:
    """Bytes set aside in a named bucket (IPv6, unattributed, …), never silently dropped."""

    name: str
    records: int
    bytes: int
    detail: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unattributed:
    """Workload records matched to no source of the snapshot, and why (``workload_match``)."""

    reason: str  # a code of ``workload_match.REASONS``
    records: int  # ACCEPT records
    bytes: int
    named: tuple[str, ...] = ()  # ids the records name (VPC, subnet, account, region)


@dataclass(frozen=True, slots=True, kw_only=True)
class FlowsResult:
    input: InputSummary
    window_start: int | None
    window_end: int | None
    nat_traffic: tuple[NatTraffic, ...]
    coverage: tuple[Coverage, ...]
    # Workload-ENI ACCEPT bytes (both directions) by routing verdict, for context.
    bytes_by_verdict: tuple[tuple[str, int], ...] = ()
    buckets: tuple[Bucket, ...] = ()
    price_source: str = ""
    price_date: str = ""
    ip_ranges_source: str = ""
    notes: tuple[str, ...] = field(default=())
    unattributed: tuple[Unattributed, ...] = ()
    # Records (status lines included, malformed not) of a workload or NAT gateway ENI of the
    # snapshot: what the answer rests on.
    matched_records: int = 0

    @property
    def partial(self) -> bool:
        return bool(self.input.errors)

    @property
    def window_seconds(self) -> int | None:
        """How long the records span (last end − first start); None without records.

        A caller scaling the bytes to a month multiplies by ``30 * 86400 / window_seconds``.
        """
        if self.window_start is None or self.window_end is None:
            return None
        return max(self.window_end - self.window_start, 0)

    def nat_bytes_where(
        self,
        *,
        nat_gateway_id: str | None = None,
        source_subnet_id: str | None = None,
        service: str | None = None,
        avoidable_by: str | None = None,
    ) -> int:
        """NAT bytes (both directions) of the rows matching every given filter."""
        return sum(
            r.nat_bytes
            for r in self.nat_traffic
            if (nat_gateway_id is None or r.nat_gateway_id == nat_gateway_id)
            and (source_subnet_id is None or r.source_subnet_id == source_subnet_id)
            and (service is None or r.service == service)
            and (avoidable_by is None or r.avoidable_by == avoidable_by)
        )

    @property
    def nat_bytes(self) -> int:
        return sum(r.nat_bytes for r in self.nat_traffic)

    @property
    def avoidable_bytes(self) -> int:
        return sum(r.nat_bytes for r in self.nat_traffic if r.avoidable_by)

    @property
    def usd(self) -> float:
        return sum(r.usd for r in self.nat_traffic)

    @property
    def avoidable_usd(self) -> float:
        return sum(r.usd for r in self.nat_traffic if r.avoidable_by)
