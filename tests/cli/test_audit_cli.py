"""`vpcpath audit` end to end: golden JSON, every format, --fail-on, --output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.cases import AUDIT_CASES, GOLDEN, SOURCE_DATE_EPOCH
from tests.cli.test_explain_cli import run
from tests.contracts import assert_contract
from vpcpath.cli import main


@pytest.fixture(autouse=True)
def _fixed_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


@pytest.mark.parametrize("name", sorted(AUDIT_CASES))
def test_audit_json_matches_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(AUDIT_CASES[name]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert_contract(doc, "audit-1")
    assert doc == json.loads((GOLDEN / "audit" / f"{name}.json").read_text())


def test_table_headline_and_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--color", "never", "audit", "--sample", "--format", "table", "--details"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "14 findings; not priced (add --flow-logs or --cloudwatch)"
    assert "  fix: aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-0ce063733efb53556" in out
    assert "Prices: AWS public list prices" in out


def test_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--sample", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# vpcpath audit: 14 findings")
    assert "| `s3-endpoint-not-associated` | high | 2 | 1 | — |" in out  # by check
    # The top group's one fix, as a command in a code block.
    assert (
        "```sh\naws ec2 modify-vpc-endpoint --region us-east-1 --vpc-endpoint-id "
        "vpce-0ce063733efb53556 --add-route-table-ids rtb-02852e1ef289c2429 "
        "rtb-0988c87cd1543c839\n```" in out
    )
    # Every finding, with Fix, Money and Path apart; nothing cut for the sample.
    assert "<code>ecr-pulls-via-nat:vpc-0b873741c03378b7d</code>" in out
    assert "**Fix:**\n\n```sh\naws ec2 modify-vpc-endpoint --vpc-endpoint-id" in out
    # The top 10 of 13 groups, then 13 of the 14 findings: the policy finding has no money.
    assert out.count("\n**Money:** ") == 10 + 13
    assert "Cut to fit" not in out
    assert "Prices: AWS public list prices" in out.splitlines()[-1]


def test_html_escapes_tag_values(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["audit", "--sample", "--format", "html", "--output", str(out)]) == 0
    html = out.read_text()
    assert "<script>alert(1)</script>" not in html
    assert html.count("<script") == 2  # the data block and the report's own script
    assert html.count("</script>") == 2
    # The tag value is in the data, escaped for a <script> block, and decodes back to itself.
    start = html.index('<script type="application/json" id="audit-data">') + 48
    data = json.loads(html[start : html.index("</script>", start)])
    assert ["Owner", "<script>alert(1)</script>"] in [
        tag for subnet in data["subnets"].values() for w in subnet[2] for tag in w[1]
    ]
    assert '"\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"' in html
    assert "http://" not in html  # no network


def test_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", "--sample", "--format", "json", "--fail-on", "high"]) == 1
    assert run(["audit", "--sample", "--format", "json", "--fail-on", "critical"]) == 0
    assert run(["audit", "--sample", "--fail-on", "severe"]) == 2


def test_output_to_unwritable_place_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing-dir" / "r.json"
    assert run(["audit", "--sample", "--format", "json", "--output", str(target)]) == 2
    assert "cannot write" in capsys.readouterr().err
