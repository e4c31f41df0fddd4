"""Interface endpoints are reached by DNS, not by routes (docs/architecture.md, rule 7).

PrivateLink Guide, "Access an AWS service using an interface VPC endpoint" → "DNS hostnames"
and "Private DNS": with private DNS enabled, the service's default hostname resolves to the
endpoint's network interfaces in the VPC; without it, only the endpoint-specific hostnames do.
Private DNS needs the VPC attributes enableDnsSupport and enableDnsHostnames (VPC User Guide,
"DNS attributes for your VPC"); vpcpath assumes both on unless the snapshot records them.
For S3, "PrivateDnsOnlyForInboundResolverEndpoint" keeps in-VPC clients on the gateway
endpoint (S3 User Guide, "AWS PrivateLink for Amazon S3" → "Private DNS").
"""

from __future__ import annotations

from dataclasses import dataclass

from vpcpath.errors import SnapshotError
from vpcpath.model import EndpointType, Snapshot, Subnet, VpcEndpoint
from vpcpath.routing.destinations import GATEWAY_SERVICES, LegSpec


@dataclass(frozen=True, slots=True)
class EndpointChoice:
    endpoint: VpcEndpoint | None
    note: str | None  # why an endpoint was or was not used, when that is not obvious


def interface_endpoint_for(snapshot: Snapshot, vpc_id: str, spec: LegSpec) -> EndpointChoice:
    if spec.endpoint_id is not None:
        endpoint = snapshot.endpoints.get(spec.endpoint_id)
        if endpoint is None:
            raise SnapshotError(
                f"{spec.hostname} names endpoint {spec.endpoint_id}, which is not in the snapshot"
            )
        return EndpointChoice(endpoint, "an endpoint-specific hostname always reaches its endpoint")
    if spec.service is None or spec.hostname is None:
        return EndpointChoice(None, None)
    name = f"com.amazonaws.{spec.region}.{spec.service}"
    candidates = [
        e
        for e in snapshot.endpoints_in_vpc(vpc_id)
        if e.endpoint_type is EndpointType.INTERFACE and e.service_name == name and e.is_available
    ]
    if not candidates:
        return EndpointChoice(None, None)
    with_dns = [e for e in candidates if e.private_dns_enabled]
    if not with_dns:
        ids = ", ".join(e.id for e in candidates)
        return EndpointChoice(
            None,
            f"interface endpoint {ids} has private DNS off, so {spec.hostname} resolves to "
            "public addresses; only its endpoint-specific names reach it",
        )
    vpc = snapshot.vpcs.get(vpc_id)
    if vpc is not None and (vpc.dns_support is False or vpc.dns_hostnames is False):
        return EndpointChoice(
            None,
            f"interface endpoint {with_dns[0].id} has private DNS on, but {vpc_id} has DNS "
            "support or DNS hostnames off, so the private name is not used",
        )
    endpoint = with_dns[0]
    if spec.service in GATEWAY_SERVICES and endpoint.private_dns_only_for_inbound_resolver_endpoint:
        return EndpointChoice(
            None,
            f"interface endpoint {endpoint.id} has private DNS for inbound resolver endpoints "
            "only, so clients in the VPC use the gateway endpoint route",
        )
    return EndpointChoice(endpoint, None)


def nearest_endpoint_subnet(
    snapshot: Snapshot, endpoint: VpcEndpoint, zone: str
) -> tuple[Subnet | None, bool]:
    """The endpoint subnet in ``zone`` if any, else another: (subnet, crosses a zone)."""
    subnets = [snapshot.subnets[s] for s in endpoint.subnet_ids if s in snapshot.subnets]
    same = [s for s in subnets if s.availability_zone == zone]
    if same:
        return same[0], False
    if subnets:
        return subnets[0], True
    return None, False
