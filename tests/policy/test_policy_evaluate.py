"""Evaluation order and the Principal / Action / Resource elements and their Not* forms.

"Policy evaluation logic" (IAM User Guide): requests are implicitly denied, an explicit allow
overrides that, an explicit deny overrides any allow.
"""

from __future__ import annotations

from typing import Any

import pytest

from vpcpath.policy.document import parse_policy
from vpcpath.policy.evaluate import Decision, DecisionKind, evaluate
from vpcpath.policy.requests import (
    RequestPrincipal,
    anonymous_principal,
    make_request,
    role_principal,
    service_principal,
)

ROLE = role_principal(account_id="123456789012", role_name="app", org_id="o-a1b2c3d4e5")
OTHER = role_principal(account_id="111122223333", role_name="app")


def decide(
    *statements: dict[str, Any],
    action: str = "s3:GetObject",
    resource: str = "arn:aws:s3:::bucket/key",
    principal: RequestPrincipal = ROLE,
) -> Decision:
    doc = {"Version": "2012-10-17", "Statement": list(statements)}
    request = make_request(action=action, resource=resource, principal=principal)
    return evaluate(parse_policy(doc), request)


def allow(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
    base.update(overrides)
    return {key: value for key, value in base.items() if value is not None}


def deny(**overrides: Any) -> dict[str, Any]:
    return allow(Effect="Deny", **overrides)


def test_explicit_deny_beats_allow_and_names_the_deny() -> None:
    decision = decide(
        allow(Sid="AllowAll"), deny(Sid="DenyPut", Action="s3:PutObject"), action="s3:PutObject"
    )
    assert decision == Decision(
        allowed=False,
        kind=DecisionKind.EXPLICIT_DENY,
        decided_by="DenyPut",
        reason="explicitly denied by DenyPut (an explicit deny overrides any allow)",
        allowing_statements=("AllowAll",),
        denying_statements=("DenyPut",),
    )


def test_allow_is_decided_by_the_first_matching_statement() -> None:
    decision = decide(allow(Action="s3:PutObject"), allow(), allow(Sid="Second"))
    assert (decision.allowed, decision.kind, decision.decided_by) == (
        True,
        DecisionKind.ALLOWED,
        "Statement[1]",
    )
    assert decision.allowing_statements == ("Statement[1]", "Second")


def test_nothing_matching_is_an_implicit_deny() -> None:
    decision = decide(allow(Action="s3:PutObject"))
    assert decision == Decision(
        allowed=False,
        kind=DecisionKind.IMPLICIT_DENY,
        decided_by=None,
        reason="implicitly denied: no statement allows s3:GetObject on arn:aws:s3:::bucket/key "
        "for role app in account 123456789012",
    )


def test_a_deny_that_does_not_match_changes_nothing() -> None:
    assert decide(allow(), deny(Action="s3:DeleteObject")).allowed is True


# --- Principal ("AWS JSON policy elements: Principal") --------------------------------------


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        ("*", True),
        ({"AWS": "*"}, True),
        ({"AWS": "123456789012"}, True),  # the account id names every principal of the account
        ({"AWS": "arn:aws:iam::123456789012:root"}, True),
        ({"AWS": "arn:aws:iam::123456789012:role/app"}, True),
        ({"AWS": "arn:aws:sts::123456789012:assumed-role/app/vpcpath"}, True),
        ({"AWS": "arn:aws:iam::123456789012:role/other"}, False),
        ({"AWS": ["111122223333", "123456789012"]}, True),
        ({"AWS": "111122223333"}, False),
        ({"Service": "ec2.amazonaws.com"}, False),
    ],
)
def test_principal_matching_for_a_role_session(principal: Any, expected: bool) -> None:
    assert decide(allow(Principal=principal)).allowed is expected


def test_anonymous_callers_match_only_everyone() -> None:
    anonymous = anonymous_principal()
    assert decide(allow(Principal="*"), principal=anonymous).allowed is True
    assert decide(allow(Principal={"AWS": "*"}), principal=anonymous).allowed is True
    assert decide(allow(Principal={"AWS": "123456789012"}), principal=anonymous).allowed is False


