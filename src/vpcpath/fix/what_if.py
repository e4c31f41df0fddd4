"""The what-if, as proof: the plan applied to a copy of the model, every path traced again.

The plan is applied to a new immutable snapshot (``dataclasses.replace``; the old one is
untouched): a new gateway endpoint, and on every route table it is associated with the
prefix-list route AWS adds ("When you associate a route table with a gateway endpoint, we
automatically add a route that points traffic destined for the service to the gateway
endpoint", PrivateLink Guide, "Gateway endpoints" → "Routing",
https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing).
Every subnet of the affected VPCs is then traced before and after to a fixed set of
destinations — S3 and DynamoDB of every region in the snapshot, the three legs of an ECR
pull, the internet, every other VPC's CIDRs — and the two answers are diffed. The proof holds
when the only pieces that change belong to an action's service in its region, on its route
tables, and change from a paid path to that action's gateway endpoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from ipaddress import IPv4Network

from vpcpath.errors import SnapshotError
from vpcpath.fix.actions import ActionKind, FixAction, FixPlan
from vpcpath.model import (
    EndpointType,
    IPNetwork,
    Route,
    RouteOrigin,
    Snapshot,
    TargetKind,
    Verdict,
    VpcEndpoint,
)
from vpcpath.model.paths import Leg
from vpcpath.routing.destinations import ANY_PUBLIC_V4
from vpcpath.routing.explain import explain
from vpcpath.routing.lpm import within
from vpcpath.routing.resolve import route_table_for_subnet
from vpcpath.routing.trace import TraceContext, Tracer, group_steps

PAID = frozenset({Verdict.NAT_GATEWAY, Verdict.NETWORK_INTERFACE, Verdict.TRANSIT_GATEWAY})
INTERNET = "internet"


@dataclass(frozen=True, slots=True, kw_only=True)
class LegChange:
    subnet_id: str
    destination: str  # the destination query (s3:us-east-1, ecr, internet, 10.1.0.0/16)
    leg: str
    old_verdict: Verdict
    new_verdict: Verdict
    cidrs: tuple[IPNetwork, ...]
    action_id: str | None  # the action that explains the change; None: unexpected
    nat_gateway_ids: tuple[str, ...] = ()  # the NAT gateways the old path went through


@dataclass(frozen=True, slots=True, kw_only=True)
class WhatIf:
    destinations: tuple[str, ...]
    subnets: tuple[str, ...]  # every subnet traced
    changes: tuple[LegChange, ...]
    problems: tuple[str, ...] = ()  # what could not be proven (no prefix list, …)

    @property
    def unexpected(self) -> tuple[LegChange, ...]:
        return tuple(c for c in self.changes if c.action_id is None)

    @property
    def holds(self) -> bool:
        return not self.unexpected and not self.problems

    def moved_subnets(self, action_id: str) -> tuple[str, ...]:
        return tuple(sorted({c.subnet_id for c in self.changes if c.action_id == action_id}))


def planned_endpoint_id(action: FixAction) -> str:
    """The id the what-if gives an endpoint the plan creates (AWS assigns the real one)."""
    return action.vpc_endpoint_id or f"vpce-new-{action.service}-{action.vpc_id[4:]}"


def apply_to_model(snapshot: Snapshot, plan: FixPlan) -> tuple[Snapshot, tuple[str, ...]]:
    """A new snapshot with the plan's actions made; ``snapshot`` is not changed."""
    endpoints = dict(snapshot.endpoints)
    tables = dict(snapshot.route_tables)
    problems: list[str] = []
    for action in plan.actions:
        endpoint_id = planned_endpoint_id(action)
        if action.kind is ActionKind.UPDATE_ENDPOINT_POLICY:
            endpoints[endpoint_id] = replace(endpoints[endpoint_id], policy_document=action.policy)
            continue
        prefix_list = snapshot.aws_prefix_list_for(action.service, action.region)
        if prefix_list is None:
            problems.append(
                f"{action.id}: the snapshot has no prefix list com.amazonaws.{action.region}."
                f"{action.service} with its CIDRs, so the endpoint's routes cannot be traced"
            )
            continue
        current = endpoints.get(endpoint_id) or VpcEndpoint(
            id=endpoint_id,
            vpc_id=action.vpc_id,
            account_id=action.account_id,
            region=action.region,
            service_name=action.service_name,
            endpoint_type=EndpointType.GATEWAY,
            policy_document=action.policy,
        )
        endpoints[endpoint_id] = replace(
            current, route_table_ids=current.route_table_ids | frozenset(action.route_table_ids)
        )
        route = Route(
            destination=None,
            prefix_list_id=prefix_list.id,
            target_kind=TargetKind.GATEWAY_ENDPOINT,
            target_id=endpoint_id,
            origin=RouteOrigin.ENDPOINT,
        )
        for table_id in action.route_table_ids:
            tables[table_id] = replace(tables[table_id], routes=(*tables[table_id].routes, route))
    return replace(snapshot, endpoints=endpoints, route_tables=tables), tuple(problems)


def destinations_for(snapshot: Snapshot, vpc_id: str) -> tuple[str, ...]:
    services = tuple(f"{s}:{r}" for r in snapshot.regions for s in ("s3", "dynamodb"))
    others = tuple(
        str(cidr)
        for vpc in sorted(snapshot.vpcs.values(), key=lambda v: v.id)
        if vpc.id != vpc_id
        for cidr in vpc.cidrs
    )
    return (*services, "ecr", INTERNET, *others)


