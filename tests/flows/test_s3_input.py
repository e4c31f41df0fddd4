"""``s3://bucket/prefix`` inputs against a moto server over real HTTP (AWS_ENDPOINT_URL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from vpcpath.cli import main
from vpcpath.errors import AwsAccessDenied
from vpcpath.flows import FlowsRequest, analyze_flows
from vpcpath.flows.synthetic import Truth
from vpcpath.model import Snapshot
from vpcpath.pricing.table import load_prices
from vpcpath.sources.live.calls import all_required_actions
from vpcpath.sources.live.s3_objects import S3Objects
from vpcpath.sources.live.session import AwsSession

BUCKET = "flow-logs-bucket"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(
    moto_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    v2_logs: tuple[Path, Truth],
) -> str:
    """The generated v2 logs uploaded under two layouts: plain and Hive-style prefixes."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    s3 = boto3.client("s3")
    try:
        s3.create_bucket(Bucket=BUCKET)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        return BUCKET
    folder = v2_logs[0]
    for path in sorted(folder.rglob("*.log.gz")):
        key = path.relative_to(folder).as_posix()
        s3.upload_file(str(path), BUCKET, f"plain/{key}")
        account, region = path.parts[-7], path.parts[-5]
        hive = (
            f"hive/AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/"
            f"aws-region={region}/year=2026/month=11/day=01/{path.name}"
        )
        s3.upload_file(str(path), BUCKET, hive)
    s3.put_object(Bucket=BUCKET, Key="plain/README.md", Body=b"not a flow log")
    return BUCKET


def test_s3_prefix_matches_the_local_files(
    bucket: str, sample: Snapshot, v2_logs: tuple[Path, Truth]
) -> None:
    folder, truth = v2_logs
    # Small batches: several downloads, each fetched while the one before is scanned.
    request = FlowsRequest(inputs=(f"s3://{bucket}/plain/AWSLogs/",), s3_batch_bytes=60_000)
    remote = analyze_flows(sample, request, prices=load_prices())
    local = analyze_flows(sample, FlowsRequest(inputs=(str(folder),)), prices=load_prices())
    assert remote.nat_traffic == local.nat_traffic
    assert remote.nat_bytes == truth.nat_bytes
    assert remote.input.files == local.input.files
    assert remote.input.records == truth.records
    assert all(e.file.startswith(f"s3://{bucket}/plain/") for e in remote.input.malformed_examples)


def test_s3_hive_prefix_with_a_window(
    bucket: str, capsys: pytest.CaptureFixture[str], v2_logs: tuple[Path, Truth]
) -> None:
    inside = main(["flows", "--sample", f"s3://{bucket}/hive/", "--json", "--start", "2026-11-01"])
    doc = json.loads(capsys.readouterr().out)
    assert inside == 0
    assert doc["totals"]["nat_bytes"] == v2_logs[1].nat_bytes
    outside = main(["flows", "--sample", f"s3://{bucket}/hive/", "--end", "2026-10-31"])
    err = capsys.readouterr().err
    assert outside == 3
    assert "no flow-log files to read in the --start/--end window" in err


def test_s3_missing_bucket_is_an_input_error(
    bucket: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["flows", "--sample", "s3://no-such-bucket/logs/"])
    assert code == 3
    assert "s3://no-such-bucket/logs/: cannot list objects" in capsys.readouterr().err


class _DenyOne(S3Objects):
    """S3 through the factory, except that the download of one key is refused, as an object
    ACL would refuse it."""

    def __init__(self, key_suffix: str) -> None:
        super().__init__(AwsSession.from_profile(None))
        self._suffix = key_suffix

    def download(self, bucket: str, key: str, target: Path) -> None:
        if key.endswith(self._suffix):
            raise AwsAccessDenied(f"s3://{bucket}/{key}: s3:GetObject was refused (AccessDenied)")
        super().download(bucket, key, target)


def test_an_object_that_cannot_be_read_makes_the_result_partial(
    bucket: str, sample: Snapshot, v2_logs: tuple[Path, Truth]
) -> None:
    denied = sorted(v2_logs[0].rglob("*.log.gz"))[0].name
    result = analyze_flows(
        sample,
        FlowsRequest(inputs=(f"s3://{bucket}/plain/AWSLogs/",)),
        prices=load_prices(),
        s3=_DenyOne(denied),
    )
    assert result.partial
    (error,) = result.input.errors
    assert error.file.endswith(denied) and error.file.startswith(f"s3://{bucket}/plain/")
    assert error.message == (
        f"cannot download: {error.file}: s3:GetObject was refused (AccessDenied)"
    )
    assert 0 < result.nat_bytes < v2_logs[1].nat_bytes


def test_s3_inputs_use_exactly_the_actions_required_permissions_lists(
    bucket: str, sample: Snapshot
) -> None:
    session = AwsSession.from_profile(None)
    request = FlowsRequest(inputs=(f"s3://{bucket}/plain/AWSLogs/",))
    analyze_flows(sample, request, prices=load_prices(), s3=S3Objects(session))
    assert session.guard.used_actions == frozenset({"s3:ListBucket", "s3:GetObject"})
    assert session.guard.used_actions <= all_required_actions()
