"""For every audit check: an estate that must trigger it (with the exact finding ids) and one that
must not. ``test_every_check.py`` walks the check registry and fails on a check missing here.

The estates are ``scenarios.build`` knobs. An endpoint-policy check's bad estate denies exactly
its catalogue request (the request's action on the request's resource) under an otherwise open
policy; its good estate denies the same action on a bucket or table nobody needs (a near miss).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from tests.audit.scenarios import Built
from tests.estate_builder import ACCOUNT
from vpcpath.policy.catalogue import CATALOGUE, CatalogueEntry, Expectation, GatewayService
from vpcpath.policy.catalogue_requests import catalogue_requests

REGION = "us-east-1"
TGW = {"TransitGatewayId": "tgw-0abc"}


@dataclass(frozen=True)
class CheckScenario:
    bad: Mapping[str, object]  # scenarios.build knobs of an estate that must trigger the check
    expected: Callable[[Built], list[str]]  # the exact ids of its findings there, sorted
    good: Mapping[str, object]  # knobs of an estate that must not trigger it
    org_id: str | None = None
    good_variants: tuple[Mapping[str, object], ...] = field(default=())


def _open_policy_denying(action: str, resource: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                {"Effect": "Deny", "Principal": "*", "Action": action, "Resource": resource},
            ],
        }
    )


def _request_resource(entry: CatalogueEntry) -> str:
    """The resource of the entry's request as the check evaluates it (the scenario's input)."""
    (request,) = [
        r
        for r in catalogue_requests(service=entry.service, region=REGION, account_id=ACCOUNT)
        if r.entry is entry
    ]
    return request.request.resource


def _policy_scenario(entry: CatalogueEntry) -> CheckScenario:
    s3 = entry.service is GatewayService.S3
    endpoint, policy = ("s3_endpoint", "s3_policy") if s3 else ("ddb_endpoint", "ddb_policy")
    near_miss = (
        "arn:aws:s3:::a-bucket-nobody-needs/*"
        if s3
        else f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/a-table-nobody-needs"
    )

    def expected(built: Built) -> list[str]:
        vpce = built.s3_endpoint if s3 else built.ddb_endpoint
        return [f"{entry.finding_id}:{vpce}"]

    return CheckScenario(
        bad={endpoint: True, policy: _open_policy_denying(entry.action, _request_resource(entry))},
        expected=expected,
        good={endpoint: True, policy: _open_policy_denying(entry.action, near_miss)},
        good_variants=({endpoint: True},),  # AWS's default policy: full access
    )


SCENARIOS: dict[str, CheckScenario] = {
    "s3-via-nat": CheckScenario(
        bad={}, expected=lambda b: [f"s3-via-nat:{b.vpc}"], good={"s3_endpoint": True}
    ),
    "dynamodb-via-nat": CheckScenario(
        bad={}, expected=lambda b: [f"dynamodb-via-nat:{b.vpc}"], good={"ddb_endpoint": True}
    ),
    "s3-endpoint-not-associated": CheckScenario(
        bad={"s3_endpoint": True, "s3_on_main": False},
        expected=lambda b: [f"s3-endpoint-not-associated:{b.main_rt}"],
        good={"s3_endpoint": True},
    ),
    "dynamodb-endpoint-not-associated": CheckScenario(
        bad={"ddb_endpoint": True, "ddb_on_main": False},
        expected=lambda b: [f"dynamodb-endpoint-not-associated:{b.main_rt}"],
        good={"ddb_endpoint": True},
    ),
    "endpoint-route-overridden": CheckScenario(
        bad={"s3_endpoint": True, "override": "52.216.0.0/16"},
        expected=lambda b: [f"endpoint-route-overridden:{b.private_rt}:s3"],
        good={"s3_endpoint": True, "override": "10.50.0.0/16"},
    ),
    "ecr-pulls-via-nat": CheckScenario(
        bad={"containers": True},
        expected=lambda b: [f"ecr-pulls-via-nat:{b.vpc}"],
        good={"containers": True, "s3_endpoint": True},
        good_variants=({},),  # no sign of containers: a layer path alone says nothing
    ),
    "cross-az-nat": CheckScenario(
        bad={"nat_zone_for_second": "a"},
        expected=lambda b: [f"cross-az-nat:{b.second}"],
        good={"nat_zone_for_second": "b"},
    ),
    "s3-via-transit-gateway": CheckScenario(
        bad={"default_target": TGW},
        expected=lambda b: [f"s3-via-transit-gateway:{b.private_rt}"],
        good={"default_target": TGW, "s3_endpoint": True},
    ),
    "dynamodb-via-transit-gateway": CheckScenario(
        bad={"default_target": TGW},
        expected=lambda b: [f"dynamodb-via-transit-gateway:{b.private_rt}"],
        good={"default_target": TGW, "ddb_endpoint": True},
    ),
    "endpoint-policy-invalid": CheckScenario(
        bad={"s3_endpoint": True, "s3_policy": '{"Statement": [{"Effect": "Perhaps"}]}'},
        expected=lambda b: [f"endpoint-policy-invalid:{b.s3_endpoint}"],
        good={"s3_endpoint": True},
    ),
    **{
        entry.finding_id: _policy_scenario(entry)
        for entry in CATALOGUE
        if entry.expectation is Expectation.ALLOW
    },
}
