"""From audit findings to the smallest set of actions that fixes them, and what it cannot fix.

Rules (each has a test in tests/fix/test_plan_rules.py):

- Only route tables whose traffic to the service leaves today by a paid path (NAT gateway, a
  NAT instance's network interface, a transit gateway) get the endpoint.
- A table whose subnets cannot reach the service today (a blackhole, no route, a NAT gateway
  with no onward route) is left alone: the endpoint would give them a path they never had.
- One endpoint of a service per route table: AWS refuses a second ("You can't associate a
  route table with more than one gateway endpoint for the same service", PrivateLink Guide,
  "Gateway endpoints" → "Routing",
  https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing);
  the plan names the endpoint that already holds the table.
- Findings a route change cannot fix (a more specific route, a cross-zone NAT gateway, an
  unreadable policy) get an explanation and the command a person would run.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from vpcpath.audit.context import AuditContext, SubnetPaths
from vpcpath.audit.findings import Finding
from vpcpath.errors import UsageError
from vpcpath.fix.actions import (
    ActionKind,
    EndpointBaseline,
    FixAction,
    FixPlan,
    NotFixed,
    PlanBaseline,
    PolicyVerdict,
    TableBaseline,
)
from vpcpath.fix.not_fixed import explain_not_fixed
from vpcpath.fix.policy_change import PolicyUpdate, check_policy, minimal_policy_update
from vpcpath.model import EndpointType, Route, Snapshot, Verdict, Vpc, VpcEndpoint
from vpcpath.model.paths import Path
from vpcpath.policy import DEFAULT_ENDPOINT_POLICY, suggest_endpoint_policy

# Findings fixed by putting a gateway endpoint on route tables: check → service.
ROUTE_CHECKS = {
    "s3-via-nat": "s3",
    "dynamodb-via-nat": "dynamodb",
    "s3-endpoint-not-associated": "s3",
    "dynamodb-endpoint-not-associated": "dynamodb",
    "ecr-pulls-via-nat": "s3",
    "s3-via-transit-gateway": "s3",
    "dynamodb-via-transit-gateway": "dynamodb",
}
POLICY_CHECK_PREFIX = "endpoint-policy-blocks-"
PAID = frozenset({Verdict.NAT_GATEWAY, Verdict.NETWORK_INTERFACE, Verdict.TRANSIT_GATEWAY})
UNREACHABLE = frozenset({Verdict.BLACKHOLE, Verdict.NO_ROUTE})


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    finding_ids: tuple[str, ...] = ()
    vpc_ids: tuple[str, ...] = ()
    service: str | None = None  # s3 or dynamodb


@dataclass(slots=True)
class _Group:
    """The route tables one (VPC, service) needs, and the findings that asked for them."""

    tables: dict[str, list[str]] = field(default_factory=dict)  # table → finding ids


def finding_service(finding: Finding, snapshot: Snapshot) -> str | None:
    if finding.check in ROUTE_CHECKS:
        return ROUTE_CHECKS[finding.check]
    if finding.check == "endpoint-route-overridden":
        return finding.id.rsplit(":", 1)[-1]
    if finding.check.startswith(POLICY_CHECK_PREFIX):
        endpoint = snapshot.endpoints.get(finding.id.rsplit(":", 1)[-1])
        return endpoint.service if endpoint else None
    return None


def select_findings(
    findings: Sequence[Finding], selection: Selection, snapshot: Snapshot
) -> list[Finding]:
    known = {f.id for f in findings}
    unknown = [i for i in selection.finding_ids if i not in known]
    if unknown:
        raise UsageError(f"--finding {', '.join(unknown)}: no such finding in this estate")
    chosen = []
    for finding in findings:
        if selection.finding_ids and finding.id not in selection.finding_ids:
            continue
        if selection.vpc_ids and finding.vpc_id not in selection.vpc_ids:
            continue
        if selection.service and finding_service(finding, snapshot) != selection.service:
            continue
        chosen.append(finding)
    return sorted(chosen, key=lambda f: f.id)


def build_plan(
    ctx: AuditContext,
    findings: Sequence[Finding],
    *,
    selection: Selection = Selection(),
    org_id: str | None = None,
    generated_at: str,
) -> FixPlan:
    snapshot = ctx.snapshot
    chosen = select_findings(findings, selection, snapshot)
    groups: dict[tuple[str, str], _Group] = defaultdict(_Group)
    blocked: dict[str, list[str]] = defaultdict(list)  # endpoint → policy finding ids
    not_fixed: list[NotFixed] = []
    for finding in chosen:
        if finding.check in ROUTE_CHECKS:
            group = groups[(finding.vpc_id, ROUTE_CHECKS[finding.check])]
            for table in finding.route_table_ids:
                group.tables.setdefault(table, []).append(finding.id)
        elif finding.check.startswith(POLICY_CHECK_PREFIX):
            blocked[finding.id.rsplit(":", 1)[-1]].append(finding.id)
        else:
            not_fixed.append(explain_not_fixed(finding, snapshot))
    actions: list[FixAction] = []
    for (vpc_id, service), group in sorted(groups.items()):
        action, refused = _route_action(ctx, vpc_id, service, group, org_id)
        not_fixed.extend(refused)
        if action is not None:
            actions.append(action)
    for endpoint_id, ids in sorted(blocked.items()):
        outcome = _policy_action(snapshot.endpoints[endpoint_id], ids, org_id)
        if isinstance(outcome, FixAction):
            actions.append(outcome)
        else:
            not_fixed.extend(outcome)
    return FixPlan(
        generated_at=generated_at,
        baseline=baseline_for(snapshot, actions),
        actions=tuple(actions),
        not_fixed=tuple(sorted(not_fixed, key=lambda n: (n.finding_id, n.why))),
    )


def gateway_endpoint_for(snapshot: Snapshot, vpc_id: str, service: str) -> VpcEndpoint | None:
    vpc = snapshot.vpcs[vpc_id]
    name = f"com.amazonaws.{vpc.region}.{service}"
    for endpoint in snapshot.endpoints_in_vpc(vpc_id):
        if endpoint.endpoint_type is EndpointType.GATEWAY and endpoint.service_name == name:
            return endpoint
    return None


def _route_action(
    ctx: AuditContext, vpc_id: str, service: str, group: _Group, org_id: str | None
) -> tuple[FixAction | None, list[NotFixed]]:
    snapshot = ctx.snapshot
    vpc = snapshot.vpcs[vpc_id]
    endpoint = gateway_endpoint_for(snapshot, vpc_id, service)
    taken: dict[str, list[str]] = {}
    refused: list[NotFixed] = []
    for table_id, finding_ids in sorted(group.tables.items()):
        why = table_refusal(ctx, table_id, service, endpoint)
        if why is None:
            taken[table_id] = finding_ids
        else:
            refused.extend(
                NotFixed(
                    finding_id=f,
                    why=why,
                    command=_table_command(ctx, table_id, service, vpc.region),
                )
                for f in finding_ids
            )
    if not taken:
        return None, refused
    fixed = tuple(sorted({f for ids in taken.values() for f in ids}))
    tables = tuple(sorted(taken))
    if endpoint is not None:
        return (
            FixAction(
                id=f"{ActionKind.ASSOCIATE_ROUTE_TABLES}:{endpoint.id}",
                kind=ActionKind.ASSOCIATE_ROUTE_TABLES,
                account_id=endpoint.account_id,
                region=endpoint.region,
                vpc_id=vpc_id,
                service=service,
                vpc_endpoint_id=endpoint.id,
                route_table_ids=tables,
                policy=None,
                finding_ids=fixed,
            ),
            refused,
        )
    policy, source = policy_for_new_endpoint(snapshot, vpc_id, service, org_id)
    planned = VpcEndpoint(
        id="",
        vpc_id=vpc_id,
        account_id=vpc.account_id,
        region=vpc.region,
        service_name=f"com.amazonaws.{vpc.region}.{service}",
        endpoint_type=EndpointType.GATEWAY,
    )
    check = check_policy(planned, policy, org_id)
    if check.breaks:
        # The account's existing policy would carry its 403s into the new endpoint: give the
        # new endpoint the same smallest repair `update-endpoint-policy` makes, else suggest's.
        repaired = minimal_policy_update(
            replace(planned, policy_document=policy), frozenset(check.finding_ids), org_id
        )
        if isinstance(repaired, PolicyUpdate) and not repaired.check.breaks:
            policy, check = repaired.document, repaired.check
            source += ", changed as little as the fix needs (" + "; ".join(repaired.changes) + ")"
        else:
            policy, source = suggested_policy(vpc, service, org_id)
            check = check_policy(planned, policy, org_id)
    return (
        FixAction(
            id=f"{ActionKind.CREATE_GATEWAY_ENDPOINT}:{vpc_id}:{service}",
            kind=ActionKind.CREATE_GATEWAY_ENDPOINT,
            account_id=vpc.account_id,
            region=vpc.region,
            vpc_id=vpc_id,
            service=service,
            vpc_endpoint_id=None,
            route_table_ids=tables,
            policy=policy,
            finding_ids=fixed,
            policy_verdict=PolicyVerdict(
                passes=not check.breaks,
                breaks=check.breaks,
                perimeter_gaps=check.perimeter_gaps,
                source=source,
            ),
        ),
        refused,
    )


def table_refusal(
    ctx: AuditContext, table_id: str, service: str, endpoint: VpcEndpoint | None
) -> str | None:
    """Why ``table_id`` must not get the endpoint, or None when it should."""
    snapshot = ctx.snapshot
    table = snapshot.route_tables.get(table_id)
    if table is None:
        return f"{table_id} is not in the snapshot"
    holder = _holder(snapshot, table.routes, table.region, service)
    if endpoint is not None and (table_id in endpoint.route_table_ids or holder == endpoint.id):
        return (
            f"{table_id} already routes to {endpoint.id}; a more specific route takes part "
            "of the range off it (see endpoint-route-overridden)"
        )
    if holder is not None:
        return (
            f"{table_id} already holds gateway endpoint {holder} for {service}; AWS allows one "
            "endpoint of a service per route table"
        )
    users = [s for s in ctx.subnets.values() if s.route_table_id == table_id]
    if not users:
        return f"no subnet uses {table_id}"
    verdicts = {p.verdict for s in users for p in paths_of(s, service)}
    if verdicts & UNREACHABLE:
        return (
            f"subnets on {table_id} cannot reach {service} today "
            f"({', '.join(sorted(v.value for v in verdicts & UNREACHABLE))}): an endpoint "
            "would give them a path they do not have"
        )
    if not verdicts & PAID:
        return f"{service} from {table_id} does not leave by a paid path today"
    return None


def paths_of(subnet: SubnetPaths, service: str) -> tuple[Path, ...]:
    leg = subnet.legs.get(service)
    return leg.paths if leg is not None else ()


def _holder(snapshot: Snapshot, routes: Iterable[Route], region: str, service: str) -> str | None:
    """The gateway endpoint that holds the service's prefix list in these routes, if any."""
    prefix_list = snapshot.aws_prefix_list_for(service, region)
    for route in routes:
        if route.prefix_list_id is None or not route.target_id.startswith("vpce-"):
            continue
        if prefix_list is not None and route.prefix_list_id == prefix_list.id:
            return route.target_id
        endpoint = snapshot.endpoints.get(route.target_id)
        if endpoint is not None and endpoint.service == service:
            return endpoint.id
    return None


