"""AWS's data-perimeter sample endpoint policies, read from ../shared/data (never copied).

The samples carry placeholders (``<my-org-id>``, ``<region>``, …) that AWS tells users to
replace; ``filled_sample`` replaces them with this test estate's values.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SHARED_DATA

SAMPLES = SHARED_DATA / "aws-data-perimeter"
S3_SAMPLE = SAMPLES / "vpc_endpoint_policies_s3_endpoint_policy.json"
DEFAULT_SAMPLE = SAMPLES / "vpc_endpoint_policies_default_endpoint_policy.json"
ECR_API_SAMPLE = SAMPLES / "vpc_endpoint_policies_ecr.api_endpoint_policy.json"

ACCOUNT = "123456789012"
ORG = "o-a1b2c3d4e5"
PARTNER_ACCOUNT = "222233334444"


def placeholders(region: str) -> dict[str, str]:
    return {
        "<my-org-id>": ORG,
        "<region>": region,
        "<RegionWithoutDashes>": region.replace("-", ""),
        "<glue-account-id>": "777788889999",
        "<ecr-account-id>": "602401143452",
        "<third-party-account-a>": PARTNER_ACCOUNT,
        "<third-party-account-b>": "333344445555",
        "<action>": "s3:GetObject",
        "<third-party-resource-arn>": "arn:aws:s3:::partner-exchange-bucket/*",
        "<CodeArtifact-Region-Account>": "361422895574",
        "<string>": "abc",
    }


def filled_sample(path: Path, region: str) -> str:
    text = path.read_text()
    for placeholder, value in placeholders(region).items():
        text = text.replace(placeholder, value)
    assert "<" not in text, f"unfilled placeholder left in {path.name}"
    return text
