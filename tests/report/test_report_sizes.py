"""Reports at organisation scale (1,000 VPCs): what fits a screen, a comment, a small file.

Sizes are asserted here; times are measured in benchmarks/reports (never asserted).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tests.contracts import assert_contract
from vpcpath.audit.engine import audit
from vpcpath.audit.report_model import AuditReport
from vpcpath.pricing.table import load_bundled_prices
from vpcpath.report.audit_html import render_audit_html
from vpcpath.report.audit_html_data import script_json
from vpcpath.report.audit_json import audit_to_json
from vpcpath.report.audit_markdown import COMMENT_LIMIT, render_audit_markdown
from vpcpath.report.audit_text import render_audit
from vpcpath.report.style import Style
from vpcpath.sources.sample_estate import load_sample

HTML_LIMIT = 2_000_000  # bytes


def test_estate_shape(thousand_vpcs: AuditReport) -> None:
    # What the other assertions stand on: thousands of findings, in about two thousand groups.
    assert len(thousand_vpcs.findings) == 5750
    assert len(thousand_vpcs.groups) == 1955
    assert thousand_vpcs.usd_per_month_avoidable is not None


def test_terminal_summary_fits_a_screen(thousand_vpcs: AuditReport) -> None:
    text = render_audit(thousand_vpcs, Style(width=80))
    lines = text.splitlines()
    assert len(lines) <= 300
    assert max(len(line) for line in lines) <= 80
    assert "Showing the top 10 of 1,955 groups. Every finding" in " ".join(lines)
    details = render_audit(thousand_vpcs, Style(width=80), details=True)
    assert all(f.id in details.replace("\n", "") for f in thousand_vpcs.findings[:50])
    assert len(details.splitlines()) > 5750  # --details: every finding


def test_markdown_fits_a_comment_and_says_what_it_cut(thousand_vpcs: AuditReport) -> None:
    md = render_audit_markdown(thousand_vpcs)
    assert len(md) <= COMMENT_LIMIT == 65_536
    notice = re.search(r"^> \*\*Cut to fit a comment \(65,536 characters\):\*\* (.*)$", md, re.M)
    assert notice is not None
    assert "groups and the details of" in notice.group(1)
    assert "--format html --output audit.html" in notice.group(1)
    top = thousand_vpcs.groups[0]
    assert f"```sh\n{top.action.commands[0]}\n```" in md
    assert md.count("<details>") == md.count("</details>")  # every block closed
    assert md.rstrip().splitlines()[-1].startswith("Generated ")  # the footer survived


def test_markdown_is_not_cut_when_it_fits() -> None:
    report = audit(load_sample(), load_bundled_prices())
    md = render_audit_markdown(report)
    assert "Cut to fit" not in md
    assert all(f"<code>{f.id}</code>" in md for f in report.findings)
    small = render_audit_markdown(report, limit=9_000)
    assert len(small) <= 9_000
    assert "**Cut to fit a comment (9,000 characters):**" in small


def test_html_is_small_and_holds_every_finding_once(thousand_vpcs: AuditReport) -> None:
    html = render_audit_html(thousand_vpcs)
    assert len(html.encode("utf-8")) <= HTML_LIMIT
    assert html.count("<script") == 2
    start = html.index('<script type="application/json" id="audit-data">') + 48
    data = json.loads(html[start : html.index("</script>", start)])
    ids = [_text(data["s"], f[0]) for f in data["findings"]]
    grouped = [i for g in thousand_vpcs.groups for i in g.finding_ids]
    assert ids == grouped and sorted(ids) == sorted(f.id for f in thousand_vpcs.findings)
    by_id = {f.id: f for f in thousand_vpcs.findings}
    for f in data["findings"][:200]:
        finding = by_id[_text(data["s"], f[0])]
        assert _text(data["s"], f[3]) == finding.explanation
        assert _text(data["s"], f[4]) == finding.remediation
    # Each id once in the string table, however many findings name it.
    assert len(data["s"]) == len(set(data["s"]))


def test_json_keeps_every_finding_and_adds_groups(thousand_vpcs: AuditReport) -> None:
    doc = audit_to_json(thousand_vpcs)
    assert_contract(doc, "audit-1")
    assert len(doc["findings"]) == 5750
    members = sorted(i for g in doc["groups"] for i in g["finding_ids"])
    assert members == sorted(f["id"] for f in doc["findings"])
    group_ids = {g["id"] for g in doc["groups"]}
    assert all(f["group_id"] in group_ids for f in doc["findings"])
    shares = sum(f["usd_per_month_share"] for f in doc["findings"])
    assert round(shares, 0) == round(doc["summary"]["usd_per_month_avoidable"], 0)


def test_script_json_cannot_close_its_script_block() -> None:
    hostile = {"v": "</script><script>alert(1)</script><!-- \u2028 & >"}
    text = script_json(hostile)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == hostile


def _text(strings: list[str], value: Any) -> str:
    """The page's decoding of a text (see audit_html_data), written again for the test."""
    if isinstance(value, int):
        return strings[value]
    if isinstance(value, str):
        return value
    parts = strings[value[0]].split("\x01")
    out: str = parts[0]
    for ident, part in zip(value[1:], parts[1:], strict=True):
        out += strings[ident] + part
    return out
