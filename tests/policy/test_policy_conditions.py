"""Every condition operator, with the AWS rule each case encodes.

Sources: IAM User Guide, "IAM JSON policy elements: Condition operators" (operator tables and
the missing-key rule), "Creating a condition with multiple keys or values" (AND / OR / NOR),
"Single-valued vs. multivalued context keys" (ForAllValues / ForAnyValue), "IAM policy
elements: Variables and tags".
"""

from __future__ import annotations

from typing import Any

import pytest

from vpcpath.policy.document import parse_policy
from vpcpath.policy.evaluate import evaluate
from vpcpath.policy.requests import KeyValues, anonymous_principal, make_request

ABSENT = None


def holds(condition: dict[str, Any], keys: KeyValues, *, version: str = "2012-10-17") -> bool:
    """Whether an Allow statement with only this condition allows the request."""
    doc = {
        "Version": version,
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "*",
                "Resource": "*",
                "Condition": condition,
            }
        ],
    }
    request = make_request(
        action="s3:GetObject",
        resource="arn:aws:s3:::bucket/key",
        principal=anonymous_principal(),
        keys=keys,
    )
    return evaluate(parse_policy(doc), request).allowed


def one(operator: str, key: str, policy_value: Any, request_value: Any) -> bool:
    return holds({operator: {key: policy_value}}, {key: request_value})


# --- String operators ("String condition operators" table) ----------------------------------


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        # StringEquals: "Exact matching, case sensitive"; no wildcards, '*' is literal.
        ("StringEquals", "Eng", "Eng", True),
        ("StringEquals", "Eng", "eng", False),
        ("StringEquals", "a*", "abc", False),
        ("StringEquals", "a*", "a*", True),
        # StringNotEquals: "Negated matching".
        ("StringNotEquals", "Eng", "Eng", False),
        ("StringNotEquals", "Eng", "Ops", True),
        # StringEqualsIgnoreCase / StringNotEqualsIgnoreCase: "ignoring case".
        ("StringEqualsIgnoreCase", "Eng", "eNG", True),
        ("StringEqualsIgnoreCase", "Eng", "Ops", False),
        ("StringNotEqualsIgnoreCase", "Eng", "ENG", False),
        ("StringNotEqualsIgnoreCase", "Eng", "Ops", True),
        # StringLike: "Case-sensitive matching. The values can include multi-character match
        # wildcards (*) and single-character match wildcards (?) anywhere in the string."
        ("StringLike", "Eng*", "Engineering", True),
        ("StringLike", "Eng*", "engineering", False),
        ("StringLike", "E?g", "Eng", True),
        ("StringLike", "E?g", "Eeng", False),
        ("StringLike", "*", "", True),
        # StringNotLike: "Negated case-sensitive matching".
        ("StringNotLike", "Eng*", "Engineering", False),
        ("StringNotLike", "Eng*", "Ops", True),
    ],
)
def test_string_operators(
    operator: str, policy_value: str, request_value: str, expected: bool
) -> None:
    assert one(operator, "aws:PrincipalTag/dept", policy_value, request_value) is expected


# --- A key missing from the request ---------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "value", "expected"),
    [
        # "If the key ... is not present in the request context, the values do not match and
        # the condition is false."
        ("StringEquals", "x", False),
        ("StringLike", "*", False),
        ("NumericLessThan", "5", False),
        ("DateGreaterThan", "2020-01-01", False),
        ("Bool", "true", False),
        ("BinaryEquals", "eA==", False),
        ("IpAddress", "0.0.0.0/0", False),
        ("ArnLike", "*", False),
        # "If the policy condition requires that the key is not matched, such as StringNotLike
        # or ArnNotLike, and the right key is not present, the condition is true."
        ("StringNotEquals", "x", True),
        ("StringNotEqualsIgnoreCase", "x", True),
        ("StringNotLike", "x", True),
        ("NumericNotEquals", "5", True),
        ("DateNotEquals", "2020-01-01", True),
        ("NotIpAddress", "10.0.0.0/8", True),
        ("ArnNotEquals", "arn:aws:s3:::b", True),
        ("ArnNotLike", "arn:aws:s3:::b", True),
        # "...IfExists": "If it is not present, evaluate the condition element as true."
        ("StringEqualsIfExists", "x", True),
        ("BoolIfExists", "true", True),
        ("IpAddressIfExists", "10.0.0.0/8", True),
    ],
)
def test_missing_key(operator: str, value: str, expected: bool) -> None:
    assert holds({operator: {"some:Key": value}}, {}) is expected


def test_if_exists_still_checks_a_present_key() -> None:
    assert one("StringEqualsIfExists", "aws:SourceVpce", "vpce-1", "vpce-1") is True
    assert one("StringEqualsIfExists", "aws:SourceVpce", "vpce-1", "vpce-2") is False
    assert one("StringNotEqualsIfExists", "aws:SourceVpce", "vpce-1", "vpce-1") is False


