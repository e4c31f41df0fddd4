"""The marginal price of one GB (2^30 bytes) over a traced path, in each direction.

What is counted (DESIGN.md, explain contract, ``usd_per_gb_in`` / ``usd_per_gb_out``):
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
  (https://aws.amazon.com/transit-gateway/pricing/).
- Same-region traffic between EC2 and AWS services through an internet gateway or a gateway
  endpoint: no transfer charge (DESIGN rule 9).
Not included: what AWS bills a bucket's owner for inter-region reads, and charges beyond a
transit gateway or peering connection (the other VPC's NAT, for instance).
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.model import Verdict
from vpcpath.pricing.table import RegionPrices
from vpcpath.routing.destinations import Scope
from vpcpath.routing.paths import Path


@dataclass(frozen=True, slots=True)
class PerGb:
    usd_in: float
    usd_out: float


def price_path(path: Path, scope: Scope, prices: RegionPrices) -> PerGb:
    """USD per GB received (in) and sent (out) by the source over ``path``."""
    cross = 2 * prices.cross_az_gb
    usd_in = usd_out = 0.0
    if path.verdict is Verdict.NAT_GATEWAY:
        usd_in = usd_out = prices.nat_gateway_gb
        if path.facts.nat_cross_az:
            usd_in += cross
            usd_out += cross
    elif path.verdict is Verdict.INTERFACE_ENDPOINT:
        usd_in = usd_out = prices.interface_endpoint_gb
        if path.facts.endpoint_cross_az:
            usd_in += cross
            usd_out += cross
    elif path.verdict is Verdict.TRANSIT_GATEWAY:
        usd_in = usd_out = prices.transit_gateway_gb
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
