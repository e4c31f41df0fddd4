"""The request context a policy is evaluated against.

"When a principal tries to use the AWS Management Console, the AWS API, or the AWS CLI, that
principal sends a request to AWS ... AWS gathers the request information into a request
context" (IAM User Guide, "Policy evaluation logic", "Processing the request context",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

Context keys are case-insensitive ("Key names are case-insensitive", "IAM policy elements:
Variables and tags"), so they are stored lower-cased. Every key holds a tuple of values: one
value for a single-valued key, any number for a multivalued key; a key with no values is
absent ("Single-valued vs. multivalued context keys").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

ContextKeys = tuple[tuple[str, tuple[str, ...]], ...]
KeyValues = Mapping[str, str | Sequence[str] | None]


class PrincipalKind(StrEnum):
    """Who signed the request; the non-anonymous kinds are the Principal map's keys."""

    ANONYMOUS = "anonymous"
    AWS = "AWS"
    SERVICE = "Service"
    FEDERATED = "Federated"
    CANONICAL_USER = "CanonicalUser"


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestPrincipal:
    """The caller, as the Principal element sees it and as context keys describe it.

    ``identifiers`` are every string that names this caller in a Principal element: for an
    IAM role session, its account id, the account root ARN (which in a resource-based policy
    stands for every principal of the account), the role ARN and the session ARN ("AWS JSON
    policy elements: Principal", "AWS account principals" and "IAM role principals").
    """

    kind: PrincipalKind
    identifiers: tuple[str, ...] = ()
    context_keys: ContextKeys = ()
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestContext:
    """One request: action, resource ARN, principal and context keys."""

    action: str
    resource: str
    principal: RequestPrincipal
    context_keys: ContextKeys = ()

    def values(self, key: str) -> tuple[str, ...] | None:
        """The key's values, or None when the key is absent from the request."""
        wanted = key.lower()
        for name, values in self.context_keys:
            if name == wanted:
                return values
        return None

    def single_value(self, key: str) -> str | None:
        """The value usable as a policy variable: only a key with exactly one value has one."""
        values = self.values(key)
        return values[0] if values is not None and len(values) == 1 else None

    def with_keys(self, keys: KeyValues) -> RequestContext:
        """A copy with ``keys`` set (a None or empty value removes the key)."""
        return replace(self, context_keys=merge_keys(self.context_keys, keys))


def merge_keys(base: ContextKeys, updates: KeyValues) -> ContextKeys:
    merged = dict(base)
    for name, value in updates.items():
        values: tuple[str, ...]
        if value is None:
            values = ()
        elif isinstance(value, str):
            values = (value,)
        else:
            values = tuple(value)
        if values:
            merged[name.lower()] = values
        else:
            merged.pop(name.lower(), None)
    return tuple(sorted(merged.items()))


def make_request(
    *,
    action: str,
    resource: str,
    principal: RequestPrincipal,
    keys: KeyValues | None = None,
) -> RequestContext:
    """A request whose context holds the principal's keys, then ``keys`` on top."""
    context_keys = merge_keys(principal.context_keys, keys or {})
    return RequestContext(
        action=action, resource=resource, principal=principal, context_keys=context_keys
    )


def anonymous_principal() -> RequestPrincipal:
    """An unsigned request: no principal keys at all.

    aws:PrincipalIsAWSService and the other principal keys exist only "for all signed API
    requests that use AWS credentials" ("AWS global condition context keys").
    """
    return RequestPrincipal(kind=PrincipalKind.ANONYMOUS, description="anonymous (unsigned)")


def role_principal(
    *,
    account_id: str,
    role_name: str,
    org_id: str | None = None,
    partition: str = "aws",
    session_name: str = "vpcpath",
    description: str = "",
) -> RequestPrincipal:
    """A session of IAM role ``role_name`` in ``account_id`` (optionally in org ``org_id``).

    aws:PrincipalArn of an assumed-role session is the role's ARN ("AWS global condition
    context keys", aws:PrincipalArn); aws:PrincipalOrgID is present only when the account is
    in an organization.
    """
    role_arn = f"arn:{partition}:iam::{account_id}:role/{role_name}"
    session_arn = f"arn:{partition}:sts::{account_id}:assumed-role/{role_name}/{session_name}"
    keys = merge_keys(
        (),
        {
            "aws:PrincipalArn": role_arn,
            "aws:PrincipalAccount": account_id,
            "aws:PrincipalOrgID": org_id,
            "aws:PrincipalType": "AssumedRole",
            "aws:PrincipalIsAWSService": "false",
        },
    )
    return RequestPrincipal(
        kind=PrincipalKind.AWS,
        identifiers=(account_id, f"arn:{partition}:iam::{account_id}:root", role_arn, session_arn),
        context_keys=keys,
        description=description or f"role {role_name} in account {account_id}",
    )


def service_principal(service: str) -> RequestPrincipal:
    """An AWS service principal such as ``cloudformation.amazonaws.com``."""
    keys = merge_keys(
        (), {"aws:PrincipalIsAWSService": "true", "aws:PrincipalServiceName": service}
    )
    return RequestPrincipal(
        kind=PrincipalKind.SERVICE,
        identifiers=(service,),
        context_keys=keys,
        description=f"AWS service principal {service}",
    )
