"""A moto server of its own for apply (apply writes, so it never shares the live tests' estate),
a small estate in it, and the SDK environment of a user whose AWS is that server."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.ec2.models.vpcs import VPCBackend
from moto.server import ThreadedMotoServer

from tests.live.conftest import use_moto
from tests.live.estate import KEYS, EstateBuilder
from tests.live.fault_proxy import FaultProxy

REGION = "us-east-1"


def _add_endpoint_routes_like_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto 5.2.5 records ModifyVpcEndpoint's AddRouteTableIds on the endpoint but adds no
    route; AWS adds the prefix-list route to each table ("Gateway endpoints" → "Routing"), as
    moto itself does on CreateVpcEndpoint. The server runs in this process: give it AWS's
    behaviour for the tests' sake (tests/live/README.md lists the quirk)."""
    original = VPCBackend.modify_vpc_endpoint

    def modify_vpc_endpoint(self: Any, vpc_id: str, *args: Any, **kwargs: Any) -> None:
        endpoint = self.describe_vpc_endpoints(vpc_end_point_ids=[vpc_id])[0]
        before = set(endpoint.route_table_ids or [])
        original(self, vpc_id, *args, **kwargs)
        prefix_list = endpoint.destination_prefix_list_id
        for table_id in endpoint.route_table_ids or []:
            if prefix_list and table_id not in before:
                self.create_route(
                    table_id, None, gateway_id=vpc_id, destination_prefix_list_id=prefix_list
                )

    monkeypatch.setattr(VPCBackend, "modify_vpc_endpoint", modify_vpc_endpoint)


@pytest.fixture
def apply_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh server per test: each test applies to an estate nobody else touched."""
    _add_endpoint_routes_like_aws(monkeypatch)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def build_apply_estate(url: str, *, account: str, credentials: dict[str, str]) -> EstateBuilder:
    """One VPC: the S3 endpoint on app-a's table only (associate app-b's), no DynamoDB
    endpoint (create one), both private tables through a NAT gateway."""
    b = EstateBuilder(url, account=account, credentials=credentials)
    b.vpc(REGION, "app", "10.1.0.0/16")
    b.subnet(REGION, "public-a", "app", "10.1.0.0/24", "us-east-1a")
    b.subnet(REGION, "app-a", "app", "10.1.16.0/20", "us-east-1a")
    b.subnet(REGION, "app-b", "app", "10.1.32.0/20", "us-east-1a")
    b.internet_gateway(REGION, "igw", "app")
    b.route_table(REGION, "public", "app", ["public-a"])
    b.route(REGION, "public", "0.0.0.0/0", "igw")
    b.nat_gateway(REGION, "nat-a", "public-a")
    b.route_table(REGION, "private-a", "app", ["app-a"])
    b.route(REGION, "private-a", "0.0.0.0/0", "nat-a")
    b.route_table(REGION, "private-b", "app", ["app-b"])
    b.route(REGION, "private-b", "0.0.0.0/0", "nat-a")
    b.gateway_endpoint(REGION, "s3", "app", "s3", ["private-a"])
    b.instance(REGION, "app-a-node", "app-a")
    b.instance(REGION, "app-b-node", "app-b")
    b.aws_prefix_list(REGION, "dynamodb")
    return b


_ACCOUNTS = itertools.count(700000000001)


@pytest.fixture
def apply_estate(
    apply_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> EstateBuilder:
    """The estate in an account of this test's own: moto keeps its state per process and per
    account (an assumed role's resources live in the role's account), so what apply writes here
    is seen by no other test, and the shared estate of tests/live stays as it was."""
    use_moto(monkeypatch, apply_server, tmp_path)
    account = str(next(_ACCOUNTS))
    sts = boto3.client("sts", region_name=REGION, endpoint_url=apply_server, **KEYS)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/ApplyTest", RoleSessionName="apply-test"
    )["Credentials"]
    keys = {
        "aws_access_key_id": creds["AccessKeyId"],
        "aws_secret_access_key": creds["SecretAccessKey"],
        "aws_session_token": creds["SessionToken"],
    }
    for name, value in keys.items():
        monkeypatch.setenv(name.upper(), value)
    return build_apply_estate(apply_server, account=account, credentials=keys)


@pytest.fixture
def apply_proxy(
    apply_estate: EstateBuilder, apply_server: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FaultProxy]:
    proxy = FaultProxy(apply_server).start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    yield proxy
    proxy.stop()