_ACCOUNT_ID = re.compile(r"\d{12}")


def policy_for_new_endpoint(
    snapshot: Snapshot, vpc_id: str, service: str, org_id: str | None
) -> tuple[str, str]:
    """The account's existing endpoint policy for the service in the region, else suggest's."""
    vpc = snapshot.vpcs[vpc_id]
    for endpoint in sorted(snapshot.endpoints.values(), key=lambda e: e.id):
        if (
            endpoint.endpoint_type is EndpointType.GATEWAY
            and endpoint.account_id == vpc.account_id
            and endpoint.region == vpc.region
            and endpoint.service == service
        ):
            text = endpoint.policy_document or json.dumps(DEFAULT_ENDPOINT_POLICY)
            return text, f"the policy of {endpoint.id} (same account and region)"
    if org_id is None and not _ACCOUNT_ID.fullmatch(vpc.account_id):
        # A plan of new infrastructure has no account yet: nothing to scope a policy to, so the
        # endpoint gets AWS's default policy ("Control access to VPC endpoints using endpoint
        # policies" → "Default endpoint policy") and the plan says how to scope it.
        return json.dumps(DEFAULT_ENDPOINT_POLICY, indent=2), (
            f"AWS's default endpoint policy: the account of {vpc_id} is not known "
            "(pass --org-id to scope the policy to your organization)"
        )
    return suggested_policy(vpc, service, org_id)


