"""Reading the items of a Price List Query API ``GetProducts`` answer.

Each item of ``PriceList`` is a JSON string (FormatVersion ``aws_v1``) holding one product: its
``product.attributes`` (``usagetype``, ``regionCode``, ``location``, …) and its on-demand terms,
``terms.OnDemand.<offer>.priceDimensions.<rate code>`` with ``unit``, ``beginRange``,
``endRange`` and ``pricePerUnit.USD``. Tiered prices (internet egress, interface-endpoint data)
are one dimension per tier. Reference: AWS Billing and Cost Management user guide, "Using the
AWS Price List Query API" and "Reading the price list files" (field names and meaning).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from vpcpath.errors import PricingError


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceDimension:
    """One tier of an on-demand price: ``begin_gb``..``end_gb`` (None = no end) at ``usd``."""

    unit: str
    begin: float
    end: float | None
    usd: float
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceListProduct:
    """One product of a GetProducts answer, with only what vpcpath reads."""

    sku: str
    product_family: str
    attributes: Mapping[str, str]
    dimensions: tuple[PriceDimension, ...]

    @property
    def usage_type(self) -> str:
        return self.attributes.get("usagetype", "")

    @property
    def region_code(self) -> str | None:
        """The region the product is sold in (data transfer: the region the bytes leave)."""
        return self.attributes.get("regionCode") or self.attributes.get("fromRegionCode") or None

    @property
    def in_aws_region(self) -> bool:
        """False for Local Zones, Wavelength Zones and Outposts, which have prices of their own."""
        location_type = self.attributes.get("locationType") or self.attributes.get(
            "fromLocationType"
        )
        return location_type in (None, "", "AWS Region")

    def has_usage_type(self, suffix: str) -> bool:
        """Whether the usage type is ``suffix`` after the region prefix (``EUW2-``, ``EU-``…).

        us-east-1 usage types often carry no prefix (``NatGateway-Hours``); the others do
        (``EU-NatGateway-Hours``, ``APS1-NatGateway-Hours``; inter-region ones carry two:
        ``USE1-EU-AWS-Out-Bytes``). Variants such as ``…-RegionalNatGateway-Hours`` or
        ``…-VpcEndpoint-GWLBE-Hours`` do not match.
        """
        usage_type = self.usage_type
        return usage_type == suffix or usage_type.endswith("-" + suffix)

    def first_paid_usd(self) -> float | None:
        """The price of the lowest paid tier, or None when every tier is free.

        A free first tier (e.g. internet egress covered by the free allowance) is passed over:
        the marginal price of a GB beyond it is what vpcpath reports.
        """
        paid = [dimension for dimension in self.dimensions if dimension.usd > 0]
        if not paid:
            return None
        return min(paid, key=lambda dimension: dimension.begin).usd


def parse_price_list_item(raw: str, *, where: str) -> PriceListProduct:
    """Parse one ``PriceList`` JSON string; PricingError naming ``where`` when it is malformed."""
    try:
        document = json.loads(raw)
    except (TypeError, json.JSONDecodeError) as exc:
        raise PricingError(f"{where}: not a JSON price list item: {exc}") from exc
    if not isinstance(document, dict):
        raise PricingError(f"{where}: a price list item must be a JSON object")
    product = document.get("product")
    if not isinstance(product, dict):
        raise PricingError(f"{where}: no 'product' object")
    raw_attributes = product.get("attributes", {})
    if not isinstance(raw_attributes, dict):
        raise PricingError(f"{where}: product.attributes must be an object")
    attributes = {str(key): str(value) for key, value in raw_attributes.items()}
    sku = str(product.get("sku", ""))
    terms = document.get("terms", {})
    on_demand = terms.get("OnDemand", {}) if isinstance(terms, dict) else {}
    if not isinstance(on_demand, dict):
        raise PricingError(f"{where} (sku {sku}): terms.OnDemand must be an object")
    dimensions = tuple(
        _dimension(raw_dimension, where=f"{where} (sku {sku})")
        for offer in on_demand.values()
        if isinstance(offer, dict)
        for raw_dimension in _dimensions_of(offer, where=f"{where} (sku {sku})")
    )
    return PriceListProduct(
        sku=sku,
        product_family=str(product.get("productFamily", "")),
        attributes=attributes,
        dimensions=tuple(dimension for dimension in dimensions if dimension is not None),
    )


def _dimensions_of(offer: dict[str, object], *, where: str) -> list[dict[str, object]]:
    price_dimensions = offer.get("priceDimensions", {})
    if not isinstance(price_dimensions, dict):
        raise PricingError(f"{where}: priceDimensions must be an object")
    return [value for value in price_dimensions.values() if isinstance(value, dict)]


def _dimension(raw: dict[str, object], *, where: str) -> PriceDimension | None:
    price_per_unit = raw.get("pricePerUnit", {})
    usd = price_per_unit.get("USD") if isinstance(price_per_unit, dict) else None
    if usd is None:
        # Priced in another currency only: nothing vpcpath can use.
        return None
    return PriceDimension(
        unit=str(raw.get("unit", "")),
        begin=_number(raw.get("beginRange", "0"), field="beginRange", where=where),
        end=_end(raw.get("endRange", "Inf"), where=where),
        usd=_number(usd, field="pricePerUnit.USD", where=where),
        description=str(raw.get("description", "")),
    )


def _end(raw: object, *, where: str) -> float | None:
    if raw in ("Inf", "", None):
        return None
    return _number(raw, field="endRange", where=where)


def _number(raw: object, *, field: str, where: str) -> float:
    # Prices arrive as decimal strings ("0.0450000000"); Decimal reads them exactly.
    try:
        value = float(Decimal(str(raw)))
    except (InvalidOperation, ValueError) as exc:
        raise PricingError(f"{where}: {field} {raw!r} is not a number") from exc
    if not math.isfinite(value) or value < 0:
        raise PricingError(f"{where}: {field} {raw!r} is not a price")
    return value
