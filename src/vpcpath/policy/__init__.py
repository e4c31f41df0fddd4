"""IAM policy evaluation for gateway endpoint and bucket policies, and a safe policy builder.

Public API: ``parse_policy`` and ``evaluate`` (the engine), ``check_endpoint_policy`` and
``source_ip_conditions`` (``vpcpath policy check``), ``suggest_endpoint_policy``
(``vpcpath policy suggest``) and ``to_json`` (the ``vpcpath.policy/1`` contract).
"""

from vpcpath.policy.catalogue import CATALOGUE, CatalogueEntry, Expectation, GatewayService
from vpcpath.policy.check import (
    DEFAULT_ENDPOINT_POLICY,
    EndpointPolicyCheck,
    RequestResult,
    check_endpoint_policy,
    gateway_service,
)
from vpcpath.policy.contract import SCHEMA, to_json
from vpcpath.policy.document import Effect, Policy, Statement, parse_policy
from vpcpath.policy.evaluate import Decision, DecisionKind, evaluate
from vpcpath.policy.requests import RequestContext, make_request
from vpcpath.policy.source_ip import SourceIpChange, SourceIpCondition, source_ip_conditions
from vpcpath.policy.suggest import suggest_endpoint_policy

__all__ = [
    "CATALOGUE",
    "DEFAULT_ENDPOINT_POLICY",
    "SCHEMA",
    "CatalogueEntry",
    "Decision",
    "DecisionKind",
    "Effect",
    "EndpointPolicyCheck",
    "Expectation",
    "GatewayService",
    "Policy",
    "RequestContext",
    "RequestResult",
    "SourceIpChange",
    "SourceIpCondition",
    "Statement",
    "check_endpoint_policy",
    "evaluate",
    "gateway_service",
    "make_request",
    "parse_policy",
    "source_ip_conditions",
    "suggest_endpoint_policy",
    "to_json",
]
