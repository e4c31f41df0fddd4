"""Reading single GetProducts PriceList items."""

from __future__ import annotations

import json
from typing import Any

import pytest

from vpcpath.errors import PricingError
from vpcpath.pricing.price_list import PriceDimension, parse_price_list_item


def item(
    attributes: dict[str, str], dimensions: list[dict[str, Any]], family: str = "NAT Gateway"
) -> str:
    offer = "SKU1.JRTCKXETXF"
    return json.dumps(
        {
            "product": {"productFamily": family, "attributes": attributes, "sku": "SKU1"},
            "serviceCode": "AmazonEC2",
            "terms": {
                "OnDemand": {
                    offer: {
                        "priceDimensions": {
                            f"{offer}.R{index}": dimension
                            for index, dimension in enumerate(dimensions)
                        },
                        "sku": "SKU1",
                        "offerTermCode": "JRTCKXETXF",
                    }
                }
            },
            "version": "20261015183412",
            "publicationDate": "2026-10-15T18:34:12Z",
        }
    )


def dim(begin: str, end: str, usd: str, unit: str = "GB") -> dict[str, Any]:
    return {"unit": unit, "beginRange": begin, "endRange": end, "pricePerUnit": {"USD": usd}}


def test_tiers_are_read_exactly() -> None:
    product = parse_price_list_item(
        item(
            {"usagetype": "APN1-DataTransfer-Out-Bytes", "fromRegionCode": "ap-northeast-1"},
            [
                dim("10240", "51200", "0.0890000000"),
                dim("0", "100", "0.0000000000"),
                dim("100", "10240", "0.1140000000"),
            ],
            family="Data Transfer",
        ),
        where="test",
    )
    assert product.region_code == "ap-northeast-1"
    assert product.product_family == "Data Transfer"
    assert product.dimensions[0] == PriceDimension(
        unit="GB", begin=10240.0, end=51200.0, usd=0.089, description=""
    )
    assert product.first_paid_usd() == 0.114


def test_all_free_tiers_have_no_paid_price() -> None:
    product = parse_price_list_item(
        item({"usagetype": "USE1-CloudFront-Out-Bytes"}, [dim("0", "Inf", "0.0000000000")]),
        where="test",
    )
    assert product.dimensions[0].end is None
    assert product.first_paid_usd() is None


@pytest.mark.parametrize(
    ("usage_type", "suffix", "matches"),
    [
        ("NatGateway-Hours", "NatGateway-Hours", True),
        ("EU-NatGateway-Hours", "NatGateway-Hours", True),
        ("APS1-NatGateway-Bytes", "NatGateway-Bytes", True),
        ("EUC1-RegionalNatGateway-Hours", "NatGateway-Hours", False),
        ("USE1-VpcEndpoint-GWLBE-Hours", "VpcEndpoint-Hours", False),
        ("USE1-EU-AWS-Out-Bytes", "AWS-Out-Bytes", True),
        ("DataTransfer-Out-Bytes", "AWS-Out-Bytes", False),
    ],
)
def test_usage_type_suffix(usage_type: str, suffix: str, matches: bool) -> None:
    product = parse_price_list_item(
        item({"usagetype": usage_type}, [dim("0", "Inf", "1")]), where="test"
    )
    assert product.has_usage_type(suffix) is matches


@pytest.mark.parametrize(
    ("attributes", "in_region"),
    [
        ({"locationType": "AWS Region"}, True),
        ({"locationType": "AWS Local Zone"}, False),
        ({"fromLocationType": "AWS Region"}, True),
        ({"locationType": "AWS Wavelength Zone"}, False),
        ({}, True),
    ],
)
def test_only_regions_count(attributes: dict[str, str], in_region: bool) -> None:
    product = parse_price_list_item(item(attributes, [dim("0", "Inf", "1")]), where="test")
    assert product.in_aws_region is in_region


def test_prices_in_another_currency_only_are_ignored() -> None:
    raw = item({"usagetype": "NatGateway-Hours"}, [])
    document = json.loads(raw)
    offer = document["terms"]["OnDemand"]["SKU1.JRTCKXETXF"]
    offer["priceDimensions"]["X"] = {"unit": "Hrs", "pricePerUnit": {"CNY": "0.3"}}
    product = parse_price_list_item(json.dumps(document), where="test")
    assert product.dimensions == ()
    assert product.first_paid_usd() is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[1, 2]", "page 1, PriceList[3]: a price list item must be a JSON object"),
        ('{"terms": {}}', "page 1, PriceList[3]: no 'product' object"),
        (
            item({"usagetype": "NatGateway-Hours"}, [dim("0", "Inf", "free")]),
            "page 1, PriceList[3] (sku SKU1): pricePerUnit.USD 'free' is not a number",
        ),
        (
            item({"usagetype": "NatGateway-Hours"}, [dim("0", "Inf", "-1")]),
            "page 1, PriceList[3] (sku SKU1): pricePerUnit.USD '-1' is not a price",
        ),
    ],
)
def test_malformed_items_name_the_place(raw: str, message: str) -> None:
    with pytest.raises(PricingError) as caught:
        parse_price_list_item(raw, where="page 1, PriceList[3]")
    assert str(caught.value) == message
