"""`vpcpath explain`: one path, hop by hop."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from vpcpath.cli.common import EXIT_OK, EXIT_PARTIAL, emit_json
from vpcpath.cli.estate import add_estate_flags, load_estate
from vpcpath.report.style import Style


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explain", help="trace traffic from a source to a destination")
    add_estate_flags(p)
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="SRC",
        help="subnet-…, eni-…, i-… or a private IP",
    )
    p.add_argument(
        "--to",
        dest="destination",
        required=True,
        metavar="DST",
        help="s3[:region], dynamodb[:region], ecr[:region], an IP or an AWS hostname",
    )
    p.add_argument("--json", action="store_true", help="print the vpcpath.explain/1 JSON")
    p.add_argument("--profile", help="AWS profile for --live (default: the usual AWS config)")
    p.set_defaults(handler=cmd_explain)


def cmd_explain(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.table import load_prices
    from vpcpath.report.explain_json import explanation_to_json
    from vpcpath.report.explain_text import render_explanation
    from vpcpath.routing.explain import explain

    snapshot = load_estate(args)
    prices = load_prices()
    result = explain(snapshot, args.source, args.destination, prices=prices)
    if args.json:
        emit_json(explanation_to_json(result), out)
    else:
        print(render_explanation(result, style), file=out)
    if result.missing:
        for what in result.missing:
            print(f"vpcpath: warning: partial answer: {what}", file=sys.stderr)
        return EXIT_PARTIAL
    return EXIT_PARTIAL if getattr(args, "partial", False) else EXIT_OK
