"""The fix plan as values: actions that only add, findings left alone and why.

Three kinds of action, each an addition AWS makes without touching an existing route:

- ``create-gateway-endpoint``: a gateway endpoint for S3 or DynamoDB in a VPC that has none,
  on the route tables that need it (PrivateLink Guide, "Gateway endpoints" → "Create a gateway
  endpoint", https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html).
- ``associate-route-tables``: an existing endpoint, added to more route tables ("Associate
  route tables with the endpoint", ModifyVpcEndpoint ``AddRouteTableIds``).
- ``update-endpoint-policy``: the endpoint's policy with the smallest change that lets the
  needed requests through (ModifyVpcEndpoint ``PolicyDocument``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActionKind(StrEnum):
    CREATE_GATEWAY_ENDPOINT = "create-gateway-endpoint"
    ASSOCIATE_ROUTE_TABLES = "associate-route-tables"
    UPDATE_ENDPOINT_POLICY = "update-endpoint-policy"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyVerdict:
    """``policy check`` on the policy an action leaves in place."""

    passes: bool  # no needed request is denied
    breaks: tuple[str, ...] = ()
    perimeter_gaps: tuple[str, ...] = ()
    source: str = ""  # where the policy came from, for people


@dataclass(frozen=True, slots=True, kw_only=True)
class FixAction:
    id: str  # "<action>:<vpc or endpoint>:<service>", stable for the same estate and findings
    kind: ActionKind
    account_id: str
    region: str
    vpc_id: str
    service: str  # s3 or dynamodb
    vpc_endpoint_id: str | None  # the existing endpoint; None for create
    route_table_ids: tuple[str, ...]
    policy: str | None  # the full policy document (JSON text) the action sets; None: unchanged
    finding_ids: tuple[str, ...]
    policy_verdict: PolicyVerdict | None = None
    policy_changes: tuple[str, ...] = ()  # update-endpoint-policy: each change, for people

    @property
    def service_name(self) -> str:
        return f"com.amazonaws.{self.region}.{self.service}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NotFixed:
    finding_id: str
    why: str
    command: str  # what a person would run (or do) instead


@dataclass(frozen=True, slots=True, kw_only=True)
class TableBaseline:
    """A route table as the plan saw it: apply compares it with AWS before touching it."""

    id: str
    routes: tuple[str, ...]  # "<destination> -> <target>" in a stable order


@dataclass(frozen=True, slots=True, kw_only=True)
class EndpointBaseline:
    id: str
    route_table_ids: tuple[str, ...]
    policy: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlanBaseline:
    """What the plan was made from: the snapshot's origin and the resources it touches."""

    source: str
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    route_tables: tuple[TableBaseline, ...] = ()
    endpoints: tuple[EndpointBaseline, ...] = ()
    prefix_lists: tuple[tuple[str, str, str], ...] = ()  # (region, service, pl id)

    def table(self, table_id: str) -> TableBaseline | None:
        return next((t for t in self.route_tables if t.id == table_id), None)

    def endpoint(self, endpoint_id: str) -> EndpointBaseline | None:
        return next((e for e in self.endpoints if e.id == endpoint_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class FixPlan:
    generated_at: str
    baseline: PlanBaseline
    actions: tuple[FixAction, ...]
    not_fixed: tuple[NotFixed, ...]