def test_service_principals() -> None:
    service = service_principal("cloudformation.amazonaws.com")
    assert (
        decide(
            allow(Principal={"Service": "cloudformation.amazonaws.com"}), principal=service
        ).allowed
        is True
    )
    assert (
        decide(allow(Principal={"Service": "ec2.amazonaws.com"}), principal=service).allowed
        is False
    )
    assert decide(allow(Principal={"AWS": "123456789012"}), principal=service).allowed is False


def test_not_principal_applies_to_everyone_else() -> None:
    # "AWS JSON policy elements: NotPrincipal": deny everyone except the listed principal.
    statements = (
        allow(),
        deny(
            Sid="OnlyApp",
            Principal=None,
            NotPrincipal={"AWS": "arn:aws:iam::123456789012:role/app"},
        ),
    )
    assert decide(*statements).allowed is True
    assert decide(*statements, principal=OTHER).decided_by == "OnlyApp"
    assert decide(*statements, principal=anonymous_principal()).allowed is False


# --- Action ("IAM JSON policy elements: Action" / "NotAction") ------------------------------


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("s3:GetObject", True),
        ("S3:getobject", True),  # prefix and action name are case-insensitive
        ("s3:Get*", True),
        ("s3:?etObject", True),
        ("s3:*", True),
        ("*", True),
        ("s3:Put*", False),
        ("dynamodb:GetItem", False),
    ],
)
def test_action_matching(action: str, expected: bool) -> None:
    assert decide(allow(Action=action)).allowed is expected


def test_not_action_covers_every_other_action() -> None:
    statement = allow(Action=None, NotAction=["s3:Delete*", "s3:Put*"])
    assert decide(statement).allowed is True
    assert decide(statement, action="s3:PutObject").allowed is False


# --- Resource ("IAM JSON policy elements: Resource" / "NotResource") ------------------------


@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/key", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),  # the bucket is not an object
        ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", False),  # ARNs are case-sensitive
        ("arn:aws:s3:::buck?t/key", "arn:aws:s3:::bucket/key", True),
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket/a/b:c", True),
        ("arn:aws:s3:*", "arn:aws:s3:::bucket/key", True),  # trailing * runs past colons
        (
            "arn:aws:dynamodb:*:123456789012:table/t",
            "arn:aws:dynamodb:us-east-1:123456789012:table/t",
            True,
        ),
        (
            "arn:aws:dynamodb:us-*:123456789012:table/t",
            "arn:aws:dynamodb:eu-west-1:123456789012:table/t",
            False,
        ),
        (
            "arn:aws:dynamodb:us-east-1:*:table/t",
            "arn:aws:dynamodb:us-east-1:123456789012:table/u",
            False,
        ),
        ("*", "arn:aws:dynamodb:us-east-1:123456789012:table/u", True),
    ],
)
def test_resource_matching(pattern: str, resource: str, expected: bool) -> None:
    assert decide(allow(Resource=pattern), resource=resource).allowed is expected


def test_not_resource_covers_every_other_resource() -> None:
    statement = deny(Sid="OutsideBucket", Resource=None, NotResource="arn:aws:s3:::bucket/*")
    assert decide(allow(), statement).allowed is True
    assert decide(allow(), statement, resource="arn:aws:s3:::other/key").decided_by == (
        "OutsideBucket"
    )


def test_variable_in_the_resource_element() -> None:
    statement = allow(Resource="arn:aws:s3:::home/${aws:PrincipalAccount}/*")
    assert decide(statement, resource="arn:aws:s3:::home/123456789012/file").allowed is True
    assert decide(statement, resource="arn:aws:s3:::home/111122223333/file").allowed is False
    # without a value the variable matches no resource ("Policy variables with no value")
    anonymous = anonymous_principal()
    assert decide(statement, resource="arn:aws:s3:::home//file", principal=anonymous).allowed is (
        False
    )


def test_statement_needs_every_element_to_match() -> None:
    statement = allow(
        Principal={"AWS": "123456789012"},
        Action="s3:GetObject",
        Resource="arn:aws:s3:::bucket/*",
        Condition={"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
    )
    assert decide(statement).allowed is True
    assert decide(statement, principal=OTHER).allowed is False
    assert decide(statement, action="s3:PutObject").allowed is False
    assert decide(statement, resource="arn:aws:s3:::other/key").allowed is False
