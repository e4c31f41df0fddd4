"""Reaching one account: assuming its role, and which of its regions are enabled."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vpcpath.errors import AwsError
from vpcpath.sources.live import calls
from vpcpath.sources.live.fetch import Gone, fetch
from vpcpath.sources.live.session import ROLE_SESSION_NAME, AwsSession

# DescribeRegions' OptInStatus values of regions the account can use.
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Region.html
ENABLED_OPT_IN = frozenset({"opt-in-not-required", "opted-in"})


def assume_role(
    base: AwsSession, role_arn: str, *, external_id: str | None, account: str
) -> AwsSession:
    """A session with the role's temporary credentials; raises ``Denied`` when refused."""
    params: dict[str, Any] = {"RoleArn": role_arn, "RoleSessionName": ROLE_SESSION_NAME}
    if external_id:
        params["ExternalId"] = external_id
    sts = base.client("sts", base.home_region)
    try:
        answer = fetch(sts, calls.ASSUME_ROLE_CALL, params, where=account)
    except Gone as exc:
        raise AwsError(str(exc)) from exc
    creds = answer.body["Credentials"]
    expiration = creds.get("Expiration")
    return base.with_credentials(
        access_key=str(creds["AccessKeyId"]),
        secret_key=str(creds["SecretAccessKey"]),
        token=str(creds["SessionToken"]),
        expires_at=expiration if isinstance(expiration, datetime) else None,
    )


def region_opt_in_status(session: AwsSession, account: str) -> dict[str, str]:
    """Every region of the partition with its ``OptInStatus``; raises ``Denied`` when refused.

    ``AllRegions`` lists the opt-in regions too, so a region that is asked for but not enabled
    can be told apart from a misspelt one.
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
    """
    client = session.client("ec2", session.home_region)
    try:
        answer = fetch(client, calls.REGIONS_CALL, {"AllRegions": True}, where=account)
    except Gone as exc:
        raise AwsError(str(exc)) from exc
    return {
        str(r["RegionName"]): str(r.get("OptInStatus", "opt-in-not-required"))
        for r in answer.body.get("Regions", [])
    }


def enabled_regions(status: dict[str, str]) -> tuple[str, ...]:
    return tuple(sorted(r for r, s in status.items() if s in ENABLED_OPT_IN))