# --- Numeric, date, Boolean, binary, IP address, ARN, Null ----------------------------------


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        ("NumericEquals", "10", "10.0", True),
        ("NumericEquals", 10, "11", False),
        ("NumericNotEquals", "10", "11", True),
        ("NumericNotEquals", "10", "10", False),
        ("NumericLessThan", "10", "9", True),
        ("NumericLessThan", "10", "10", False),
        ("NumericLessThanEquals", "10", "10", True),
        ("NumericLessThanEquals", "10", "10.5", False),
        ("NumericGreaterThan", "10", "11", True),
        ("NumericGreaterThan", "10", "10", False),
        ("NumericGreaterThanEquals", "10", "10", True),
        ("NumericGreaterThanEquals", "10", "-3", False),
        ("NumericEquals", "10", "ten", False),  # a request value that is no number matches nothing
    ],
)
def test_numeric_operators(
    operator: str, policy_value: Any, request_value: str, expected: bool
) -> None:
    assert one(operator, "s3:max-keys", policy_value, request_value) is expected


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        # "Date condition operators": ISO 8601 dates and epoch (UNIX) times.
        ("DateLessThan", "2030-01-01T00:00:00Z", "2025-06-01T12:00:00Z", True),
        ("DateLessThan", "2020-01-01T00:00:00Z", "2025-06-01T12:00:00Z", False),
        ("DateLessThanEquals", "2025-06-01T12:00:00Z", "2025-06-01T12:00:00Z", True),
        ("DateGreaterThan", "2023-01-01", "1700000000", True),  # epoch request value
        ("DateGreaterThanEquals", "1700000000", "2023-11-14T22:13:20Z", True),
        ("DateGreaterThan", "1700000000", "2023-11-14T22:13:20Z", False),
        ("DateEquals", "2025-06-01", "2025-06-01T00:00:00+00:00", True),
        ("DateEquals", "2025-06-01T02:00:00+02:00", "2025-06-01T00:00:00Z", True),
        ("DateNotEquals", "2025-06-01", "2025-06-02", True),
        ("DateNotEquals", "2025-06-01", "2025-06-01", False),
    ],
)
def test_date_operators(
    operator: str, policy_value: str, request_value: str, expected: bool
) -> None:
    assert one(operator, "aws:CurrentTime", policy_value, request_value) is expected


@pytest.mark.parametrize(
    ("policy_value", "request_value", "expected"),
    [
        ("true", "true", True),
        (True, "true", True),
        ("false", "true", False),
        ("TRUE", "true", True),
    ],
)
def test_bool(policy_value: Any, request_value: str, expected: bool) -> None:
    assert one("Bool", "aws:SecureTransport", policy_value, request_value) is expected


def test_binary_equals_compares_decoded_bytes() -> None:
    # "BinaryEquals ... the key value must be base-64 encoded".
    assert one("BinaryEquals", "key", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=") is True
    assert one("BinaryEquals", "key", "QmluYXJ5VmFsdWU=", "T3RoZXI=") is False
    assert one("BinaryEquals", "key", "QmluYXJ5VmFsdWU=", "%%%") is False


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        # "IP address condition operators": RFC 4632 CIDR, IPv4 and IPv6.
        ("IpAddress", "203.0.113.0/24", "203.0.113.7", True),
        ("IpAddress", "203.0.113.0/24", "198.51.100.7", False),
        ("IpAddress", "203.0.113.9", "203.0.113.9", True),
        ("IpAddress", "2001:db8::/32", "2001:db8:1::5", True),
        ("IpAddress", "0.0.0.0/0", "2001:db8::1", False),  # versions never mix
        ("IpAddress", "203.0.113.0/24", "not-an-ip", False),
        ("NotIpAddress", "203.0.113.0/24", "198.51.100.7", True),
        ("NotIpAddress", "203.0.113.0/24", "203.0.113.7", False),
    ],
)
def test_ip_address_operators(
    operator: str, policy_value: str, request_value: str, expected: bool
) -> None:
    assert one(operator, "aws:SourceIp", policy_value, request_value) is expected


