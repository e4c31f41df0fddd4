"""A moto server on a loopback port, the estate built in it, and a fault-injecting proxy.

The server is session-scoped and private to this folder's tests; the estate is built once.
Each test points the AWS SDK at the server (or the proxy) through the environment only —
``AWS_ENDPOINT_URL``, fake keys, a missing config file — exactly as a user's shell would.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.retries.standard import ExponentialBackoff
from moto.server import ThreadedMotoServer

from tests.live.estate import ACCOUNT, KEYS, EstateBuilder, build_main_estate
from tests.live.fault_proxy import FaultProxy


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def estate(moto_url: str) -> EstateBuilder:
    return build_main_estate(moto_url)


@pytest.fixture(scope="session")
def handwritten(estate: EstateBuilder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return estate.write_handwritten(tmp_path_factory.mktemp("handwritten"))


def use_moto(monkeypatch: pytest.MonkeyPatch, moto_url: str, home: Path) -> None:
    """The SDK environment of a user whose AWS is the moto server; no real config is read."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "no-aws-credentials"))


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, moto_url: str) -> str:
    use_moto(monkeypatch, moto_url, tmp_path)
    return moto_url


@pytest.fixture(scope="session")
def clean_snapshot(
    estate: EstateBuilder, moto_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """`vpcpath snapshot` of the estate in both regions, fault-free, straight from moto."""
    from vpcpath.cli import main

    out = tmp_path_factory.mktemp("clean") / "snap"
    with pytest.MonkeyPatch.context() as monkeypatch:
        use_moto(monkeypatch, moto_url, out.parent)
        code = main(["snapshot", "--out", str(out), "--regions", "us-east-1,eu-west-1", "--quiet"])
    assert code == 0
    return out


@pytest.fixture
def proxy(moto_url: str) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(moto_url).start()
    yield fault_proxy
    fault_proxy.stop()


@pytest.fixture
def via_proxy(aws_env: str, proxy: FaultProxy, monkeypatch: pytest.MonkeyPatch) -> FaultProxy:
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    return proxy


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scale botocore's retry sleeps down 100x (1 s → 10 ms for throttling); the retry logic,
    quota and attempt counting stay botocore's own."""
    monkeypatch.setattr(
        ExponentialBackoff,
        "_DEFAULT_BACKOFF_CONFIG",
        {"throttling_base_scale": 0.01, "non_throttling_base_scale": 0.0005},
    )


@dataclass(frozen=True)
class Organization:
    management: str
    network: str  # a member account with a small estate
    sandbox: str  # a member account with only moto's default VPC
    network_estate: EstateBuilder
    role_template: str = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"


@pytest.fixture(scope="session")
def organization(moto_url: str, estate: EstateBuilder) -> Organization:
    """An organization in the estate's account with two members; moto maps credentials from
    AssumeRole to the role's account, so a member's resources live in that account."""
    org = boto3.client("organizations", region_name="us-east-1", endpoint_url=moto_url, **KEYS)
    org.create_organization(FeatureSet="ALL")
    accounts = [
        org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"][
            "AccountId"
        ]
        for name in ("network", "sandbox")
    ]
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=moto_url, **KEYS)
    role = Organization.role_template.replace("{account}", accounts[0])
    creds = sts.assume_role(RoleArn=role, RoleSessionName="estate-builder")["Credentials"]
    member = EstateBuilder(
        moto_url,
        account=accounts[0],
        credentials={
            "aws_access_key_id": creds["AccessKeyId"],
            "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"],
        },
    )
    member.vpc("us-east-1", "network", "10.50.0.0/16")
    member.subnet("us-east-1", "network-a", "network", "10.50.0.0/24", "us-east-1a")
    member.internet_gateway("us-east-1", "network-igw", "network")
    member.route_table("us-east-1", "network-public", "network", ["network-a"])
    member.route("us-east-1", "network-public", "0.0.0.0/0", "network-igw")
    return Organization(
        management=ACCOUNT, network=accounts[0], sandbox=accounts[1], network_estate=member
    )
