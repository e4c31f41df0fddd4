"""The smallest change to an endpoint policy that lets the needed requests through.

Never a wholesale replacement: the existing document is kept statement by statement and only
grows. A request that no statement allows gets an added Allow statement for exactly that
request (its action on its bucket's objects); a request an explicit Deny blocks gets an
exception in that Deny (``Resource: "*"`` becomes ``NotResource: [the bucket's objects]``, or
the bucket joins an existing ``NotResource``). IAM User Guide, "IAM JSON policy elements:
NotResource" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html):
a Deny with NotResource denies everything except the listed resources.

The policy engine then proves the change: every catalogue request the old policy let through
still passes, the requests being fixed pass, and no request a data perimeter must stop passes
that did not before. A change that cannot be proven is refused with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from vpcpath.errors import PolicyError
from vpcpath.model import VpcEndpoint
from vpcpath.policy import (
    DEFAULT_ENDPOINT_POLICY,
    EndpointPolicyCheck,
    check_endpoint_policy,
    evaluate,
    gateway_service,
    parse_policy,
)
from vpcpath.policy.catalogue import Owner, partition_for
from vpcpath.policy.catalogue_requests import CatalogueRequest, catalogue_requests

ADDED_SID_AWS = "VpcpathAllowAWSOwnedResources"
ADDED_SID_ACCOUNT = "VpcpathAllowAccountResources"


@dataclass(frozen=True, slots=True, kw_only=True)
class PolicyUpdate:
    document: str  # the whole new policy, as ModifyVpcEndpoint's PolicyDocument takes it
    changes: tuple[str, ...]  # one line per change, for people
    check: EndpointPolicyCheck  # policy check on the new document


def check_policy(
    endpoint_like: VpcEndpoint, policy: str | None, org_id: str | None
) -> EndpointPolicyCheck:
    return check_endpoint_policy(
        policy,
        service_name=endpoint_like.service_name,
        region=endpoint_like.region,
        account_id=endpoint_like.account_id,
        org_id=org_id,
        vpc_endpoint_id=endpoint_like.id,
        vpc_id=endpoint_like.vpc_id,
    )


def minimal_policy_update(
    endpoint: VpcEndpoint, finding_ids: frozenset[str], org_id: str | None
) -> PolicyUpdate | str:
    """The new policy for ``endpoint`` that stops the ``finding_ids`` breaks, or why not."""
    text = endpoint.policy_document
    document: dict[str, Any] = (
        json.loads(json.dumps(DEFAULT_ENDPOINT_POLICY)) if text is None else json.loads(text)
    )
    statements = document.get("Statement")
    if isinstance(statements, dict):
        document["Statement"] = [statements]
    requests = catalogue_requests(
        service=gateway_service(endpoint.service_name),
        region=endpoint.region,
        account_id=endpoint.account_id,
        org_id=org_id,
        vpc_endpoint_id=endpoint.id,
        vpc_id=endpoint.vpc_id,
    )
    targets = [r for r in requests if r.entry.finding_id in finding_ids]
    changes: list[str] = []
    for request in targets:
        refusal = _let_through(document, request, endpoint, changes)
        if refusal:
            return refusal
    new_text = json.dumps(document, indent=2)
    return _proven(endpoint, text, new_text, requests, finding_ids, org_id, changes)


def _let_through(
    document: dict[str, Any],
    item: CatalogueRequest,
    endpoint: VpcEndpoint,
    changes: list[str],
) -> str | None:
    policy = parse_policy(document)
    decision = evaluate(policy, item.request)
    if decision.allowed:
        return None
    aws_owned = item.entry.owner is Owner.AWS
    if not aws_owned:
        return (
            f"{item.name} ({item.request.action} on the account's own resources) is denied; "
            "which buckets or tables are the account's only its owner knows: run `vpcpath "
            f"policy suggest --region {endpoint.region}` with them and merge by hand"
        )
    pattern = _object_pattern(item, endpoint.region)
    labels = {s.label: s.index for s in policy.statements}
    for label in decision.denying_statements:
        raw = document["Statement"][labels[label]]
        resource = raw.get("Resource")
        if resource == "*" or resource == ["*"]:
            # Same place in the statement, so the diff a reviewer sees is one element.
            renamed = {
                ("NotResource" if k == "Resource" else k): ([pattern] if k == "Resource" else v)
                for k, v in raw.items()
            }
            raw.clear()
            raw.update(renamed)
        elif "NotResource" in raw:
            current = raw["NotResource"]
            raw["NotResource"] = [*([current] if isinstance(current, str) else current), pattern]
        else:
            return (
                f"statement {label} denies {item.name} for the resources it lists; an exception "
                "would rewrite it: edit it by hand (keep the deny, exclude "
                f"{pattern})"
            )
        changes.append(f"exception for {pattern} in Deny statement {label}")
    if not evaluate(parse_policy(document), item.request).allowed:
        _add_allow(document, item.request.action, pattern)
        changes.append(f"Allow {item.request.action} on {pattern} (statement {ADDED_SID_AWS})")
    return None


def _object_pattern(item: CatalogueRequest, region: str) -> str:
    return f"arn:{partition_for(region)}:s3:::{item.entry.name_in(region)}/*"


def _add_allow(document: dict[str, Any], action: str, resource: str) -> None:
    for raw in document["Statement"]:
        if raw.get("Sid") == ADDED_SID_AWS and raw.get("Action") == action:
            raw["Resource"].append(resource)
            return
    document["Statement"].append(
        {
            "Sid": ADDED_SID_AWS,
            "Effect": "Allow",
            "Principal": "*",
            "Action": action,
            "Resource": [resource],
        }
    )


def _proven(
    endpoint: VpcEndpoint,
    old_text: str | None,
    new_text: str,
    requests: tuple[CatalogueRequest, ...],
    finding_ids: frozenset[str],
    org_id: str | None,
    changes: list[str],
) -> PolicyUpdate | str:
    try:
        old, new = parse_policy(old_text or DEFAULT_ENDPOINT_POLICY), parse_policy(new_text)
    except PolicyError as exc:  # pragma: no cover - the document was parsed above
        return f"the changed policy does not parse: {exc}"
    for item in requests:
        was, now = evaluate(old, item.request).allowed, evaluate(new, item.request).allowed
        if was and not now:
            return f"the change would deny {item.name}, which the policy allows today"
        if now and not was and item.entry.finding_id not in finding_ids:
            return f"the change would also let through {item.name}, which it denies today"
    check = check_policy(endpoint, new_text, org_id)
    still = sorted({r.finding_id for r in check.results if r.breaks} & finding_ids)
    if still:
        return f"no change vpcpath can prove stops {', '.join(still)}"
    return PolicyUpdate(document=new_text, changes=tuple(changes), check=check)
