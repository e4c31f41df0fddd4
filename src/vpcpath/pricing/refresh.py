"""Refresh the price table from the AWS Price List Query API (``pricing:GetProducts``).

Six queries, each paged to the end. Each product is mapped to a region by its ``regionCode``
(data transfer: ``fromRegionCode``) and to a price field by its usage type with the region
prefix removed. A field the API gave no single price for keeps the value of the table the
refresh started from, and the result says which fields were refreshed (``PriceTable.refreshed``)
and why others were kept (``PriceTable.notes``): nothing is made up.

The Price List Query API is served from us-east-1 (and a few other regions) whatever region the
prices are for: AWS Billing user guide, "Using the AWS Price List Query API", "Endpoints".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from types import MappingProxyType

from vpcpath.errors import PricingError
from vpcpath.pricing.price_list import PriceListProduct, parse_price_list_item
from vpcpath.pricing.table import PRICE_FIELDS, PriceTable, RegionPrices, load_bundled_prices

# (service code, TERM_MATCH filters as (field, value)) → the raw PriceList items, page by page:
# ``sources.live.price_list_pages`` reads them from AWS; this module never holds a client.
PriceListPages = Callable[[str, tuple[tuple[str, str], ...]], Iterable[Sequence[str]]]

PRICE_LIST_ORIGIN = "Price List API"
_HOUR_UNITS = frozenset({"hrs", "hour", "hours", "hourly"})
_GB_UNITS = frozenset({"gb", "gigabyte", "gigabytes"})


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageRule:
    """Products whose usage type ends in ``usage_type`` price ``field``."""

    field: str
    usage_type: str
    units: frozenset[str]
    # Data transfer out: only products whose toLocation is this (internet egress: "External").
    to_location: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceQuery:
    """One paged GetProducts query and how to read its products."""

    label: str
    service_code: str
    filters: tuple[tuple[str, str], ...]
    rules: tuple[UsageRule, ...]
    # Inter-region transfer has one price per (from, to) pair: keep the destination.
    per_destination: bool = False


PRICE_QUERIES: tuple[PriceQuery, ...] = (
    # https://aws.amazon.com/vpc/pricing/, "NAT Gateway pricing": sold under AmazonEC2.
    PriceQuery(
        label="NAT gateway",
        service_code="AmazonEC2",
        filters=(("productFamily", "NAT Gateway"),),
        rules=(
            UsageRule(field="nat_gateway_hour", usage_type="NatGateway-Hours", units=_HOUR_UNITS),
            UsageRule(field="nat_gateway_gb", usage_type="NatGateway-Bytes", units=_GB_UNITS),
        ),
    ),
    # https://aws.amazon.com/privatelink/pricing/, "Interface Endpoint pricing".
    PriceQuery(
        label="interface endpoint",
        service_code="AmazonVPC",
        filters=(("productFamily", "VpcEndpoint"),),
        rules=(
            UsageRule(
                field="interface_endpoint_az_hour",
                usage_type="VpcEndpoint-Hours",
                units=_HOUR_UNITS,
            ),
            UsageRule(
                field="interface_endpoint_gb", usage_type="VpcEndpoint-Bytes", units=_GB_UNITS
            ),
        ),
    ),
    # https://aws.amazon.com/transit-gateway/pricing/: data processed per VPC attachment.
    PriceQuery(
        label="transit gateway",
        service_code="AmazonVPC",
        filters=(("operation", "TransitGatewayVPC"),),
        rules=(
            UsageRule(
                field="transit_gateway_gb", usage_type="TransitGateway-Bytes", units=_GB_UNITS
            ),
        ),
    ),
    # https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer within the same AWS Region".
    PriceQuery(
        label="cross-AZ transfer",
        service_code="AmazonEC2",
        filters=(("productFamily", "Data Transfer"), ("transferType", "IntraRegion")),
        rules=(
            UsageRule(
                field="cross_az_gb", usage_type="DataTransfer-Regional-Bytes", units=_GB_UNITS
            ),
        ),
    ),
    # https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer OUT From Amazon EC2 To
    # Internet".
    PriceQuery(
        label="internet egress",
        service_code="AmazonEC2",
        filters=(("productFamily", "Data Transfer"), ("transferType", "AWS Outbound")),
        rules=(
            UsageRule(
                field="internet_egress_gb",
                usage_type="DataTransfer-Out-Bytes",
                units=_GB_UNITS,
                to_location="External",
            ),
        ),
    ),
    # https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer OUT From Amazon EC2 To"
    # another AWS region.
    PriceQuery(
        label="inter-region transfer",
        service_code="AmazonEC2",
        filters=(("productFamily", "Data Transfer"), ("transferType", "InterRegion Outbound")),
        rules=(UsageRule(field="inter_region_gb", usage_type="AWS-Out-Bytes", units=_GB_UNITS),),
        per_destination=True,
    ),
)


@dataclass(frozen=True, slots=True, kw_only=True)
class _Observation:
    region: str
    field: str
    usd: float
    destination: str | None


def refresh_prices(
    pages: PriceListPages,
    progress: Callable[[str], None] | None = None,
    *,
    base: PriceTable | None = None,
    now: datetime | None = None,
) -> PriceTable:
    """A new price table from the Price List API, falling back to ``base`` field by field.

    ``pages`` reads the API (``sources.live.price_list_pages``; AwsError when AWS refuses or
    fails). ``base`` defaults to the bundled table; ``now`` (UTC) to the current time.
    PricingError when an answer is malformed or the answers held no usable price at all.
    """
    start = base if base is not None else load_bundled_prices()
    fetched_at = (now if now is not None else datetime.now(UTC)).astimezone(UTC)
    observations: list[_Observation] = []
    skipped: list[str] = []
    for query in PRICE_QUERIES:
        for product in _products(pages, query, progress):
            observations.extend(_observe(product, query, skipped))
    return _merge(start, observations, skipped, fetched_at)


def _products(
    pages: PriceListPages, query: PriceQuery, progress: Callable[[str], None] | None
) -> Iterator[PriceListProduct]:
    described = f"GetProducts {query.service_code} " + ", ".join(
        f"{name}={value}" for name, value in query.filters
    )
    for number, items in enumerate(pages(query.service_code, query.filters), start=1):
        if progress is not None:
            progress(f"{query.label}: page {number}, {len(items)} products")
        for index, raw in enumerate(items):
            yield parse_price_list_item(
                raw, where=f"{described}, page {number}, PriceList[{index}]"
            )


def _observe(
    product: PriceListProduct, query: PriceQuery, skipped: list[str]
) -> Iterable[_Observation]:
    region = product.region_code
    if region is None or not product.in_aws_region:
        return ()
    for rule in query.rules:
        if not product.has_usage_type(rule.usage_type):
            continue
        if rule.to_location is not None and product.attributes.get("toLocation") != (
            rule.to_location
        ):
            continue
        usd = product.first_paid_usd()
        if usd is None:
            return ()
        units = {dimension.unit.lower() for dimension in product.dimensions}
        if not units <= rule.units:
            skipped.append(
                f"skipped {product.usage_type} (sku {product.sku}): unit "
                f"{', '.join(sorted(units))} is not one {rule.field} is priced in"
            )
            return ()
        destination = None
        if query.per_destination:
            destination = product.attributes.get("toRegionCode") or None
            if destination is None or product.attributes.get("toLocationType") not in (
                None,
                "AWS Region",
            ):
                return ()
        elif rule.field == "cross_az_gb":
            # Only transfer that stays in its region (IntraRegion also lists other pairs).
            to_region = product.attributes.get("toRegionCode")
            if to_region not in (None, "", region):
                return ()
        return (_Observation(region=region, field=rule.field, usd=usd, destination=destination),)
    return ()


def _merge(
    base: PriceTable,
    observations: Sequence[_Observation],
    skipped: Sequence[str],
    fetched_at: datetime,
) -> PriceTable:
    found: dict[tuple[str, str], set[float]] = defaultdict(set)
    by_destination: dict[str, dict[str, set[float]]] = defaultdict(lambda: defaultdict(set))
    for seen in observations:
        if seen.destination is not None:
            by_destination[seen.region][seen.destination].add(seen.usd)
        else:
            found[(seen.region, seen.field)].add(seen.usd)

    notes: list[str] = []
    resolved: dict[str, dict[str, float]] = defaultdict(dict)
    for (region, name), prices in sorted(found.items()):
        if len(prices) == 1:
            resolved[region][name] = prices.pop()
        else:
            listed = ", ".join(f"{price:g}" for price in sorted(prices))
            notes.append(f"{region} {name}: the API gave several prices ({listed}); kept")
    for region, destinations in sorted(by_destination.items()):
        resolved[region]["inter_region_gb"] = _most_common_price(destinations)

    regions: dict[str, RegionPrices] = dict(base.regions)
    refreshed: dict[str, tuple[str, ...]] = {}
    for region, values in sorted(resolved.items()):
        names = tuple(name for name in PRICE_FIELDS if name in values)
        if region in regions:
            regions[region] = replace(regions[region], **values)
        elif len(names) == len(PRICE_FIELDS):
            regions[region] = RegionPrices(**values)
        else:
            notes.append(
                f"{region}: not in the {base.date} table and the API priced only "
                f"{', '.join(names)}; left out"
            )
            continue
        refreshed[region] = names

    count = sum(len(names) for names in refreshed.values())
    if count == 0:
        raise PricingError(
            "the AWS Price List API answered, but with no price vpcpath could use; "
            f"the price table is unchanged ({base.source}, {base.date})"
        )
    summary = (
        f"{count} of {len(regions) * len(PRICE_FIELDS)} prices refreshed from the AWS Price "
        f"List Query API; every other price keeps its value from {base.source} ({base.date})."
    )
    kept_lines = _kept_lines(regions, refreshed, base_date=base.date)
    if by_destination:
        notes.append(
            "inter_region_gb: AWS prices each destination region; this is the price to most "
            "of them (the highest on a tie)."
        )
    return PriceTable(
        source=f"AWS Price List Query API (GetProducts), fetched {fetched_at:%Y-%m-%dT%H:%M:%SZ}",
        date=fetched_at.date().isoformat(),
        regions=MappingProxyType(regions),
        origin=PRICE_LIST_ORIGIN,
        notes=(summary, *kept_lines, *notes, *skipped),
        refreshed=MappingProxyType(refreshed),
    )


def _most_common_price(destinations: dict[str, set[float]]) -> float:
    counts = Counter(price for prices in destinations.values() for price in prices)
    return max(counts, key=lambda price: (counts[price], price))


def _kept_lines(
    regions: dict[str, RegionPrices], refreshed: dict[str, tuple[str, ...]], *, base_date: str
) -> list[str]:
    by_kept: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for region in sorted(regions):
        done = set(refreshed.get(region, ()))
        kept = tuple(name for name in PRICE_FIELDS if name not in done)
        if kept:
            by_kept[kept].append(region)
    lines = []
    for kept, names in sorted(by_kept.items(), key=lambda item: (-len(item[0]), item[0])):
        what = "all prices" if len(kept) == len(PRICE_FIELDS) else ", ".join(kept)
        lines.append(f"kept from {base_date}: {what} in {', '.join(names)}")
    return lines
