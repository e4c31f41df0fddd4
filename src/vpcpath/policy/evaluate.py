"""Evaluate one policy against one request, the way AWS does.

IAM User Guide, "Policy evaluation logic"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
"By default, all requests are implicitly denied", "An explicit allow in a policy overrides
this default", and "An explicit deny in any policy overrides any allows". So: any matching
Deny statement decides; else any matching Allow statement decides; else implicit deny.

A statement matches when its principal, action, resource and every condition match
("Determining whether a request is allowed or denied within an account"). Within the
Condition element, operators are ANDed, keys within an operator are ANDed and values are ORed
("Creating a condition with multiple keys or values"; see conditions.py).

An endpoint policy "does not grant any permissions" on its own: it bounds what may pass the
endpoint (PrivateLink guide, "Control access to VPC endpoints using endpoint policies"). For
an endpoint policy, ``Decision.allowed`` therefore means "passes the endpoint"; identity and
resource policies must still allow the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vpcpath.policy.conditions import clause_holds
from vpcpath.policy.document import Effect, Policy, PrincipalSpec, Statement
from vpcpath.policy.matching import action_matches, arn_matches
from vpcpath.policy.requests import RequestContext, RequestPrincipal
from vpcpath.policy.templates import parse_template


class DecisionKind(StrEnum):
    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicit-deny"
    IMPLICIT_DENY = "implicit-deny"


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The outcome and the statement that decided it (its Sid, else ``Statement[i]``)."""

    allowed: bool
    kind: DecisionKind
    decided_by: str | None
    reason: str
    allowing_statements: tuple[str, ...] = ()
    denying_statements: tuple[str, ...] = ()


def evaluate(policy: Policy, request: RequestContext) -> Decision:
    """Explicit deny beats allow; no matching allow is an implicit deny."""
    allowing: list[str] = []
    denying: list[str] = []
    for statement in policy.statements:
        if statement_matches(statement, request, variables=policy.supports_variables):
            (denying if statement.effect is Effect.DENY else allowing).append(statement.label)
    if denying:
        return Decision(
            allowed=False,
            kind=DecisionKind.EXPLICIT_DENY,
            decided_by=denying[0],
            reason=f"explicitly denied by {denying[0]} (an explicit deny overrides any allow)",
            allowing_statements=tuple(allowing),
            denying_statements=tuple(denying),
        )
    if allowing:
        return Decision(
            allowed=True,
            kind=DecisionKind.ALLOWED,
            decided_by=allowing[0],
            reason=f"allowed by {allowing[0]}",
            allowing_statements=tuple(allowing),
        )
    return Decision(
        allowed=False,
        kind=DecisionKind.IMPLICIT_DENY,
        decided_by=None,
        reason=(
            f"implicitly denied: no statement allows {request.action} on {request.resource} "
            f"for {request.principal.description or request.principal.kind.value}"
        ),
    )


def statement_matches(statement: Statement, request: RequestContext, *, variables: bool) -> bool:
    """Whether the statement applies to the request (its effect aside)."""
    if statement.principal is not None and not principal_matches(
        statement.principal, request.principal
    ):
        return False
    # NotPrincipal: the statement applies to every principal except those listed
    # ("AWS JSON policy elements: NotPrincipal").
    if statement.not_principal is not None and principal_matches(
        statement.not_principal, request.principal
    ):
        return False
    if statement.actions is not None and not any(
        action_matches(pattern, request.action) for pattern in statement.actions
    ):
        return False
    # NotAction / NotResource: everything except the listed values
    # ("IAM JSON policy elements: NotAction", "IAM JSON policy elements: NotResource").
    if statement.not_actions is not None and any(
        action_matches(pattern, request.action) for pattern in statement.not_actions
    ):
        return False
    if statement.resources is not None and not _any_resource(
        statement.resources, request, variables
    ):
        return False
    if statement.not_resources is not None and _any_resource(
        statement.not_resources, request, variables
    ):
        return False
    return all(
        clause_holds(
            clause.operator,
            clause.values,
            request.values(clause.key),
            request.single_value,
            variables=variables,
        )
        for clause in statement.conditions
    )


def principal_matches(spec: PrincipalSpec, principal: RequestPrincipal) -> bool:
    """Whether a Principal value names the caller.

    ``"*"`` and ``{"AWS": "*"}`` name everyone, anonymous callers included ("AWS JSON policy
    elements: Principal", "All principals"); an account id or its root ARN names every
    principal of that account ("AWS account principals").
    """
    if spec.everyone:
        return True
    for kind, identifiers in spec.entries:
        if kind is not principal.kind:
            continue
        if "*" in identifiers or any(i in principal.identifiers for i in identifiers):
            return True
    return False


def _any_resource(patterns: tuple[str, ...], request: RequestContext, variables: bool) -> bool:
    return any(
        arn_matches(
            parse_template(pattern, variables=variables, path="Resource"),
            request.resource,
            request.single_value,
        )
        for pattern in patterns
    )
