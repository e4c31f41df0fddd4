"""What a flow-log file is, when it is not what vpcpath can count: named, with what it needs.

Three kinds of input look like flow logs and are not usable as they are:

- transit gateway flow logs (``tgw-*`` fields, no ``interface-id``): they record traffic at the
  transit gateway (Transit Gateway guide, "Logging network traffic using Transit Gateway Flow
  Logs", https://docs.aws.amazon.com/vpc/latest/tgw/tgw-flow-logs.html), not at the network
  interfaces of the workloads whose NAT bytes vpcpath attributes;
- VPC flow logs whose custom format leaves out a field counting needs (``bytes``, ``action``,
  ``srcaddr``, ``dstaddr``; VPC User Guide, "Flow log records" → "Custom format");
- text without the header line S3 delivery writes (VPC User Guide, "Publish flow logs to
  Amazon S3" → "Log file format"): CloudWatch Logs exports hold bare records, and log
  shippers wrap each record in JSON. The records can still be read when the user names the
  fields (``--fields``).
"""

from __future__ import annotations

import re

from vpcpath.flows.fields import (
    DEFAULT_FORMAT,
    KNOWN_FIELDS,
    REQUIRED_FIELDS,
    TRANSIT_GATEWAY_FIELDS,
)

# Values only records hold: a version number, an IPv4 address, an ENI id, an action or status.
_RECORD_VALUE = re.compile(r"^([0-9]+|[0-9]{1,3}(\.[0-9]{1,3}){3}|eni-[0-9a-f]+|ACCEPT|REJECT)$")


def format_problem(fields: tuple[str, ...]) -> str | None:
    """Why records with these fields cannot be counted, or None when they can."""
    present = set(fields)
    if present & TRANSIT_GATEWAY_FIELDS and "interface-id" not in present:
        return (
            "a transit gateway flow log (tgw-* fields, no interface-id): it records traffic at "
            "the transit gateway, not at the workloads' network interfaces; vpcpath reads VPC "
            "flow logs (of VPCs, subnets or network interfaces)"
        )
    missing = [f for f in REQUIRED_FIELDS if f not in present]
    if not missing:
        return None
    named = "no bytes field" if "bytes" in missing else f"no {' or '.join(missing)} field"
    return (
        f"{named} in its format ({' '.join(fields)}): vpcpath needs "
        f"{', '.join(REQUIRED_FIELDS)} in each record (AWS's default format has them)"
    )


def is_plausible_header(names: tuple[str, ...]) -> bool:
    """A header names at least one field AWS defines (VPC or transit gateway flow logs)."""
    return any(n in KNOWN_FIELDS or n in TRANSIT_GATEWAY_FIELDS for n in names)


def not_a_header(location: str, line: str) -> str:
    """The error for a text file whose first line is not a header, saying what it looks like."""
    text = line.strip()
    shown = text[:120] + ("…" if len(text) > 120 else "")
    if text.startswith("{"):
        return (
            f"{location}: line 1 is JSON ({shown!r}), not a flow-log header: this looks like "
            "a log shipper's or CloudWatch Logs' JSON export with each record wrapped in an "
            "object; vpcpath reads flow-log records as AWS writes them — extract the records "
            '(the "message" values) into a text file and name their fields with --fields'
        )
    values = text.split()
    if len(values) > 1 and (values[0].isdigit() or any(_RECORD_VALUE.match(v) for v in values)):
        default = " ".join(DEFAULT_FORMAT)
        fit = (
            f"its records have {len(values)} fields, as AWS's default format does"
            if len(values) == len(DEFAULT_FORMAT)
            else f"its records have {len(values)} fields"
        )
        return (
            f"{location}: line 1 is a flow-log record, not a header: this looks like a "
            f"CloudWatch Logs export (records without the header line S3 delivery writes); "
            f'{fit}. Name the fields in their order with --fields "{default}" (that is '
            "AWS's default format: --fields default, or --format default with vpcpath flows)"
        )
    return (
        f"{location}: line 1 is not a header of flow-log field names ({shown!r}); "
        "text flow logs delivered to S3 start with one (e.g. 'version account-id …'); "
        "for records without one, name their fields with --fields"
    )