def suggested_policy(vpc: Vpc, service: str, org_id: str | None) -> tuple[str, str]:
    """`policy suggest`'s policy for the VPC's account (or organization), and its source."""
    document = suggest_endpoint_policy(
        region=vpc.region,
        service=service,
        org_id=org_id,
        account_id=None if org_id else vpc.account_id,
    )
    scope = f"organization {org_id}" if org_id else f"account {vpc.account_id}"
    return json.dumps(document, indent=2), f"`vpcpath policy suggest` for {scope}"


def _policy_action(
    endpoint: VpcEndpoint, finding_ids: list[str], org_id: str | None
) -> FixAction | list[NotFixed]:
    checks = frozenset(f.split(":", 1)[0] for f in finding_ids)
    outcome = minimal_policy_update(endpoint, checks, org_id)
    if isinstance(outcome, str):
        command = f"vpcpath policy suggest --region {endpoint.region} --service {endpoint.service}"
        return [NotFixed(finding_id=f, why=outcome, command=command) for f in finding_ids]
    return FixAction(
        id=f"{ActionKind.UPDATE_ENDPOINT_POLICY}:{endpoint.id}",
        kind=ActionKind.UPDATE_ENDPOINT_POLICY,
        account_id=endpoint.account_id,
        region=endpoint.region,
        vpc_id=endpoint.vpc_id,
        service=endpoint.service,
        vpc_endpoint_id=endpoint.id,
        route_table_ids=(),
        policy=outcome.document,
        finding_ids=tuple(sorted(finding_ids)),
        policy_verdict=PolicyVerdict(
            passes=not outcome.check.breaks,
            breaks=outcome.check.breaks,
            perimeter_gaps=outcome.check.perimeter_gaps,
            source=f"the policy of {endpoint.id}, changed as little as the fix needs",
        ),
        policy_changes=outcome.changes,
    )


