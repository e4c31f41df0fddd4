"""Which accounts and regions are read: roles, --accounts, --organization, enabled regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live.conftest import Organization
from tests.live.estate import ACCOUNT, EstateBuilder
from tests.live.fault_proxy import Fault, FaultProxy, FaultRule
from tests.live.helpers import manifest, verdicts
from vpcpath.cli import main
from vpcpath.errors import UsageError
from vpcpath.sources.folder import load_snapshot
from vpcpath.sources.live.organizations import check_account_flags
from vpcpath.sources.live.session import RetrySettings, resolve_retry_settings

ROLE = "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"


def snapshot(out: Path, *args: str) -> int:
    return main(["snapshot", "--out", str(out), "--quiet", *args])


@pytest.mark.parametrize(
    ("role_arn", "accounts", "organization", "message"),
    [
        (None, ["111122223333"], False, "add --role-arn"),
        (None, [], True, "add --role-arn"),
        (ROLE, [], False, "needs --accounts or --organization"),
        ("arn:aws:iam::111122223333:role/R", ["444455556666"], False, "put {account}"),
        ("arn:aws:iam::111122223333:user/R", [], False, "is not a role ARN"),
        (ROLE, ["1234"], False, "'1234' is not a 12-digit account id"),
        (ROLE, ["111122223333"], True, "not both"),
    ],
)
def test_account_flags_that_cannot_work(
    role_arn: str | None, accounts: list[str], organization: bool, message: str
) -> None:
    with pytest.raises(UsageError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_account_flags(role_arn=role_arn, accounts=accounts, organization=organization)


def test_bad_flags_exit_2_before_any_request(
    via_proxy: FaultProxy, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snapshot(tmp_path / "a", "--role-arn", ROLE) == 2
    assert "needs --accounts or --organization" in capsys.readouterr().err
    assert snapshot(tmp_path / "b", "--regions", "useast1") == 2
    assert "'useast1' is not a region name" in capsys.readouterr().err
    assert via_proxy.requests == 0
    assert list(tmp_path.iterdir()) == []


def test_retry_settings_follow_the_aws_configuration() -> None:
    assert resolve_retry_settings({}, {}) == RetrySettings(mode="standard", max_attempts=10)
    assert resolve_retry_settings({"retry_mode": "adaptive", "max_attempts": "4"}, {}) == (
        RetrySettings(mode="adaptive", max_attempts=4)
    )
    # The environment wins over the profile, as in the SDKs; legacy becomes standard.
    assert resolve_retry_settings(
        {"retry_mode": "adaptive", "max_attempts": "4"},
        {"AWS_RETRY_MODE": "legacy", "AWS_MAX_ATTEMPTS": "7"},
    ) == RetrySettings(mode="standard", max_attempts=7)
    assert resolve_retry_settings({}, {"AWS_MAX_ATTEMPTS": "many"}).max_attempts == 10


def test_a_missing_profile_is_an_aws_error(
    aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert snapshot(tmp_path / "snap", "--profile", "nope", "--regions", "us-east-1") == 5
    assert "The config profile (nope) could not be found" in capsys.readouterr().err


def test_organization_reads_every_account(
    organization: Organization, aws_env: str, tmp_path: Path
) -> None:
    out = tmp_path / "org"
    code = snapshot(out, "--organization", "--role-arn", ROLE, "--regions", "us-east-1")
    assert code == 0
    doc = manifest(out)
    assert {(a["id"], a["name"], a["role_arn"]) for a in doc["accounts"]} == {
        (ACCOUNT, "master", None),  # the caller's own account: its own credentials
        (organization.network, "network", ROLE.replace("{account}", organization.network)),
        (organization.sandbox, "sandbox", ROLE.replace("{account}", organization.sandbox)),
    }
    loaded = load_snapshot(out)
    subnet = organization.network_estate.ids["network-a"]
    assert loaded.subnets[subnet].account_id == organization.network
    assert verdicts(loaded, subnet, "s3") == ["internet-gateway"]
    assert loaded.vpcs[organization.network_estate.ids["network"]].account_id == (
        organization.network
    )


def test_accounts_list_through_a_role(
    organization: Organization, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    out = tmp_path / "two"
    accounts = f"{organization.network},{organization.sandbox}"
    code = snapshot(out, "--accounts", accounts, "--role-arn", ROLE, "--regions", "us-east-1")
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [organization.network, organization.sandbox, "manifest.json"]
    )
    assert via_proxy.received["AssumeRole"] == 2
    assert via_proxy.received["ListAccounts"] == 0


def test_one_role_without_placeholder(
    organization: Organization, aws_env: str, tmp_path: Path
) -> None:
    role = ROLE.replace("{account}", organization.network)
    assert snapshot(tmp_path / "one", "--role-arn", role, "--regions", "us-east-1") == 0
    assert [a["id"] for a in manifest(tmp_path / "one")["accounts"]] == [organization.network]


def test_a_region_not_enabled_is_skipped_and_a_misspelt_one_refused(
    estate: EstateBuilder, aws_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "snap"
    assert snapshot(out, "--regions", "us-east-1,ap-east-1") == 4  # moto: not opted in
    assert sorted(p.name for p in (out / ACCOUNT).iterdir()) == ["us-east-1"]
    [skip] = manifest(out)["skipped"]
    assert skip == {
        "scope": "region",
        "account": ACCOUNT,
        "region": "ap-east-1",
        "action": "ec2:DescribeRegions",
        "error": "RegionNotEnabled",
        "reason": "not-opted-in",
        "missing": "the whole region (an opt-in region not enabled in this account)",
    }
    capsys.readouterr()
    assert snapshot(tmp_path / "bad", "--regions", "us-east-1,xx-nowhere-9") == 2
    assert "xx-nowhere-9 is not a region of this partition" in capsys.readouterr().err


def _regions_answer(*regions: tuple[str, str]) -> tuple[str, bytes]:
    items = "".join(
        f"<item><regionName>{name}</regionName><regionEndpoint>ec2.{name}.amazonaws.com"
        f"</regionEndpoint><optInStatus>{status}</optInStatus></item>"
        for name, status in regions
    )
    body = (
        '<DescribeRegionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
        f"<requestId>canned</requestId><regionInfo>{items}</regionInfo></DescribeRegionsResponse>"
    )
    return "text/xml", body.encode()


def test_default_regions_are_the_enabled_ones(
    estate: EstateBuilder, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    # moto knows every region; an account with two default and one opt-in region enabled:
    via_proxy.answers["DescribeRegions"] = _regions_answer(
        ("eu-west-1", "opt-in-not-required"),
        ("ap-east-1", "not-opted-in"),
        ("us-east-1", "opt-in-not-required"),
        ("af-south-1", "opted-in"),
    )
    out = tmp_path / "snap"
    assert snapshot(out) == 0
    assert manifest(out)["regions"] == ["af-south-1", "eu-west-1", "us-east-1"]
    assert sorted(p.name for p in (out / ACCOUNT).iterdir()) == [
        "af-south-1",
        "eu-west-1",
        "us-east-1",
    ]


def test_regions_cannot_be_listed(
    estate: EstateBuilder, via_proxy: FaultProxy, tmp_path: Path
) -> None:
    via_proxy.rules = [FaultRule(fault=Fault.DENIED, operation="DescribeRegions")]
    # Without --regions the account cannot be read: a recorded account skip, nothing written.
    assert snapshot(tmp_path / "none") == 4
    [skip] = manifest(tmp_path / "none")["skipped"]
    assert (skip["scope"], skip["action"]) == ("account", "ec2:DescribeRegions")
    assert sorted(p.name for p in (tmp_path / "none").iterdir()) == ["manifest.json"]
    # With --regions the list is not needed: no gap, nothing skipped.
    assert snapshot(tmp_path / "given", "--regions", "eu-west-1") == 0
    assert manifest(tmp_path / "given")["regions"] == ["eu-west-1"]


def test_organization_accounts_cannot_be_listed(
    estate: EstateBuilder,
    via_proxy: FaultProxy,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    via_proxy.rules = [FaultRule(fault=Fault.DENIED, operation="ListAccounts")]
    code = snapshot(tmp_path / "org", "--organization", "--role-arn", ROLE)
    assert code == 5
    err = capsys.readouterr().err
    assert "cannot list the organization's accounts (organizations:ListAccounts: " in err
    assert "AccessDeniedException" in err
    assert list(tmp_path.iterdir()) == []
