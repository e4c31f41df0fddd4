"""Every AWS call the live collector makes, as data.

The collector walks these tables and nothing else, so this module is the complete list of what
vpcpath asks AWS. ``required-permissions.json`` at the repository root is checked against
:func:`required_actions` by a test, and another test checks that a full collection uses exactly
those actions (after Cloud Custodian's per-resource permissions and PMapper's
``required-permissions.json``).

Region calls write one file each, named after the AWS CLI command (``describe-vpcs.json``), holding
the raw response with every page merged — the layout of docs/architecture.md "The snapshot folder".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from botocore import xform_name


class CallScope(StrEnum):
    SETUP = "setup"  # identity, accounts, regions: recorded in manifest.json, not as files
    REGION = "region"  # once per account and region
    VPC = "vpc"  # once per VPC and attribute
    PREFIX_LIST = "prefix-list"  # once per managed prefix list
    TRANSIT_ROUTE_TABLE = "transit-route-table"  # once per transit gateway route table
    EVIDENCE = "evidence"  # other commands: reading what prices findings and paths
    FLOW_LOGS = "flow-logs"  # `flows s3://…`: listing and downloading flow-log objects
    APPLY = "apply"  # `apply`: the only writes, allowed only through an apply session


@dataclass(frozen=True, slots=True, kw_only=True)
class AwsCall:
    service: str  # the boto3 client name, which is also the IAM service prefix here
    operation: str  # the API name, which is also the IAM action name
    scope: CallScope
    purpose: str  # what vpcpath reads from the answer, for people granting the permission
    result_key: str | None = None  # the list the answer carries (files and counts)
    paginated: bool = False
    kind: str | None = None  # what the summary counts its items as (default: result_key)
    # The IAM action when it is not named after the operation (S3's ListObjectsV2 is
    # authorised by s3:ListBucket).
    iam_name: str | None = None
    # Whether --page-size applies: not to calls whose pages are bounded another way.
    sized_pages: bool = True

    @property
    def iam_action(self) -> str:
        return f"{self.service}:{self.iam_name or self.operation}"

    @property
    def method(self) -> str:
        """The boto3 method name (``describe_vpcs``)."""
        return xform_name(self.operation)

    @property
    def cli_name(self) -> str:
        """The AWS CLI command name (``describe-vpcs``), used for file names."""
        return xform_name(self.operation, "-")


def _region_call(
    operation: str,
    result_key: str,
    purpose: str,
    *,
    paginated: bool = True,
    kind: str | None = None,
) -> AwsCall:
    return AwsCall(
        service="ec2",
        operation=operation,
        scope=CallScope.REGION,
        result_key=result_key,
        paginated=paginated,
        purpose=purpose,
        kind=kind,
    )


VPCS_CALL = _region_call("DescribeVpcs", "Vpcs", "VPCs and their CIDR blocks")
# describe-prefix-lists carries the AWS-managed lists' CIDRs on AWS (not on moto);
# describe-managed-prefix-lists lists AWS- and customer-managed lists, whose CIDRs come from
# get-managed-prefix-list-entries (which answers for both kinds).
PREFIX_LISTS_CALL = _region_call(
    "DescribePrefixLists", "PrefixLists", "AWS-managed prefix lists with CIDRs"
)
MANAGED_PREFIX_LISTS_CALL = _region_call(
    "DescribeManagedPrefixLists",
    "PrefixLists",
    "managed prefix lists (AWS and customer)",
    kind="ManagedPrefixLists",
)

# Transit gateway route tables are listed only in the account that owns the transit gateway
# (a RAM-shared gateway's tables are not visible to the spokes' accounts).
TGW_ROUTE_TABLES_CALL = _region_call(
    "DescribeTransitGatewayRouteTables",
    "TransitGatewayRouteTables",
    "transit gateway route tables (in the account that owns the transit gateway)",
)

# DescribeVpcs comes first: when it is refused, nothing else in the region can be placed, so
# the region is skipped as a whole.
REGION_CALLS: tuple[AwsCall, ...] = (
    VPCS_CALL,
    _region_call("DescribeSubnets", "Subnets", "subnets, zones and CIDRs"),
    _region_call("DescribeRouteTables", "RouteTables", "routes and subnet associations"),
    _region_call("DescribeInternetGateways", "InternetGateways", "internet gateways"),
    _region_call(
        "DescribeEgressOnlyInternetGateways",
        "EgressOnlyInternetGateways",
        "egress-only internet gateways (IPv6)",
    ),
    _region_call("DescribeNatGateways", "NatGateways", "NAT gateways, their subnets and ENIs"),
    _region_call("DescribeVpcEndpoints", "VpcEndpoints", "gateway and interface endpoints"),
    PREFIX_LISTS_CALL,
    MANAGED_PREFIX_LISTS_CALL,
    _region_call("DescribeNetworkInterfaces", "NetworkInterfaces", "ENIs and their addresses"),
    _region_call(
        "DescribeInstances", "Reservations", "instances, their subnets and ENIs", kind="Instances"
    ),
    _region_call("DescribeVpcPeeringConnections", "VpcPeeringConnections", "peering connections"),
    _region_call("DescribeTransitGateways", "TransitGateways", "transit gateways"),
    _region_call(
        "DescribeTransitGatewayAttachments",
        "TransitGatewayAttachments",
        "transit gateway attachments and the route table each is associated with",
    ),
    TGW_ROUTE_TABLES_CALL,
    _region_call(
        "DescribeTransitGatewayVpcAttachments",
        "TransitGatewayVpcAttachments",
        "the subnets (one per zone) and appliance mode of VPC attachments",
    ),
    _region_call(
        "DescribeTransitGatewayPeeringAttachments",
        "TransitGatewayPeeringAttachments",
        "the region and account of each peer transit gateway",
    ),
    _region_call("DescribeVpnGateways", "VpnGateways", "virtual private gateways", paginated=False),
    _region_call("DescribeAddresses", "Addresses", "Elastic IPs", paginated=False),
    _region_call("DescribeSecurityGroups", "SecurityGroups", "security groups"),
    _region_call("DescribeNetworkAcls", "NetworkAcls", "network ACLs"),
    _region_call("DescribeDhcpOptions", "DhcpOptions", "DHCP option sets"),
)

VPC_ATTRIBUTE_CALL = AwsCall(
    service="ec2",
    operation="DescribeVpcAttribute",
    scope=CallScope.VPC,
    purpose="DNS support and hostnames (private DNS of interface endpoints needs both)",
    kind="VpcAttributes",
)
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcAttribute.html
# (one attribute per request).
VPC_DNS_ATTRIBUTES: tuple[str, ...] = ("enableDnsSupport", "enableDnsHostnames")

PREFIX_LIST_ENTRIES_CALL = AwsCall(
    service="ec2",
    operation="GetManagedPrefixListEntries",
    scope=CallScope.PREFIX_LIST,
    result_key="Entries",
    paginated=True,
    purpose="the CIDRs of each managed prefix list (AWS-managed and customer-managed)",
    kind="PrefixListEntries",
)

# Per transit gateway route table. SearchTransitGatewayRoutes needs a filter; vpcpath asks once
# for static and once for propagated routes (blackholes included), which together are the table
# (EC2 API Reference, "SearchTransitGatewayRoutes",
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SearchTransitGatewayRoutes.html).
TGW_ROUTES_CALL = AwsCall(
    service="ec2",
    operation="SearchTransitGatewayRoutes",
    scope=CallScope.TRANSIT_ROUTE_TABLE,
    result_key="Routes",
    paginated=True,
    purpose="the static and propagated routes of each transit gateway route table",
    kind="TransitGatewayRoutes",
    # MaxResults must lie in 5..1000 here, unlike other calls' page sizes; AWS's default page
    # is used (and moto 5.2.5 answers any MaxResults of this call with a server error).
    sized_pages=False,
)
TGW_ROUTE_TYPES: tuple[str, ...] = ("static", "propagated")
TGW_PROPAGATIONS_CALL = AwsCall(
    service="ec2",
    operation="GetTransitGatewayRouteTablePropagations",
    scope=CallScope.TRANSIT_ROUTE_TABLE,
    result_key="TransitGatewayRouteTablePropagations",
    paginated=True,
    purpose="which attachments propagate their routes into each transit gateway route table",
    kind="TransitGatewayPropagations",
)
TGW_ASSOCIATIONS_CALL = AwsCall(
    service="ec2",
    operation="GetTransitGatewayRouteTableAssociations",
    scope=CallScope.TRANSIT_ROUTE_TABLE,
    result_key="Associations",
    paginated=True,
    purpose="which attachments each transit gateway route table serves",
    kind="TransitGatewayAssociations",
)
TRANSIT_TABLE_CALLS: tuple[AwsCall, ...] = (
    TGW_ROUTES_CALL,
    TGW_PROPAGATIONS_CALL,
    TGW_ASSOCIATIONS_CALL,
)

CALLER_IDENTITY_CALL = AwsCall(
    service="sts",
    operation="GetCallerIdentity",
    scope=CallScope.SETUP,
    purpose="who is collecting (manifest.json) and the account of the caller",
)
ASSUME_ROLE_CALL = AwsCall(
    service="sts",
    operation="AssumeRole",
    scope=CallScope.SETUP,
    purpose="read other accounts through --role-arn (granted to the caller)",
)
REGIONS_CALL = AwsCall(
    service="ec2",
    operation="DescribeRegions",
    scope=CallScope.SETUP,
    result_key="Regions",
    purpose="the regions enabled in each account",
)
ORGANIZATION_ACCOUNTS_CALL = AwsCall(
    service="organizations",
    operation="ListAccounts",
    scope=CallScope.SETUP,
    result_key="Accounts",
    paginated=True,
    purpose="the accounts of the organization (--organization, granted to the caller)",
)

ALL_CALLS: tuple[AwsCall, ...] = (
    CALLER_IDENTITY_CALL,
    ASSUME_ROLE_CALL,
    ORGANIZATION_ACCOUNTS_CALL,
    REGIONS_CALL,
    *REGION_CALLS,
    VPC_ATTRIBUTE_CALL,
    PREFIX_LIST_ENTRIES_CALL,
    *TRANSIT_TABLE_CALLS,
)


# Calls of the analysis commands, not of the collector: what `audit --cloudwatch` and
# `prices refresh` ask AWS. They go through the same read-only guard.
NAT_METRICS_CALL = AwsCall(
    service="cloudwatch",
    operation="GetMetricStatistics",
    scope=CallScope.EVIDENCE,
    result_key="Datapoints",
    purpose="NAT gateway byte metrics (AWS/NATGateway) for `audit --cloudwatch`",
)
PRICE_LIST_CALL = AwsCall(
    service="pricing",
    operation="GetProducts",
    scope=CallScope.EVIDENCE,
    result_key="PriceList",
    paginated=True,
    purpose="NAT gateway, endpoint and data-transfer prices for `prices refresh`",
)
# Flow logs delivered to S3 (`flows s3://bucket/prefix`). Which IAM action authorises each
# operation: Amazon S3 User Guide, "Required permissions for Amazon S3 API operations"
# (ListObjectsV2 needs s3:ListBucket; GetObject needs s3:GetObject),
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
S3_LIST_CALL = AwsCall(
    service="s3",
    operation="ListObjectsV2",
    iam_name="ListBucket",
    scope=CallScope.FLOW_LOGS,
    result_key="Contents",
    paginated=True,
    purpose="the flow-log objects under an s3:// prefix given to `flows`/`audit --flow-logs`",
)
S3_GET_CALL = AwsCall(
    service="s3",
    operation="GetObject",
    scope=CallScope.FLOW_LOGS,
    purpose="the flow-log objects themselves",
)
ANALYSIS_CALLS: tuple[AwsCall, ...] = (
    NAT_METRICS_CALL,
    PRICE_LIST_CALL,
    S3_LIST_CALL,
    S3_GET_CALL,
)
# Every call a read-only session lets through.
READ_CALLS: tuple[AwsCall, ...] = (*ALL_CALLS, *ANALYSIS_CALLS)

# The writes of `apply` (``required-permissions-apply.json``): it adds gateway endpoints and
# associates them with route tables, nothing else — never a delete or a route replacement.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateVpcEndpoint.html
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpoint.html
# (AddRouteTableIds associates the endpoint with more route tables).
CREATE_ENDPOINT_CALL = AwsCall(
    service="ec2",
    operation="CreateVpcEndpoint",
    scope=CallScope.APPLY,
    purpose="create the missing gateway endpoint on the route tables the fix names",
)
MODIFY_ENDPOINT_CALL = AwsCall(
    service="ec2",
    operation="ModifyVpcEndpoint",
    scope=CallScope.APPLY,
    purpose="associate an existing gateway endpoint with more route tables (AddRouteTableIds)",
)
APPLY_CALLS: tuple[AwsCall, ...] = (CREATE_ENDPOINT_CALL, MODIFY_ENDPOINT_CALL)


def required_actions() -> frozenset[str]:
    """Every IAM action the collector may use."""
    return frozenset(call.iam_action for call in ALL_CALLS)


def all_required_actions() -> frozenset[str]:
    """Every IAM action any read-only vpcpath command may use: ``required-permissions.json``."""
    return frozenset(call.iam_action for call in READ_CALLS)


def apply_actions() -> frozenset[str]:
    """The IAM actions `apply` adds to the read ones: ``required-permissions-apply.json``."""
    return frozenset(call.iam_action for call in APPLY_CALLS)


def region_file_name(call: AwsCall) -> str:
    return f"{call.cli_name}.json"


def vpc_attribute_file_name(vpc_id: str, attribute: str) -> str:
    return f"{VPC_ATTRIBUTE_CALL.cli_name}-{vpc_id}-{xform_name(attribute, '-')}.json"


def prefix_list_entries_file_name(prefix_list_id: str) -> str:
    return f"{PREFIX_LIST_ENTRIES_CALL.cli_name}-{prefix_list_id}.json"


def transit_table_file_name(call: AwsCall, table_id: str, route_type: str | None = None) -> str:
    """``search-transit-gateway-routes-static-tgw-rtb-….json``: the answers name no table, so
    the file does (and, for route searches, which type of route it lists completely)."""
    kind = f"-{route_type}" if route_type else ""
    return f"{call.cli_name}{kind}-{table_id}.json"
