"""The dated price table: bundled with the package, or refreshed into the user's cache.

A price table is a JSON file (schema ``vpcpath.prices/1``) with its ``source`` and ``date``, so
every report can say where its numbers come from and how old they are. Prices are USD list
prices; 1 GB is 2^30 bytes, as AWS bills data (https://aws.amazon.com/ec2/pricing/on-demand/,
"Data Transfer").
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from vpcpath.errors import PricingError

# The gigabyte of every price per GB here: 2^30 bytes (DESIGN "Money"; said "GiB" to people).
GIB = 1 << 30
SCHEMA = "vpcpath.prices/1"
BUNDLED_ORIGIN = "bundled"
CACHE_FILE_NAME = "prices.json"


@dataclass(frozen=True, slots=True, kw_only=True)
class RegionPrices:
    """One region's USD list prices for the charges vpcpath puts on a path."""

    # NAT gateway: per gateway-hour and per GB processed, both directions
    # (https://aws.amazon.com/vpc/pricing/, "NAT Gateway pricing").
    nat_gateway_hour: float
    nat_gateway_gb: float
    # Interface endpoint: per endpoint per AZ-hour, and per GB processed in the first tier
    # (https://aws.amazon.com/privatelink/pricing/, "Interface Endpoint pricing").
    interface_endpoint_az_hour: float
    interface_endpoint_gb: float
    # Between AZs of one region: billed per GB in each direction, on each side
    # (https://aws.amazon.com/ec2/pricing/on-demand/, "Data Transfer within the same AWS Region").
    cross_az_gb: float
    # To the internet: the first paid tier, up to 10 TB a month
    # (https://aws.amazon.com/ec2/pricing/on-demand/,
    # "Data Transfer OUT From Amazon EC2 To Internet").
    internet_egress_gb: float
    # Transit gateway data processing per GB sent to it
    # (https://aws.amazon.com/transit-gateway/pricing/).
    transit_gateway_gb: float
    # Out to another region, the rate that applies to most destinations
    # (https://aws.amazon.com/ec2/pricing/on-demand/,
    # "Data Transfer OUT From Amazon EC2 To" another AWS region).
    inter_region_gb: float


PRICE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(RegionPrices))


def _empty_refreshed() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceTable:
    """Prices for many regions, with where they came from and as of when."""

    source: str
    date: str
    regions: Mapping[str, RegionPrices]
    # "bundled", the path of the cache file the table was read from, or "Price List API" for a
    # table refresh_prices just built and nobody saved yet.
    origin: str
    notes: tuple[str, ...] = ()
    # For a refreshed table: per region, the fields whose value the Price List API gave. Every
    # other field kept the value of the table the refresh started from.
    refreshed: Mapping[str, tuple[str, ...]] = field(default_factory=_empty_refreshed)

    def for_region(self, region: str) -> RegionPrices:
        """The prices of ``region``; PricingError when the table has none."""
        try:
            return self.regions[region]
        except KeyError:
            known = ", ".join(sorted(self.regions))
            raise PricingError(
                f"no prices for region {region} in {self.source} ({self.date}); known: {known}"
            ) from None

    def kept_fields(self, region: str) -> tuple[str, ...]:
        """Fields of ``region`` that a refresh did not update (all of them for a bundled table)."""
        refreshed = set(self.refreshed.get(region, ()))
        return tuple(name for name in PRICE_FIELDS if name not in refreshed)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/vpcpath``, else ``~/.cache/vpcpath``."""
    # The XDG Base Directory spec says a relative $XDG_CACHE_HOME is invalid and to be ignored.
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and Path(xdg).is_absolute():
        return Path(xdg) / "vpcpath"
    return Path.home() / ".cache" / "vpcpath"


def cached_prices_path(cache_dir: Path | None = None) -> Path:
    """Where ``vpcpath prices refresh`` keeps its table."""
    return (cache_dir if cache_dir is not None else default_cache_dir()) / CACHE_FILE_NAME


def load_bundled_prices() -> PriceTable:
    """The table shipped inside the package (``vpcpath/pricing/data/prices.json``)."""
    resource = resources.files(__package__).joinpath("data", CACHE_FILE_NAME)
    name = "vpcpath/pricing/data/prices.json (bundled)"
    try:
        text = resource.read_text(encoding="utf-8")
    except OSError as exc:
        raise PricingError(f"{name}: cannot read the bundled price table: {exc}") from exc
    return _parse_text(text, name=name, origin=BUNDLED_ORIGIN)


def read_price_table(path: Path) -> PriceTable:
    """Read a price table file; PricingError naming the file and the place at fault."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PricingError(f"{path}: cannot read price table: {exc}") from exc
    return _parse_text(text, name=str(path), origin=str(path))


