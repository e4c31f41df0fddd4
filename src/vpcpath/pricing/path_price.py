"""The one place that turns a path or a kind of charge into money: USD per GB (2^30 bytes).

What is counted (docs/contracts.md, explain, ``usd_per_gb_in`` / ``usd_per_gb_out``):
- NAT gateway data processing, both directions (https://aws.amazon.com/vpc/pricing/: "Data
  processing charge … per GB processed", whichever way the bytes go).
- Interface endpoint data processing, both directions (https://aws.amazon.com/privatelink/pricing/).
- Cross-AZ transfer when the NAT gateway or the nearest endpoint ENI is in another zone: billed
  $0.01/GB "in each direction" on each side, so twice the per-side rate for each crossing
  (https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer within the same AWS Region").
- Internet data transfer out, on ``out`` only, for internet destinations; inter-region transfer
  out for another region's AWS addresses. Transfer into EC2 from the internet is free.
- Transit gateway data processing per GB sent to the transit gateway by each attachment — the
  source's on the way out, the egress VPC's on the way back
  (https://aws.amazon.com/transit-gateway/pricing/) — for every path that crosses one, plus
  what the path pays beyond it (the egress VPC's NAT gateway), cross-AZ transfer where the
  transit gateway delivers into another zone, and inter-region transfer over a peering.
- Same-region traffic between EC2 and AWS services through an internet gateway or a gateway
  endpoint: no transfer charge (docs/architecture.md, rule 9).
Not included: what AWS bills a bucket's owner for inter-region reads, and charges beyond a
VPC peering connection or a transit gateway path that ends at the transit gateway.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from vpcpath.model.enums import Charge, Verdict
from vpcpath.model.paths import Path, Scope
from vpcpath.pricing.table import GIB, RegionPrices


@dataclass(frozen=True, slots=True)
class PerGb:
    usd_in: float
    usd_out: float


def usd_per_gb(charge: Charge, prices: RegionPrices) -> float:
    """USD per GB for one kind of charge, the same whichever way the bytes go."""
    if charge is Charge.NAT_PROCESSING:
        return prices.nat_gateway_gb
    if charge is Charge.CROSS_AZ:
        # Billed $0.01/GB "in each direction" on each side of the crossing: both sides are the
        # same account's bill, so one crossing costs twice the per-side rate.
        return 2 * prices.cross_az_gb
    if charge is Charge.TRANSIT_GATEWAY:
        return prices.transit_gateway_gb
    assert_never(charge)


def transit_charges(*, cross_az: bool) -> tuple[Charge, ...]:
    """The charges on a byte that reaches an egress VPC's NAT gateway through a transit gateway
    (centralized egress): processing by both, and a zone crossing where the zones differ."""
    base = (Charge.TRANSIT_GATEWAY, Charge.NAT_PROCESSING)
    return (*base, Charge.CROSS_AZ) if cross_az else base


def usd_per_gb_of(charges: tuple[Charge, ...], prices: RegionPrices) -> float:
    """USD per GB of bytes that pay each of ``charges`` once."""
    return round(sum(usd_per_gb(c, prices) for c in charges), 6)


def nat_traffic_usd(
    nat_bytes: int, prices: RegionPrices, *, via_transit_gateway: bool, cross_az: bool
) -> float:
    """USD of one NAT traffic row of the flow analysis (1 GB = 2^30 bytes): NAT processing, or
    for bytes that crossed a transit gateway to reach the NAT gateway the whole path
    (``transit_charges``). One rule for a scan's rows and for rows read back from Athena."""
    per_gb = (
        usd_per_gb_of(transit_charges(cross_az=cross_az), prices)
        if via_transit_gateway
        else prices.nat_gateway_gb
    )
    return round(nat_bytes / GIB * float(per_gb), 6)


def price_path(path: Path, scope: Scope, prices: RegionPrices) -> PerGb:
    """USD per GB received (in) and sent (out) by the source over ``path``."""
    cross = usd_per_gb(Charge.CROSS_AZ, prices)
    usd_in = usd_out = 0.0
    facts = path.facts
    if path.verdict is Verdict.NAT_GATEWAY:
        usd_in = usd_out = usd_per_gb(Charge.NAT_PROCESSING, prices)
        if facts.nat_cross_az:
            usd_in += cross
            usd_out += cross
    elif path.verdict is Verdict.INTERFACE_ENDPOINT:
        usd_in = usd_out = prices.interface_endpoint_gb
        if facts.endpoint_cross_az:
            usd_in += cross
            usd_out += cross
    if facts.transit_gateway_ids or path.verdict is Verdict.TRANSIT_GATEWAY:
        # Processing is billed once each way, to the attachment that sends the bytes into the
        # transit gateway (the source's out, the far VPC's back); a peering attachment is not
        # billed for processing (https://aws.amazon.com/transit-gateway/pricing/).
        usd_in += usd_per_gb(Charge.TRANSIT_GATEWAY, prices)
        usd_out += usd_per_gb(Charge.TRANSIT_GATEWAY, prices)
        if facts.transit_cross_az:
            usd_in += cross
            usd_out += cross
        if facts.transit_inter_region:
            # Transit gateway peering across regions bills inter-region transfer to the sender;
            # both ends are the estate's, so both directions count.
            usd_in += prices.inter_region_gb
            usd_out += prices.inter_region_gb
    if path.verdict in (
        Verdict.NAT_GATEWAY,
        Verdict.INTERNET_GATEWAY,
        Verdict.EGRESS_ONLY_INTERNET_GATEWAY,
        Verdict.VIRTUAL_PRIVATE_GATEWAY,
    ):
        if scope is Scope.INTERNET:
            usd_out += prices.internet_egress_gb
        elif scope is Scope.AWS_OTHER_REGION:
            usd_out += prices.inter_region_gb
    return PerGb(round(usd_in, 6), round(usd_out, 6))