def prove(snapshot: Snapshot, plan: FixPlan) -> WhatIf:
    after, problems = apply_to_model(snapshot, plan)
    vpcs = sorted(
        {a.vpc_id for a in plan.actions if a.kind is not ActionKind.UPDATE_ENDPOINT_POLICY}
    )
    before_tracer, after_tracer = Tracer(snapshot), Tracer(after)
    changes: list[LegChange] = []
    traced: list[str] = []
    queries: set[str] = set()
    for vpc_id in vpcs:
        destinations = destinations_for(snapshot, vpc_id)
        queries.update(destinations)
        for subnet_id in snapshot.subnets_by_vpc.get(vpc_id, ()):
            try:
                for destination in destinations:
                    old = _legs(snapshot, before_tracer, subnet_id, destination)
                    new = _legs(after, after_tracer, subnet_id, destination)
                    changes.extend(_diff(subnet_id, destination, old, new, plan.actions, snapshot))
            except SnapshotError as exc:
                problems = (*problems, f"{subnet_id}: not traced ({exc})")
                continue
            traced.append(subnet_id)
    return WhatIf(
        destinations=tuple(sorted(queries)),
        subnets=tuple(traced),
        changes=tuple(changes),
        problems=problems,
    )


def _legs(snapshot: Snapshot, tracer: Tracer, subnet_id: str, destination: str) -> tuple[Leg, ...]:
    if destination != INTERNET:
        return explain(snapshot, subnet_id, destination, tracer=tracer).legs
    table = route_table_for_subnet(snapshot, subnet_id).table
    zone = snapshot.subnets[subnet_id].availability_zone
    steps = tracer.trace(table, ANY_PUBLIC_V4, TraceContext(source_zone=zone), whole=True)
    paths = tuple(group_steps(steps))
    verdict = paths[0].verdict if len(paths) == 1 else Verdict.MIXED
    return (
        Leg(
            name=INTERNET,
            destination="any public IPv4 address",
            service=None,
            region=snapshot.subnets[subnet_id].region,
            verdict=verdict,
            paths=paths,
            cidr_source="0.0.0.0/0",
        ),
    )


HopKey = tuple[tuple[str, str, str | None], ...]
Piece = tuple[IPNetwork, Verdict, HopKey, tuple[str, ...]]


def _pieces(leg: Leg) -> list[Piece]:
    out: list[Piece] = []
    for path in leg.paths:
        key = tuple((h.id, h.type, h.route) for h in path.hops)
        cidrs: Sequence[IPNetwork] = path.cidrs or (IPv4Network("0.0.0.0/0"),)
        out.extend((cidr, path.verdict, key, path.facts.nat_gateway_ids) for cidr in cidrs)
    return out


def _overlap(a: IPNetwork, b: IPNetwork) -> IPNetwork | None:
    if a.version != b.version:
        return None
    if within(a, b):
        return a
    if within(b, a):
        return b
    return None


def _diff(
    subnet_id: str,
    destination: str,
    old: tuple[Leg, ...],
    new: tuple[Leg, ...],
    actions: Sequence[FixAction],
    snapshot: Snapshot,
) -> list[LegChange]:
    changes: list[LegChange] = []
    for old_leg, new_leg in zip(old, new, strict=True):
        moved: dict[tuple[Verdict, Verdict, str | None, tuple[str, ...]], list[IPNetwork]] = {}
        for o_net, o_verdict, o_key, o_nats in _pieces(old_leg):
            for n_net, n_verdict, n_key, _ in _pieces(new_leg):
                piece = _overlap(o_net, n_net)
                if piece is None or (o_verdict, o_key) == (n_verdict, n_key):
                    continue
                action = _explaining_action(
                    subnet_id, old_leg, o_verdict, n_verdict, n_key, actions, snapshot
                )
                moved.setdefault((o_verdict, n_verdict, action, o_nats), []).append(piece)
        for (o_verdict, n_verdict, action_id, nats), cidrs in sorted(
            moved.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "", kv[0][3])
        ):
            changes.append(
                LegChange(
                    subnet_id=subnet_id,
                    destination=destination,
                    leg=old_leg.name,
                    old_verdict=o_verdict,
                    new_verdict=n_verdict,
                    cidrs=tuple(sorted(set(cidrs), key=str)),
                    action_id=action_id,
                    nat_gateway_ids=nats,
                )
            )
    return changes


def _explaining_action(
    subnet_id: str,
    leg: Leg,
    old: Verdict,
    new: Verdict,
    new_hops: HopKey,
    actions: Sequence[FixAction],
    snapshot: Snapshot,
) -> str | None:
    if old not in PAID or new is not Verdict.GATEWAY_ENDPOINT:
        return None
    table_id = route_table_for_subnet(snapshot, subnet_id).table.id
    for action in actions:
        if (
            action.kind is not ActionKind.UPDATE_ENDPOINT_POLICY
            and leg.service == action.service
            and leg.region == action.region
            and table_id in action.route_table_ids
            and any(h[0] == planned_endpoint_id(action) for h in new_hops)
        ):
            return action.id
    return None
