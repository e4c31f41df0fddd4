"""ECR image pulls whose layer bytes go through NAT.

ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)"
(https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html): an image pull
calls the ECR API (``ecr.api``) and the Docker registry endpoint (``ecr.dkr``), and downloads
the layers from Amazon S3 (``prod-<region>-starport-layer-bucket``) — "Create the Amazon S3
gateway endpoint" so that layers do not need the internet path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace

from vpcpath.audit.checks.gateway_endpoints import gateway_endpoint, nat_ids, paid_paths
from vpcpath.audit.context import AuditContext, SubnetPaths
from vpcpath.audit.findings import Finding, Severity, TrafficSelector
from vpcpath.model import EndpointType, Snapshot, Verdict
from vpcpath.model.evidence import FlowEvidence
from vpcpath.pricing.table import GIB
from vpcpath.routing.hints import HOURS_PER_MONTH
from vpcpath.routing.hostnames import layer_bucket

# Tags that mark container hosts (EKS managed node groups, Karpenter, ECS container instances).
_CONTAINER_TAG_PREFIXES = (
    "eks:",
    "aws:eks:",
    "kubernetes.io/cluster/",
    "karpenter.sh/",
    "aws:ecs:",
    "ecs:",
)


def runs_containers(snapshot: Snapshot, subnet_id: str) -> bool:
    for instance in snapshot.instances.values():
        if instance.subnet_id == subnet_id and any(
            key.startswith(_CONTAINER_TAG_PREFIXES) for key, _ in instance.tags
        ):
            return True
    return False


def has_ecr_endpoints(snapshot: Snapshot, vpc_id: str, region: str) -> bool:
    names = {f"com.amazonaws.{region}.ecr.api", f"com.amazonaws.{region}.ecr.dkr"}
    return any(
        e.endpoint_type is EndpointType.INTERFACE and e.service_name in names
        for e in snapshot.endpoints_in_vpc(vpc_id)
    )


def ecr_pulls_via_nat(ctx: AuditContext) -> Iterator[Finding]:
    by_vpc: dict[str, list[SubnetPaths]] = defaultdict(list)
    for s in ctx.subnets.values():
        if not s.private or not paid_paths(s.legs.get("s3-layers")):
            continue
        # Only where ECR is evidently in use: container hosts in the subnet, or ECR interface
        # endpoints in the VPC. Elsewhere a layer path says nothing about real pulls.
        if runs_containers(ctx.snapshot, s.subnet.id) or has_ecr_endpoints(
            ctx.snapshot, s.subnet.vpc_id, s.subnet.region
        ):
            by_vpc[s.subnet.vpc_id].append(s)
    for vpc_id, members in sorted(by_vpc.items()):
        region = members[0].subnet.region
        paths = [p for s in members for p in paid_paths(s.legs.get("s3-layers"))]
        nats = nat_ids(paths)
        api_via_nat = [s for s in members if paid_paths(s.legs.get("ecr.api"))]
        prices = ctx.prices.for_region(region)
        zones = sorted({s.subnet.availability_zone for s in members})
        endpoint_month = 2 * len(zones) * prices.interface_endpoint_az_hour * HOURS_PER_MONTH
        saving_per_gb = prices.nat_gateway_gb - prices.interface_endpoint_gb
        api_text = (
            f" The ECR API and registry calls from {len(api_via_nat)} of these subnets also go "
            f"through NAT; interface endpoints for ecr.api and ecr.dkr in {len(zones)} zone(s) "
            f"would cost ${endpoint_month:,.2f}/month and pay for themselves above "
            f"{endpoint_month / saving_per_gb:,.0f} GiB/month of ECR API/registry traffic "
            "(manifests are small: layers are the bulk, and the S3 gateway endpoint makes "
            "those free)."
            if api_via_nat and saving_per_gb > 0
            else ""
        )
        break_even = endpoint_month / saving_per_gb if api_via_nat and saving_per_gb > 0 else None
        endpoint_id = gateway_endpoint(ctx, vpc_id, "s3", region)
        tables = sorted({s.route_table_id for s in members})
        if endpoint_id is None:
            fix = f"create an S3 gateway endpoint in {vpc_id} on {', '.join(tables)}"
        else:
            associated = ctx.snapshot.endpoints[endpoint_id].route_table_ids
            missing = [t for t in tables if t not in associated]
            overridden = [t for t in tables if t in associated]
            steps = []
            if missing:
                steps.append(f"associate {endpoint_id} with {', '.join(missing)}")
            if overridden:
                steps.append(
                    f"remove the routes in {', '.join(overridden)} that are more specific than "
                    "the endpoint's prefix list"
                )
            fix = " and ".join(steps)
        yield Finding(
            id=f"ecr-pulls-via-nat:{vpc_id}",
            check="ecr-pulls-via-nat",
            severity=Severity.HIGH,
            title=f"ECR image layers for {len(members)} subnet(s) of {vpc_id} download through NAT",
            region=region,
            vpc_id=vpc_id,
            route_table_ids=tuple(sorted({s.route_table_id for s in members})),
            subnet_ids=tuple(s.subnet.id for s in members),
            nat_gateway_ids=nats,
            explanation=(
                f"Container image layers come from the AWS-owned S3 bucket {layer_bucket(region)}; "
                f"from these subnets that download goes through {', '.join(nats)}, so every "
                "image pull pays NAT processing on nearly all of its bytes." + api_text
            ),
            remediation=fix + "; keep any endpoint policy open to the layer bucket "
            "(see `vpcpath policy suggest`)",
            traffic=TrafficSelector(
                subnet_ids=frozenset(s.subnet.id for s in members),
                nat_gateway_ids=frozenset(nats),
                region=region,
                services=frozenset({"S3"}),
                avoidable_only=True,
            ),
            traces=tuple(paths[:1]),
            interface_endpoint_break_even_gb=break_even,
        )


def with_observed_api_traffic(finding: Finding, flows: FlowEvidence) -> Finding:
    """Say whether ECR interface endpoints would pay for themselves at the observed traffic.

    The ECR API and registry have no address ranges of their own (they are published under
    ``AMAZON``), so flow logs can bound, not isolate, their bytes: the NAT traffic from these
    subnets to the region's AMAZON ranges outside S3 and DynamoDB.
    """
    if finding.interface_endpoint_break_even_gb is None or flows.window_days <= 0:
        return finding
    observed = sum(
        r.bytes
        for r in flows.traffic
        if r.source_subnet_id in finding.subnet_ids
        and r.path is Verdict.NAT_GATEWAY
        and r.service == "AMAZON"
        and r.service_region == finding.region
    )
    gb_month = observed / GIB * 30 / flows.window_days
    verdict = "would" if gb_month > finding.interface_endpoint_break_even_gb else "would not"
    note = (
        f" Flow logs: {gb_month:,.1f} GiB/month from these subnets went through NAT to "
        f"{finding.region}'s other AWS endpoints (the ECR API and registry among them) — "
        f"interface endpoints {verdict} pay for themselves at that volume (break-even "
        f"{finding.interface_endpoint_break_even_gb:,.0f} GiB/month)."
    )
    return replace(finding, explanation=finding.explanation + note)
