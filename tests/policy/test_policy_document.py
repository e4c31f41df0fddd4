"""Parsing: every element, its case rules, and a PolicyError naming the element when malformed.

Rules from the IAM User Guide, "Grammar of the IAM JSON policy language" unless noted.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from vpcpath.errors import PolicyError
from vpcpath.policy.conditions import BaseOperator, SetOperator
from vpcpath.policy.document import Effect, PrincipalSpec, parse_policy
from vpcpath.policy.requests import PrincipalKind


def statement(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    doc: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        doc["Version"] = version
    return doc


def error_of(doc: Any) -> str:
    with pytest.raises(PolicyError) as caught:
        parse_policy(doc)
    return str(caught.value)


def test_statement_may_be_a_single_object_or_a_list() -> None:
    single = parse_policy({"Version": "2012-10-17", "Statement": statement(Sid="One")})
    listed = parse_policy(policy(statement(), statement(Effect="Deny")))
    assert [s.label for s in single.statements] == ["One"]
    assert [s.label for s in listed.statements] == ["Statement[0]", "Statement[1]"]
    assert [s.effect for s in listed.statements] == [Effect.ALLOW, Effect.DENY]


def test_text_and_bytes_parse_like_decoded_json() -> None:
    doc = policy(statement(Sid="A"))
    assert parse_policy(json.dumps(doc)) == parse_policy(doc)
    assert parse_policy(json.dumps(doc).encode()) == parse_policy(doc)


def test_version_enables_policy_variables_only_for_2012() -> None:
    # "Variables and tags": without Version 2012-10-17 variables are literal strings.
    assert parse_policy(policy(statement())).supports_variables
    assert not parse_policy(policy(statement(), version="2008-10-17")).supports_variables
    assert not parse_policy(policy(statement(), version=None)).supports_variables


def test_version_outside_the_grammar_is_rejected() -> None:
    assert error_of(policy(statement(), version="2012-10-18")) == (
        "Version: '2012-10-18' is not '2012-10-17' or '2008-10-17'"
    )


def test_id_is_kept() -> None:
    doc = {"Version": "2012-10-17", "Id": "EndpointPolicy1", "Statement": [statement()]}
    assert parse_policy(doc).policy_id == "EndpointPolicy1"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            "{",
            "policy is not valid JSON: Expecting property name enclosed in double quotes "
            "at line 1 column 2",
        ),
        ("[]", "policy: the document must be a JSON object"),
        ({"Version": "2012-10-17"}, "Statement: the policy has no Statement element"),
        (policy(), "Statement: must be a statement object or a non-empty list of them"),
        (
            {"Statement": [statement()], "statement": []},
            "policy: unknown element 'statement' (element names are case-sensitive)",
        ),
        (policy("Allow"), "Statement[0]: a statement must be a JSON object"),  # type: ignore[arg-type]  # a string where a statement belongs, on purpose
        (
            policy(statement(), statement(effect="Allow")),
            "Statement[1]: unknown element 'effect' (element names are case-sensitive)",
        ),
        (policy(statement(Sid=7)), "Statement[0].Sid: must be a string"),
    ],
)
def test_structure_errors_name_the_element(doc: Any, message: str) -> None:
    assert error_of(doc) == message


def test_duplicate_json_keys_are_rejected() -> None:
    # "Individual elements must not contain multiple instances of the same key".
    text = '{"Statement": [{"Effect": "Allow", "Effect": "Deny", "Principal": "*"}]}'
    assert error_of(text) == "policy: the key 'Effect' appears twice in one JSON object"


@pytest.mark.parametrize("effect", ["allow", "DENY", "Permit", None])
def test_effect_is_a_case_sensitive_literal(effect: str | None) -> None:
    doc = policy(statement(Effect=effect))
    assert error_of(doc) == f"Statement[0].Effect: must be 'Allow' or 'Deny', not {effect!r}"


@pytest.mark.parametrize(
    ("first", "second"),
    [("Principal", "NotPrincipal"), ("Action", "NotAction"), ("Resource", "NotResource")],
)
def test_each_pair_needs_exactly_one_element(first: str, second: str) -> None:
    both = statement(**{second: "*"})
    neither = statement(**{first: None})
    assert error_of(policy(both)) == f"Statement[0]: has both {first} and {second}; use one"
    assert error_of(policy(neither)) == f"Statement[0]: needs {first} or {second}"


def test_principal_forms() -> None:
    # "*" and {"AWS": "*"} both mean everyone ("AWS JSON policy elements: Principal").
    parsed = parse_policy(
        policy(
            statement(Principal="*"),
            statement(Principal={"AWS": "*"}),
            statement(
                Principal={
                    "AWS": ["123456789012", "arn:aws:iam::111122223333:role/app"],
                    "Service": "ecs-tasks.amazonaws.com",
                }
            ),
            statement(Principal=None, NotPrincipal={"CanonicalUser": "79a59df9"}),
        )
    )
    specs = [s.principal for s in parsed.statements]
    assert specs[0] == PrincipalSpec(everyone=True)
    assert specs[1] == PrincipalSpec(everyone=True, entries=((PrincipalKind.AWS, ("*",)),))
    assert specs[2] == PrincipalSpec(
        entries=(
            (PrincipalKind.AWS, ("123456789012", "arn:aws:iam::111122223333:role/app")),
            (PrincipalKind.SERVICE, ("ecs-tasks.amazonaws.com",)),
        )
    )
    assert parsed.statements[3].not_principal == PrincipalSpec(
        entries=((PrincipalKind.CANONICAL_USER, ("79a59df9",)),)
    )


@pytest.mark.parametrize(
    ("principal", "message"),
    [
        (
            {"AWS": "arn:aws:iam::123456789012:role/app-*"},
            "Statement[0].Principal.AWS[0]: 'arn:aws:iam::123456789012:role/app-*' uses a partial "
            "wildcard, which the Principal element does not allow",
        ),
        (
            {"aws": "123456789012"},
            "Statement[0].Principal: unknown principal type 'aws' (expected AWS, Service, "
            "Federated or CanonicalUser)",
        ),
        (
            "everyone",
            'Statement[0].Principal: must be \'*\' or a map such as {"AWS": "123456789012"}',
        ),
        ({"AWS": []}, "Statement[0].Principal.AWS: must not be an empty list"),
    ],
)
def test_malformed_principals(principal: Any, message: str) -> None:
    assert error_of(policy(statement(Principal=principal))) == message


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (
            "s3GetObject",
            "Statement[0].Action[0]: 's3GetObject' is not an action (expected "
            "'service:action' or '*')",
        ),
        (
            "<action>",
            "Statement[0].Action[0]: '<action>' is not an action (expected "
            "'service:action' or '*') — an unfilled placeholder from a policy template?",
        ),
        (["s3:GetObject", 3], "Statement[0].Action[1]: must be a non-empty string, not 3"),
    ],
)
def test_malformed_actions(action: Any, message: str) -> None:
    assert error_of(policy(statement(Action=action))) == message


def test_actions_and_resources_are_kept_as_written() -> None:
    parsed = parse_policy(
        policy(
            statement(
                Action=["s3:GetObject", "S3:List*"],
                Resource=None,
                NotResource="arn:aws:s3:::secret/*",
            )
        )
    ).statements[0]
    assert parsed.actions == ("s3:GetObject", "S3:List*")
    assert parsed.resources is None
    assert parsed.not_resources == ("arn:aws:s3:::secret/*",)


@pytest.mark.parametrize(
    ("resource", "message"),
    [
        (
            "my-bucket",
            "Statement[0].Resource[0]: 'my-bucket' is not an ARN (expected "
            "'arn:partition:service:region:account:resource' or '*')",
        ),
        (
            "arn:aws:s3",
            "Statement[0].Resource[0]: ARN 'arn:aws:s3' has 3 of the 6 colon-separated components",
        ),
        (
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            "Statement[0].Resource[0]: a policy variable may appear only in the resource part of "
            "the ARN (after the fifth colon), not in 'arn:aws:iam::${aws:PrincipalAccount}:role/x'",
        ),
        (
            "arn:aws:s3:::bucket/${aws:username",
            "Statement[0].Resource[0]: policy variable '${aws:username' has no closing '}'",
        ),
    ],
)
def test_malformed_resources(resource: str, message: str) -> None:
    assert error_of(policy(statement(Resource=resource))) == message


def test_trailing_star_arn_with_fewer_components_is_accepted() -> None:
    # "If the * wildcard is the last character of a resource ARN segment, it can expand to
    # match beyond the colon boundaries" ("IAM JSON policy elements: Resource").
    parsed = parse_policy(policy(statement(Resource="arn:aws:s3:*"))).statements[0]
    assert parsed.resources == ("arn:aws:s3:*",)


def test_variables_are_not_parsed_in_2008_policies() -> None:
    doc = policy(statement(Resource="arn:aws:s3:::bucket/${aws:username"), version="2008-10-17")
    assert parse_policy(doc).statements[0].resources == ("arn:aws:s3:::bucket/${aws:username",)


def test_condition_operators_keys_and_values_are_parsed() -> None:
    condition = {
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["dp:*", "team"]},
        "Bool": {"aws:SecureTransport": True},
        "NumericLessThan": {"s3:max-keys": 10},
    }
    clauses = parse_policy(policy(statement(Condition=condition))).statements[0].conditions
    assert [(c.operator.name, c.key, c.values, c.path) for c in clauses] == [
        (
            "ForAnyValue:StringLikeIfExists",
            "aws:TagKeys",
            ("dp:*", "team"),
            "Statement[0].Condition.ForAnyValue:StringLikeIfExists.aws:TagKeys",
        ),
        (
            "Bool",
            "aws:SecureTransport",
            ("true",),
            "Statement[0].Condition.Bool.aws:SecureTransport",
        ),
        (
            "NumericLessThan",
            "s3:max-keys",
            ("10",),
            "Statement[0].Condition.NumericLessThan.s3:max-keys",
        ),
    ]
    first = clauses[0].operator
    assert (first.base, first.set_operator, first.if_exists) == (
        BaseOperator.STRING_LIKE,
        SetOperator.FOR_ANY_VALUE,
        True,
    )


def test_operator_names_are_read_without_regard_to_case() -> None:
    clauses = (
        parse_policy(
            policy(statement(Condition={"stringequalsifexists": {"aws:SourceVpce": "vpce-1"}}))
        )
        .statements[0]
        .conditions
    )
    assert clauses[0].operator.name == "StringEqualsIfExists"


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            {"StringEquals": {"aws:SourceVpce": {"id": "vpce-1"}}},
            "Statement[0].Condition.StringEquals.aws:SourceVpce: value must be a string, number or "
            "Boolean, or a list of them; got dict",
        ),
        (
            {"StringEquals": {"aws:SourceVpce": []}},
            "Statement[0].Condition.StringEquals.aws:SourceVpce: value must not be an empty list",
        ),
        (
            {"StringEquals": "vpce-1"},
            "Statement[0].Condition.StringEquals: must be a non-empty map of condition keys",
        ),
        (
            {"StringMatches": {"aws:SourceVpce": "vpce-1"}},
            "Statement[0].Condition.StringMatches: unknown condition operator 'StringMatches'",
        ),
        (
            {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}},
            "Statement[0].Condition.ForSomeValues:StringEquals: unknown condition set operator "
            "'ForSomeValues' in 'ForSomeValues:StringEquals'",
        ),
        (
            {"NullIfExists": {"aws:TokenIssueTime": "true"}},
            "Statement[0].Condition.NullIfExists: the Null operator takes no IfExists or set "
            "qualifier",
        ),
        (
            {"StringEquals": {"aws:SourceVpce": "a", "AWS:sourcevpce": "b"}},
            "Statement[0].Condition.StringEquals.AWS:sourcevpce: duplicates condition key "
            "'aws:SourceVpce' (keys are case-insensitive)",
        ),
        (
            {"NumericEquals": {"s3:max-keys": "ten"}},
            "Statement[0].Condition.NumericEquals.s3:max-keys: 'ten' is not a number "
            "(NumericEquals)",
        ),
        (
            {"DateLessThan": {"aws:CurrentTime": ["2030-01-01", "soon"]}},
            "Statement[0].Condition.DateLessThan.aws:CurrentTime[1]: 'soon' is not an ISO 8601 "
            "date or epoch time",
        ),
        (
            {"Bool": {"aws:SecureTransport": "yes"}},
            "Statement[0].Condition.Bool.aws:SecureTransport: Bool takes 'true' or 'false', not "
            "'yes'",
        ),
        (
            {"Null": {"aws:TokenIssueTime": "maybe"}},
            "Statement[0].Condition.Null.aws:TokenIssueTime: Null takes 'true' or 'false', not "
            "'maybe'",
        ),
        (
            {"BinaryEquals": {"key": "not base64!"}},
            "Statement[0].Condition.BinaryEquals.key: 'not base64!' is not base-64 encoded "
            "(BinaryEquals)",
        ),
        (
            {"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}},
            "Statement[0].Condition.IpAddress.aws:SourceIp: '203.0.113.0/33' is not an IP address "
            "or CIDR block",
        ),
        (
            {"ArnLike": {"aws:PrincipalArn": "role/app"}},
            "Statement[0].Condition.ArnLike.aws:PrincipalArn: 'role/app' is not an ARN (expected "
            "'arn:partition:service:region:account:resource' or '*')",
        ),
        (
            {"NumericEquals": {"s3:max-keys": "${aws:username}"}},
            "Statement[0].Condition.NumericEquals.s3:max-keys: policy variables are allowed only "
            "with String and Arn operators, not with NumericEquals",
        ),
        (
            {"StringEquals": {"aws:PrincipalTag/team": "${ }"}},
            "Statement[0].Condition.StringEquals.aws:PrincipalTag/team: empty policy variable in "
            "'${ }'",
        ),
        (
            {"StringEquals": {"aws:PrincipalTag/team": "${aws:username, default}"}},
            "Statement[0].Condition.StringEquals.aws:PrincipalTag/team: the default of policy "
            "variable ${aws:username} must be in single quotes",
        ),
        (
            {"StringEquals": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team, 'x}"}},
            "Statement[0].Condition.StringEquals.aws:PrincipalTag/team: unterminated quoted "
            'default in policy variable "${aws:PrincipalTag/team, \'x}"',
        ),
        ("StringEquals", "Statement[0].Condition: must be a map of condition operators"),
    ],
)
def test_malformed_conditions_name_the_element(condition: Any, message: str) -> None:
    assert error_of(policy(statement(Condition=condition))) == message


def test_error_path_uses_the_statement_index() -> None:
    bad = statement(Condition={"StringEquals": {"aws:SourceVpce": {"x": 1}}})
    message = error_of(policy(statement(), statement(), bad))
    assert message.startswith("Statement[2].Condition.StringEquals.aws:SourceVpce: ")
