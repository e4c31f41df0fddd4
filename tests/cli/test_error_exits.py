"""Every error ends as one line on stderr and its documented exit code — never a traceback, never 1.

Two kinds of injection. Each class of the exception tree is raised from inside a command and
must map through the CLI's one table (README "Exit codes": 2 usage, 3 bad input, 5 AWS).
Each lower-layer error botocore or the network can raise is raised where it really enters —
inside the AWS call of a real command — and must come out translated, with exit 5 (or 3 for an
S3 bucket that does not exist, which is bad input).
"""

from __future__ import annotations

import argparse
import inspect
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import pytest
from botocore.client import BaseClient
from botocore.exceptions import (
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ReadTimeoutError,
    SSLError,
)

from vpcpath import errors
from vpcpath.cli import EXIT_CODES, main
from vpcpath.errors import NetworkError, VpcpathError
from vpcpath.sources.live.public_files import download_public_file

TREE = sorted(
    (
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, VpcpathError) and cls.__module__ == errors.__name__
    ),
    key=lambda cls: cls.__name__,
)


def expected_exit(cls: type[VpcpathError]) -> int:
    if issubclass(cls, errors.UsageError):
        return 2
    if issubclass(cls, errors.AwsError | errors.ApplyError):
        return 5
    return 3


@pytest.fixture
def offline_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake keys, a region, no config files: nothing of the machine's own AWS setup is read."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


@pytest.mark.parametrize("cls", TREE, ids=lambda cls: cls.__name__)
def test_each_class_of_the_tree_exits_with_its_code(
    cls: type[VpcpathError], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(args: argparse.Namespace, *_: object) -> NoReturn:
        raise cls(f"injected {cls.__name__}")

    monkeypatch.setattr("vpcpath.cli.explain.cmd_explain", explode)  # registered per main()
    code, err = run(["explain", "--sample", "--from", "subnet-1", "--to", "s3"], capsys)
    assert code == expected_exit(cls)
    assert code != 1
    assert err == f"vpcpath: error: injected {cls.__name__}\n"


def test_the_table_ends_with_the_root_so_every_error_has_a_code() -> None:
    assert EXIT_CODES[-1] == (VpcpathError, 3)
    assert all(code in (2, 3, 5) for _, code in EXIT_CODES)


def _client_error(code: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": f"{code} from AWS"}},
        "AnyOperation",
    )


ENDPOINT = "https://ec2.us-east-1.amazonaws.com/"
# What botocore raises at the moment of a call, and the line vpcpath prints for it.
BOTOCORE_ERRORS: dict[str, tuple[Callable[[], Exception], str]] = {
    "no-credentials": (NoCredentialsError, "Unable to locate credentials (set AWS_PROFILE"),
    "partial-credentials": (
        lambda: PartialCredentialsError(provider="env", cred_var="AWS_SECRET_ACCESS_KEY"),
        "Partial credentials found in env",
    ),
    "no-region": (NoRegionError, "no AWS region configured (set AWS_REGION)"),
    "endpoint": (
        lambda: EndpointConnectionError(endpoint_url=ENDPOINT),
        "cannot reach AWS (Could not connect to the endpoint URL",
    ),
    "connect-timeout": (
        lambda: ConnectTimeoutError(endpoint_url=ENDPOINT),
        "cannot reach AWS (Connect timeout on endpoint URL",
    ),
    "read-timeout": (
        lambda: ReadTimeoutError(endpoint_url=ENDPOINT),
        "cannot reach AWS (Read timeout on endpoint URL",
    ),
    "ssl": (
        lambda: SSLError(endpoint_url=ENDPOINT, error=Exception("bad cert")),
        "cannot reach AWS (SSL validation failed",
    ),
    "expired-token": (
        lambda: _client_error("ExpiredToken"),
        "AWS did not accept the credentials (ExpiredToken: ExpiredToken from AWS)",
    ),
    "throttled": (
        lambda: _client_error("ThrottlingException"),
        "was still throttled after 1 attempts (ThrottlingException)",
    ),
    "server-error": (
        lambda: _client_error("InternalError"),
        "failed: InternalError: InternalError from AWS",
    ),
}


def inject(monkeypatch: pytest.MonkeyPatch, make: Callable[[], Exception]) -> list[str]:
    """Every AWS API call raises ``make()`` where botocore would; returns the calls tried."""
    tried: list[str] = []

    def failing_call(self: BaseClient, operation: str, params: dict[str, Any]) -> NoReturn:
        tried.append(operation)
        raise make()

    monkeypatch.setattr(BaseClient, "_make_api_call", failing_call)
    return tried


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "snapshot": lambda tmp: ["snapshot", "--out", str(tmp / "snap"), "--regions", "us-east-1"],
    "prices-refresh": lambda tmp: ["prices", "refresh"],
    "flows-s3": lambda tmp: ["flows", "--sample", "--offline", "s3://flow-logs/AWSLogs/"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("error", sorted(BOTOCORE_ERRORS))
def test_botocore_errors_are_translated_where_they_enter(
    command: str,
    error: str,
    offline_aws: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # prices refresh writes here
    make, said = BOTOCORE_ERRORS[error]
    tried = inject(monkeypatch, make)
    code, err = run(COMMANDS[command](tmp_path), capsys)
    assert tried, "the command made no AWS call"
    assert code == 5
    assert err.startswith("vpcpath: error: ") and err.count("\n") == 1, err
    assert said in err


def test_a_profile_that_does_not_exist_exits_5(
    offline_aws: None, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, err = run(["prices", "refresh", "--profile", "no-such-profile"], capsys)
    assert code == 5
    assert err == (
        "vpcpath: error: AWS configuration: The config profile (no-such-profile) could not be "
        "found\n"
    )


def test_a_missing_bucket_is_bad_input_and_a_refusal_is_aws(
    offline_aws: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inject(monkeypatch, lambda: _client_error("NoSuchBucket"))
    code, err = run(["flows", "--sample", "--offline", "s3://gone/logs/"], capsys)
    assert code == 3
    assert err.startswith("vpcpath: error: s3://gone/logs/: cannot list objects: ")
    inject(monkeypatch, lambda: _client_error("AccessDenied"))
    code, err = run(["flows", "--sample", "--offline", "s3://theirs/logs/"], capsys)
    assert code == 5
    assert err == (
        "vpcpath: error: s3://theirs/logs/: s3:ListBucket was refused "
        "(AccessDenied: AccessDenied from AWS)\n"
    )


@pytest.mark.parametrize(
    ("raised", "said"),
    [
        (urllib.error.URLError("Name or service not known"), "cannot connect"),
        (TimeoutError("timed out"), "timed out"),
        (ConnectionResetError(104, "Connection reset by peer"), "Connection reset by peer"),
        (
            urllib.error.HTTPError("https://x.test/f", 503, "Service Unavailable", {}, None),  # type: ignore[arg-type]  # no headers object is needed
            "HTTP 503 Service Unavailable",
        ),
    ],
)
def test_network_errors_of_a_download_become_network_error(
    raised: Exception, said: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_urlopen(*_: object, **__: object) -> NoReturn:
        raise raised

    monkeypatch.setattr(urllib.request, "urlopen", failing_urlopen)
    with pytest.raises(NetworkError, match=said) as caught:
        download_public_file("https://x.test/f")
    assert str(caught.value).startswith("https://x.test/f: ")
    assert caught.value.__cause__ is raised
