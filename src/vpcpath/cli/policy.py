"""`vpcpath policy check | suggest`: endpoint policies that never break ECR."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from vpcpath.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, Parser, emit_json, read_text
from vpcpath.cli.estate import load_estate
from vpcpath.errors import PolicyError, UsageError
from vpcpath.report.style import Style


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("policy", help="check or suggest gateway endpoint policies")
    policy_sub = p.add_subparsers(dest="policy_command", required=True, parser_class=Parser)
    check = policy_sub.add_parser(
        "check", help="which needed requests each gateway endpoint policy allows or breaks"
    )
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument("--snapshot", type=Path, metavar="DIR", help="a snapshot folder")
    source.add_argument("--sample", action="store_true", help="the bundled sample estate")
    source.add_argument("--policy", type=Path, metavar="FILE", help="one policy document")
    check.add_argument("--region", help="the endpoint's region (required with --policy)")
    check.add_argument(
        "--service",
        choices=("s3", "dynamodb"),
        default="s3",
        help="with --policy: the endpoint's service (default s3)",
    )
    check.add_argument(
        "--account",
        metavar="ID",
        help="the account that owns the endpoint (required with --policy)",
    )
    check.add_argument("--org-id", metavar="o-…", help="your AWS Organizations id")
    check.add_argument(
        "--own-bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="a bucket of yours that must stay reachable (repeatable)",
    )
    check.add_argument(
        "--bucket-policy",
        action="append",
        default=[],
        metavar="BUCKET=FILE",
        help="a bucket policy to test for aws:SourceIp conditions on NAT IPs",
    )
    check.add_argument("--json", action="store_true", help="print the vpcpath.policy/1 JSON")
    check.set_defaults(handler=cmd_policy_check)
    suggest = policy_sub.add_parser("suggest", help="print a least-privilege endpoint policy")
    suggest.add_argument("--region", required=True, help="the endpoint's region")
    suggest.add_argument(
        "--service",
        choices=("s3", "dynamodb"),
        default="s3",
        help="the endpoint's service (default s3)",
    )
    who = suggest.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--org-id", metavar="o-…", help="your AWS Organizations id: its principals and resources"
    )
    who.add_argument("--account", metavar="ID", help="one account id: its principals and resources")
    suggest.add_argument(
        "--allow-bucket",
        action="append",
        default=[],
        metavar="NAME",
        help="another bucket your principals may use (repeatable)",
    )
    suggest.set_defaults(handler=cmd_policy_suggest)


def cmd_policy_check(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.policy import (
        EndpointPolicyCheck,
        SourceIpCondition,
        check_endpoint_policy,
        source_ip_conditions,
        to_json,
    )
    from vpcpath.report.policy_text import render_policy_checks

    checks: list[EndpointPolicyCheck] = []
    errors: dict[str, str] = {}
    nat_ips: list[str] = []
    if args.policy is not None:
        if not args.region or not args.account:
            raise UsageError("--policy needs --region and --account")
        text = read_text(args.policy)
        try:
            checks.append(
                check_endpoint_policy(
                    text,
                    service_name=f"com.amazonaws.{args.region}.{args.service}",
                    region=args.region,
                    account_id=args.account,
                    org_id=args.org_id,
                    own_resources=args.own_bucket,
                )
            )
        except PolicyError as exc:
            raise PolicyError(f"{args.policy}: {exc}") from exc
    else:
        snapshot = load_estate(args)
        nat_ips = sorted({str(ip) for n in snapshot.nat_gateways.values() for ip in n.public_ips})
        for ep in sorted(snapshot.endpoints.values(), key=lambda e: e.id):
            if ep.endpoint_type.value != "Gateway":
                continue
            try:
                checks.append(
                    check_endpoint_policy(
                        ep.policy_document,
                        service_name=ep.service_name,
                        region=ep.region,
                        account_id=ep.account_id,
                        org_id=args.org_id,
                        vpc_endpoint_id=ep.id,
                        vpc_id=ep.vpc_id,
                        own_resources=args.own_bucket if ep.service_name.endswith(".s3") else (),
                    )
                )
            except PolicyError as exc:
                errors[ep.id] = str(exc)
    source_ip: dict[str, tuple[SourceIpCondition, ...]] = {}
    for item in args.bucket_policy:
        bucket, sep, file = item.partition("=")
        if not sep or not bucket or not file:
            raise UsageError(f"--bucket-policy {item!r}: expected BUCKET=FILE")
        source_ip[bucket] = source_ip_conditions(read_text(Path(file)), nat_ips)
    if args.json:
        doc = to_json(checks, source_ip=source_ip if args.bucket_policy else None)
        if errors:
            doc["errors"] = [{"vpc_endpoint_id": k, "error": v} for k, v in errors.items()]
        emit_json(doc, out)
    else:
        if not checks and not errors:
            print("no gateway endpoints in the snapshot", file=out)
        print(render_policy_checks(checks, style, errors=errors, source_ip=source_ip), file=out)
    if errors:
        return EXIT_PARTIAL
    broken = any(c.breaks or c.size_problem for c in checks) or any(
        c.breaks_access for conds in source_ip.values() for c in conds
    )
    return EXIT_FINDINGS if broken else EXIT_OK


def cmd_policy_suggest(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.policy import suggest_endpoint_policy

    policy = suggest_endpoint_policy(
        region=args.region,
        service=args.service,
        org_id=args.org_id,
        account_id=args.account,
        allow_buckets=args.allow_bucket,
    )
    emit_json(dict(policy), out)
    return EXIT_OK
