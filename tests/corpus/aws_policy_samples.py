"""AWS's data-perimeter sample endpoint policies (``aws-data-perimeter/`` in the corpus).

The samples carry placeholders (``<my-org-id>``, ``<region>``, …) that AWS tells users to
replace; ``filled_sample`` replaces them with the policy tests' values.
"""

from __future__ import annotations

from pathlib import Path

from tests.policy.endpoint_policies import ECR_ACCOUNT, ORG, PARTNER_ACCOUNT, filled

S3_SAMPLE = "vpc_endpoint_policies_s3_endpoint_policy.json"
DEFAULT_SAMPLE = "vpc_endpoint_policies_default_endpoint_policy.json"
ECR_API_SAMPLE = "vpc_endpoint_policies_ecr.api_endpoint_policy.json"


def placeholders(region: str) -> dict[str, str]:
    return {
        "<my-org-id>": ORG,
        "<region>": region,
        "<RegionWithoutDashes>": region.replace("-", ""),
        "<glue-account-id>": "777788889999",
        "<ecr-account-id>": ECR_ACCOUNT,
        "<third-party-account-a>": PARTNER_ACCOUNT,
        "<third-party-account-b>": "333344445555",
        "<action>": "s3:GetObject",
        "<third-party-resource-arn>": "arn:aws:s3:::partner-exchange-bucket/*",
        "<CodeArtifact-Region-Account>": "361422895574",
        "<string>": "abc",
    }


def filled_sample(path: Path, region: str) -> str:
    return filled(path, region, placeholders(region))