@pytest.mark.parametrize(
    ("operator", "policy_value", "request_value", "expected"),
    [
        # "ARN condition operators": each of the six components checked separately, with * and
        # ? wildcards; ArnEquals and ArnLike behave alike; case-sensitive.
        ("ArnLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:role/app-web", True),
        ("ArnEquals", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:role/app-web", True),
        ("ArnLike", "arn:aws:iam::*:role/App-*", "arn:aws:iam::123456789012:role/app-web", False),
        ("ArnLike", "arn:aws:iam::12345678901?:role/x", "arn:aws:iam::123456789012:role/x", True),
        # a wildcard inside a component does not run into the next one
        ("ArnLike", "arn:aws:iam::1*:role/x", "arn:aws:iam::123:456:role/x", False),
        ("ArnLike", "arn:aws:sns:*", "arn:aws:sns:us-east-1:123456789012:topic", True),
        ("ArnLike", "*", "arn:aws:sns:us-east-1:123456789012:topic", True),
        ("ArnLike", "arn:aws:iam::*:role/x", "role/x", False),  # request value is no ARN
        ("ArnNotLike", "arn:aws:iam::*:role/app-*", "arn:aws:iam::123456789012:role/db", True),
        ("ArnNotEquals", "arn:aws:iam::*:role/app-*", "arn:aws:iam::1:role/app-1", False),
    ],
)
def test_arn_operators(
    operator: str, policy_value: str, request_value: str, expected: bool
) -> None:
    assert one(operator, "aws:PrincipalArn", policy_value, request_value) is expected


@pytest.mark.parametrize(
    ("policy_value", "request_value", "expected"),
    [
        # "Null": true means the key must be absent, false that it must be present.
        ("true", ABSENT, True),
        ("true", "2025-01-01T00:00:00Z", False),
        ("false", "2025-01-01T00:00:00Z", True),
        ("false", ABSENT, False),
        (["true", "false"], ABSENT, True),
    ],
)
def test_null(policy_value: Any, request_value: str | None, expected: bool) -> None:
    assert one("Null", "aws:TokenIssueTime", policy_value, request_value) is expected


# --- Several keys and values ("Creating a condition with multiple keys or values") ----------


def test_several_values_of_one_key_are_ored() -> None:
    assert one("StringEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], "vpce-2") is True
    assert one("StringEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], "vpce-3") is False


def test_several_values_of_a_negated_operator_are_nored() -> None:
    assert one("StringNotEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], "vpce-2") is False
    assert one("StringNotEquals", "aws:SourceVpce", ["vpce-1", "vpce-2"], "vpce-3") is True


def test_several_keys_of_one_operator_are_anded() -> None:
    condition = {"StringEquals": {"aws:PrincipalOrgID": "o-1", "aws:ResourceOrgID": "o-1"}}
    both = {"aws:PrincipalOrgID": "o-1", "aws:ResourceOrgID": "o-1"}
    assert holds(condition, both) is True
    assert holds(condition, {**both, "aws:ResourceOrgID": "o-2"}) is False
    assert holds(condition, {"aws:PrincipalOrgID": "o-1"}) is False


def test_several_operators_are_anded() -> None:
    condition = {
        "StringEquals": {"aws:SourceVpce": "vpce-1"},
        "Bool": {"aws:SecureTransport": "true"},
    }
    assert holds(condition, {"aws:SourceVpce": "vpce-1", "aws:SecureTransport": "true"}) is True
    assert holds(condition, {"aws:SourceVpce": "vpce-1", "aws:SecureTransport": "false"}) is False


def test_condition_key_names_are_case_insensitive() -> None:
    # "Key names are case-insensitive" ("Variables and tags").
    assert holds({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1"}}, {"aws:sourcevpce": "vpce-1"})


# --- Multivalued keys and set operators ------------------------------------------------------


@pytest.mark.parametrize(
    ("operator", "policy_values", "request_values", "expected"),
    [
        # ForAllValues: "returns true if every key value in the request matches at least one
        # value in the policy. It also returns true if there are no keys in the request".
        ("ForAllValues:StringEquals", ["a", "b"], ["a"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "b"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "c"], False),
        ("ForAllValues:StringEquals", ["a", "b"], ABSENT, True),
        ("ForAllValues:StringEquals", ["a", "b"], [], True),  # an empty set is absent
        # ForAnyValue: true when at least one request value matches; false without the key.
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "a"], True),
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "d"], False),
        ("ForAnyValue:StringEquals", ["a", "b"], ABSENT, False),
        # The "Multivalued context key examples" page: ForAllValues:StringNotLike "key1*".
        ("ForAllValues:StringNotLike", "key1*", ["key1:legal"], False),
        ("ForAllValues:StringNotLike", "key1*", ["key1:hr", "key1:personnel"], False),
        ("ForAllValues:StringNotLike", "key1*", ["key2:audit"], True),
        ("ForAllValues:StringNotLike", "key1*", ABSENT, True),
        ("ForAnyValue:StringNotEquals", ["a"], ["a", "b"], True),
        ("ForAnyValue:StringNotEquals", ["a"], ["a"], False),
        ("ForAnyValue:StringLikeIfExists", ["a*"], ABSENT, True),  # IfExists applies first
        # A single value is a set of one.
        ("ForAnyValue:StringEquals", ["a"], "a", True),
    ],
)
def test_set_operators(
    operator: str, policy_values: Any, request_values: Any, expected: bool
) -> None:
    assert one(operator, "aws:TagKeys", policy_values, request_values) is expected


def test_plain_operator_on_several_request_values_never_matches() -> None:
    # "Multivalued context keys require a condition set operator"; without one vpcpath treats
    # the condition as not matching, for positive and negated operators alike.
    assert (
        one(
            "StringEquals",
            "aws:CalledVia",
            "athena.amazonaws.com",
            ["athena.amazonaws.com", "glue.amazonaws.com"],
        )
        is False
    )
    assert one("StringNotEquals", "aws:CalledVia", "x", ["a", "b"]) is False
    assert (
        one("StringEquals", "aws:CalledVia", "athena.amazonaws.com", ["athena.amazonaws.com"])
        is True
    )


# --- Policy variables ("IAM policy elements: Variables and tags") ---------------------------


def test_variable_in_a_condition_value() -> None:
    condition = {"StringEquals": {"aws:ResourceAccount": "${aws:PrincipalAccount}"}}
    assert holds(condition, {"aws:PrincipalAccount": "1", "aws:ResourceAccount": "1"}) is True
    assert holds(condition, {"aws:PrincipalAccount": "1", "aws:ResourceAccount": "2"}) is False


def test_variable_key_is_case_insensitive() -> None:
    condition = {"StringEquals": {"aws:ResourceAccount": "${AWS:principalaccount}"}}
    assert holds(condition, {"aws:PrincipalAccount": "1", "aws:ResourceAccount": "1"}) is True


def test_variable_default_applies_only_without_a_value() -> None:
    # "Specifying default values": ${aws:PrincipalTag/team, 'company-wide'}.
    condition = {"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'company-wide'}"}}
    assert holds(condition, {"s3:prefix": "company-wide"}) is True
    assert holds(condition, {"s3:prefix": "company-wide", "aws:PrincipalTag/team": "eng"}) is False
    assert holds(condition, {"s3:prefix": "eng", "aws:PrincipalTag/team": "eng"}) is True


def test_quote_in_a_default_is_doubled() -> None:
    condition = {"StringEquals": {"s3:prefix": "${aws:username, 'o''brien'}"}}
    assert holds(condition, {"s3:prefix": "o'brien"}) is True


def test_variable_without_value_matches_nothing() -> None:
    # "Policy variables with no value": effectively null, so no equal or like value …
    assert one("StringLike", "s3:prefix", "home/${aws:username}/*", "home/x/y") is False
    # … and a negated operator then holds (NOR over no matching value).
    assert holds({"StringNotEquals": {"s3:prefix": "${aws:username}"}}, {"s3:prefix": "x"})


def test_multivalued_key_cannot_be_a_variable() -> None:
    # "you can't use multivalued context keys as policy variables".
    condition = {"StringEquals": {"s3:prefix": "${aws:TagKeys}"}}
    assert holds(condition, {"s3:prefix": "a", "aws:TagKeys": ["a"]}) is True
    assert holds(condition, {"s3:prefix": "a", "aws:TagKeys": ["a", "b"]}) is False


def test_special_character_variables_are_literals() -> None:
    # "${*}", "${?}", "${$}" stand for the literal characters.
    assert one("StringLike", "s3:prefix", "a${*}", "a*") is True
    assert one("StringLike", "s3:prefix", "a${*}", "abc") is False
    assert one("StringLike", "s3:prefix", "a${?}", "a?") is True
    assert one("StringEquals", "s3:prefix", "${$}{x}", "${x}") is True


def test_substituted_value_is_not_a_pattern() -> None:
    condition = {"StringLike": {"s3:prefix": "${aws:PrincipalTag/p}"}}
    assert holds(condition, {"s3:prefix": "a*", "aws:PrincipalTag/p": "a*"}) is True
    assert holds(condition, {"s3:prefix": "abc", "aws:PrincipalTag/p": "a*"}) is False


def test_variables_are_literal_before_version_2012() -> None:
    condition = {"StringEquals": {"s3:prefix": "${aws:username}"}}
    keys = {"s3:prefix": "${aws:username}", "aws:username": "bob"}
    assert holds(condition, keys, version="2008-10-17") is True
    assert holds(condition, keys) is False


def test_variable_in_an_arn_condition() -> None:
    condition = {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:*:${aws:username}-topic"}}
    keys = {"aws:SourceArn": "arn:aws:sns:us-east-1:1:bob-topic", "aws:username": "bob"}
    assert holds(condition, keys) is True
    assert holds(condition, {**keys, "aws:username": "eve"}) is False
