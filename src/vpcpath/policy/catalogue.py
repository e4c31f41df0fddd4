"""The requests that must (or, for a data perimeter, must not) pass a gateway endpoint.

Each entry is data: the action, the bucket or table (region-specific names as AWS documents
them), who signs the request and who owns the resource, with the AWS pages it comes from.
``catalogue_requests.catalogue_requests`` turns the entries into request contexts for one
region and account; its docstring says which context keys each kind of caller and owner sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vpcpath.model.regions import partition_of


class GatewayService(StrEnum):
    S3 = "s3"
    DYNAMODB = "dynamodb"


class Caller(StrEnum):
    ANONYMOUS = "anonymous"  # unsigned request from the instance
    AWS_PRESIGNED = "aws-presigned"  # URL presigned by an AWS-owned service account
    WORKLOAD = "workload"  # a role of the customer's account


class Owner(StrEnum):
    AWS = "aws"
    CUSTOMER = "customer"
    FOREIGN = "foreign"


class Expectation(StrEnum):
    ALLOW = "allow"  # the workloads need it: denying it breaks them
    DENY = "deny"  # a data perimeter must stop it


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    title: str
    url: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueEntry:
    """One kind of request. ``resource_name`` is a bucket or table name with ``{region}``."""

    name: str
    service: GatewayService
    action: str
    resource_name: str
    caller: Caller
    owner: Owner
    expectation: Expectation
    description: str
    citations: tuple[Citation, ...]
    object_key: str = "object"
    # Regions where AWS documents a different name: (region, full name).
    region_names: tuple[tuple[str, str], ...] = ()

    @property
    def finding_id(self) -> str:
        # The audit finding when an endpoint policy denies a needed request; ECR's has the
        # short id the issue names.
        short = "ecr" if self.name == "ecr-image-layers" else self.name
        return f"endpoint-policy-blocks-{short}"

    def name_in(self, region: str) -> str:
        return dict(self.region_names).get(region, self.resource_name.format(region=region))


_DATA_PERIMETER = Citation(
    title="aws-samples/data-perimeter-policy-examples, VPC endpoint policy examples "
    '("AllowRequestsToAWSOwnedResources")',
    url="https://github.com/aws-samples/data-perimeter-policy-examples/tree/main/vpc_endpoint_policies",
)
_ECR = Citation(
    title='Amazon ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)", '
    '"Create the Amazon S3 gateway endpoint" and "Minimum Amazon S3 bucket permissions for '
    'Amazon ECR"',
    url="https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-setting-up-s3-gateway",
)
_YUM = Citation(
    title='AWS re:Post Knowledge Center, "How do I update yum or install packages without '
    "internet access on my EC2 instances that run Amazon Linux 1, Amazon Linux 2, or Amazon "
    'Linux 2023?"',
    url="https://repost.aws/knowledge-center/ec2-al1-al2-update-yum-without-internet",
)
_AL2_LIVEPATCH = Citation(
    title='Amazon EC2 User Guide, "Kernel Live Patching on AL2"',
    url="https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/al2-live-patching.html",
)
_AL2023_LIVEPATCH = Citation(
    title='Amazon Linux 2023 User Guide, "Kernel Live Patching on AL2023"',
    url="https://docs.aws.amazon.com/linux/al2023/ug/live-patching.html",
)
_SSM = Citation(
    title='AWS Systems Manager User Guide, "About minimum S3 bucket permissions for SSM Agent"',
    url="https://docs.aws.amazon.com/systems-manager/latest/userguide/ssm-agent-minimum-s3-permissions.html",
)
_CLOUDWATCH = Citation(
    title='Amazon CloudWatch User Guide, "Download and configure the CloudWatch agent using '
    'the command line"',
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/download-cloudwatch-agent-commandline.html",
)
_GLOBAL_KEYS = Citation(
    title='IAM User Guide, "AWS global condition context keys" (aws:ResourceAccount, '
    "aws:ResourceOrgID, aws:PrincipalOrgID)",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
)

# af-south-1 and eu-south-1 use aws-ssm-distributor-file-<region> instead of birdwatcher
# ("About minimum S3 bucket permissions for SSM Agent", the two bucket rows).
_DISTRIBUTOR_FILE_REGIONS = ("af-south-1", "eu-south-1")


def _aws_owned(
    name: str,
    resource_name: str,
    description: str,
    citations: tuple[Citation, ...],
    *,
    object_key: str,
    caller: Caller = Caller.ANONYMOUS,
    region_names: tuple[tuple[str, str], ...] = (),
) -> CatalogueEntry:
    return CatalogueEntry(
        name=name,
        service=GatewayService.S3,
        action="s3:GetObject",
        resource_name=resource_name,
        caller=caller,
        owner=Owner.AWS,
        expectation=Expectation.ALLOW,
        description=description,
        citations=(*citations, _DATA_PERIMETER),
        object_key=object_key,
        region_names=region_names,
    )


CATALOGUE: tuple[CatalogueEntry, ...] = (
    _aws_owned(
        "ecr-image-layers",
        "prod-{region}-starport-layer-bucket",
        "ECR image layer download (the URL is presigned by an ECR service account)",
        (_ECR,),
        object_key="sha256/layer",
        caller=Caller.AWS_PRESIGNED,
    ),
    _aws_owned(
        "amazon-linux-2-repos",
        "amazonlinux-2-repos-{region}",
        "Amazon Linux 2 yum repositories",
        (_YUM, _AL2_LIVEPATCH),
        object_key="2/core/2.0/x86_64/repodata/repomd.xml",
    ),
    _aws_owned(
        "amazon-linux-2-mirror-list",
        "amazonlinux.{region}.amazonaws.com",
        "Amazon Linux 2 yum mirror list",
        (_YUM, _AL2_LIVEPATCH),
        object_key="2/core/latest/x86_64/mirror.list",
    ),
    _aws_owned(
        "amazon-linux-2023-repos",
        "al2023-repos-{region}-de612dc2",
        "Amazon Linux 2023 dnf repositories",
        (_YUM, _AL2023_LIVEPATCH),
        object_key="core/mirrors/latest/x86_64/mirror.list",
    ),
    _aws_owned(
        "ssm-agent-updates",
        "amazon-ssm-{region}",
        "SSM Agent installation packages and update manifests (AWS-UpdateSSMAgent)",
        (_SSM,),
        object_key="latest/VERSION",
    ),
    _aws_owned(
        "ssm-document-modules",
        "aws-ssm-{region}",
        "modules required by SSM documents (Linux and Windows Server)",
        (_SSM,),
        object_key="aws-runpatchbaseline/manifest.json",
    ),
    _aws_owned(
        "ssm-distributor",
        "{region}-birdwatcher-prod",
        "Distributor service used by SSM Agent 2.2.45.0 and later (AWS-ConfigureAWSPackage)",
        (_SSM,),
        object_key="packages/manifest.json",
        region_names=tuple((r, f"aws-ssm-distributor-file-{r}") for r in _DISTRIBUTOR_FILE_REGIONS),
    ),
    _aws_owned(
        "ssm-document-attachments",
        "aws-ssm-document-attachments-{region}",
        "Distributor packages owned by AWS",
        (_SSM,),
        object_key="attachments/package.zip",
    ),
    _aws_owned(
        "ssm-patch-baseline-snapshots",
        "patch-baseline-snapshot-{region}",
        "patch baseline snapshots (AWS-RunPatchBaseline and related documents)",
        (_SSM,),
        object_key="snapshot.json",
        region_names=(("me-south-1", "patch-baseline-snapshot-me-south-1-uduvl7q8"),),
    ),
    _aws_owned(
        "ssm-packages-legacy",
        "amazon-ssm-packages-{region}",
        "AWS-ConfigureAWSPackage for SSM Agent versions before 2.2.45.0",
        (_SSM,),
        object_key="packages/manifest.json",
    ),
    _aws_owned(
        "ssm-windows-downloads",
        "aws-windows-downloads-{region}",
        "SSM documents that support only Windows",
        (_SSM,),
        object_key="PSModules/module.zip",
    ),
    _aws_owned(
        "cloudwatch-agent",
        "amazoncloudwatch-agent-{region}",
        "CloudWatch agent package download",
        (_CLOUDWATCH,),
        object_key="amazon_linux/amd64/latest/amazon-cloudwatch-agent.rpm",
    ),
    CatalogueEntry(
        name="own-bucket",
        service=GatewayService.S3,
        action="s3:GetObject",
        resource_name="{own}",
        caller=Caller.WORKLOAD,
        owner=Owner.CUSTOMER,
        expectation=Expectation.ALLOW,
        description="the workload reads its own account's bucket",
        citations=(_GLOBAL_KEYS,),
    ),
    CatalogueEntry(
        name="foreign-bucket",
        service=GatewayService.S3,
        action="s3:PutObject",
        resource_name="{foreign}",
        caller=Caller.WORKLOAD,
        owner=Owner.FOREIGN,
        expectation=Expectation.DENY,
        description="the workload writes to a bucket outside its account and organization",
        citations=(_GLOBAL_KEYS, _DATA_PERIMETER),
    ),
    CatalogueEntry(
        name="dynamodb-own-table",
        service=GatewayService.DYNAMODB,
        action="dynamodb:GetItem",
        resource_name="{own}",
        caller=Caller.WORKLOAD,
        owner=Owner.CUSTOMER,
        expectation=Expectation.ALLOW,
        description="the workload reads a table of its own account",
        citations=(_GLOBAL_KEYS,),
    ),
    CatalogueEntry(
        name="dynamodb-foreign-table",
        service=GatewayService.DYNAMODB,
        action="dynamodb:PutItem",
        resource_name="{foreign}",
        caller=Caller.WORKLOAD,
        owner=Owner.FOREIGN,
        expectation=Expectation.DENY,
        description="the workload writes to a table outside its account and organization",
        citations=(_GLOBAL_KEYS, _DATA_PERIMETER),
    ),
)


def partition_for(region: str) -> str:
    """The ARN partition of a region ("Amazon Resource Names (ARNs)", partition)."""
    return partition_of(region)


def aws_owned_bucket_names(region: str) -> tuple[str, ...]:
    """The AWS-owned buckets the catalogue's workloads read from, in ``region``."""
    return tuple(
        entry.name_in(region)
        for entry in CATALOGUE
        if entry.owner is Owner.AWS and entry.service is GatewayService.S3
    )
