"""The EC2 calls ``apply`` makes, on a client from the apply session, as plain values.

The only code that knows the wire names of these calls. Reads return parsed model records;
writes return the ids AWS answered with. A ``DryRun`` request that AWS accepts answers with
the error ``DryRunOperation`` ("Checks whether you have the required permissions for the
action, without actually making the request… If you have the required permissions, the error
response is DryRunOperation. Otherwise, it is UnauthorizedOperation", Amazon EC2 API
Reference, "CreateVpcEndpoint" → DryRun); that answer is a value here, not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from vpcpath.errors import ApplyError
from vpcpath.model import RouteTable, VpcEndpoint
from vpcpath.sources.live.aws_errors import error_code, translate_aws_error
from vpcpath.sources.wire import parse_route_table, parse_vpc_endpoint


class Ec2CallError(ApplyError):
    """EC2 refused or failed a call apply made; ``code`` is AWS's error code."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True, kw_only=True)
class DryRunAnswer:
    would_succeed: bool
    detail: str


def caller_account(sts: Any) -> str:
    """The account the apply session's credentials belong to (sts:GetCallerIdentity)."""
    try:
        return str(sts.get_caller_identity()["Account"])
    except (ClientError, BotoCoreError) as exc:
        raise translate_aws_error(exc, action="sts GetCallerIdentity", where="") from exc


class Ec2Writes:
    """Wraps one region's EC2 client (``client`` comes from the apply session)."""

    def __init__(self, client: Any, *, region: str, account_id: str) -> None:
        self._client = client
        self.region = region
        self.account_id = account_id

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One call; AWS's refusal becomes an Ec2CallError that ``apply`` records and stops on."""
        try:
            answer: dict[str, Any] = getattr(self._client, operation)(**params)
        except (ClientError, BotoCoreError) as exc:
            translated = translate_aws_error(exc, action=f"ec2 {operation}", where=self.region)
            code = error_code(exc) if isinstance(exc, ClientError) else ""
            raise Ec2CallError(str(translated), code=code) from exc
        return answer

    def route_tables(self, table_ids: Sequence[str]) -> dict[str, RouteTable]:
        answer = self._call("describe_route_tables", RouteTableIds=list(table_ids))
        tables = (
            parse_route_table(raw, self.account_id, self.region, "DescribeRouteTables")
            for raw in answer.get("RouteTables", [])
        )
        return {t.id: t for t in tables}

    def gateway_endpoints(self, vpc_id: str) -> list[VpcEndpoint]:
        """The VPC's gateway endpoints that are not deleted."""
        answer = self._call(
            "describe_vpc_endpoints", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]
        )
        out = []
        for raw in answer.get("VpcEndpoints", []):
            endpoint = parse_vpc_endpoint(raw, self.account_id, self.region, "DescribeVpcEndpoints")
            if endpoint.endpoint_type != "Gateway" or endpoint.state.lower() in (
                "deleted",
                "deleting",
                "failed",
            ):
                continue
            out.append(endpoint)
        return out

    def endpoint(self, endpoint_id: str) -> VpcEndpoint:
        answer = self._call("describe_vpc_endpoints", VpcEndpointIds=[endpoint_id])
        found = answer.get("VpcEndpoints", [])
        if not found:
            raise Ec2CallError(f"{self.region}: {endpoint_id} not found", code="NotFound")
        return parse_vpc_endpoint(found[0], self.account_id, self.region, "DescribeVpcEndpoints")

    def create_gateway_endpoint(
        self,
        *,
        vpc_id: str,
        service_name: str,
        route_table_ids: Sequence[str],
        policy: str | None,
        client_token: str,
        dry_run: bool,
    ) -> str | DryRunAnswer:
        params: dict[str, Any] = {
            "VpcEndpointType": "Gateway",
            "VpcId": vpc_id,
            "ServiceName": service_name,
            "RouteTableIds": list(route_table_ids),
            # Idempotency: a retried request with the same token does not create a second
            # endpoint (EC2 API Reference, "Ensuring idempotency in Amazon EC2 API requests").
            "ClientToken": client_token,
        }
        if policy is not None:
            params["PolicyDocument"] = policy
        answer = self._write("create_vpc_endpoint", dry_run, params)
        if isinstance(answer, DryRunAnswer):
            return answer
        return str(answer["VpcEndpoint"]["VpcEndpointId"])

    def add_route_tables(
        self, endpoint_id: str, table_ids: Sequence[str], *, dry_run: bool
    ) -> DryRunAnswer | None:
        params = {"VpcEndpointId": endpoint_id, "AddRouteTableIds": list(table_ids)}
        answer = self._write("modify_vpc_endpoint", dry_run, params)
        return answer if isinstance(answer, DryRunAnswer) else None

    def set_policy(self, endpoint_id: str, policy: str, *, dry_run: bool) -> DryRunAnswer | None:
        params = {"VpcEndpointId": endpoint_id, "PolicyDocument": policy}
        answer = self._write("modify_vpc_endpoint", dry_run, params)
        return answer if isinstance(answer, DryRunAnswer) else None

    def _write(
        self, operation: str, dry_run: bool, params: dict[str, Any]
    ) -> dict[str, Any] | DryRunAnswer:
        if not dry_run:
            return self._call(operation, **params)
        try:
            self._call(operation, DryRun=True, **params)
        except Ec2CallError as exc:
            if exc.code == "DryRunOperation":
                return DryRunAnswer(would_succeed=True, detail="EC2 says the call would succeed")
            if exc.code in ("UnauthorizedOperation", "AccessDenied", "AccessDeniedException"):
                return DryRunAnswer(would_succeed=False, detail=str(exc))
            raise
        # EC2 made the call although DryRun was set (an emulator that ignores DryRun does):
        # never pretend it was a dry run.
        raise ApplyError(
            f"{self.region}: ec2 {operation} was sent with DryRun=True but EC2 carried it out; "
            "check the account for the change and do not rely on this endpoint's dry runs"
        )
