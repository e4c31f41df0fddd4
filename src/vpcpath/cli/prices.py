"""`vpcpath prices show | refresh`: the dated price table every report names."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from vpcpath.cli.common import EXIT_OK, Parser, emit_json, price_note
from vpcpath.report.style import Style


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("prices", help="show or refresh the price table")
    prices_sub = p.add_subparsers(dest="prices_command", required=True, parser_class=Parser)
    show = prices_sub.add_parser("show", help="print the price table in use")
    show.add_argument(
        "--region", action="append", metavar="REGION", help="only this region (repeatable)"
    )
    show.add_argument("--json", action="store_true", help="print the table as JSON")
    show.set_defaults(handler=cmd_prices_show)
    refresh = prices_sub.add_parser("refresh", help="update prices from the AWS Price List API")
    refresh.add_argument("--profile", help="AWS profile to use")
    refresh.set_defaults(handler=cmd_prices_refresh)


def cmd_prices_show(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.table import load_prices

    prices = load_prices(on_unreadable=lambda e: print(f"vpcpath: warning: {e}", file=sys.stderr))
    regions = args.region or sorted(prices.regions)
    rows = {r: prices.for_region(r) for r in regions}
    if args.json:
        emit_json(
            {
                "schema": "vpcpath.prices/1",
                "source": prices.source,
                "date": prices.date,
                "origin": prices.origin,
                "regions": {
                    r: {k: getattr(p, k) for k in p.__dataclass_fields__} for r, p in rows.items()
                },
            },
            out,
        )
        return EXIT_OK
    from vpcpath.report.style import table

    headers = [
        "region",
        "NAT $/h",
        "NAT $/GiB",
        "VPCE $/AZ-h",
        "VPCE $/GiB",
        "cross-AZ $/GiB",
        "internet $/GiB",
        "TGW $/GiB",
        "inter-region $/GiB",
    ]
    body = [
        [
            r,
            f"{p.nat_gateway_hour:.4f}",
            f"{p.nat_gateway_gb:.4f}",
            f"{p.interface_endpoint_az_hour:.4f}",
            f"{p.interface_endpoint_gb:.4f}",
            f"{p.cross_az_gb:.4f}",
            f"{p.internet_egress_gb:.4f}",
            f"{p.transit_gateway_gb:.4f}",
            f"{p.inter_region_gb:.4f}",
        ]
        for r, p in rows.items()
    ]
    print(table(body, headers, width=style.width), file=out)
    print(style.fit(f"\n{price_note(prices)} Origin: {prices.origin}."), file=out)
    return EXIT_OK


def cmd_prices_refresh(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.refresh import refresh_prices
    from vpcpath.pricing.table import cached_prices_path, write_price_table
    from vpcpath.sources.live.price_list_pages import price_list_client, price_list_pages
    from vpcpath.sources.live.session import AwsSession

    # The client is guarded like the collector's: GetProducts is a read.
    client = price_list_client(AwsSession.from_profile(args.profile))
    table = refresh_prices(
        price_list_pages(client), progress=lambda msg: print(msg, file=sys.stderr)
    )
    path = cached_prices_path()
    write_price_table(table, path)
    count = sum(len(v) for v in table.refreshed.values())
    print(
        f"wrote {path}: {count} prices refreshed in {len(table.refreshed)} regions, "
        f"as of {table.date}",
        file=out,
    )
    for note in table.notes:
        print(f"  note: {note}", file=out)
    return EXIT_OK
