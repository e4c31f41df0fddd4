"""AWS hostnames → (service, region), without DNS.

vpcpath never queries live DNS (docs/architecture.md, rule 7): a hostname is mapped to the service
and region
it names, and the VPC's interface endpoints with private DNS decide whether it resolves to
endpoint ENIs. Forms from the S3 User Guide ("Virtual hosting of buckets", "Methods for
accessing a bucket", "Using dual-stack endpoints"), the AWS General Reference ("Service
endpoints"), the ECR User Guide ("Amazon ECR interface VPC endpoints") and the PrivateLink
Guide ("DNS hostnames" of endpoint-specific names).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from vpcpath.model.regions import REGION_RE, partition_of

# The China regions' endpoints end in amazonaws.com.cn (AWS General Reference, "Service
# endpoints" → "Amazon Web Services in China"): same forms, another partition.
_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn")
_VPCE_SUFFIXES = (".vpce.amazonaws.com", ".vpce.amazonaws.com.cn")
# Global endpoints of services whose home region is us-east-1.
_GLOBAL_HOME = {"s3": "us-east-1", "sts": "us-east-1", "iam": "us-east-1"}


@dataclass(frozen=True, slots=True)
class HostTarget:
    hostname: str
    service: str  # short service name as in com.amazonaws.<region>.<service>: s3, ecr.api, …
    region: str | None
    bucket: str | None = None
    endpoint_id: str | None = None  # endpoint-specific name: always the interface endpoint
    dualstack: bool = False


def normalise_hostname(text: str) -> str:
    """Accept URLs and path-style S3 addresses: keep only the lower-cased host."""
    raw = text.strip()
    if "://" not in raw:
        raw = "https://" + raw
    host = urlsplit(raw).hostname or ""
    return host.rstrip(".").lower()


def _s3_target(host: str, labels: list[str]) -> HostTarget | None:
    """S3 virtual-hosted, path-style, legacy dash-region and dual-stack forms."""
    for i, label in enumerate(labels):
        rest = labels[i + 1 :]
        bucket = ".".join(labels[:i]) or None
        if label == "s3":
            if rest and rest[0] == "dualstack" and len(rest) >= 2 and REGION_RE.match(rest[1]):
                return HostTarget(host, "s3", rest[1], bucket=bucket, dualstack=True)
            if rest and REGION_RE.match(rest[0]):
                return HostTarget(host, "s3", rest[0], bucket=bucket)
            if not rest or rest == ["external-1"]:
                return HostTarget(host, "s3", "us-east-1", bucket=bucket)
        if label.startswith("s3-") and REGION_RE.match(label[3:]):
            return HostTarget(host, "s3", label[3:], bucket=bucket)
        if label == "s3-external-1":
            return HostTarget(host, "s3", "us-east-1", bucket=bucket)
    return None


def _path_bucket(text: str) -> str | None:
    """The bucket of a path-style S3 address (``s3.<region>.amazonaws.com/<bucket>/<key>``)."""
    raw = text.strip() if "://" in text else "https://" + text.strip()
    first = urlsplit(raw).path.lstrip("/").split("/", 1)[0]
    return first or None


def parse_hostname(text: str) -> HostTarget | None:
    """The service and region a hostname names, or None when it is not an AWS endpoint."""
    host = normalise_hostname(text)
    target = _parse_host(host)
    if target is not None and target.service == "s3" and target.bucket is None:
        bucket = _path_bucket(text)
        if bucket is not None:
            return HostTarget(
                host,
                "s3",
                target.region,
                bucket=bucket,
                endpoint_id=target.endpoint_id,
                dualstack=target.dualstack,
            )
    return target


def hostname_suffix(region: str) -> str:
    """The domain of a region's service endpoints."""
    return "amazonaws.com.cn" if partition_of(region) == "aws-cn" else "amazonaws.com"


def _parse_host(host: str) -> HostTarget | None:
    vpce = next((s for s in _VPCE_SUFFIXES if host.endswith(s)), None)
    if vpce is not None:
        return _parse_endpoint_specific(host, vpce)
    suffix = next((s for s in _SUFFIXES if host.endswith(s)), None)
    if suffix is None:
        return None
    labels = host[: -len(suffix)].split(".")
    s3 = _s3_target(host, labels)
    if s3 is not None and (s3.region != "us-east-1" or suffix == _SUFFIXES[0]):
        # The global forms (s3.amazonaws.com, bucket.s3.amazonaws.com) exist in the
        # commercial partition only; China's endpoints always name their region.
        return s3
    if s3 is not None:
        return None
    # <account>.dkr.ecr.<region>  and  api.ecr.<region> / ecr.<region>
    if len(labels) >= 4 and labels[-3:-1] == ["dkr", "ecr"]:
        return HostTarget(host, "ecr.dkr", labels[-1])
    if labels[-2:-1] == ["ecr"] and REGION_RE.match(labels[-1]):
        return HostTarget(host, "ecr.api", labels[-1])
    if len(labels) >= 2 and REGION_RE.match(labels[-1]):
        service = ".".join(labels[:-1])
        if service == "streams.dynamodb":
            # DynamoDB Streams has its own endpoint that the gateway endpoint does not serve.
            return HostTarget(host, "streams.dynamodb", labels[-1])
        return HostTarget(host, service, labels[-1])
    if len(labels) == 1 and labels[0] in _GLOBAL_HOME and suffix == _SUFFIXES[0]:
        return HostTarget(host, labels[0], _GLOBAL_HOME[labels[0]])
    return None


def _parse_endpoint_specific(host: str, suffix: str) -> HostTarget | None:
    """``vpce-0abc-x1y2.s3.us-east-1.vpce.amazonaws.com`` (and ``bucket.vpce-…``, ``*.dkr.…``)."""
    labels = host[: -len(suffix)].split(".")
    if len(labels) < 3 or not REGION_RE.match(labels[-1]):
        return None
    for i, label in enumerate(labels):
        if label.startswith("vpce-"):
            endpoint_id = "-".join(label.split("-")[:2])
            service = ".".join(labels[i + 1 : -1])
            bucket = ".".join(labels[:i]) or None
            # ECR's endpoint-specific names put the labels the other way round.
            service = {"api.ecr": "ecr.api", "dkr.ecr": "ecr.dkr"}.get(service, service)
            return HostTarget(
                host,
                service,
                labels[-1],
                bucket=bucket if service == "s3" else None,
                endpoint_id=endpoint_id,
            )
    return None


def layer_bucket(region: str) -> str:
    """The AWS-owned bucket ECR serves image layers from.

    ECR User Guide, "Amazon ECR interface VPC endpoints (AWS PrivateLink)" → "Create the
    Amazon S3 gateway endpoint": image layers are downloaded from
    ``arn:aws:s3:::prod-<region>-starport-layer-bucket/*``.
    """
    return f"prod-{region}-starport-layer-bucket"