def load_prices(
    cache_dir: Path | None = None,
    *,
    on_unreadable: Callable[[PricingError], None] | None = None,
) -> PriceTable:
    """The refreshed table in the user cache when present and readable, else the bundled one.

    A cached table older than the bundled one (a newer vpcpath ships newer prices) loses to it.
    A cache file that exists but cannot be used is reported to ``on_unreadable`` (the CLI shows
    it as a warning) and the bundled table is used.
    """
    bundled = load_bundled_prices()
    path = cached_prices_path(cache_dir)
    if not path.exists():
        return bundled
    try:
        cached = read_price_table(path)
    except PricingError as exc:
        if on_unreadable is not None:
            on_unreadable(exc)
        return bundled
    # ISO dates (YYYY-MM-DD) order as strings.
    return bundled if bundled.date > cached.date else cached


def price_table_to_json(table: PriceTable) -> dict[str, Any]:
    """The JSON document of ``table`` (what write_price_table writes)."""
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "source": table.source,
        "date": table.date,
        "notes": list(table.notes),
        "currency": "USD",
        "gb": "2^30 bytes",
        "regions": {
            region: {name: getattr(prices, name) for name in PRICE_FIELDS}
            for region, prices in sorted(table.regions.items())
        },
    }
    if table.refreshed:
        document["refreshed"] = {
            region: list(names) for region, names in sorted(table.refreshed.items())
        }
    return document


def write_price_table(table: PriceTable, path: Path) -> None:
    """Write ``table`` to ``path`` atomically: a reader sees the old file or the new, never half."""
    text = json.dumps(price_table_to_json(table), indent=2) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            # Path.replace is os.replace: atomic on POSIX within one file system, hence the
            # temporary file beside the target.
            Path(temp_name).replace(path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise PricingError(f"{path}: cannot write price table: {exc}") from exc


def _parse_text(text: str, *, name: str, origin: str) -> PriceTable:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PricingError(
            f"{name}: not valid JSON at line {exc.lineno} column {exc.colno}"
            f" (character {exc.pos}): {exc.msg}"
        ) from exc
    return _table_from_document(document, name=name, origin=origin)


def _table_from_document(document: object, *, name: str, origin: str) -> PriceTable:
    if not isinstance(document, dict):
        raise PricingError(f"{name}: the top level must be a JSON object")
    schema = document.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise PricingError(f"{name}: schema: {schema!r} is not {SCHEMA!r}")
    source = _text(document, "source", name=name)
    date = _text(document, "date", name=name)
    for key, expected in (("currency", "USD"), ("gb", "2^30 bytes")):
        if key in document and document[key] != expected:
            raise PricingError(f"{name}: {key}: {document[key]!r}, expected {expected!r}")
    notes = _notes(document.get("notes", ()), name=name)
    raw_regions = document.get("regions")
    if not isinstance(raw_regions, dict) or not raw_regions:
        raise PricingError(f"{name}: regions: missing, or not a non-empty object")
    regions = {
        region: _region_prices(raw, where=f"{name}: regions.{region}")
        for region, raw in raw_regions.items()
    }
    refreshed = _refreshed(document.get("refreshed", {}), regions=regions, name=name)
    return PriceTable(
        source=source,
        date=date,
        regions=MappingProxyType(regions),
        origin=origin,
        notes=notes,
        refreshed=MappingProxyType(refreshed),
    )


def _text(document: dict[str, Any], key: str, *, name: str) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value:
        raise PricingError(f"{name}: {key}: missing, or not a non-empty string")
    return value


def _notes(raw: object, *, name: str) -> tuple[str, ...]:
    # The bundled file keeps one sentence-long string; refreshed tables write a list.
    if isinstance(raw, str):
        return (raw,)
    if isinstance(raw, list | tuple) and all(isinstance(note, str) for note in raw):
        return tuple(raw)
    raise PricingError(f"{name}: notes: must be a string or a list of strings")


def _region_prices(raw: object, *, where: str) -> RegionPrices:
    if not isinstance(raw, dict):
        raise PricingError(f"{where}: must be an object of prices")
    values: dict[str, float] = {}
    for name in PRICE_FIELDS:
        if name not in raw:
            raise PricingError(f"{where}: missing field {name!r}")
        value = raw[name]
        # bool is an int to Python, never a price.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PricingError(f"{where}.{name}: {value!r} is not a number")
        if not math.isfinite(value) or value < 0:
            raise PricingError(f"{where}.{name}: {value!r} is not a price (finite, >= 0)")
        values[name] = float(value)
    return RegionPrices(**values)


def _refreshed(
    raw: object, *, regions: Mapping[str, RegionPrices], name: str
) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise PricingError(f"{name}: refreshed: must be an object")
    refreshed: dict[str, tuple[str, ...]] = {}
    for region, names in raw.items():
        where = f"{name}: refreshed.{region}"
        if region not in regions:
            raise PricingError(f"{where}: no such region in regions")
        if not isinstance(names, list) or not all(n in PRICE_FIELDS for n in names):
            raise PricingError(f"{where}: must be a list of price field names")
        refreshed[region] = tuple(names)
    return refreshed