def _table_command(ctx: AuditContext, table_id: str, service: str, region: str) -> str:
    overriding = sorted(
        {
            p.hops[0].route or ""
            for s in ctx.subnets.values()
            if s.route_table_id == table_id
            for p in paths_of(s, service)
            if p.verdict in PAID and p.hops and p.hops[0].route
        }
    )
    if overriding and any(
        p.verdict is Verdict.GATEWAY_ENDPOINT
        for s in ctx.subnets.values()
        if s.route_table_id == table_id
        for p in paths_of(s, service)
    ):
        return (
            f"aws ec2 delete-route --region {region} --route-table-id {table_id} "
            f"--destination-cidr-block {overriding[0]}  # after checking why the route exists"
        )
    return (
        f"aws ec2 describe-route-tables --region {region} --route-table-ids {table_id}  "
        f"# decide by hand whether {service} should use an endpoint here"
    )


def route_text(route: Route) -> str:
    state = "" if route.state == "active" else f" ({route.state})"
    return f"{route.destination_label} -> {route.target_id}{state}"


def baseline_for(snapshot: Snapshot, actions: Sequence[FixAction]) -> PlanBaseline:
    tables: dict[str, TableBaseline] = {}
    endpoints: dict[str, EndpointBaseline] = {}
    lists: set[tuple[str, str, str]] = set()
    for action in actions:
        for table_id in action.route_table_ids:
            table = snapshot.route_tables[table_id]
            tables[table_id] = TableBaseline(
                id=table_id, routes=tuple(sorted(route_text(r) for r in table.routes))
            )
        if action.vpc_endpoint_id is not None:
            endpoint = snapshot.endpoints[action.vpc_endpoint_id]
            endpoints[endpoint.id] = EndpointBaseline(
                id=endpoint.id,
                route_table_ids=tuple(sorted(endpoint.route_table_ids)),
                policy=endpoint.policy_document,
            )
        prefix_list = snapshot.aws_prefix_list_for(action.service, action.region)
        if prefix_list is not None:
            lists.add((action.region, action.service, prefix_list.id))
    return PlanBaseline(
        source=snapshot.notes.root,
        accounts=snapshot.accounts,
        regions=snapshot.regions,
        route_tables=tuple(tables[t] for t in sorted(tables)),
        endpoints=tuple(endpoints[e] for e in sorted(endpoints)),
        prefix_lists=tuple(sorted(lists)),
    )
