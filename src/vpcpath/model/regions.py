"""AWS regions and the partitions they belong to, as data.

AWS General Reference, "AWS Regions"
(https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html) and
"AWS partitions" (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html):
a partition is a group of regions with its own endpoints and identities; "you can't use
resources or services across partitions". The China regions (``aws-cn``, hostnames under
``amazonaws.com.cn``), AWS GovCloud (US) (``aws-us-gov``), the ISO partitions and the European
Sovereign Cloud are partitions of their own, so traffic between a commercial VPC and them
crosses the internet: it is not inter-region traffic.
"""

from __future__ import annotations

import re

REGION_PATTERN = r"(?:[a-z]{2}(?:-gov|-iso[a-z]?)?|eusc-[a-z]{2})-[a-z]+-\d{1,2}"
REGION_RE = re.compile(rf"^{REGION_PATTERN}$")

COMMERCIAL = "aws"
# Name prefix → partition, longest first (us-isob- before us-iso-).
_PARTITION_PREFIXES = (
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("us-gov-", "aws-us-gov"),
    ("cn-", "aws-cn"),
    ("eusc-", "aws-eusc"),
)
PARTITION_NAMES = {
    COMMERCIAL: "AWS (commercial)",
    "aws-cn": "AWS China",
    "aws-us-gov": "AWS GovCloud (US)",
    "aws-iso": "AWS ISO",
    "aws-iso-b": "AWS ISOB",
    "aws-eusc": "AWS European Sovereign Cloud",
}

# The regions AWS lists (General Reference, "AWS Regions", 2026), every partition.
KNOWN_REGIONS = frozenset(
    {
        "af-south-1",
        "ap-east-1",
        "ap-east-2",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-northeast-3",
        "ap-south-1",
        "ap-south-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-southeast-3",
        "ap-southeast-4",
        "ap-southeast-5",
        "ap-southeast-6",
        "ap-southeast-7",
        "ca-central-1",
        "ca-west-1",
        "eu-central-1",
        "eu-central-2",
        "eu-north-1",
        "eu-south-1",
        "eu-south-2",
        "eu-west-1",
        "eu-west-2",
        "eu-west-3",
        "il-central-1",
        "me-central-1",
        "me-south-1",
        "mx-central-1",
        "sa-east-1",
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "cn-north-1",
        "cn-northwest-1",
        "us-gov-east-1",
        "us-gov-west-1",
        "us-iso-east-1",
        "us-iso-west-1",
        "us-isob-east-1",
        "eusc-de-east-1",
    }
)


def partition_of(region: str) -> str:
    """The partition a region name belongs to (``aws`` unless its prefix says otherwise)."""
    for prefix, partition in _PARTITION_PREFIXES:
        if region.startswith(prefix):
            return partition
    return COMMERCIAL


def partition_name(partition: str) -> str:
    return PARTITION_NAMES.get(partition, partition)
