"""The pages of the AWS Price List Query API (``pricing:GetProducts``), read for ``prices refresh``.

The source side of a refresh, PMapper-style: this module asks AWS (through a client of the
guarded factory) and hands the raw ``PriceList`` items of each page to ``pricing.refresh``, which
turns them into prices without ever touching a client. Errors leave as
:class:`~vpcpath.errors.AwsError` subclasses (``aws_errors``). The Price List Query API is served
from us-east-1 whatever region the prices are for (AWS Billing user guide, "Using the AWS Price
List Query API", "Endpoints").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, cast

from vpcpath.pricing.refresh import PriceListPages
from vpcpath.sources.live.aws_errors import aws_errors
from vpcpath.sources.live.calls import PRICE_LIST_CALL

if TYPE_CHECKING:
    from mypy_boto3_pricing import PricingClient
    from mypy_boto3_pricing.type_defs import FilterTypeDef

    from vpcpath.sources.live.session import AwsSession

PRICE_LIST_REGION = "us-east-1"
_PAGE_SIZE = 100  # the most GetProducts returns per page


def price_list_client(session: AwsSession) -> PricingClient:
    return cast("PricingClient", session.client(PRICE_LIST_CALL.service, PRICE_LIST_REGION))


def price_list_pages(client: PricingClient) -> PriceListPages:
    """Read ``GetProducts`` pages through ``client`` (from :func:`price_list_client`)."""

    def pages(service_code: str, filters: tuple[tuple[str, str], ...]) -> Iterator[Sequence[str]]:
        terms: list[FilterTypeDef] = [
            {"Type": "TERM_MATCH", "Field": name, "Value": value} for name, value in filters
        ]
        described = f"AWS Price List API ({service_code} " + ", ".join(
            f"{name}={value}" for name, value in filters
        )
        with aws_errors(PRICE_LIST_CALL.iam_action, where=described + ")"):
            paginator = client.get_paginator("get_products").paginate(
                ServiceCode=service_code,
                Filters=terms,
                FormatVersion="aws_v1",
                PaginationConfig={"PageSize": _PAGE_SIZE},
            )
            for page in paginator:
                yield page.get("PriceList", [])

    return pages
