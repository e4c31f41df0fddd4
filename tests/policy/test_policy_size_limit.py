"""AWS's 20,480-character limit on endpoint policies: a larger candidate is reported (and
`policy check` exits 1); `policy suggest` never writes one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.contracts import assert_contract
from vpcpath.cli import main
from vpcpath.errors import UsageError
from vpcpath.policy import check_endpoint_policy, suggest_endpoint_policy
from vpcpath.policy.limits import ENDPOINT_POLICY_MAX_CHARACTERS, policy_characters

ACCOUNT = "111122223333"


def _padded_default_policy(characters: int) -> str:
    """The default full-access policy, padded with white space to exactly ``characters``."""
    text = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
        }
    )
    return text[:-1] + " " * (characters - len(text)) + "}"


def _check(text: str) -> int:
    return (
        check_endpoint_policy(
            text, service_name="com.amazonaws.us-east-1.s3", region="us-east-1", account_id=ACCOUNT
        ).characters
        or 0
    )


def test_limit_counts_white_space_and_is_exclusive_above() -> None:
    at_limit = _padded_default_policy(ENDPOINT_POLICY_MAX_CHARACTERS)
    over = _padded_default_policy(ENDPOINT_POLICY_MAX_CHARACTERS + 1)
    fits = check_endpoint_policy(
        at_limit, service_name="com.amazonaws.us-east-1.s3", region="us-east-1", account_id=ACCOUNT
    )
    too_big = check_endpoint_policy(
        over, service_name="com.amazonaws.us-east-1.s3", region="us-east-1", account_id=ACCOUNT
    )
    assert (fits.characters, fits.size_problem) == (20_480, None)
    assert too_big.characters == 20_481
    assert too_big.size_problem == (
        "the policy is 20,481 characters, over AWS's limit of 20,480 for an endpoint policy "
        "(white space included): AWS refuses it"
    )
    assert too_big.breaks == ()  # what it allows is fine; only its size is refused


def test_check_reports_an_oversized_policy_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "big.json"
    policy.write_text(_padded_default_policy(25_000))
    argv = ["policy", "check", "--policy", str(policy), "--region", "us-east-1"]
    assert main([*argv, "--account", ACCOUNT, "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "policy-1")
    (endpoint,) = doc["endpoints"]
    assert endpoint["characters"] == 25_000
    assert endpoint["size_problem"].startswith("the policy is 25,000 characters, over AWS's limit")
    assert main([*argv, "--account", ACCOUNT]) == 1
    assert "the policy is 25,000 characters" in capsys.readouterr().out


def test_suggest_refuses_to_write_a_policy_over_the_limit() -> None:
    buckets = [f"customer-data-bucket-{i:04d}" for i in range(300)]
    with pytest.raises(UsageError) as info:
        suggest_endpoint_policy(region="us-east-1", account_id=ACCOUNT, allow_buckets=buckets)
    assert str(info.value).startswith("the policy is ")
    assert str(info.value).endswith(
        "over AWS's limit of 20,480 for an endpoint policy (white space included): AWS refuses "
        "it; allow fewer buckets (300 given) or name them with a wildcard (arn:aws:s3:::prefix-*)"
    )


def test_suggest_with_a_few_buckets_fits_as_printed(capsys: pytest.CaptureFixture[str]) -> None:
    buckets = [f"customer-data-bucket-{i:04d}" for i in range(20)]
    argv = ["policy", "suggest", "--region", "us-east-1", "--account", ACCOUNT]
    for bucket in buckets:
        argv += ["--allow-bucket", bucket]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert len(printed.rstrip("\n")) <= ENDPOINT_POLICY_MAX_CHARACTERS
    assert policy_characters(json.loads(printed)) == len(printed.rstrip("\n"))
    assert _check(printed) == len(printed)
