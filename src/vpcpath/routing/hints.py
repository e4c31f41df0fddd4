"""One line per leg saying what cheaper path exists, when one does."""

from __future__ import annotations

from vpcpath.model import EndpointType, Snapshot, Verdict
from vpcpath.model.paths import Leg, SourceInfo
from vpcpath.pricing.table import RegionPrices
from vpcpath.routing.destinations import GATEWAY_SERVICES

HOURS_PER_MONTH = 730


def gateway_endpoint_in_vpc(
    snapshot: Snapshot, vpc_id: str, service: str, region: str
) -> str | None:
    name = f"com.amazonaws.{region}.{service}"
    for endpoint in snapshot.endpoints_in_vpc(vpc_id):
        if endpoint.endpoint_type is EndpointType.GATEWAY and endpoint.service_name == name:
            return endpoint.id
    return None


def leg_hint(
    snapshot: Snapshot, source: SourceInfo, leg: Leg, prices: RegionPrices | None
) -> str | None:
    verdicts = {p.verdict for p in leg.paths}
    if leg.service in GATEWAY_SERVICES and leg.region == source.region:
        label = "S3" if leg.service == "s3" else "DynamoDB"
        article = "an" if label == "S3" else "a"
        if verdicts & {Verdict.NAT_GATEWAY, Verdict.TRANSIT_GATEWAY, Verdict.INTERNET_GATEWAY}:
            if not verdicts & {Verdict.NAT_GATEWAY, Verdict.TRANSIT_GATEWAY}:
                return None  # public subnet to same-region S3: already free (rule 9)
            endpoint = gateway_endpoint_in_vpc(snapshot, source.vpc_id, leg.service, leg.region)
            transit = sorted({t for p in leg.paths for t in p.facts.transit_gateway_ids})
            if endpoint is None and transit:
                # Gateway endpoints are not reachable through a transit gateway (VPC User
                # Guide, "Gateway endpoints" → "Considerations"): one in the egress VPC
                # cannot carry the spoke's bytes, only one in this VPC can.
                return (
                    f"add {article} {label} gateway endpoint to {source.vpc_id} (this spoke VPC) "
                    f"and associate it with {source.route_table_id}: only an endpoint here "
                    f"removes both the transit gateway ({', '.join(transit)}) and the NAT "
                    "charges — one in the egress VPC cannot serve traffic that arrives through "
                    "a transit gateway"
                )
            if endpoint is None:
                return (
                    f"add {article} {label} gateway endpoint to {source.vpc_id} and associate it "
                    f"with {source.route_table_id}: the same bytes then cost $0/GiB"
                )
            if endpoint_associated(snapshot, endpoint, source.route_table_id):
                overriding = sorted(
                    {
                        h.route
                        for p in leg.paths
                        if p.verdict is not Verdict.GATEWAY_ENDPOINT
                        for h in p.hops[:1]
                        if h.route
                    }
                )
                return (
                    f"route {', '.join(overriding)} in {source.route_table_id} is more specific "
                    f"than {endpoint}'s prefix list and takes part of {label} away from the free "
                    "endpoint: remove or narrow it"
                )
            return (
                f"associate {endpoint} with {source.route_table_id}: {label} then goes through "
                "the gateway endpoint at $0/GiB"
            )
    if Verdict.NAT_GATEWAY in verdicts and leg.service and leg.service not in GATEWAY_SERVICES:
        if prices is None:
            return f"an interface endpoint for {leg.service} would take this traffic off NAT"
        saving = prices.nat_gateway_gb - prices.interface_endpoint_gb
        monthly = prices.interface_endpoint_az_hour * HOURS_PER_MONTH
        if saving > 0:
            breakeven = monthly / saving
            return (
                f"an interface endpoint for {leg.service} costs "
                f"${prices.interface_endpoint_gb}/GiB + ${monthly:.2f}/month per AZ; "
                "it pays for itself above "
                f"{breakeven:,.0f} GiB/month per AZ"
            )
    crossing = [p.facts.interface_endpoint_id for p in leg.paths if p.facts.endpoint_cross_az]
    if crossing:
        return (
            f"{crossing[0]} has no ENI in {source.availability_zone}: adding {source.subnet_id}'s "
            "zone to the endpoint saves the cross-AZ charge"
        )
    if any(p.facts.nat_cross_az for p in leg.paths):
        return (
            f"{source.subnet_id} uses a NAT gateway in another zone than "
            f"{source.availability_zone}: a NAT gateway in the same zone saves the cross-AZ charge"
        )
    return None


def endpoint_associated(snapshot: Snapshot, endpoint_id: str, route_table_id: str) -> bool:
    endpoint = snapshot.endpoints.get(endpoint_id)
    return endpoint is not None and route_table_id in endpoint.route_table_ids
