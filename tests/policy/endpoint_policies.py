"""The project's own endpoint-policy fixtures (``fixtures/endpoint-policies``) and their values.

The policies carry ``<…>`` placeholders as policy templates do; ``filled`` puts this test
estate's values in.
"""

from __future__ import annotations

from pathlib import Path

from vpcpath.policy import EndpointPolicyCheck
from vpcpath.policy.check import check_endpoint_policy

POLICIES = Path(__file__).parent / "fixtures" / "endpoint-policies"
S3_PERIMETER = POLICIES / "s3-org-perimeter.json"
ORG_ONLY = POLICIES / "org-only.json"
ORG_TO_AWS_ACCOUNT = POLICIES / "org-to-aws-account.json"

ACCOUNT = "123456789012"
ORG = "o-a1b2c3d4e5"
PARTNER_ACCOUNT = "222233334444"
ECR_ACCOUNT = "602401143452"


def placeholders(region: str) -> dict[str, str]:
    return {
        "<org-id>": ORG,
        "<region>": region,
        "<partner-account>": PARTNER_ACCOUNT,
        "<partner-objects-arn>": "arn:aws:s3:::partner-exchange-bucket/*",
        "<ecr-account>": ECR_ACCOUNT,
    }


def filled(path: Path, region: str, values: dict[str, str] | None = None) -> str:
    """The policy at ``path`` with its placeholders replaced (by default, this estate's)."""
    text = path.read_text(encoding="utf-8")
    for placeholder, value in (values or placeholders(region)).items():
        text = text.replace(placeholder, value)
    assert "<" not in text, f"unfilled placeholder left in {path.name}"
    return text


def check_s3(policy: str, region: str = "us-east-1", **extra: str) -> EndpointPolicyCheck:
    """``policy check`` of an S3 endpoint policy for this estate's account and organization."""
    return check_endpoint_policy(
        policy,
        service_name=f"com.amazonaws.{region}.s3",
        region=region,
        account_id=ACCOUNT,
        org_id=ORG,
        **extra,
    )
