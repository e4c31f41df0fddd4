"""What every check reads: the snapshot, prices, and each subnet's traced legs (computed once)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from vpcpath.errors import PolicyError, SnapshotError
from vpcpath.model import EndpointType, Snapshot, Subnet
from vpcpath.model.paths import Leg, Path
from vpcpath.policy import EndpointPolicyCheck, check_endpoint_policy
from vpcpath.pricing.table import PriceTable
from vpcpath.routing.destinations import ANY_PUBLIC_V4
from vpcpath.routing.explain import explain
from vpcpath.routing.overview import is_private
from vpcpath.routing.trace import TraceContext, Tracer, group_steps

# The destinations every subnet is traced to; legs are keyed by name.
AUDITED_DESTINATIONS = ("s3", "dynamodb", "ecr")


@dataclass(frozen=True, slots=True)
class SubnetPaths:
    subnet: Subnet
    route_table_id: str
    private: bool
    legs: Mapping[str, Leg]  # s3, dynamodb, ecr.api, ecr.dkr, s3-layers
    default_paths: tuple[Path, ...]  # where the IPv4 default route takes any public address


@dataclass(frozen=True, slots=True)
class AuditContext:
    snapshot: Snapshot
    prices: PriceTable
    subnets: Mapping[str, SubnetPaths]
    skipped: tuple[tuple[str, str], ...] = ()  # (subnet id, why it could not be traced)
    # Gateway endpoint id → its policy checked against the request catalogue, or the reason
    # the policy could not be read.
    policy_checks: Mapping[str, EndpointPolicyCheck | str] = field(default_factory=dict)

    def in_vpc(self, vpc_id: str) -> list[SubnetPaths]:
        return [
            self.subnets[s]
            for s in self.snapshot.subnets_by_vpc.get(vpc_id, ())
            if s in self.subnets
        ]


def check_gateway_policies(
    snapshot: Snapshot, org_id: str | None
) -> dict[str, EndpointPolicyCheck | str]:
    checks: dict[str, EndpointPolicyCheck | str] = {}
    for endpoint in sorted(snapshot.endpoints.values(), key=lambda e: e.id):
        if endpoint.endpoint_type is not EndpointType.GATEWAY:
            continue
        try:
            checks[endpoint.id] = check_endpoint_policy(
                endpoint.policy_document,
                service_name=endpoint.service_name,
                region=endpoint.region,
                account_id=endpoint.account_id,
                org_id=org_id,
                vpc_endpoint_id=endpoint.id,
                vpc_id=endpoint.vpc_id,
            )
        except PolicyError as exc:
            checks[endpoint.id] = str(exc)
    return checks


def build_context(
    snapshot: Snapshot, prices: PriceTable, *, org_id: str | None = None
) -> AuditContext:
    tracer = Tracer(snapshot)
    subnets: dict[str, SubnetPaths] = {}
    skipped: list[tuple[str, str]] = []
    for subnet in sorted(snapshot.subnets.values(), key=lambda s: s.id):
        legs: dict[str, Leg] = {}
        route_table_id = ""
        try:
            for destination in AUDITED_DESTINATIONS:
                result = explain(snapshot, subnet.id, destination, prices=prices, tracer=tracer)
                route_table_id = result.source.route_table_id
                legs.update((leg.name, leg) for leg in result.legs)
        except SnapshotError as exc:
            # A subnet the snapshot cannot route (no route table recorded) is reported as
            # missing from the audit, not silently dropped and not fatal for the rest.
            skipped.append((subnet.id, str(exc)))
            continue
        table = snapshot.route_tables[route_table_id]
        steps = tracer.trace(
            table, ANY_PUBLIC_V4, TraceContext(source_zone=subnet.availability_zone), whole=True
        )
        subnets[subnet.id] = SubnetPaths(
            subnet=subnet,
            route_table_id=route_table_id,
            private=is_private(snapshot, subnet),
            legs=legs,
            default_paths=tuple(group_steps(steps)),
        )
    return AuditContext(
        snapshot=snapshot,
        prices=prices,
        subnets=subnets,
        skipped=tuple(skipped),
        policy_checks=check_gateway_policies(snapshot, org_id),
    )
