"""The one place that decides whether flow logs prove an answer, or only look like one.

"$0.00" and "no NAT traffic" are answers only when records of the snapshot's network say so
(ACCEPT records routed elsewhere, or NODATA records of its interfaces: "no traffic during the
aggregation interval", VPC User Guide, "Flow log records" → "log-status"). These are not
evidence, and the result is an error naming what is missing instead of a total:

- no file vpcpath can count (transit gateway logs, formats without ``bytes``, …);
- no records (a header only), or only malformed or SKIPDATA ones (SKIPDATA: records were
  skipped during the interval);
- records only of VPCs, accounts or regions the snapshot does not hold.

NAT gateway metrics (``audit --cloudwatch``) are judged here too: metrics that could not be
read for any NAT gateway (no credentials, access denied) are AWS refusing, not "$0 at most".
"""

from __future__ import annotations

from collections.abc import Sequence

from vpcpath.errors import AwsError, NoFlowEvidence
from vpcpath.flows.result import FlowsResult, InputError
from vpcpath.flows.workload_match import REASONS
from vpcpath.model.evidence import CloudWatchEvidence


def nothing_readable(set_aside: Sequence[InputError]) -> str:
    """The message when every file was set aside for its format."""
    files = "; ".join(f"{e.file}: {e.message}" for e in set_aside)
    return f"no flow-log file vpcpath can count ({files})"


def require_evidence(result: FlowsResult) -> None:
    """Raise ``NoFlowEvidence`` when ``result`` rests on nothing; return when it holds."""
    s = result.input
    where = f"{s.files} file{'s' if s.files != 1 else ''}"
    errors = "".join(f"; {e.file}: {e.message}" for e in s.errors)
    usable = s.records - s.malformed - s.skipdata
    if s.records == 0:
        raise NoFlowEvidence(
            f"no flow records in {where}: the files hold no records (a header only?), so "
            f"they prove nothing about NAT traffic{errors}",
            result,
        )
    if usable <= 0:
        parts = [f"{s.records} records read", f"{s.malformed} malformed"]
        if s.skipdata:
            parts.append(f"{s.skipdata} SKIPDATA (records AWS skipped)")
        examples = "".join(
            f"; e.g. {m.file}:{m.line}: {m.reason}" for m in s.malformed_examples[:1]
        )
        raise NoFlowEvidence(
            f"no usable flow records in {where} ({', '.join(parts)}){examples}{errors}",
            result,
        )
    if result.matched_records == 0:
        if result.unattributed:
            why = "; ".join(
                f"{u.bytes} bytes in {u.records} ACCEPT records: {REASONS.get(u.reason, u.reason)}"
                + (f" ({', '.join(u.named[:3])})" if u.named else "")
                for u in result.unattributed
            )
        else:
            why = "their network interfaces and addresses are not in the snapshot"
        raise NoFlowEvidence(
            f"none of the {usable} usable records in {where} belongs to a network interface, "
            f"subnet or NAT gateway of the snapshot: {why}. Give the snapshot of the account "
            "and region the flow logs come from",
            result,
        )


def require_metrics(evidence: CloudWatchEvidence) -> bool:
    """Whether the metrics are partial (some NAT gateways missing); ``AwsError`` when none
    could be read although the snapshot has NAT gateways."""
    if evidence.missing and not evidence.nat_gateways:
        nat, why = evidence.missing[0]
        first = why if nat in why else f"{nat}: {why}"
        more = len(evidence.missing) - 1
        raise AwsError(
            f"no NAT gateway metrics could be read from CloudWatch ({first}"
            + (f"; and {more} more NAT gateways" if more > 0 else "")
            + "): without them there is no upper bound to report"
        )
    return bool(evidence.missing)
