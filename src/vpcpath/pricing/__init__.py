"""Prices: a bundled, dated price table, and its refresh from the AWS Price List API."""

from vpcpath.pricing.refresh import PRICE_QUERIES, refresh_prices
from vpcpath.pricing.table import (
    PRICE_FIELDS,
    PriceTable,
    RegionPrices,
    cached_prices_path,
    default_cache_dir,
    load_bundled_prices,
    load_prices,
    price_table_to_json,
    read_price_table,
    write_price_table,
)

__all__ = [
    "PRICE_FIELDS",
    "PRICE_QUERIES",
    "PriceTable",
    "RegionPrices",
    "cached_prices_path",
    "default_cache_dir",
    "load_bundled_prices",
    "load_prices",
    "price_table_to_json",
    "read_price_table",
    "refresh_prices",
    "write_price_table",
]
