"""Properties of evaluation that must hold for every policy and request (hypothesis).

The central one, from "Policy evaluation logic" ("An explicit deny in any policy overrides
any allows"): adding a Deny statement to any policy never turns a denied request into an
allowed one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from vpcpath.policy.conditions import clause_holds, parse_operator
from vpcpath.policy.document import parse_policy
from vpcpath.policy.evaluate import DecisionKind, evaluate, statement_matches
from vpcpath.policy.requests import (
    RequestContext,
    RequestPrincipal,
    anonymous_principal,
    make_request,
    role_principal,
    service_principal,
)

ACTIONS = ("s3:GetObject", "s3:PutObject", "s3:ListBucket", "dynamodb:GetItem")
ACTION_PATTERNS = (*ACTIONS, "*", "s3:*", "s3:Get*", "S3:getobject", "s3:?utObject")
RESOURCES = (
    "arn:aws:s3:::alpha/x",
    "arn:aws:s3:::beta/y/z",
    "arn:aws:s3:::alpha",
    "arn:aws:dynamodb:us-east-1:123456789012:table/t",
)
RESOURCE_PATTERNS = (
    *RESOURCES,
    "*",
    "arn:aws:s3:::alpha/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::?eta/*",
    "arn:aws:dynamodb:*:123456789012:table/*",
    "arn:aws:s3:::${aws:PrincipalAccount}/*",
)
PRINCIPALS: tuple[Any, ...] = (
    "*",
    {"AWS": "*"},
    {"AWS": "123456789012"},
    {"AWS": "arn:aws:iam::111122223333:role/app"},
    {"Service": "ec2.amazonaws.com"},
)
CALLERS: tuple[RequestPrincipal, ...] = (
    role_principal(account_id="123456789012", role_name="app", org_id="o-a1b2c3d4e5"),
    role_principal(account_id="111122223333", role_name="app"),
    anonymous_principal(),
    service_principal("ec2.amazonaws.com"),
)
CONDITIONS: tuple[tuple[str, str, Any], ...] = (
    ("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"),
    ("StringNotEquals", "aws:PrincipalOrgID", ["o-a1b2c3d4e5", "o-other00000"]),
    ("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/a*"),
    ("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"),
    ("StringNotLikeIfExists", "aws:SourceVpce", "vpce-*"),
    ("StringEqualsIgnoreCase", "aws:ResourceAccount", "${aws:PrincipalAccount}"),
    ("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:*"),
    ("ArnNotEquals", "aws:PrincipalArn", "arn:aws:iam::123456789012:role/app"),
    ("Bool", "aws:PrincipalIsAWSService", "true"),
    ("BoolIfExists", "aws:SecureTransport", "false"),
    ("IpAddress", "aws:SourceIp", "198.51.100.0/24"),
    ("NotIpAddress", "aws:SourceIp", ["198.51.100.10", "2001:db8::/32"]),
    ("NumericLessThan", "s3:max-keys", "100"),
    ("DateGreaterThan", "aws:CurrentTime", "2025-01-01T00:00:00Z"),
    ("Null", "aws:SourceVpce", "true"),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["team", "env"]),
    ("ForAnyValue:StringLike", "aws:TagKeys", "dp:*"),
)
REQUEST_KEYS: dict[str, tuple[Any, ...]] = {
    "aws:SourceVpce": ("vpce-1", "vpce-2"),
    "aws:SourceIp": ("198.51.100.10", "203.0.113.5", "2001:db8::1"),
    "aws:ResourceAccount": ("123456789012", "111122223333"),
    "aws:SecureTransport": ("true", "false"),
    "s3:max-keys": ("10", "1000"),
    "aws:CurrentTime": ("2024-06-01T00:00:00Z", "2026-06-01T00:00:00Z"),
    "aws:TagKeys": (("team",), ("team", "dp:x"), ("env", "other")),
}


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    condition: dict[str, dict[str, Any]] = {}
    for operator, key, value in draw(st.lists(st.sampled_from(CONDITIONS), max_size=3)):
        condition.setdefault(operator, {})[key] = value
    return condition


@st.composite
def statements(draw: st.DrawFn, effect: st.SearchStrategy[str]) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(effect)}
    principal_key = draw(st.sampled_from(("Principal", "Principal", "NotPrincipal")))
    statement[principal_key] = draw(st.sampled_from(PRINCIPALS))
    action_key = draw(st.sampled_from(("Action", "Action", "NotAction")))
    statement[action_key] = draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3))
    resource_key = draw(st.sampled_from(("Resource", "Resource", "NotResource")))
    statement[resource_key] = draw(
        st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=3)
    )
    condition = draw(conditions())
    if condition:
        statement["Condition"] = condition
    if draw(st.booleans()):
        statement["Sid"] = f"S{draw(st.integers(0, 99))}"
    return statement


ANY_EFFECT = st.sampled_from(("Allow", "Deny"))
DENY = st.just("Deny")


@st.composite
def requests(draw: st.DrawFn) -> RequestContext:
    keys = {
        key: draw(st.sampled_from(values))
        for key, values in REQUEST_KEYS.items()
        if draw(st.booleans())
    }
    return make_request(
        action=draw(st.sampled_from(ACTIONS)),
        resource=draw(st.sampled_from(RESOURCES)),
        principal=draw(st.sampled_from(CALLERS)),
        keys=keys,
    )


def policy_of(statement_list: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statement_list}


@settings(max_examples=400)
@given(
    base=st.lists(statements(ANY_EFFECT), min_size=1, max_size=5),
    extra=statements(DENY),
    position=st.integers(min_value=0, max_value=5),
    request=requests(),
)
def test_adding_a_deny_never_turns_a_denied_request_into_an_allowed_one(
    base: list[dict[str, Any]], extra: dict[str, Any], position: int, request: RequestContext
) -> None:
    before = evaluate(parse_policy(policy_of(base)), request)
    event(f"before={before.kind.value}")
    with_deny = [*base[:position], extra, *base[position:]]
    after = evaluate(parse_policy(policy_of(with_deny)), request)
    event(f"after={after.kind.value}")
    if not before.allowed:
        assert not after.allowed
    # and the deny decides whenever it matches
    if statement_matches(parse_policy(policy_of([extra])).statements[0], request, variables=True):
        assert after.kind is DecisionKind.EXPLICIT_DENY


@given(
    base=st.lists(statements(ANY_EFFECT), min_size=1, max_size=5),
    request=requests(),
    data=st.data(),
)
def test_statement_order_does_not_change_the_outcome(
    base: list[dict[str, Any]], request: RequestContext, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(base))
    first = evaluate(parse_policy(policy_of(base)), request)
    second = evaluate(parse_policy(policy_of(shuffled)), request)
    assert (first.allowed, first.kind) == (second.allowed, second.kind)


NEGATION_PAIRS = (
    ("StringEquals", "StringNotEquals"),
    ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"),
    ("StringLike", "StringNotLike"),
    ("ArnLike", "ArnNotLike"),
    ("ArnEquals", "ArnNotEquals"),
    ("IpAddress", "NotIpAddress"),
    ("NumericEquals", "NumericNotEquals"),
    ("DateEquals", "DateNotEquals"),
)
PAIR_VALUES = {
    "String": (
        st.lists(st.sampled_from(("a", "A", "a*", "?", "b")), min_size=1, max_size=3),
        st.sampled_from(("a", "A", "ab", "b", "")),
    ),
    "Arn": (
        st.lists(
            st.sampled_from(("arn:aws:s3:::a*", "arn:aws:iam::*:role/x", "*")),
            min_size=1,
            max_size=2,
        ),
        st.sampled_from(("arn:aws:s3:::abc", "arn:aws:iam::1:role/x", "not-an-arn")),
    ),
    "Ip": (
        st.lists(
            st.sampled_from(("10.0.0.0/8", "198.51.100.7", "2001:db8::/32")), min_size=1, max_size=2
        ),
        st.sampled_from(("10.1.2.3", "198.51.100.7", "2001:db8::5", "192.0.2.1")),
    ),
    "Numeric": (
        st.lists(st.sampled_from(("1", "2.0", "-3")), min_size=1, max_size=2),
        st.sampled_from(("1", "2", "-3.0", "7")),
    ),
    "Date": (
        st.lists(st.sampled_from(("2025-01-01", "1700000000")), min_size=1, max_size=2),
        st.sampled_from(("2025-01-01T00:00:00Z", "2023-11-14T22:13:20Z", "2030-01-01")),
    ),
}


@given(pair=st.sampled_from(NEGATION_PAIRS), data=st.data())
def test_a_negated_operator_is_the_complement_for_a_present_single_value(
    pair: tuple[str, str], data: st.DataObject
) -> None:
    # "Creating a condition with multiple keys or values": positive operators OR the values,
    # negated ones NOR them — so for one present value they are exact complements.
    family = next(name for name in PAIR_VALUES if pair[0].startswith(name))
    policy_values_strategy, request_value_strategy = PAIR_VALUES[family]
    policy_values = tuple(data.draw(policy_values_strategy))
    request_value = data.draw(request_value_strategy)
    positive = parse_operator(pair[0], path="p")
    negated = parse_operator(pair[1], path="p")
    lookup = lambda _key: None  # noqa: E731 - no variables in these values
    assert clause_holds(positive, policy_values, (request_value,), lookup, variables=True) != (
        clause_holds(negated, policy_values, (request_value,), lookup, variables=True)
    )
