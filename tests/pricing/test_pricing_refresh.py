"""refresh_prices against a real boto3 pricing client whose answers botocore's Stubber replays.

The Price List API is not emulated by moto, so the answers are the real-shaped GetProducts
pages in fixtures/get_products/ (see fixtures/build_get_products.py for how they were made).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from vpcpath.errors import AwsAccessDenied, AwsThrottled, PricingError
from vpcpath.pricing import (
    PRICE_FIELDS,
    PriceTable,
    RegionPrices,
    load_bundled_prices,
    read_price_table,
    refresh_prices,
    write_price_table,
)
from vpcpath.sources.live.price_list_pages import price_list_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "get_products"
NOW = datetime(2026, 11, 20, 8, 30, 5, tzinfo=UTC)

# The requests refresh_prices must make, in order, and the pages that answer them.
QUERIES: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    ("AmazonEC2", (("productFamily", "NAT Gateway"),), ("nat-gateway-page1", "nat-gateway-page2")),
    ("AmazonVPC", (("productFamily", "VpcEndpoint"),), ("interface-endpoint-page1",)),
    ("AmazonVPC", (("operation", "TransitGatewayVPC"),), ("transit-gateway-page1",)),
    (
        "AmazonEC2",
        (("productFamily", "Data Transfer"), ("transferType", "IntraRegion")),
        ("cross-az-page1",),
    ),
    (
        "AmazonEC2",
        (("productFamily", "Data Transfer"), ("transferType", "AWS Outbound")),
        ("internet-egress-page1",),
    ),
    (
        "AmazonEC2",
        (("productFamily", "Data Transfer"), ("transferType", "InterRegion Outbound")),
        ("inter-region-page1",),
    ),
)
EMPTY_PAGE: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": []}


def fixture_page(name: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return answer


def request(service_code: str, filters: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {
        "ServiceCode": service_code,
        "Filters": [{"Type": "TERM_MATCH", "Field": f, "Value": v} for f, v in filters],
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }


def queue(stubber: Stubber, answers: Sequence[Sequence[dict[str, Any]]]) -> None:
    """Queue one answer per page for each query, NextToken carried from page to page."""
    for (service_code, filters, _), pages in zip(QUERIES, answers, strict=True):
        token = None
        for answer in pages:
            expected = request(service_code, filters)
            if token is not None:
                expected["NextToken"] = token
            stubber.add_response("get_products", answer, expected)
            token = answer.get("NextToken")


def recorded_answers() -> list[list[dict[str, Any]]]:
    return [[fixture_page(name) for name in names] for _, _, names in QUERIES]


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "pricing", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y"
    )


@pytest.fixture
def stubber(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as active:
        yield active
        active.assert_no_pending_responses()


def flat_base(value: float, regions: Sequence[str]) -> PriceTable:
    return PriceTable(
        source="a flat test table",
        date="2026-01-01",
        regions=MappingProxyType(
            {region: RegionPrices(**dict.fromkeys(PRICE_FIELDS, value)) for region in regions}
        ),
        origin="test",
    )


def test_refresh_reads_every_page_and_maps_products_to_fields(
    client: Any, stubber: Stubber
) -> None:
    queue(stubber, recorded_answers())
    progress: list[str] = []
    table = refresh_prices(price_list_pages(client), progress.append, now=NOW)

    assert progress == [
        "NAT gateway: page 1, 7 products",
        "NAT gateway: page 2, 6 products",
        "interface endpoint: page 1, 7 products",
        "transit gateway: page 1, 3 products",
        "cross-AZ transfer: page 1, 2 products",
        "internet egress: page 1, 4 products",
        "inter-region transfer: page 1, 6 products",
    ]
    assert table.source == "AWS Price List Query API (GetProducts), fetched 2026-11-20T08:30:05Z"
    assert table.date == "2026-11-20"
    assert table.origin == "Price List API"
    # us-east-1 is priced by every query; inter-region is the rate to most destinations
    # (0.02 to us-west-2 and eu-west-1, 0.01 to us-east-2).
    assert table.for_region("us-east-1") == RegionPrices(
        nat_gateway_hour=0.045,
        nat_gateway_gb=0.045,
        interface_endpoint_az_hour=0.01,
        interface_endpoint_gb=0.01,
        cross_az_gb=0.01,
        internet_egress_gb=0.09,
        transit_gateway_gb=0.02,
        inter_region_gb=0.02,
    )
    assert table.refreshed == {
        "us-east-1": PRICE_FIELDS,
        "eu-west-1": ("nat_gateway_hour", "nat_gateway_gb", "cross_az_gb", "transit_gateway_gb"),
        "eu-central-1": (
            "nat_gateway_hour",
            "nat_gateway_gb",
            "interface_endpoint_az_hour",
            "interface_endpoint_gb",
        ),
        "ap-southeast-1": (
            "nat_gateway_hour",
            "nat_gateway_gb",
            "interface_endpoint_az_hour",
            "inter_region_gb",
        ),
        "ap-northeast-1": ("internet_egress_gb",),
        "sa-east-1": ("nat_gateway_hour", "nat_gateway_gb", "internet_egress_gb"),
    }
    # The decoys (regional NAT in us-east-2, a Local Zone, GWLB endpoints, the TGW attachment
    # hour, free CloudFront transfer) priced nothing.
    assert "us-east-1-bos-1" not in table.regions
    assert "us-east-2" not in table.refreshed


def test_refresh_takes_exact_api_values_and_keeps_the_rest(client: Any, stubber: Stubber) -> None:
    # A flat base makes every kept value visible: it is 9.0 where the API said nothing.
    base = flat_base(
        9.0,
        ["us-east-1", "us-west-1", "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-northeast-1"],
    )
    queue(stubber, recorded_answers())
    table = refresh_prices(price_list_pages(client), base=base, now=NOW)

    assert table.for_region("eu-central-1") == RegionPrices(
        nat_gateway_hour=0.052,
        nat_gateway_gb=0.052,
        interface_endpoint_az_hour=0.012,
        interface_endpoint_gb=0.01,  # the first of three tiers (0.01, 0.006, 0.004)
        cross_az_gb=9.0,
        internet_egress_gb=9.0,
        transit_gateway_gb=9.0,
        inter_region_gb=9.0,
    )
    assert table.for_region("ap-southeast-1") == RegionPrices(
        nat_gateway_hour=0.059,
        nat_gateway_gb=0.059,
        interface_endpoint_az_hour=0.013,
        interface_endpoint_gb=9.0,
        cross_az_gb=9.0,
        internet_egress_gb=9.0,
        transit_gateway_gb=9.0,
        inter_region_gb=0.09,
    )
    # The first paid egress tier, past the free 100 GB.
    assert table.for_region("ap-northeast-1").internet_egress_gb == 0.114
    assert table.for_region("ap-northeast-1").nat_gateway_hour == 9.0
    assert table.for_region("us-west-1") == base.regions["us-west-1"]
    assert table.kept_fields("eu-west-1") == (
        "interface_endpoint_az_hour",
        "interface_endpoint_gb",
        "internet_egress_gb",
        "inter_region_gb",
    )
    # sa-east-1 is not in the base and the API priced only three of its fields: left out,
    # not filled in.
    assert "sa-east-1" not in table.regions
    assert (
        "sa-east-1: not in the 2026-01-01 table and the API priced only nat_gateway_hour, "
        "nat_gateway_gb, internet_egress_gb; left out"
    ) in table.notes
    assert table.notes[0] == (
        "21 of 48 prices refreshed from the AWS Price List Query API; every other price keeps "
        "its value from a flat test table (2026-01-01)."
    )
    assert "kept from 2026-01-01: all prices in us-west-1" in table.notes


def test_untouched_fields_keep_the_bundled_values(client: Any, stubber: Stubber) -> None:
    queue(stubber, recorded_answers())
    table = refresh_prices(price_list_pages(client), now=NOW)
    bundled = load_bundled_prices()
    for region in bundled.regions:
        for name in table.kept_fields(region):
            assert getattr(table.for_region(region), name) == getattr(
                bundled.for_region(region), name
            ), (region, name)
    assert table.for_region("us-west-2") == bundled.for_region("us-west-2")
    assert set(table.regions) == set(bundled.regions)
    assert (
        "kept from 2026-11-01: interface_endpoint_az_hour, interface_endpoint_gb, "
        "internet_egress_gb, inter_region_gb in eu-west-1"
    ) in table.notes


def test_refreshed_table_survives_the_cache_file(
    client: Any, stubber: Stubber, tmp_path: Path
) -> None:
    queue(stubber, recorded_answers())
    table = refresh_prices(price_list_pages(client), now=NOW)
    path = tmp_path / "prices.json"
    write_price_table(table, path)
    read = read_price_table(path)
    assert dict(read.regions) == dict(table.regions)
    assert dict(read.refreshed) == dict(table.refreshed)
    assert (read.source, read.date, read.notes) == (table.source, table.date, table.notes)


def test_several_prices_for_one_field_keep_the_base_value(client: Any, stubber: Stubber) -> None:
    answers = recorded_answers()
    nat_page = answers[0][1]
    # A second eu-central-1 hourly NAT price that disagrees with the first.
    item = json.loads(nat_page["PriceList"][0])
    item["product"]["sku"] = "ZZZZZZZZZZZZZZZZ"
    (offer,) = item["terms"]["OnDemand"].values()
    (dimension,) = offer["priceDimensions"].values()
    dimension["pricePerUnit"]["USD"] = "0.0550000000"
    nat_page["PriceList"].append(json.dumps(item))
    queue(stubber, answers)
    base = flat_base(9.0, ["eu-central-1"])
    table = refresh_prices(price_list_pages(client), base=base, now=NOW)
    assert table.for_region("eu-central-1").nat_gateway_hour == 9.0
    assert table.for_region("eu-central-1").nat_gateway_gb == 0.052
    assert "nat_gateway_hour" not in table.refreshed["eu-central-1"]
    assert (
        "eu-central-1 nat_gateway_hour: the API gave several prices (0.052, 0.055); kept"
        in table.notes
    )


def test_unexpected_unit_is_skipped_and_said(client: Any, stubber: Stubber) -> None:
    answers = recorded_answers()
    tgw_page = answers[2][0]
    item = json.loads(tgw_page["PriceList"][2])  # eu-west-1 TransitGateway-Bytes
    (offer,) = item["terms"]["OnDemand"].values()
    (dimension,) = offer["priceDimensions"].values()
    dimension["unit"] = "Mbps"
    tgw_page["PriceList"][2] = json.dumps(item)
    queue(stubber, answers)
    table = refresh_prices(price_list_pages(client), now=NOW)
    assert "transit_gateway_gb" not in table.refreshed["eu-west-1"]
    assert (
        "skipped EU-TransitGateway-Bytes (sku ZS4R7K2M9DJ6V3BE): unit mbps is not one "
        "transit_gateway_gb is priced in"
    ) in table.notes


def test_api_refusal_becomes_an_aws_error(client: Any, stubber: Stubber) -> None:
    stubber.add_client_error(
        "get_products",
        service_error_code="AccessDeniedException",
        service_message="User is not authorized to perform: pricing:GetProducts",
        http_status_code=400,
        expected_params=request("AmazonEC2", (("productFamily", "NAT Gateway"),)),
    )
    with pytest.raises(AwsAccessDenied) as caught:
        refresh_prices(price_list_pages(client), now=NOW)
    assert str(caught.value) == (
        "AWS Price List API (AmazonEC2 productFamily=NAT Gateway): pricing:GetProducts was "
        "refused (AccessDeniedException: User is not authorized to perform: pricing:GetProducts)"
    )
    assert isinstance(caught.value.__cause__, ClientError)


def test_throttling_on_a_later_page_becomes_an_aws_error(client: Any, stubber: Stubber) -> None:
    first = fixture_page("nat-gateway-page1")
    stubber.add_response(
        "get_products", first, request("AmazonEC2", (("productFamily", "NAT Gateway"),))
    )
    stubber.add_client_error(
        "get_products",
        service_error_code="ThrottlingException",
        service_message="Rate exceeded",
        http_status_code=400,
        expected_params={
            **request("AmazonEC2", (("productFamily", "NAT Gateway"),)),
            "NextToken": first["NextToken"],
        },
    )
    with pytest.raises(
        AwsThrottled, match=r"still throttled after 1 attempts \(ThrottlingException\)"
    ):
        refresh_prices(price_list_pages(client), now=NOW)


def test_answers_without_usable_prices_are_an_error(client: Any, stubber: Stubber) -> None:
    queue(stubber, [[EMPTY_PAGE] for _ in QUERIES])
    with pytest.raises(PricingError) as caught:
        refresh_prices(price_list_pages(client), now=NOW)
    assert str(caught.value).startswith(
        "the AWS Price List API answered, but with no price vpcpath could use; "
        "the price table is unchanged (AWS public list prices: "
    )


def test_malformed_price_list_item_names_where_it_is(client: Any, stubber: Stubber) -> None:
    stubber.add_response(
        "get_products",
        {"FormatVersion": "aws_v1", "PriceList": ['{"product": {"sku": "A"', "{}"]},
        request("AmazonEC2", (("productFamily", "NAT Gateway"),)),
    )
    with pytest.raises(PricingError) as caught:
        refresh_prices(price_list_pages(client), now=NOW)
    assert str(caught.value).startswith(
        "GetProducts AmazonEC2 productFamily=NAT Gateway, page 1, PriceList[0]: "
        "not a JSON price list item: "
    )
