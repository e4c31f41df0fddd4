"""The ``vpcpath.policy/1`` JSON contract (docs/contracts.md).

::

    {"schema": "vpcpath.policy/1",
     "endpoints": [{"vpc_endpoint_id", "service_name", "region", "default_policy",
                    "requests": [{"name", "action", "resource", "allowed", "decided_by",
                                  "expected", "reason"}],
                    "breaks": ["ecr-image-layers", …], "perimeter_gaps": ["foreign-bucket"],
                    "findings": ["endpoint-policy-blocks-ecr", …]}],
     "source_ip_conditions": [{"bucket", "statement", "effect", "operator", "values",
                               "nat_ip", "holds_via_nat", "holds_via_endpoint", "change",
                               "breaks_access"}]}

``source_ip_conditions`` appears only when bucket policies were checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from vpcpath.policy.check import EndpointPolicyCheck
from vpcpath.policy.source_ip import SourceIpCondition

SCHEMA = "vpcpath.policy/1"


def to_json(
    checks: Sequence[EndpointPolicyCheck],
    *,
    source_ip: Mapping[str, Sequence[SourceIpCondition]] | None = None,
) -> dict[str, object]:
    """The contract dict for endpoint checks and, optionally, bucket → source-IP findings."""
    document: dict[str, object] = {
        "schema": SCHEMA,
        "endpoints": [_endpoint(check) for check in checks],
    }
    if source_ip is not None:
        document["source_ip_conditions"] = [
            {
                "bucket": bucket,
                "statement": condition.statement,
                "effect": condition.effect.value,
                "operator": condition.operator,
                "values": list(condition.values),
                "nat_ip": condition.nat_ip,
                "holds_via_nat": condition.holds_via_nat,
                "holds_via_endpoint": condition.holds_via_endpoint,
                "change": condition.change.value,
                "breaks_access": condition.breaks_access,
            }
            for bucket, conditions in source_ip.items()
            for condition in conditions
        ]
    return document


def _endpoint(check: EndpointPolicyCheck) -> dict[str, object]:
    return {
        "vpc_endpoint_id": check.vpc_endpoint_id,
        "service_name": check.service_name,
        "region": check.region,
        "default_policy": check.default_policy,
        "requests": [
            {
                "name": result.name,
                "action": result.action,
                "resource": result.resource,
                "allowed": result.allowed,
                "decided_by": result.decided_by,
                "expected": result.expectation.value,
                "reason": result.reason,
            }
            for result in check.results
        ],
        "breaks": list(check.breaks),
        "perimeter_gaps": list(check.perimeter_gaps),
        "findings": list(check.finding_ids),
        "characters": check.characters,
        "size_problem": check.size_problem,
    }
