"""`vpcpath demo`: the main job on the bundled sample estate."""

from __future__ import annotations

import argparse
from typing import TextIO

from vpcpath.cli.common import EXIT_OK, price_note
from vpcpath.report.style import Style


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="show the sample estate's private subnets and their paths")
    p.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, style: Style, out: TextIO) -> int:
    from vpcpath.pricing.table import load_prices
    from vpcpath.report.overview_text import render_overview
    from vpcpath.routing.overview import private_subnet_overview
    from vpcpath.sources.sample_estate import load_sample

    snapshot = load_sample()
    prices = load_prices()
    print(style.paint("vpcpath demo: the bundled sample estate", "bold"), file=out)
    print(
        "Private subnets, how their traffic to each destination leaves the VPC, and the "
        "price of each GB sent.\n",
        file=out,
    )
    rows = private_subnet_overview(snapshot, prices)
    print(render_overview(rows, style, price_note(prices)), file=out)
    print(
        "\nTrace one path hop by hop:\n  vpcpath explain --sample --from "
        f"{rows[0].subnet.id} --to ecr"
        if rows
        else "",
        file=out,
    )
    return EXIT_OK
